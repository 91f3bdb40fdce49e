package replay

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor"
)

// delays is a latency model that returns the given delays in turn, then the
// last one forever.
type delays struct {
	d []int64
	i *int
}

func newDelays(d ...int64) delays { return delays{d: d, i: new(int)} }

func (s delays) Delay(*rand.Rand) int64 {
	v := s.d[min(*s.i, len(s.d)-1)]
	*s.i++
	return v
}
func (s delays) String() string { return "delays" }

// TestCancelBeforeOrder: a limit buy of 100 at 100.00 sent at t=1 arrives at
// t=11; its cancel, sent at t=2, arrives at t=2, before the order: the venue
// rejects it (not a cancel), the order rests, and the trade-through at t=20
// fills it. A second cancel, sent when the strategy learns of the rejection,
// works.
func TestCancelBeforeOrder(t *testing.T) {
	rows := []sor.Row{
		book(1, 'A', 'B', px(10000), 10, px(10000), 10, px(10002), 36),
		book(2, 'A', 'B', px(10000), 10, px(10000), 20, px(10002), 36),
		book(12, 'A', 'B', px(10000), 10, px(10000), 30, px(10002), 36),
		book(20, 'T', 'A', px(9999), 100, px(9999), 10, px(10002), 36),
	}
	limit := Order{Kind: Limit, Venue: 1, Shares: 100, Price: px(10000)}
	cancel := Order{Kind: Cancel, ID: 1}
	cases := []struct {
		name     string
		s        Strategy
		want     []fillAt
		cancels  int
		rejected int
	}{
		{"cancel overtakes its order", script{1: {limit}, 2: {cancel}}, []fillAt{{20, 100, px(10000), true}}, 0, 1},
		{"cancelled again after the rejection", &resend{script: script{1: {limit}, 2: {cancel}}}, nil, 1, 1},
	}
	for _, c := range cases {
		res, err := Backtest(rows, sor.Window{}, Config{OrderSize: 100, Fills: Queue{RiskAverseQueue{}}, Latency: newDelays(10, 0)}, c.s)
		if err != nil {
			t.Fatal(err)
		}
		sameFills(t, c.name, fillsOf(res), c.want)
		if res.Cancels != c.cancels || res.Rejected != c.rejected {
			t.Errorf("%s: cancels %d rejected %d, want %d and %d", c.name, res.Cancels, res.Rejected, c.cancels, c.rejected)
		}
	}
}

// resend follows a script and cancels again the orders whose cancels were
// rejected, once they rest.
type resend struct {
	script
	again []int
}

func (r *resend) Decide(v *View) ([]Order, error) {
	out := r.script[v.Time]
	r.again = append(r.again, v.Rejected...)
	var keep []int
	for _, id := range r.again {
		resting := false
		for _, o := range v.Open {
			resting = resting || (o.ID == id && o.Resting)
		}
		if resting {
			out = append(out, Order{Kind: Cancel, ID: id})
		} else {
			keep = append(keep, id)
		}
	}
	r.again = keep
	return out, nil
}

// TestCKRouterResendsRejectedCancel: in the quiet market the router's first
// limit order takes 15 ns to arrive and every other message none; the cancel
// of the first horizon (t=1010) overtakes it and is rejected. The router
// sends it again at the next decision points until it sticks: every limit
// order ends cancelled, none fills.
func TestCKRouterResendsRejectedCancel(t *testing.T) {
	venues := sor.Venues{
		1: {PublisherID: 1, Fee: 3 * sor.Cent / 10, Rebate: 2 * sor.Cent / 10},
		2: {PublisherID: 2, Fee: 3 * sor.Cent / 10, Rebate: 2 * sor.Cent / 10},
	}
	r := &CKRouter{Horizon: 10, LambdaUnder: sor.Cent, LambdaOver: 5 * sor.Cent, MinWindows: 100}
	res, err := Backtest(quietRows(), sor.Window{}, Config{OrderSize: 300, Venues: venues, Fills: Queue{RiskAverseQueue{}}, Latency: newDelays(15, 0)}, r)
	if err != nil {
		t.Fatal(err)
	}
	var limits int
	for _, s := range res.Sent {
		if s.Kind == Limit {
			limits++
		}
	}
	if res.Rejected == 0 || res.Sent[0].Kind != Limit {
		t.Fatalf("rejected %d, first message %+v: want a limit order whose cancel is rejected", res.Rejected, res.Sent[0])
	}
	if res.Cancels != limits || res.MakerShares != 0 || res.Filled != 300 {
		t.Errorf("%d cancels for %d limit orders, maker %d, filled %d: want every limit cancelled, 0 and 300", res.Cancels, limits, res.MakerShares, res.Filled)
	}
}

// TestHugeLatency: a market order for 50 decided at 2024-08-01 against an
// ask of 100.02 arrives after the data ends under any latency beyond 2 s,
// and takes the last ask, 100.05. 2,500,000 h (which overflows int64 when
// added to the time) behaves like 1,000 h, and a uniform latency over all of
// [0, MaxInt64] does not panic.
func TestHugeLatency(t *testing.T) {
	const t0 = 1722519392_000000000 // 2024-08-01T13:36:32Z
	rows := []sor.Row{
		{TsEvent: t0, PublisherID: 1, BidPx: px(10000), BidSz: 100, AskPx: px(10002), AskSz: 100},
		{TsEvent: t0 + 1e9, PublisherID: 1, BidPx: px(10001), BidSz: 100, AskPx: px(10004), AskSz: 100},
		{TsEvent: t0 + 2e9, PublisherID: 1, BidPx: px(10003), BidSz: 100, AskPx: px(10005), AskSz: 100},
	}
	s := script{t0: {{Kind: Market, Venue: 1, Shares: 50}}}
	for _, l := range []LatencyModel{
		ConstantLatency(1000 * time.Hour),
		ConstantLatency(2_500_000 * time.Hour),
		ConstantLatency(math.MaxInt64),
		UniformLatency{Min: 0, Max: math.MaxInt64},
	} {
		res, err := Backtest(rows, sor.Window{}, Config{OrderSize: 50, Latency: l, Seed: 1}, s)
		if err != nil {
			t.Fatal(err)
		}
		if res.Filled != 50 || len(res.Details()) != 1 || res.Details()[0].Price != px(10005) || res.Cash != 50*px(10005) || res.Details()[0].Time < t0+2e9 {
			t.Errorf("%v: filled %d cash %v fills %+v, want 50 at 100.05 after the data", l, res.Filled, res.Cash, res.Details())
		}
	}
}

// TestRouterOddLotUnderLatency is the failure the sweep audit found
// (backtest -latency on a simulated day: "router at …: order size must be a
// positive multiple of 100, got 13"): a market order that fills in part
// leaves the static router an odd remainder. The router sends 200 at t=1
// (ask 100.00 x 200); the order arrives at t=6, after the row at t=3 shrank
// the ask to 150: it fills 150 and 50 are left, which the router buys at
// t=10 at the new ask, 100.01 x 100 (arriving at t=15, after the data,
// against the last book). Cash 150·100.00 + 50·100.01 = 20,000.50.
func TestRouterOddLotUnderLatency(t *testing.T) {
	rows := []sor.Row{
		book(1, 'A', 'A', px(10000), 200, px(9999), 100, px(10000), 200),
		book(3, 'C', 'A', px(10000), 50, px(9999), 100, px(10000), 150),
		book(10, 'A', 'A', px(10001), 100, px(9999), 100, px(10001), 100),
	}
	res, err := Backtest(rows, sor.Window{}, Config{OrderSize: 200, Latency: ConstantLatency(5)}, &Baseline{S: &sor.Router{}})
	if err != nil {
		t.Fatal(err)
	}
	sameFills(t, "router", fillsOf(res), []fillAt{{6, 150, px(10000), false}, {15, 50, px(10001), false}})
	if want := 2_000_050 * sor.Cent; res.Cash != want {
		t.Errorf("cash %v, want %v", res.Cash, want)
	}
}

// TestStrategyError: an order the engine refuses stops the run with a
// StrategyError naming the strategy and the decision's time (the command
// line exits 1 for it: the fault is the program's); a row without ts_recv
// under a feed delay is the data's fault, not a StrategyError.
func TestStrategyError(t *testing.T) {
	rows := []sor.Row{book(1, 'A', 'A', px(10000), 100, px(9999), 100, px(10000), 100)}
	_, err := Backtest(rows, sor.Window{}, Config{OrderSize: 100}, script{1: {{Kind: Market, Venue: 7, Shares: 100}}})
	var se *StrategyError
	if !errors.As(err, &se) || se.Strategy != "script" || se.Time != 1 || err.Error() != "script at "+sor.RFC3339(1)+": order to unknown venue 7" {
		t.Errorf("err = %v (%#v), want a StrategyError of script at t=1", err, se)
	}
	_, err = Backtest(rows, sor.Window{}, Config{OrderSize: 100, FeedDelay: true}, script{})
	if err == nil || errors.As(err, &se) {
		t.Errorf("err = %v, want the data's error, not a StrategyError", err)
	}
	// A limit price whose cash does not fit the exact arithmetic: the
	// input's prices (or a venue table's rebate) are at fault.
	huge := script{1: {{Kind: Limit, Venue: 1, Shares: 100, Price: math.MaxInt64 / 2}}}
	_, err = Backtest(rows, sor.Window{}, Config{OrderSize: 100, Fills: Queue{RiskAverseQueue{}}}, huge)
	if err == nil || !strings.Contains(err.Error(), "too large for exact money arithmetic") || errors.As(err, &se) {
		t.Errorf("err = %v, want the money range's error, not a StrategyError", err)
	}
}
