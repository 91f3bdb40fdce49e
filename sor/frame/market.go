package frame

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
	"github.com/sorlab/sorlab/sor"
)

// Venues is the venue table, one line per publisher in ascending id.
func Venues(vs sor.Venues) dataframe.DataFrame {
	var id []int
	var name []string
	var fee, rebate []float64
	for _, p := range vs.IDs() {
		v := vs.Get(p)
		id, name = append(id, p), append(name, v.Name)
		fee, rebate = append(fee, dollars(v.Fee)), append(rebate, dollars(v.Rebate))
	}
	var c cols
	c.ints("publisher_id", id)
	c.strings("name", name)
	c.floats("fee", fee)
	c.floats("rebate", rebate)
	return c.frame()
}

// Depth is one line per snapshot: how many venues quote, the consolidated
// best ask + fee and the size shown at it (sor.ConsolidatedAsk), and the
// total size all venues show (sor.DisplayedSize).
func Depth(snaps []sor.Snapshot, venues sor.Venues) dataframe.DataFrame {
	n := len(snaps)
	ts, nv, bestSz, shown := make([]int, n), make([]int, n), make([]int, n), make([]int, n)
	clock, best := make([]string, n), make([]float64, n)
	for i, s := range snaps {
		px, sz := sor.ConsolidatedAsk(s.Quotes, venues)
		ts[i], clock[i], nv[i] = int(s.Time), Clock(s.Time), len(s.Quotes)
		best[i], bestSz[i], shown[i] = optDollars(px), int(sz), int(sor.DisplayedSize(s.Quotes))
	}
	var c cols
	c.ints("ts_ns", ts)
	c.strings("time", clock)
	c.ints("venues", nv)
	c.floats("best_all_in", best)
	c.ints("best_size", bestSz)
	c.ints("displayed", shown)
	return c.frame()
}

// SnapshotOffers is what a strategy that has taken nothing yet could take at
// snapshot s: one offer per quoting venue, with its fee and rebate from
// venues and its whole displayed ask size available (sor.Snapshot.Offers).
func SnapshotOffers(s sor.Snapshot, venues sor.Venues) []sor.Offer { return s.Offers(venues) }

// CostTerms takes sor.Cost apart for one split, one line per parameter set:
// the shares sent and executed (min(q_v, available_v), summed), the part
// left resting, underfill and overfill, the cash term, the penalty terms and
// the cost as sor.Cost computes it (cost = cash + penalties).
func CostTerms(rem int64, offers []sor.Offer, split []int64, ps ...sor.Params) dataframe.DataFrame {
	var sent, executed int64
	var cash sor.Money
	for v, q := range split {
		exe := min(q, offers[v].Available)
		sent, executed = sent+q, executed+exe
		cash += sor.Money(exe)*offers[v].Price() - sor.Money(q-exe)*offers[v].Rebate
	}
	under, over := max(rem-executed, 0), max(executed-rem, 0)
	var lu, lo, th, cashCol, pen, cost []float64
	var sentCol, exeCol, restCol, underCol, overCol []int
	for _, p := range ps {
		penalty := p.ThetaQueue*sor.Money(under+over) + p.LambdaUnder*sor.Money(under) + p.LambdaOver*sor.Money(over)
		lu, lo, th = append(lu, dollars(p.LambdaUnder)), append(lo, dollars(p.LambdaOver)), append(th, dollars(p.ThetaQueue))
		sentCol, exeCol, restCol = append(sentCol, int(sent)), append(exeCol, int(executed)), append(restCol, int(sent-executed))
		underCol, overCol = append(underCol, int(under)), append(overCol, int(over))
		cashCol, pen, cost = append(cashCol, dollars(cash)), append(pen, dollars(penalty)), append(cost, dollars(sor.Cost(rem, offers, split, p)))
	}
	var c cols
	c.floats("lambda_under", lu)
	c.floats("lambda_over", lo)
	c.floats("theta_queue", th)
	c.ints("sent", sentCol)
	c.ints("executed", exeCol)
	c.ints("resting", restCol)
	c.ints("underfill", underCol)
	c.ints("overfill", overCol)
	c.floats("cash", cashCol)
	c.floats("penalties", pen)
	c.floats("cost", cost)
	return c.frame()
}

// CompareAllocators runs sor.AllocateBrute and sor.Allocate on n snapshots
// drawn at random (with replacement, from a PCG generator seeded with seed)
// among those where at least one lot is displayed, each with its full
// displayed sizes available and a random order rem, a multiple of sor.Step
// between 100 and min(maxRem, the displayed size in whole lots). One line per
// draw: the snapshot, rem, the number of candidate splits, both answers and
// their costs, and agree, true when the splits and the exact costs are equal.
func CompareAllocators(snaps []sor.Snapshot, venues sor.Venues, n int, maxRem int64, seed uint64) (dataframe.DataFrame, error) {
	var usable []int
	for i, s := range snaps {
		if lots(SnapshotOffers(s, venues)) > 0 {
			usable = append(usable, i)
		}
	}
	if len(usable) == 0 || maxRem < sor.Step {
		return dataframe.DataFrame{}, fmt.Errorf("no snapshot shows a lot of %d shares", sor.Step)
	}
	rng := rand.New(rand.NewPCG(seed, 0))
	var idx, rems, cands []int
	var brute, fast []string
	var bruteCost, fastCost []float64
	var agree []bool
	for range n {
		i := usable[rng.IntN(len(usable))]
		offers := SnapshotOffers(snaps[i], venues)
		rem := sor.Step * (1 + rng.Int64N(min(maxRem, lots(offers))/sor.Step))
		count := 0
		if err := sor.EnumerateSplits(rem, offers, func([]int64) bool { count++; return true }); err != nil {
			return dataframe.DataFrame{}, err
		}
		bs, bc, err := sor.AllocateBrute(rem, offers, sor.Params{})
		if err != nil {
			return dataframe.DataFrame{}, err
		}
		fs, fc, err := sor.Allocate(rem, offers, sor.Params{})
		if err != nil {
			return dataframe.DataFrame{}, err
		}
		idx, rems, cands = append(idx, i), append(rems, int(rem)), append(cands, count)
		brute, fast = append(brute, splitText(offers, bs)), append(fast, splitText(offers, fs))
		bruteCost, fastCost = append(bruteCost, dollars(bc)), append(fastCost, dollars(fc))
		agree = append(agree, slices.Equal(bs, fs) && bc == fc)
	}
	var c cols
	c.ints("snapshot", idx)
	c.ints("rem", rems)
	c.ints("candidates", cands)
	c.strings("brute", brute)
	c.strings("fast", fast)
	c.floats("brute_cost", bruteCost)
	c.floats("fast_cost", fastCost)
	c.s = append(c.s, seriesBool("agree", agree))
	return c.frame(), nil
}

func seriesBool(name string, v []bool) series.Series { return series.New(v, series.Bool, name) }

// lots is the displayed size in whole lots of sor.Step, in shares.
func lots(offers []sor.Offer) int64 {
	var n int64
	for _, o := range offers {
		n += o.Available / sor.Step * sor.Step
	}
	return n
}

// splitText writes a split as "venue:shares" pairs of the venues that get
// shares ("-" for no trade).
func splitText(offers []sor.Offer, split []int64) string {
	var parts []string
	for v, q := range split {
		if q > 0 {
			parts = append(parts, fmt.Sprintf("%d:%d", offers[v].Venue, q))
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, " ")
}
