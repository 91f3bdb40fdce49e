package replay

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sorlab/sorlab/sor"
)

// watcher records what it sees at each decision and buys 100 shares at
// venue 1 the first time it sees an ask there.
type watcher struct {
	seen   []string
	bought bool
}

func (w *watcher) Name() string      { return "watcher" }
func (w *watcher) Start(Setup) error { w.seen, w.bought = nil, false; return nil }
func (w *watcher) Decide(v *View) ([]Order, error) {
	var rows []string
	for _, r := range v.Rows {
		rows = append(rows, fmt.Sprintf("%d@%d", r.PublisherID, r.TsEvent))
	}
	var quotes []string
	for _, q := range v.Quotes {
		quotes = append(quotes, fmt.Sprintf("%d:%v×%d", q.Venue, q.Ask, q.AskSize))
	}
	w.seen = append(w.seen, fmt.Sprintf("t=%d rows %s quotes %s", v.Time, strings.Join(rows, ","), strings.Join(quotes, " ")))
	if q, ok := v.Quote(1); ok && !w.bought && q.Ask != sor.NoPrice {
		w.bought = true
		return []Order{{Kind: Market, Venue: 1, Shares: 100, Price: q.Ask}}, nil
	}
	return nil, nil
}

// TestFeedDelay: venue 1 quotes 100.01 at t=10, but the row reaches us at
// t=20; by then the ask has moved to 100.03 (t=15, received at t=35). Venue
// 2's row of t=12 arrives at t=13, before venue 1's. Deciding on ts_recv,
// the strategy sees venue 2 at t=13, venue 1's 100.01 at t=20, and its
// market order, arriving at once, buys at the 100.03 the market shows at
// t=20: two cents of slippage. When the row of t=15 shows at t=35, its 100
// shares are the ones the order took (the depletion rule follows the row,
// not the time it was seen). Without the delay it buys at 100.01 at t=10.
func TestFeedDelay(t *testing.T) {
	row := func(ts, recv int64, venue int, ask sor.Money) sor.Row {
		return sor.Row{TsEvent: ts, TsRecv: recv, PublisherID: venue, Action: 'A', Side: 'A', Price: ask, Size: 100,
			BidPx: px(10000), BidSz: 100, AskPx: ask, AskSz: 100}
	}
	rows := []sor.Row{
		row(10, 20, 1, px(10001)),
		row(12, 13, 2, px(10010)),
		row(15, 35, 1, px(10003)),
		row(50, 50, 2, px(10011)),
	}
	cases := []struct {
		delay bool
		seen  []string
		fill  fillAt
	}{
		{false, []string{
			"t=10 rows 1@10 quotes 1:100.01×100",
			"t=12 rows 2@12 quotes 1:100.01×0 2:100.1×100",
			"t=15 rows 1@15 quotes 1:100.03×100 2:100.1×100",
			"t=50 rows 2@50 quotes 1:100.03×100 2:100.11×100",
		}, fillAt{10, 100, px(10001), false}},
		{true, []string{
			"t=13 rows 2@12 quotes 2:100.1×100",
			"t=20 rows 1@10 quotes 1:100.01×100 2:100.1×100",
			"t=35 rows 1@15 quotes 1:100.03×0 2:100.1×100",
			"t=50 rows 2@50 quotes 1:100.03×0 2:100.11×100",
		}, fillAt{20, 100, px(10003), false}},
	}
	for _, c := range cases {
		w := &watcher{}
		res, err := Backtest(rows, sor.Window{}, Config{OrderSize: 200, FeedDelay: c.delay}, w)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(w.seen, "\n") != strings.Join(c.seen, "\n") {
			t.Errorf("delay %v: saw\n%s\nwant\n%s", c.delay, strings.Join(w.seen, "\n"), strings.Join(c.seen, "\n"))
		}
		sameFills(t, fmt.Sprint("delay ", c.delay), fillsOf(res), []fillAt{c.fill})
		if want := sor.Money(100) * (c.fill.price - px(10001)); res.SlippageCash != want {
			t.Errorf("delay %v: slippage %v, want %v", c.delay, res.SlippageCash, want)
		}
	}
	noRecv := append([]sor.Row{}, rows...)
	noRecv[2].TsRecv, noRecv[2].Line = 0, 4
	if _, err := Backtest(noRecv, sor.Window{}, Config{OrderSize: 200, FeedDelay: true}, &watcher{}); err == nil ||
		!strings.Contains(err.Error(), "feed delay: the row at line 4 has no ts_recv") {
		t.Errorf("err = %v, want the row without ts_recv named", err)
	}
}
