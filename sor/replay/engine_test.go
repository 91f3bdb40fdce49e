package replay

import (
	"errors"
	"testing"

	"github.com/sorlab/sorlab/sor"
)

// px is a price in cents, as Money.
func px(cents int64) sor.Money { return sor.Money(cents) * sor.Cent }

// book is a row of venue 1 with the given event and the book after it.
func book(ts int64, action, side byte, price sor.Money, size int64, bid sor.Money, bidSz int64, ask sor.Money, askSz int64) sor.Row {
	return sor.Row{TsEvent: ts, PublisherID: 1, Action: action, Side: side, Price: price, Size: size, BidPx: bid, BidSz: bidSz, AskPx: ask, AskSz: askSz}
}

// venue 1 charges 0.003 to takers and pays 0.002 to makers.
var testVenues = sor.Venues{1: {PublisherID: 1, Fee: 3 * sor.Cent / 10, Rebate: 2 * sor.Cent / 10}}

// script sends fixed orders at fixed decision times.
type script map[int64][]Order

func (script) Name() string                      { return "script" }
func (script) Start(Setup) error                 { return nil }
func (s script) Decide(v *View) ([]Order, error) { return s[v.Time], nil }

type fillAt struct {
	t      int64
	shares int64
	price  sor.Money
	maker  bool
}

func fillsOf(r *Result) []fillAt {
	var out []fillAt
	for _, f := range r.Details() {
		out = append(out, fillAt{f.Time, f.Shares, f.Price, f.Maker})
	}
	return out
}

func sameFills(t *testing.T, name string, got, want []fillAt) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: fills %+v, want %+v", name, got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%s: fill %d = %+v, want %+v (all: %+v)", name, i, got[i], want[i], got)
		}
	}
}

// queueRows is a hand-made sequence at venue 1 for a limit buy of 200 at
// $100.00 sent at t=1 (it joins behind the 300 shown):
//
//	t=2 add behind us: bid 400                   ahead 300 (both models)
//	t=3 sell 100 hits the bid: bid 300            ahead 200
//	t=4 cancel 100: bid 200                      risk averse 200; power1: back = 300−200 = 100, p = 2/3, 200 − 66.67 = 133.33
//	t=5 sell 180: bid 20                         risk averse 20, no fill; power1: 180 − 133.33 = 46.67 → fill 46, ahead 0
//	t=6 sell 20 empties the level: bid 99.99     risk averse 0, no fill; power1: fill 20 (66 in all)
//	t=7 sell 100 at 99.99: trades through 100.00, so it would have hit us first: fill 100 at 100.00 (both)
//	t=8 sell 300 at 99.99: fills the rest, 100 (risk averse) or 34 (power1)
func queueRows() []sor.Row {
	return []sor.Row{
		book(1, 'A', 'B', px(10000), 300, px(10000), 300, px(10001), 200),
		book(2, 'A', 'B', px(10000), 100, px(10000), 400, px(10001), 200),
		book(3, 'T', 'A', px(10000), 100, px(10000), 300, px(10001), 200),
		book(4, 'C', 'B', px(10000), 100, px(10000), 200, px(10001), 200),
		book(5, 'T', 'A', px(10000), 180, px(10000), 20, px(10001), 200),
		book(6, 'T', 'A', px(10000), 20, px(9999), 500, px(10001), 200),
		book(7, 'T', 'A', px(9999), 100, px(9999), 400, px(10001), 200),
		book(8, 'T', 'A', px(9999), 300, px(9999), 100, px(10001), 200),
	}
}

func TestQueueFillsByHand(t *testing.T) {
	post := script{1: {{Kind: Limit, Venue: 1, Shares: 200, Price: px(10000)}}}
	cases := []struct {
		model QueueModel
		want  []fillAt
	}{
		{RiskAverseQueue{}, []fillAt{{7, 100, px(10000), true}, {8, 100, px(10000), true}}},
		{ProbQueue{Prob: PowerProb{1}}, []fillAt{{5, 46, px(10000), true}, {6, 20, px(10000), true}, {7, 100, px(10000), true}, {8, 34, px(10000), true}}},
	}
	for _, c := range cases {
		res, err := Backtest(queueRows(), sor.Window{}, Config{OrderSize: 200, Venues: testVenues, Fills: Queue{c.model}}, post)
		if err != nil {
			t.Fatal(err)
		}
		sameFills(t, c.model.String(), fillsOf(res), c.want)
		// 200 maker shares at 100.00 − 0.002 = 99.998: $19,999.60.
		if want := 200 * (px(10000) - 2*sor.Cent/10); res.Cash != want || res.MakerShares != 200 {
			t.Errorf("%v: cash %v maker %d, want %v and 200", c.model, res.Cash, res.MakerShares, want)
		}
	}
}

// TestVisibleRefusesLimit: the exercise's model cannot fill a resting order.
func TestVisibleRefusesLimit(t *testing.T) {
	post := script{1: {{Kind: Limit, Venue: 1, Shares: 200, Price: px(10000)}}}
	_, err := Backtest(queueRows(), sor.Window{}, Config{OrderSize: 200, Venues: testVenues}, post)
	if !errors.Is(err, ErrLimitOrder) {
		t.Fatalf("err = %v, want ErrLimitOrder", err)
	}
}

// TestAskDropsToLimit: a resting buy at 100.00 fills when sellers show at
// 100.00: for the size newly shown at or below our price (50 at t=3, none
// at t=4 where the ask is unchanged, 120 − 50 = 70 more at t=5, of which we
// need 50).
func TestAskDropsToLimit(t *testing.T) {
	rows := []sor.Row{
		book(1, 'A', 'B', px(10000), 300, px(10000), 300, px(10001), 200),
		book(2, 'C', 'B', px(10000), 300, px(9999), 100, px(10001), 200), // level gone by cancels: ahead 0
		book(3, 'A', 'A', px(10000), 50, px(9999), 100, px(10000), 50),   // ask 100.00 <= our limit
		book(4, 'A', 'B', px(9999), 20, px(9999), 120, px(10000), 50),    // same ask: nothing new
		book(5, 'A', 'A', px(10000), 70, px(9999), 120, px(10000), 120),  // 70 more sellers at 100.00
	}
	post := script{1: {{Kind: Limit, Venue: 1, Shares: 100, Price: px(10000)}}}
	res, err := Backtest(rows, sor.Window{}, Config{OrderSize: 100, Venues: testVenues, Fills: Queue{RiskAverseQueue{}}}, post)
	if err != nil {
		t.Fatal(err)
	}
	sameFills(t, "ask drop", fillsOf(res), []fillAt{{3, 50, px(10000), true}, {5, 50, px(10000), true}})
}

// TestCancelStopsFills: an order cancelled at t=3 is not filled by the
// trade-through at t=7.
func TestCancelStopsFills(t *testing.T) {
	s := script{
		1: {{Kind: Limit, Venue: 1, Shares: 200, Price: px(10000)}},
		3: {{Kind: Cancel, ID: 1}},
	}
	res, err := Backtest(queueRows(), sor.Window{}, Config{OrderSize: 200, Venues: testVenues, Fills: Queue{RiskAverseQueue{}}}, s)
	if err != nil {
		t.Fatal(err)
	}
	if res.Filled != 0 || res.Cancels != 1 || res.Orders != 1 {
		t.Fatalf("filled %d cancels %d orders %d, want 0 1 1", res.Filled, res.Cancels, res.Orders)
	}
}

// TestLatencySlippage: a market order for 300 decided at t=10 against an ask
// of 100.01 × 200 arrives at t=15 (5 ns latency); at t=12 the ask moved to
// 100.02 × 100. It takes the 100 shown at 100.02 (slippage 0.01 a share,
// $1 in all) and the rest is cancelled.
func TestLatencySlippage(t *testing.T) {
	rows := []sor.Row{
		book(10, 'A', 'A', px(10001), 200, px(10000), 300, px(10001), 200),
		book(12, 'T', 'B', px(10001), 200, px(10000), 300, px(10002), 100),
		book(20, 'A', 'B', px(10000), 100, px(10000), 400, px(10002), 100),
	}
	s := script{10: {{Kind: Market, Venue: 1, Shares: 300, Price: px(10001)}}}
	res, err := Backtest(rows, sor.Window{}, Config{OrderSize: 300, Venues: testVenues, Latency: ConstantLatency(5)}, s)
	if err != nil {
		t.Fatal(err)
	}
	sameFills(t, "latency", fillsOf(res), []fillAt{{15, 100, px(10002), false}})
	if res.SlippageCash != sor.Dollar || res.Cancels != 1 {
		t.Errorf("slippage %v cancels %d, want 1 and 1", res.SlippageCash, res.Cancels)
	}
	if got := res.Slippage(); !near(got, 0.01) {
		t.Errorf("slippage per share %v, want 0.01", got)
	}
	// 100·(100.02 + 0.003) = 10,002.30
	if want := 100 * (px(10002) + 3*sor.Cent/10); res.Cash != want {
		t.Errorf("cash %v, want %v", res.Cash, want)
	}
}

// TestDepletedQuote: two market orders of 150 against an ask of 200 with no
// new row in between: the second gets only the 50 the first left.
func TestDepletedQuote(t *testing.T) {
	rows := []sor.Row{
		book(10, 'A', 'A', px(10001), 200, px(10000), 300, px(10001), 200),
		{TsEvent: 11, PublisherID: 2, Action: 'A', Side: 'B', BidPx: px(9990), BidSz: 100, AskPx: px(10010), AskSz: 100},
		book(12, 'A', 'B', px(10000), 100, px(10000), 400, px(10001), 200), // a new row: the quote is whole again
	}
	s := script{
		10: {{Kind: Market, Venue: 1, Shares: 150}},
		11: {{Kind: Market, Venue: 1, Shares: 150}},
		12: {{Kind: Market, Venue: 1, Shares: 150}},
	}
	res, err := Backtest(rows, sor.Window{}, Config{OrderSize: 1000, Venues: testVenues}, s)
	if err != nil {
		t.Fatal(err)
	}
	sameFills(t, "depletion", fillsOf(res), []fillAt{{10, 150, px(10001), false}, {11, 50, px(10001), false}, {12, 150, px(10001), false}})
}

// TestMarketableLimit: a limit buy at 100.00 decided when the ask was 100.01
// arrives (5 ns later) after the ask fell to 100.00 × 50: it takes the 50 as a
// taker at 100.00 + fee and the other 150 rest at 100.00 above the 99.99 bid,
// with nobody ahead. At t=20 a sell of 10 at 99.99 trades through (10 for
// us; the unchanged ask of 50 is not new); at t=21 30 more sellers show at
// 100.00 (30 for us). 90 of 200 filled.
func TestMarketableLimit(t *testing.T) {
	rows := []sor.Row{
		book(1, 'A', 'B', px(10000), 300, px(10000), 300, px(10001), 200),
		book(3, 'C', 'B', px(10000), 300, px(9999), 100, px(10000), 50),
		book(20, 'T', 'A', px(9999), 10, px(9999), 90, px(10000), 50),
		book(21, 'A', 'A', px(10000), 30, px(9999), 90, px(10000), 80),
	}
	s := script{1: {{Kind: Limit, Venue: 1, Shares: 200, Price: px(10000)}}}
	res, err := Backtest(rows, sor.Window{}, Config{OrderSize: 200, Venues: testVenues, Fills: Queue{RiskAverseQueue{}}, Latency: ConstantLatency(5)}, s)
	if err != nil {
		t.Fatal(err)
	}
	sameFills(t, "marketable", fillsOf(res), []fillAt{{6, 50, px(10000), false}, {20, 10, px(10000), true}, {21, 30, px(10000), true}})
	// 50·100.003 + 40·99.998 = 5,000.15 + 3,999.92
	if want := 50*(px(10000)+3*sor.Cent/10) + 40*(px(10000)-2*sor.Cent/10); res.Cash != want {
		t.Errorf("cash %v, want %v", res.Cash, want)
	}
}

// TestAskRisesBelowLimit: a buy of 100 at 100.00 rests above the 99.90 bid.
// Every level shown at or below 100.00 is sellers it would have met,
// whether the ask fell or rose to it: 30 at 99.98 (t=2), 20 at 99.99 when
// the ask rises (t=3), nothing when that level shows again unchanged (t=4),
// 10 at 100.00 when it rises again (t=5); at 100.01 (t=6) nothing.
func TestAskRisesBelowLimit(t *testing.T) {
	rows := []sor.Row{
		book(1, 'A', 'B', px(9990), 100, px(9990), 100, px(10001), 200),
		book(2, 'A', 'A', px(9998), 30, px(9990), 100, px(9998), 30),
		book(3, 'C', 'A', px(9998), 30, px(9990), 100, px(9999), 20),
		book(4, 'A', 'B', px(9990), 10, px(9990), 110, px(9999), 20),
		book(5, 'C', 'A', px(9999), 20, px(9990), 110, px(10000), 10),
		book(6, 'C', 'A', px(10000), 10, px(9990), 110, px(10001), 200),
	}
	post := script{1: {{Kind: Limit, Venue: 1, Shares: 100, Price: px(10000)}}}
	for _, m := range []QueueModel{RiskAverseQueue{}, ProbQueue{Prob: PowerProb{2}}} {
		res, err := Backtest(rows, sor.Window{}, Config{OrderSize: 100, Fills: Queue{m}}, post)
		if err != nil {
			t.Fatal(err)
		}
		sameFills(t, m.String(), fillsOf(res), []fillAt{{2, 30, px(10000), true}, {3, 20, px(10000), true}, {5, 10, px(10000), true}})
	}
}
