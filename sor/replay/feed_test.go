package replay

import (
	"testing"

	"github.com/sorlab/sorlab/sor"
)

// TestFeedEvents: what each row of a Databento-style sequence (trade rows
// show the book before their trade) is at venue 1's bid and ask.
func TestFeedEvents(t *testing.T) {
	cases := []struct {
		row  sor.Row
		want QueueEvent // Row and Before are not compared
		buys int64      // PendingBuys at 100.02 after the row
		how  string
	}{
		{book(1, 'A', 'B', px(10000), 400, px(10000), 400, px(10002), 100), QueueEvent{Live: 400, Offered: 100}, 0,
			"first row: the whole ask is new"},
		{book(2, 'T', 'A', px(10000), 100, px(10000), 400, px(10002), 100), QueueEvent{Sell: 100, Live: 300}, 0,
			"a sell at the bid, not shown yet: 100 pending"},
		{book(3, 'T', 'A', px(10000), 50, px(10000), 400, px(10002), 100), QueueEvent{Sell: 50, Live: 250}, 0,
			"another, still not shown: 150 pending (carried: the size did not change)"},
		{book(4, 'C', 'B', px(10000), 230, px(10000), 170, px(10002), 100), QueueEvent{Cancelled: 80, Live: 170}, 0,
			"400 → 170: 150 traded, 80 cancelled"},
		{book(5, 'T', 'B', px(10002), 60, px(10000), 170, px(10002), 100), QueueEvent{Live: 170}, 60,
			"a buy at the ask: not a sell, 60 pending at the ask"},
		{book(6, 'A', 'A', px(10002), 30, px(10000), 170, px(10002), 70), QueueEvent{Live: 170}, 0,
			"100 → 70: the 60 bought and 30 added"},
		{book(7, 'T', 'A', px(9999), 20, px(10000), 170, px(10002), 70), QueueEvent{Sell: 20, Live: 170}, 0,
			"a sell below the bid (hidden liquidity): a print, not pending at the bid"},
		{book(8, 'A', 'A', px(10001), 40, px(10000), 170, px(10001), 40), QueueEvent{Live: 170, Offered: 40}, 0,
			"a new ask price: its whole size is new"},
		{book(9, 'R', 'N', sor.NoPrice, 0, sor.NoPrice, 0, sor.NoPrice, 0), QueueEvent{Clear: true}, 0,
			"a clear"},
	}
	var f Feed
	for _, c := range cases {
		r := c.row
		ev := f.Step(&r)
		ev.Row, ev.Before = nil, sor.Quote{}
		if ev != c.want {
			t.Errorf("t=%d (%s): %+v, want %+v", r.TsEvent, c.how, ev, c.want)
		}
		if got := f.PendingBuys(1, px(10002)); got != c.buys {
			t.Errorf("t=%d (%s): %d pending buys, want %d", r.TsEvent, c.how, got, c.buys)
		}
	}
	if bid, live := f.Bid(2); bid != sor.NoPrice || live != 0 {
		t.Errorf("unseen venue: bid %v live %d", bid, live)
	}
}
