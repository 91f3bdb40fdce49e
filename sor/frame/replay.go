package frame

import (
	"errors"
	"fmt"

	"github.com/go-gota/gota/dataframe"
	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/ck"
	"github.com/sorlab/sorlab/sor/replay"
)

// QueueWalk replays rows (a hand-made event sequence, usually) once per
// queue model with a strategy that sends the one order o at the first
// decision point and then waits, under the Queue fill model with zero
// latency. One line per row of the stream: the row itself, then for each
// model the shares estimated ahead of the order after the row (column
// "ahead_<model>", as the strategy sees it at that time's decision; NaN
// before the order rests and after it has filled) and the shares of it
// filled so far ("filled_<model>").
func QueueWalk(rows []sor.Row, o replay.Order, models ...replay.QueueModel) (dataframe.DataFrame, error) {
	st := replay.NewStream(rows, sor.Window{})
	if len(st.Rows) == 0 {
		return dataframe.DataFrame{}, errors.New("frame: no rows")
	}
	n := len(st.Rows)
	ts, sz, bsz := make([]int, n), make([]int, n), make([]int, n)
	action, side := make([]string, n), make([]string, n)
	px, bid := make([]float64, n), make([]float64, n)
	for i, r := range st.Rows {
		ts[i], sz[i], bsz[i] = int(r.TsEvent), int(r.Size), int(r.BidSz)
		action[i], side[i] = string(rune(max(r.Action, ' '))), string(rune(max(r.Side, ' ')))
		px[i], bid[i] = optDollars(r.Price), optDollars(r.BidPx)
	}
	var c cols
	c.ints("ts_ns", ts)
	c.strings("action", action)
	c.strings("side", side)
	c.floats("price", px)
	c.ints("size", sz)
	c.floats("bid_px", bid)
	c.ints("bid_sz", bsz)
	for _, m := range models {
		w := &postAndWatch{order: o, ahead: map[int64]float64{}}
		res, err := replay.Run(st, replay.Config{OrderSize: o.Shares, Fills: replay.Queue{Model: m}}, w)
		if err != nil {
			return dataframe.DataFrame{}, fmt.Errorf("%s: %w", m, err)
		}
		ahead, filled := make([]float64, n), make([]int, n)
		j, sum := 0, 0 // fills and rows are both in time order
		for i, r := range st.Rows {
			a, ok := w.ahead[r.TsEvent]
			ahead[i] = orNaN(ok, a)
			for ; j < len(res.Fills) && res.Fills[j].Time <= r.TsEvent; j++ {
				sum += int(res.Fills[j].Shares)
			}
			filled[i] = sum
		}
		c.floats("ahead_"+m.String(), ahead)
		c.ints("filled_"+m.String(), filled)
	}
	return c.frame(), nil
}

// postAndWatch sends one order at the first decision and records, at each
// later decision, the queue estimate of its resting order.
type postAndWatch struct {
	order replay.Order
	sent  bool
	ahead map[int64]float64
}

func (w *postAndWatch) Name() string { return "post_once" }
func (w *postAndWatch) Start(replay.Setup) error {
	w.sent = false
	clear(w.ahead)
	return nil
}
func (w *postAndWatch) Decide(v *replay.View) ([]replay.Order, error) {
	for _, o := range v.Open {
		if o.Resting {
			w.ahead[v.Time] = o.Ahead
		}
	}
	if w.sent {
		return nil, nil
	}
	w.sent = true
	return []replay.Order{w.order}, nil
}

// Evaluation is one line per strategy of replay.Evaluate: the fill model,
// the number of runs, the mean cost per share (cash / filled, dollars) with
// its 95% interval, the mean expected cost (unfilled shares bought at the
// end, see replay.Result.ExpectedCost), the mean fill rate, the share of
// filled shares that were maker fills and the mean slippage per taker share.
func Evaluation(stats []replay.Stats) dataframe.DataFrame {
	var name, model []string
	var runs []int
	var cost, lo, hi, exp, fill, maker, slip []float64
	for _, s := range stats {
		name, model, runs = append(name, s.Strategy), append(model, s.Model), append(runs, s.Runs)
		cost, lo, hi = append(cost, s.CostPerShare), append(lo, s.CostLow), append(hi, s.CostHigh)
		exp, fill = append(exp, s.ExpectedCost), append(fill, s.FillRate)
		maker, slip = append(maker, s.MakerRate), append(slip, s.Slippage)
	}
	var c cols
	c.strings("strategy", name)
	c.strings("fills", model)
	c.ints("runs", runs)
	c.floats("cost_per_share", cost)
	c.floats("ci95_low", lo)
	c.floats("ci95_high", hi)
	c.floats("expected_cost", exp)
	c.floats("fill_rate", fill)
	c.floats("maker_share", maker)
	c.floats("slippage", slip)
	return c.frame()
}

// ReplayGrid is one line per point of replay.GridSearch, in grid order: the
// penalties, the mean expected cost per share with its 95% interval, the
// fill rate and maker share, best (true at the chosen point) and refused,
// the assumption a refused point breaks ("A2", "A3"; the error text for any
// other error; empty when the point ran).
func ReplayGrid(points []replay.GridPoint, best int) dataframe.DataFrame {
	var lu, lo, th, exp, elo, ehi, fill, maker []float64
	var isBest []string
	var refused []string
	for i, g := range points {
		lu, lo, th = append(lu, dollars(g.Params.LambdaUnder)), append(lo, dollars(g.Params.LambdaOver)), append(th, dollars(g.Params.ThetaQueue))
		why := ""
		if g.Err != nil {
			var ae *ck.AssumptionError
			if errors.As(g.Err, &ae) {
				why = ae.Name
			} else {
				why = g.Err.Error()
			}
		}
		ok := g.Err == nil
		exp, elo, ehi = append(exp, orNaN(ok, g.Stats.ExpectedCost)), append(elo, orNaN(ok, g.Stats.ExpectedLow)), append(ehi, orNaN(ok, g.Stats.ExpectedHigh))
		fill, maker = append(fill, orNaN(ok, g.Stats.FillRate)), append(maker, orNaN(ok, g.Stats.MakerRate))
		isBest = append(isBest, map[bool]string{true: "best", false: ""}[i == best])
		refused = append(refused, why)
	}
	var c cols
	c.floats("lambda_under", lu)
	c.floats("lambda_over", lo)
	c.floats("theta", th)
	c.floats("expected_cost", exp)
	c.floats("ci95_low", elo)
	c.floats("ci95_high", ehi)
	c.floats("fill_rate", fill)
	c.floats("maker_share", maker)
	c.strings("best", isBest)
	c.strings("refused", refused)
	return c.frame()
}

// ReplayFills lists a replay result's executions (a *replay.Result or any
// replay.Filler): time, venue, shares, price, fee (minus the rebate for
// maker fills), maker or taker, the slippage per share (taker fills: ask at
// arrival − ask at decision) and the running cash.
func ReplayFills(r replay.Filler) dataframe.DataFrame {
	n := r.Len()
	ts, venue, shares := make([]int, n), make([]int, n), make([]int, n)
	clock, kind := make([]string, n), make([]string, n)
	price, fee, slip, cash := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	var total sor.Money
	for i := range n {
		f := r.Detail(i)
		total += f.Cash()
		ts[i], clock[i], venue[i], shares[i] = int(f.Time), Clock(f.Time), f.Venue, int(f.Shares)
		price[i], fee[i], slip[i], cash[i] = dollars(f.Price), dollars(f.Fee), dollars(f.Slippage), dollars(total)
		kind[i] = map[bool]string{true: "maker", false: "taker"}[f.Maker]
	}
	var c cols
	c.ints("ts_ns", ts)
	c.strings("time", clock)
	c.ints("venue", venue)
	c.strings("kind", kind)
	c.ints("shares", shares)
	c.floats("price", price)
	c.floats("fee", fee)
	c.floats("slippage", slip)
	c.floats("cash", cash)
	return c.frame()
}

// Markets is one line per strategy of replay.CompareMarkets: its mean
// difference from the reference in basis points (negative: cheaper), the 95%
// interval, and in how many markets it was cheaper.
func Markets(stats []replay.MarketStats) dataframe.DataFrame {
	var name, ref []string
	var markets, beats []int
	var bps, lo, hi, fill []float64
	for _, s := range stats {
		name, ref = append(name, s.Strategy), append(ref, s.Reference)
		markets, beats = append(markets, s.Markets), append(beats, s.Beats)
		bps, lo, hi, fill = append(bps, s.VsReferenceBps), append(lo, s.Low), append(hi, s.High), append(fill, s.FillRate)
	}
	var c cols
	c.strings("strategy", name)
	c.strings("reference", ref)
	c.ints("markets", markets)
	c.floats("vs_reference_bps", bps)
	c.floats("ci95_low", lo)
	c.floats("ci95_high", hi)
	c.ints("cheaper_in", beats)
	c.floats("fill_rate", fill)
	return c.frame()
}

// FillTimes is one line per result (a *sor.Result or any sor.NamedFiller):
// the strategy and the share-weighted mean time of its fills in seconds
// after from (sor.MeanFillTime; NaN when nothing filled).
func FillTimes(from int64, results ...sor.NamedFiller) dataframe.DataFrame {
	var name []string
	var secs []float64
	for _, r := range results {
		t, ok := sor.MeanFillTime(r)
		name, secs = append(name, r.Name()), append(secs, orNaN(ok, float64(t-from)/1e9))
	}
	var c cols
	c.strings("strategy", name)
	c.floats("mean_fill_time_s", secs)
	return c.frame()
}
