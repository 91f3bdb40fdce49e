package queuescore

import (
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/replay"
)

// handMarket is one venue (publisher 1) built event by event: each event is
// its MBO records and the MBP-1 row that shows the book after them, as the
// simulator writes both.
type handMarket struct {
	rows []sor.Row
	recs []sor.MBO
	bids map[sor.Money]int64 // shares by price
	ask  sor.Money
	asz  int64
}

const px = 100 * sor.Dollar // the bid of the hand-made markets

func newHandMarket() *handMarket { return &handMarket{bids: map[sor.Money]int64{}, ask: sor.NoPrice} }

// add is an order of size joining side at p.
func (h *handMarket) add(ts int64, side byte, p sor.Money, size int64, id uint64) {
	if side == 'A' {
		h.ask, h.asz = p, h.asz+size
	} else {
		h.bids[p] += size
	}
	h.recs = append(h.recs, sor.MBO{TsEvent: ts, PublisherID: 1, Action: 'A', Side: side, Price: p, Size: size, OrderID: id, Flags: sor.FlagLast})
	h.row(ts, 'A', side, p, size)
}

// cancel takes a whole bid order off.
func (h *handMarket) cancel(ts int64, p sor.Money, size int64, id uint64) {
	h.bids[p] -= size
	h.recs = append(h.recs, sor.MBO{TsEvent: ts, PublisherID: 1, Action: 'C', Side: 'B', Price: p, Size: size, OrderID: id, Flags: sor.FlagLast})
	h.row(ts, 'C', 'B', p, size)
}

// sell is a sell market order at px filling bid orders there: fills[i]
// shares of order ids[i], in time priority.
func (h *handMarket) sell(ts int64, ids []uint64, fills []int64) {
	var total int64
	h.recs = append(h.recs, sor.MBO{TsEvent: ts, PublisherID: 1, Action: 'T', Side: 'A', Price: px})
	t := len(h.recs) - 1
	for i, id := range ids {
		total += fills[i]
		h.recs = append(h.recs,
			sor.MBO{TsEvent: ts, PublisherID: 1, Action: 'F', Side: 'B', Price: px, Size: fills[i], OrderID: id},
			sor.MBO{TsEvent: ts, PublisherID: 1, Action: 'C', Side: 'B', Price: px, Size: fills[i], OrderID: id})
	}
	h.recs[t].Size = total
	h.recs[len(h.recs)-1].Flags = sor.FlagLast
	h.bids[px] -= total
	h.row(ts, 'T', 'A', px, total)
}

// row is the MBP-1 row of an event: the best bid and ask after it.
func (h *handMarket) row(ts int64, action, side byte, p sor.Money, size int64) {
	bid, bsz := sor.NoPrice, int64(0)
	for q, n := range h.bids {
		if n > 0 && (bid == sor.NoPrice || q > bid) {
			bid, bsz = q, n
		}
	}
	h.rows = append(h.rows, sor.Row{TsEvent: ts, PublisherID: 1, Action: action, Side: side, Price: p, Size: size,
		BidPx: bid, BidSz: bsz, AskPx: h.ask, AskSz: h.asz})
}

func (h *handMarket) market() Market {
	return Market{Name: "hand", MBP: replay.NewStream(h.rows, sor.Window{}), MBO: func(apply func(*sor.MBO) error) error {
		for i := range h.recs {
			rec := h.recs[i]
			rec.Line = i + 2
			if err := apply(&rec); err != nil {
				return err
			}
		}
		return nil
	}}
}

// neverFills is a model under which no order ever fills.
type neverFills struct{ replay.FIFO }

func (neverFills) Trade(*replay.QueuePos, int64) int64               { return 0 }
func (neverFills) Through(*replay.QueuePos, int64) int64             { return 0 }
func (neverFills) Sellers(*replay.QueuePos, int64) int64             { return 0 }
func (neverFills) Cancel(*replay.QueuePos, int64, int64, *rand.Rand) {}
func (neverFills) String() string                                    { return "never" }

// scoreHand scores orders joining at the given times with 100 shares each
// on one hand-made market.
func scoreHand(t *testing.T, h *handMarket, s Setup, joins ...int64) *Result {
	t.Helper()
	s, err := s.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	var orders []order
	for _, j := range joins {
		orders = append(orders, order{Join: j, Shares: 100})
	}
	res := newResult(s, 1)
	if err := scoreOrders(res, 0, h.market(), orders, s); err != nil {
		t.Fatal(err)
	}
	res.finish()
	return res
}

// horizons of the hand-made markets, whose times are nanoseconds.
var handHorizons = []time.Duration{10, 30, 100}

// A queue that only trades: nobody ahead cancels, so every model knows the
// queue exactly and predicts the truth: Brier 0 and KS 0. A model that
// never fills scores, at each horizon, the fraction of orders filled
// within it, and its KS is the truth's fill rate.
//
//	t=1  ask 100.01 x500 (order 10)      t=2  bid 100.00 x100 (order 1)
//	t=5  we join with 100: 100 ahead     t=10 order 2 joins behind us (100)
//	t=20 a sell of 150: order 1's 100, then 50 of order 2: with order 2
//	     behind us, those 50 are ours
//	t=30 a sell of 50 takes the rest of order 2: ours, filled at t=30,
//	     25 ns after joining: o = 0, 1, 1 at T = 10, 30, 100 ns.
func TestExactModelScoresZero(t *testing.T) {
	h := newHandMarket()
	h.add(1, 'A', px+sor.Cent, 500, 10)
	h.add(2, 'B', px, 100, 1)
	h.add(10, 'B', px, 100, 2)
	h.sell(20, []uint64{1, 2}, []int64{100, 50})
	h.sell(30, []uint64{2}, []int64{50})
	models := append(replay.QueueModels(), neverFills{})
	res := scoreHand(t, h, Setup{Horizons: handHorizons, Models: models, Seeds: 3}, 5)
	if res.Orders != 1 || res.Mismatched != 0 || res.Skipped != 0 {
		t.Fatalf("orders %d, mismatched %d, skipped %d", res.Orders, res.Mismatched, res.Skipped)
	}
	if got := res.Truth.Times; len(got) != 1 || got[0] != 25 {
		t.Fatalf("truth times %v, want [25ns]", got)
	}
	for _, m := range res.Models[:len(models)-1] {
		for _, hs := range m.Horizons {
			if hs.SqErr != 0 || hs.Brier() != 0 {
				t.Errorf("%s at %v: Brier %v, want 0", m.Name, hs.T, hs.Brier())
			}
		}
		if m.KSDiff != 0 || m.KS() != 0 {
			t.Errorf("%s: KS %v, want 0", m.Name, m.KS())
		}
	}
	never := res.Models[len(models)-1]
	if never.Runs != 3 {
		t.Errorf("never: %d runs, want the 3 seeds (a model of an unknown type may draw)", never.Runs)
	}
	for i, want := range []float64{0, 1, 1} {
		if got := never.Horizons[i].Brier(); got != want {
			t.Errorf("never at %v: Brier %v, want %v", handHorizons[i], got, want)
		}
	}
	if never.KS() != 1 || never.KSAt != 25 {
		t.Errorf("never: KS %v at %v, want 1 at 25ns", never.KS(), never.KSAt)
	}
	if res.Models[res.Best].Name != "risk_averse" {
		t.Errorf("best %s, want risk_averse (the first of the perfect models)", res.Models[res.Best].Name)
	}
}

// A cancellation ahead that the MBP-1 view cannot place:
//
//	t=2,3  orders 1 (200) and 2 (100) bid 100.00   t=5 we join with 100: 300 ahead
//	t=10   order 3 joins behind us (100)            t=20 order 1 (200) is cancelled
//
// The truth knows that 100 (order 2) are left ahead; the risk-averse model
// takes the cancellation to be behind us, ahead = min(300, 200) = 200; the
// proportional model (power 1, expected) takes p_front = 300/400 of it from
// the front: ahead = 300 − 0.75·200 = 150.
//
//	t=30  a sell of 150: order 2's 100 and 50 of order 3: truth fills 50;
//	      risk averse: ahead 50; power 1: ahead 0
//	t=35  order 4 joins (100)
//	t=40  a sell of 100: 50 of order 3, 50 of order 4: truth fills the
//	      other 50 (done, 35 ns after joining); risk averse fills 50;
//	      power 1 fills 100 (done at 35 ns too)
//	t=50  a sell of 50: risk averse fills its last 50 (done at 45 ns).
//
// At T = 10, 40, 100 ns the truth has o = 0, 1, 1; risk averse 0, 0, 1:
// Brier 0, 1, 0 (mean 1/3) and KS 1 (at 35 ns, where the truth has filled
// and the model not yet); power 1 scores 0 everywhere.
func TestCancellationAheadByHand(t *testing.T) {
	h := newHandMarket()
	h.add(1, 'A', px+sor.Cent, 500, 10)
	h.add(2, 'B', px, 200, 1)
	h.add(3, 'B', px, 100, 2)
	h.add(10, 'B', px, 100, 3)
	h.cancel(20, px, 200, 1)
	h.sell(30, []uint64{2, 3}, []int64{100, 50})
	h.add(35, 'B', px, 100, 4)
	h.sell(40, []uint64{3, 4}, []int64{50, 50})
	h.sell(50, []uint64{4}, []int64{50})
	res := scoreHand(t, h, Setup{Horizons: []time.Duration{10, 40, 100},
		Models: []replay.QueueModel{replay.RiskAverseQueue{}, replay.ProbQueue{Prob: replay.PowerProb{N: 1}}}}, 5)
	if got := res.Truth.Times; len(got) != 1 || got[0] != 35 {
		t.Fatalf("truth times %v, want [35ns]", got)
	}
	ra, p1 := &res.Models[0], &res.Models[1]
	if len(ra.Times) != 1 || ra.Times[0] != 45 || len(p1.Times) != 1 || p1.Times[0] != 35 {
		t.Fatalf("times: risk averse %v (want 45ns), power 1 %v (want 35ns)", ra.Times, p1.Times)
	}
	for i, want := range []float64{0, 1, 0} {
		if got := ra.Horizons[i].Brier(); got != want {
			t.Errorf("risk averse at %v: Brier %v, want %v", ra.Horizons[i].T, got, want)
		}
		if got := p1.Horizons[i].Brier(); got != 0 {
			t.Errorf("power 1 at %v: Brier %v, want 0", p1.Horizons[i].T, got)
		}
	}
	if ra.meanBrier().Cmp(big.NewRat(1, 3)) != 0 || ra.KS() != 1 || ra.KSAt != 35 {
		t.Errorf("risk averse: mean Brier %v (want 1/3), KS %v at %v (want 1 at 35ns)", ra.meanBrier(), ra.KS(), ra.KSAt)
	}
	if p1.KS() != 0 || res.Best != 1 {
		t.Errorf("power 1: KS %v (want 0); best %d (want 1)", p1.KS(), res.Best)
	}
}

// An order whose MBO book does not show the bid it joined is not scored
// (here the MBO file lacks order 2), nor is an order that finds no bid (at
// t=1 the book has only an ask). A market where no order could be scored
// is an error.
func TestBooksDisagree(t *testing.T) {
	h := newHandMarket()
	h.add(1, 'A', px+sor.Cent, 500, 10)
	h.add(2, 'B', px, 200, 1)
	h.add(10, 'B', px, 100, 2)
	h.add(20, 'A', px+sor.Cent, 100, 11)
	h.recs = slices.Delete(h.recs, 2, 3)
	s := Setup{Horizons: handHorizons, Models: []replay.QueueModel{replay.RiskAverseQueue{}}}
	res := scoreHand(t, h, s, 1, 5, 15)
	if res.Orders != 1 || res.Skipped != 1 || res.Mismatched != 1 {
		t.Errorf("orders %d, skipped %d, mismatched %d; want 1 each", res.Orders, res.Skipped, res.Mismatched)
	}
	s, _ = s.withDefaults()
	err := scoreOrders(newResult(s, 1), 0, h.market(), []order{{Join: 1, Shares: 100}, {Join: 15, Shares: 100}}, s)
	if err == nil || err.Error() != "no order scored: 1 found no bid, 1 joined a bid the MBO book did not show (are the MBP-1 rows and the MBO records of the same market?)" {
		t.Errorf("no order scored: %v", err)
	}
}

// An order outbid (a better bid shows at its venue) is cancelled after that
// event unless KeepOutbid.
//
//	t=2   order 1 bids 100.00 x100       t=5  we join with 100: 100 ahead
//	t=10  order 2 bids 100.01: outbid    t=20 order 2 is cancelled
//	t=25  order 3 joins behind us (100)  t=30 a sell of 200 at 100.00
//	      takes orders 1 and 3: in the queue, ours were the second 100.
//
// With KeepOutbid the truth and the risk-averse model (which kept its
// estimate of 100 ahead while the bid was above) fill at t=30, 25 ns after
// joining; by default the order is gone after t=10 and nothing fills.
func TestOutbid(t *testing.T) {
	h := newHandMarket()
	h.add(1, 'A', px+2*sor.Cent, 500, 10)
	h.add(2, 'B', px, 100, 1)
	h.add(10, 'B', px+sor.Cent, 100, 2)
	h.cancel(20, px+sor.Cent, 100, 2)
	h.add(25, 'B', px, 100, 3)
	h.sell(30, []uint64{1, 3}, []int64{100, 100})
	for _, keep := range []bool{false, true} {
		s := Setup{Horizons: handHorizons, Models: []replay.QueueModel{replay.RiskAverseQueue{}}, KeepOutbid: keep}
		res := scoreHand(t, h, s, 5)
		var want []time.Duration
		if keep {
			want = []time.Duration{25}
		}
		if !slices.Equal(res.Truth.Times, want) || !slices.Equal(res.Models[0].Times, want) {
			t.Errorf("keep outbid %v: truth %v, risk averse %v; want %v", keep, res.Truth.Times, res.Models[0].Times, want)
		}
	}
}

// The scores' arithmetic on made-up times to fill: four orders, a
// deterministic model A and a model B with two runs (times in seconds, -
// for not filled within 60 s):
//
//	order   truth   A     B run 1   B run 2
//	1       0.5     0.5   0.5       3
//	2       5       10    2         -
//	3       -       -     -         1
//	4       30      30    -         30
//
// Truth o at T = 1, 10, 60 s: 1000, 1100, 1101 (fill rates 1/4, 1/2, 3/4).
// A fills order 2 at exactly 10 s, within T = 10 s: k = o at every T,
// Brier 0; but its times differ: at 5 s the truth has 2 of 4 filled and A
// 1: KS 1/4.
// B: k = 1010, 2110, 2111; Σ (k − 2o)² = 2, 2, 3 over 2²·4 = 16: Brier 1/8,
// 1/8, 3/16, mean 7/48. KS: at 3 s the truth has 1 of 4, B 4 of 8 runs:
// |1·2 − 4|/8 = 1/4. Calibration of B at 10 s: k/K = 1 (order 1, filled),
// 1/2 (orders 2 and 3: one filled), 0 (order 4, not filled).
func TestScoresArithmetic(t *testing.T) {
	s, err := Setup{Seeds: 2, Models: []replay.QueueModel{replay.RiskAverseQueue{}, replay.ProbQueue{Prob: replay.PowerProb{N: 1}, Sampled: true}}}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	sec := func(x float64) int64 { return int64(x * 1e9) }
	no := int64(notFilled)
	orders := make([]order, 4)
	for i := range orders {
		orders[i].placed = true
	}
	truth := []int64{sec(0.5), sec(5), no, sec(30)}
	runs := [][]*run{
		{{fill: []int64{sec(0.5), sec(10), no, sec(30)}}},
		{{fill: []int64{sec(0.5), sec(2), no, no}}, {fill: []int64{sec(3), no, sec(1), sec(30)}}},
	}
	res := newResult(s, 1)
	res.add(orders, truth, runs)
	res.finish()
	a, b := &res.Models[0], &res.Models[1]
	check := func(what string, got *big.Rat, num, den int64) {
		t.Helper()
		if got == nil || got.Cmp(big.NewRat(num, den)) != 0 {
			t.Errorf("%s = %v, want %d/%d", what, got, num, den)
		}
	}
	for i, f := range [][2]int64{{1, 4}, {1, 2}, {3, 4}} {
		check("truth fill rate at "+s.Horizons[i].String(), res.Truth.Horizons[i].fillRate(), f[0], f[1])
	}
	check("base Brier at 60s", baseBrier(res.Truth.Horizons[2].fillRate()), 3, 16)
	for i, f := range [][2]int64{{0, 1}, {0, 1}, {0, 1}} {
		check("A's Brier at "+s.Horizons[i].String(), a.Horizons[i].brier(), f[0], f[1])
	}
	for i, f := range [][2]int64{{1, 8}, {1, 8}, {3, 16}} {
		check("B's Brier at "+s.Horizons[i].String(), b.Horizons[i].brier(), f[0], f[1])
	}
	for i, f := range [][2]int64{{1, 4}, {1, 2}, {5, 8}} {
		check("B's fill rate at "+s.Horizons[i].String(), b.Horizons[i].fillRate(), f[0], f[1])
	}
	check("A's mean Brier", a.meanBrier(), 0, 1)
	check("B's mean Brier", b.meanBrier(), 7, 48)
	check("A's KS", a.ks(), 1, 4)
	check("B's KS", b.ks(), 1, 4)
	if a.KSAt != 5*time.Second || b.KSAt != 3*time.Second {
		t.Errorf("KS at %v and %v, want 5s and 3s", a.KSAt, b.KSAt)
	}
	if res.Best != 0 {
		t.Errorf("best %d, want 0 (A)", res.Best)
	}
	want := map[int]Bin{0: {Orders: 1}, 5: {Orders: 2, Predicted: 2, Observed: 1}, 9: {Orders: 1, Predicted: 2, Observed: 1}}
	for i, bin := range b.Horizons[1].Bins {
		if bin != want[i] {
			t.Errorf("B's bin %d at 10s: %+v, want %+v", i, bin, want[i])
		}
	}
	if got := b.Horizons[1].Predicted(5); got != 0.5 {
		t.Errorf("B's bin 5 predicted %v, want 0.5", got)
	}
	if got := a.Within(20 * time.Second); got != 0.5 {
		t.Errorf("A filled within 20 s: %v, want 2/4", got)
	}
	if lo, hi := a.Horizons[0].BrierCI95(); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("interval over one market [%v, %v], want NaN", lo, hi)
	}
}

func TestSetupErrors(t *testing.T) {
	for _, c := range []struct {
		s    Setup
		want string
	}{
		{Setup{Orders: -1}, "setup: -1 orders per market"},
		{Setup{Seeds: -2}, "-2 seeds"},
		{Setup{Horizons: []time.Duration{}}, "no horizon"},
		{Setup{Horizons: []time.Duration{-time.Second, time.Second}}, "horizon -1s, want > 0"},
		{Setup{Sizes: []int64{100, 0}}, "order size 0"},
		{Setup{Models: []replay.QueueModel{nil}}, "model 0 is nil"},
	} {
		if _, err := c.s.withDefaults(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.s, err, c.want)
		}
	}
	if _, err := Score(nil, Setup{}); err == nil || !strings.Contains(err.Error(), "no market") {
		t.Errorf("no market: %v", err)
	}
	h := newHandMarket()
	h.add(1, 'A', px+sor.Cent, 500, 10)
	h.add(2, 'B', px, 200, 1)
	_, err := Score([]Market{h.market()}, Setup{})
	if err == nil || err.Error() != "market hand: its rows span 1ns, less than the longest horizon 1m0s" {
		t.Errorf("short market: %v", err)
	}
}
