package replay

import (
	"math"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor"
)

// TestMarkouts: a market buy of 100 at venue 1's ask, 100.02, at t=10
// completes the order; the engine goes on reading the market for the mids
// after it. The consolidated mid:
//
//	t=10  bids 100.00 (1), 99.99 (2); asks 100.02 (1), 100.03 (2): 100.01
//	t=12  venue 1 moves to 100.01 / 100.03:                       100.02
//	t=20  venue 2 moves to 100.05 / 100.07 (crossed, still a mid):  (100.05 + 100.03)/2 = 100.04
//	t=40  the last row
//
// so mid(10 + h) − 100.02 is −0.01 at h = 0, 0 at h = 5 ns (the book after
// t=12), +0.02 at h = 20 ns (after t=20) and unknown at h = 50 ns (past the
// data).
func TestMarkouts(t *testing.T) {
	q := func(ts int64, venue int, bid, ask sor.Money) sor.Row {
		return sor.Row{TsEvent: ts, PublisherID: venue, Action: 'A', Side: 'B', Price: bid, Size: 100, BidPx: bid, BidSz: 100, AskPx: ask, AskSz: 100}
	}
	rows := []sor.Row{
		q(10, 1, px(10000), px(10002)),
		q(10, 2, px(9999), px(10003)),
		q(12, 1, px(10001), px(10003)),
		q(20, 2, px(10005), px(10007)),
		q(40, 1, px(10001), px(10003)),
	}
	cfg := Config{OrderSize: 100, Markouts: []time.Duration{0, 5, 20, 50}}
	res, err := Backtest(rows, sor.Window{}, cfg, script{10: {{Kind: Market, Venue: 1, Shares: 100}}})
	if err != nil {
		t.Fatal(err)
	}
	sameFills(t, "markouts", fillsOf(res), []fillAt{{10, 100, px(10002), false}})
	want := []float64{100.01, 100.02, 100.04, math.NaN()}
	for k, w := range want {
		got := res.MidAfter[k][0]
		if !(near(got, w) || math.IsNaN(w) && math.IsNaN(got)) {
			t.Errorf("mid %v after the fill: %v, want %v", cfg.Markouts[k], got, w)
		}
	}
	if _, err := Backtest(rows, sor.Window{}, Config{OrderSize: 100, Markouts: []time.Duration{-1}}, script{}); err == nil {
		t.Error("a negative horizon was accepted")
	}
}
