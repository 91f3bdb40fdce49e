package replay

import (
	"encoding/json"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor"
)

// placementRows is a hand-made market at venue 1 (fee 0.003, rebate 0.002)
// for an order of 200 in two slices of 10 ns (first row 0, last 20):
//
//	t=0   bid 100.00 x 300, ask 100.02 x 500
//	t=5   a sell of 300 empties the bid: 99.99 x 200
//	t=7   a sell of 150 at 99.99                      bid 99.99 x 50
//	t=10  the ask comes down to 100.01
//	t=15  a sell of 30 at 99.99                       bid 99.99 x 20
//	t=20  the ask goes up to 100.03 (the last row: the schedule is over)
func placementRows() []sor.Row {
	return []sor.Row{
		book(0, 'A', 'B', px(10000), 300, px(10000), 300, px(10002), 500),
		book(5, 'T', 'A', px(10000), 300, px(9999), 200, px(10002), 500),
		book(7, 'T', 'A', px(9999), 150, px(9999), 50, px(10002), 500),
		book(10, 'A', 'A', px(10001), 500, px(9999), 50, px(10001), 500),
		book(15, 'T', 'A', px(9999), 30, px(9999), 20, px(10001), 500),
		book(20, 'C', 'A', px(10001), 500, px(9999), 20, px(10003), 500),
	}
}

type sentAt struct {
	t      int64
	kind   Kind
	shares int64
	price  sor.Money
	tag    int
}

func sentOf(r *Result) []sentAt {
	var out []sentAt
	for _, s := range r.Sent {
		out = append(out, sentAt{s.Time, s.Kind, s.Shares, s.Price, s.Tag})
	}
	return out
}

// TestSlicerByHand: C(1) = 100, C(2) = 200.
//
//   - market only buys 100 at 100.02 at t=0 and 100 at 100.01 at t=10:
//     100·100.023 + 100·100.013 = 20,003.60;
//   - limit only posts 100 at the 100.00 bid at t=0 (300 ahead): the sell of
//     300 at t=5 clears the queue, the sell of 150 at 99.99 trades through
//     our price and fills the 100 (maker, 100·99.998). At t=10 it posts 100
//     at 99.99 behind 50; the sell of 30 leaves 20 ahead; at t=20, the end of
//     the schedule, it cancels and catches up 100 at 100.03: 100·100.033.
//     20,003.10 in all.
func TestSlicerByHand(t *testing.T) {
	cfg := Config{OrderSize: 200, Venues: testVenues, Fills: Queue{RiskAverseQueue{}}}
	cases := []struct {
		v     Variant
		fills []fillAt
		sent  []sentAt
		cash  sor.Money
	}{
		{MarketOnly,
			[]fillAt{{0, 100, px(10002), false}, {10, 100, px(10001), false}},
			[]sentAt{{0, Market, 100, px(10002), 0}, {10, Market, 100, px(10001), 2}},
			100*(px(10002)+3*sor.Cent/10) + 100*(px(10001)+3*sor.Cent/10)},
		{LimitOnly,
			[]fillAt{{7, 100, px(10000), true}, {20, 100, px(10003), false}},
			[]sentAt{{0, Limit, 100, px(10000), 0}, {10, Limit, 100, px(9999), 2}, {20, Cancel, 0, 0, 0}, {20, Market, 100, px(10003), 3}},
			100*(px(10000)-2*sor.Cent/10) + 100*(px(10003)+3*sor.Cent/10)},
	}
	for _, c := range cases {
		s := &Slicer{Variant: c.v, Slice: 10}
		res, err := Backtest(placementRows(), sor.Window{}, cfg, s)
		if err != nil {
			t.Fatal(err)
		}
		sameFills(t, c.v.String(), fillsOf(res), c.fills)
		if got := sentOf(res); !slices.Equal(got, c.sent) {
			t.Errorf("%v: sent %+v, want %+v", c.v, got, c.sent)
		}
		if res.Cash != c.cash {
			t.Errorf("%v: cash %v, want %v", c.v, res.Cash, c.cash)
		}
		// The slices opened at 100.02 + 0.003 and 100.01 + 0.003.
		if want := []sor.Money{px(10002) + 3*sor.Cent/10, px(10001) + 3*sor.Cent/10}; !slices.Equal(s.Refs, want) || s.Slices() != 2 {
			t.Errorf("%v: refs %v over %d slices, want %v over 2", c.v, s.Refs, s.Slices(), want)
		}
	}
}

// TestSlicerCKSplit: at each slice's start the Cont-Kukanov variant sends
// what CKRouter.split answers for the slice's target on the same view (its
// market order and its limit orders, tagged with the slice), cancels what is
// left at the next slice and catches up.
func TestSlicerCKSplit(t *testing.T) {
	router := CKRouter{LambdaUnder: 5 * sor.Cent, LambdaOver: 5 * sor.Cent, Theta: sor.Cent / 10, Iterations: 200}
	cfg := Config{OrderSize: 200, Venues: testVenues, Fills: Queue{RiskAverseQueue{}}, Seed: 3}
	rows := placementRows()
	s := &Slicer{Variant: CKSplit, Slice: 10, Router: router}
	res, err := Backtest(rows, sor.Window{}, cfg, s)
	if err != nil {
		t.Fatal(err)
	}
	// The same problem by hand: the router started like the slicer's, after
	// the first row, for the first slice's 100 shares.
	ck := router.Clone()
	ck.Horizon = 10
	if err := ck.Start(Setup{First: 0, Last: 20, OrderSize: 200, Venues: testVenues, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	ck.ingest(rows[:1])
	fee, rebate := testVenues.Get(1).Fee, testVenues.Get(1).Rebate
	v := &View{Time: 0, OrderSize: 200, Quotes: []VenueQuote{{Venue: 1, Ask: px(10002), AskSize: 500, Bid: px(10000), BidSize: 300, Fee: fee, Rebate: rebate}},
		offers: []sor.Offer{{Venue: 1, Ask: px(10002), Fee: fee, Rebate: rebate, Available: 500}}, bid: px(10000), ask: px(10002)}
	m, limits, ok, err := ck.split(v, 100)
	if err != nil || !ok {
		t.Fatalf("split: %v %v", ok, err)
	}
	var want []sentAt
	for _, l := range limits {
		want = append(want, sentAt{0, Limit, l.Shares, l.Price, 0})
	}
	if m > 0 {
		want = append(want, sentAt{0, Market, m, px(10002), 0})
	}
	got := sentOf(res)
	if len(got) < len(want) || !slices.Equal(got[:len(want)], want) {
		t.Fatalf("sent %+v, want first %+v (M = %d)", got, want, m)
	}
	if res.Filled != 200 {
		t.Errorf("filled %d, want 200 (the catch-up buys the rest)", res.Filled)
	}
	for _, x := range got[len(want):] {
		if x.t < 10 {
			t.Errorf("a message at t=%d inside the first slice: %+v", x.t, x)
		}
	}
}

// TestPlacementByHand: the experiment on placementRows with one seed, the
// markouts at 0 and 5 ns. Limit only against market only:
//
//	costs   market only 20,003.60/200 = 100.018, limit only 20,003.10/200 = 100.0155
//	savings (100.018 − 100.0155)/100.018·10⁴ = 0.24996 bps
//	catch-up: half the shares, at 100.033 against the 100.013 its slice
//	opened at: 0.02 a share
//	markouts at 0: market only buys at 100.02 when the mid is 100.01 and at
//	100.01 when it is 100.00: −0.01; limit only buys 100 at 100.00 at t=7
//	(mid (99.99 + 100.02)/2 = 100.005: +0.005) and 100 at 100.03 at t=20
//	(mid 100.01: −0.02): −0.0075; makers +0.005, takers −0.02.
//	at 5 ns: market only −0.015 (t=5: mid 100.005) and −0.01 (t=15:
//	100.00); limit only: the maker fill only (t=12: 100.00, 0); t=25 is past
//	the data.
//
// The split: with seed 1 the solver answers (M, L) = (99, 1) for slice 1's
// 100 shares (h = 0.01, Q = 300) and (0, 100) for slice 2's 100 (h = 0.01,
// Q = 50 at 99.99); from there the fills follow by hand. t=0: 99 at 100.02
// (500 shown), 1 rests at 100.00 behind 300; t=5: the sell of 300 takes
// the 300 ahead and fills nothing (floor(300 − 300) = 0), the bid falls
// below us: nobody ahead; t=7: the sell of 150 at 99.99 trades through:
// the 1 fills (maker, 100.00 − 0.002). t=10: 100 rest at 99.99 behind 50;
// t=15: the sell of 30 leaves 20 ahead; t=20: cancelled, 100 caught up at
// 100.03.
//
//	cash    99·100.023 + 1·99.998 + 100·100.033 = 20,005.575: 100.027875 a share
//	savings (100.018 − 100.027875)/100.018·10⁴ = −0.98732 bps
//	maker share 1/200; catch-up half the shares, 0.02 a share
//	markouts at 0: −0.01 (99 at t=0, mid 100.01), +0.005 (1 at t=7, mid
//	100.005), −0.02 (100 at t=20, mid 100.01): −2.985/200 = −0.014925;
//	takers −2.99/199; at 5 ns: −0.015 (99, t=5: mid 100.005) and 0 (1,
//	t=12: 100.00): −1.485/100 = −0.01485.
func TestPlacementByHand(t *testing.T) {
	cfg := Config{OrderSize: 200, Venues: testVenues, Fills: Queue{RiskAverseQueue{}}}
	p := Placement{Slice: 10, Markouts: []time.Duration{0, 5}, Router: CKRouter{LambdaUnder: 5 * sor.Cent, LambdaOver: 5 * sor.Cent, Theta: sor.Cent / 10, Iterations: 200}}
	res, err := p.Run([]sor.Source{NewStream(placementRows(), sor.Window{})}, cfg, []uint64{1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Over != "seeds" || res.Slices != 2 || len(res.Variants) != 3 {
		t.Fatalf("result %+v", res)
	}
	a, b, c := res.Variants[0], res.Variants[1], res.Variants[2]
	checks := []struct {
		name      string
		got, want float64
	}{
		{"market only cost", a.Cost.Mean, 100.018},
		{"market only savings", a.Savings.Mean, 0},
		{"market only maker share", a.MakerShare.Mean, 0},
		{"market only markout 0", a.Markouts[0].Mean, -0.01},
		{"market only markout 5ns", a.Markouts[1].Mean, -0.0125},
		{"ck split cost", b.Cost.Mean, 100.027875},
		{"ck split savings", b.Savings.Mean, (100.018 - 100.027875) / 100.018 * 1e4},
		{"ck split fill rate", b.FillRate.Mean, 1},
		{"ck split maker share", b.MakerShare.Mean, 0.005},
		{"ck split catch-up share", b.CatchUpShare.Mean, 0.5},
		{"ck split catch-up cost", b.CatchUpCost.Mean, 0.02},
		{"ck split markout 0", b.Markouts[0].Mean, -0.014925},
		{"ck split maker markout 0", b.Maker[0].Mean, 0.005},
		{"ck split taker markout 0", b.Taker[0].Mean, -2.99 / 199},
		{"ck split markout 5ns", b.Markouts[1].Mean, -0.01485},
		{"limit only cost", c.Cost.Mean, 100.0155},
		{"limit only savings", c.Savings.Mean, (100.018 - 100.0155) / 100.018 * 1e4},
		{"limit only fill rate", c.FillRate.Mean, 1},
		{"limit only maker share", c.MakerShare.Mean, 0.5},
		{"limit only catch-up share", c.CatchUpShare.Mean, 0.5},
		{"limit only catch-up cost", c.CatchUpCost.Mean, 0.02},
		{"limit only markout 0", c.Markouts[0].Mean, -0.0075},
		{"limit only maker markout 0", c.Maker[0].Mean, 0.005},
		{"limit only taker markout 0", c.Taker[0].Mean, -0.02},
		{"limit only markout 5ns", c.Markouts[1].Mean, 0},
		{"limit only venue 1 markout 0", c.Venues[0].Markouts[0].Mean, -0.0075},
	}
	for _, x := range checks {
		if math.Abs(x.got-x.want) > 1e-9 {
			t.Errorf("%s = %v, want %v", x.name, x.got, x.want)
		}
	}
	if !math.IsNaN(c.Taker[1].Mean) || c.Taker[1].N != 0 {
		t.Errorf("limit only taker markout at 5 ns: %+v, want none (t=25 is past the data)", c.Taker[1])
	}
	if c.Cheaper != 1 || len(c.Units) != 1 || c.Venues[0].Shares != 200 || c.Venues[0].Name != "" {
		t.Errorf("limit only: cheaper %d units %v venue %+v", c.Cheaper, c.Units, c.Venues[0])
	}
	if c.Savings.N != 1 || c.Savings.Low != c.Savings.Mean {
		t.Errorf("one unit: the interval is the point, got %+v", c.Savings)
	}
}

// TestPlacementDeterministic: the experiment gives the same figures for the
// same seeds, on the sample under a sampled queue model and latency.
func TestPlacementDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("plays the sample")
	}
	_, venues, st := loadSample(t)
	cfg := Config{OrderSize: 5000, Venues: venues, Fills: Queue{ProbQueue{Prob: PowerProb{N: 2}, Sampled: true}},
		Latency: UniformLatency{Max: time.Millisecond}}
	p := Placement{Slice: 30 * time.Second, Router: CKRouter{LambdaUnder: 10 * sor.Cent, LambdaOver: 5 * sor.Cent, Theta: sor.Cent / 10, Iterations: 300}}
	one, err := p.Run([]sor.Source{st}, cfg, []uint64{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	two, err := p.Run([]sor.Source{st}, cfg, []uint64{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(one.JSON())
	b, _ := json.Marshal(two.JSON())
	if string(a) != string(b) || len(a) < 1000 {
		t.Error("two runs with the same seeds differ")
	}
	for _, v := range one.Variants {
		if v.FillRate.Mean != 1 || v.Cost.N != 2 {
			t.Errorf("%v: fill rate %v over %d seeds", v.Variant, v.FillRate.Mean, v.Cost.N)
		}
	}
}

// Fractions cannot leave [0, 1], nor can their intervals. On two simulated
// markets with one seed (`backtest -experiment placement -fill queue
// -markets 2 -seeds 1`) limit only's maker shares have the t interval
// [0.3725244, 1.4550756] and its catch-up shares [−0.4550756, 0.6274756]
// (mean 0.9138 and 0.0862, half-width 0.5412756): the report clips each at
// the bound it passes and keeps the other end.
func TestPlacementFractionIntervalsStayInZeroOne(t *testing.T) {
	if testing.Short() {
		t.Skip("plays two simulated markets")
	}
	_, venues, st := loadSample(t)
	fills, err := ParseFill("queue")
	if err != nil {
		t.Fatal(err)
	}
	def := sor.DefaultConfig()
	proto := Protocol{Config: Config{OrderSize: def.OrderSize, Venues: venues, Fills: fills}, Router: RouterStatic, Grid: def.Grid,
		TWAPBucket: def.TWAPBucket, Seeds: 1, Markets: 2, CK: CKRouter{Horizon: 10 * time.Second}}
	res, err := proto.RunPlacement(st)
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(res.JSON().Variants[2])
	var limit struct {
		Variant      string
		FillRate     json.RawMessage `json:"fill_rate"`
		MakerShare   json.RawMessage `json:"maker_share"`
		CatchUpShare json.RawMessage `json:"catch_up_share"`
	}
	if err := json.Unmarshal(j, &limit); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, got, want string }{
		{"variant", limit.Variant, "limit_only"},
		{"fill_rate", string(limit.FillRate), `{"mean":1,"ci95":[1,1],"n":2}`},
		{"maker_share", string(limit.MakerShare), `{"mean":0.9138,"ci95":[0.3725244,1],"n":2}`},
		{"catch_up_share", string(limit.CatchUpShare), `{"mean":0.0862,"ci95":[0,0.6274756],"n":2}`},
	} {
		if c.got != c.want {
			t.Errorf("%s: %s, want %s", c.name, c.got, c.want)
		}
	}
}

// fraction clips only the bound that passes 0 or 1, and leaves a missing
// estimate missing.
func TestFractionClipsTheInterval(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct{ in, want Estimate }{
		{Estimate{0.5, 0.25, 0.75, 3}, Estimate{0.5, 0.25, 0.75, 3}},
		{Estimate{0.9, 0.4, 1.4, 2}, Estimate{0.9, 0.4, 1, 2}},
		{Estimate{0.1, -0.4, 0.6, 2}, Estimate{0.1, 0, 0.6, 2}},
		{Estimate{0.5, -3, 4, 2}, Estimate{0.5, 0, 1, 2}},
	} {
		if got := fraction(c.in); got != c.want {
			t.Errorf("fraction(%+v) = %+v, want %+v", c.in, got, c.want)
		}
	}
	if got := fraction(Estimate{nan, nan, nan, 0}); !math.IsNaN(got.Low) || !math.IsNaN(got.High) || got.N != 0 {
		t.Errorf("no units: %+v", got)
	}
}
