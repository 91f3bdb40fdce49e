package replay

import (
	"testing"

	"github.com/sorlab/sorlab/sor"
)

// The fill rules of issue 13, each on the event sequence. Every
// case failed before the rule was fixed (the "before" numbers in the
// comments are what the engine gave then).

// TestOnlySellPrintsFillBuys: bid 99.98, we rest 300 at 100.00 above it
// (nobody ahead). At t=2 the ask falls to 99.99 x 100: those sellers would
// have met our buy (rule 4): 100 filled. At t=3 another buyer lifts the 100
// at 99.99. That print is below our price, but it is a buy (it traded at the
// ask): it cannot have hit our bid. 100 filled in all (before: 200, the print
// was taken for a trade-through).
func TestOnlySellPrintsFillBuys(t *testing.T) {
	rows := []sor.Row{
		book(1, 'A', 'B', px(9998), 200, px(9998), 200, px(10002), 300),
		book(2, 'A', 'A', px(9999), 100, px(9998), 200, px(9999), 100),
		book(3, 'T', 'B', px(9999), 100, px(9998), 200, px(10002), 300),
		book(4, 'A', 'B', px(9998), 10, px(9998), 210, px(10002), 300),
	}
	post := script{1: {{Kind: Limit, Venue: 1, Shares: 300, Price: px(10000)}}}
	for _, m := range []QueueModel{RiskAverseQueue{}, ProbQueue{Prob: PowerProb{N: 1}}} {
		res, err := Backtest(rows, sor.Window{}, Config{OrderSize: 300, Fills: Queue{m}}, post)
		if err != nil {
			t.Fatal(err)
		}
		sameFills(t, m.String(), fillsOf(res), []fillAt{{2, 100, px(10000), true}})
	}
}

// TestTakerSeesPendingBuys: Databento writes a trade row with the book
// before the trade. At t=2 a buyer lifts 100 of the 300 shown at 100.01; the
// row still shows 300. Our market buy of 300 decided at t=2 can take only the
// 200 left (before: 300, the 100 another buyer had just taken included).
// Written the other way (the book after the trade, as sor/sim does) the row
// shows 200 and the answer is the same.
func TestTakerSeesPendingBuys(t *testing.T) {
	before := []sor.Row{
		book(1, 'A', 'A', px(10001), 300, px(10000), 300, px(10001), 300),
		book(2, 'T', 'B', px(10001), 100, px(10000), 300, px(10001), 300),
		book(3, 'C', 'A', px(10001), 100, px(10000), 300, px(10001), 200),
	}
	after := []sor.Row{
		book(1, 'A', 'A', px(10001), 300, px(10000), 300, px(10001), 300),
		book(2, 'T', 'B', px(10001), 100, px(10000), 300, px(10001), 200),
		book(3, 'A', 'B', px(10000), 10, px(10000), 310, px(10001), 200),
	}
	buy := script{2: {{Kind: Market, Venue: 1, Shares: 300}}}
	for name, rows := range map[string][]sor.Row{"book before the trade": before, "book after the trade": after} {
		res, err := Backtest(rows, sor.Window{}, Config{OrderSize: 300, Fills: Queue{RiskAverseQueue{}}}, buy)
		if err != nil {
			t.Fatal(err)
		}
		sameFills(t, name, fillsOf(res), []fillAt{{2, 200, px(10001), false}})
		if res.Cancels != 1 {
			t.Errorf("%s: %d cancels, want 1 (the 100 not shown are cancelled)", name, res.Cancels)
		}
	}
}

// TestClearKeepsQueue: we join 100 behind 300 at 100.00; a clear (R: the
// venue's book is empty) arrives, the book is rebuilt at 300, and a sell of
// 100 prints: 200 are still ahead of us, nothing fills (before: the clear
// sent us to the front, and the sell filled 100). An empty bid without a
// clear is the same: the level is gone from the feed, not from the queue.
func TestClearKeepsQueue(t *testing.T) {
	clear := book(2, 'R', 'N', sor.NoPrice, 0, sor.NoPrice, 0, sor.NoPrice, 0)
	empty := book(2, 'C', 'B', px(10000), 300, sor.NoPrice, 0, px(10001), 200)
	for name, gap := range map[string]sor.Row{"clear": clear, "empty bid": empty} {
		rows := []sor.Row{
			book(1, 'A', 'B', px(10000), 300, px(10000), 300, px(10001), 200),
			gap,
			book(3, 'A', 'B', px(10000), 300, px(10000), 300, px(10001), 200),
			book(4, 'T', 'A', px(10000), 100, px(10000), 200, px(10001), 200),
			book(5, 'A', 'A', px(10001), 10, px(10000), 200, px(10001), 210),
		}
		for _, m := range []QueueModel{RiskAverseQueue{}, ProbQueue{Prob: PowerProb{N: 2}}} {
			p := &probe{script: script{1: {{Kind: Limit, Venue: 1, Shares: 100, Price: px(10000)}}}}
			res, err := Backtest(rows, sor.Window{}, Config{OrderSize: 100, Fills: Queue{m}}, p)
			if err != nil {
				t.Fatal(err)
			}
			sameFills(t, name+" "+m.String(), fillsOf(res), nil)
			if len(p.open) != 1 || p.open[0].Ahead != 200 {
				t.Errorf("%s %v: open orders %+v, want one with 200 ahead", name, m, p.open)
			}
		}
	}
	// A rebuild smaller than the estimate caps it: 300 ahead, the book comes
	// back at 150, a sell of 100 leaves 50 ahead.
	rows := []sor.Row{
		book(1, 'A', 'B', px(10000), 300, px(10000), 300, px(10001), 200),
		clear,
		book(3, 'A', 'B', px(10000), 150, px(10000), 150, px(10001), 200),
		book(4, 'T', 'A', px(10000), 100, px(10000), 50, px(10001), 200),
	}
	p := &probe{script: script{1: {{Kind: Limit, Venue: 1, Shares: 100, Price: px(10000)}}}}
	if _, err := Backtest(rows, sor.Window{}, Config{OrderSize: 100, Fills: Queue{RiskAverseQueue{}}}, p); err != nil {
		t.Fatal(err)
	}
	if len(p.open) != 1 || p.open[0].Ahead != 50 {
		t.Errorf("capped rebuild: open orders %+v, want one with 50 ahead", p.open)
	}
}

// TestOrdersSharePrints: two of our buys of 100 rest at 100.00 (order 1 sent
// at t=1, order 2 at t=2); the level is cancelled away at t=3, so both are at
// the front. At t=4 a sell of 150 prints at 99.99, through our price: it
// meets order 1 first (100), then order 2 (50). Before: each order was
// credited the whole print, 200 shares from a print of 150. The same holds
// for sellers that show at or below our price (rule 4): 150 new at 99.99.
func TestOrdersSharePrints(t *testing.T) {
	head := []sor.Row{
		book(1, 'A', 'B', px(10000), 100, px(10000), 100, px(10001), 500),
		book(2, 'A', 'A', px(10001), 100, px(10000), 100, px(10001), 600),
		book(3, 'C', 'B', px(10000), 100, px(9999), 300, px(10001), 600),
	}
	through := book(4, 'T', 'A', px(9999), 150, px(9999), 150, px(10001), 600)
	sellers := book(4, 'A', 'A', px(9999), 150, px(9998), 300, px(9999), 150)
	two := script{
		1: {{Kind: Limit, Venue: 1, Shares: 100, Price: px(10000)}},
		2: {{Kind: Limit, Venue: 1, Shares: 100, Price: px(10000)}},
	}
	for name, last := range map[string]sor.Row{"trade through": through, "sellers at our price": sellers} {
		rows := append(append([]sor.Row{}, head...), last)
		res, err := Backtest(rows, sor.Window{}, Config{OrderSize: 200, Fills: Queue{RiskAverseQueue{}}}, two)
		if err != nil {
			t.Fatal(err)
		}
		sameFills(t, name, fillsOf(res), []fillAt{{4, 100, px(10000), true}, {4, 50, px(10000), true}})
		if got := []int{res.Info[0].OrderID, res.Info[1].OrderID}; got[0] != 1 || got[1] != 2 {
			t.Errorf("%s: fills of orders %v, want [1 2] (time priority)", name, got)
		}
	}
	// At one price, a print reaches order 2 only after order 1: both join
	// behind the 100 shown; a sell of 150 takes those 100, then 50 of order 1,
	// and none of order 2 (before: 50 of order 2 as well).
	rows := []sor.Row{
		book(1, 'A', 'B', px(10000), 100, px(10000), 100, px(10001), 500),
		book(2, 'A', 'A', px(10001), 100, px(10000), 100, px(10001), 600),
		book(3, 'T', 'A', px(10000), 150, px(9999), 300, px(10001), 600),
	}
	res, err := Backtest(rows, sor.Window{}, Config{OrderSize: 200, Fills: Queue{RiskAverseQueue{}}}, two)
	if err != nil {
		t.Fatal(err)
	}
	sameFills(t, "same level", fillsOf(res), []fillAt{{3, 50, px(10000), true}})
}

// TestPendingCarriedUntilSizeChanges: Databento rows in which two sells of
// 100 print before the book shows either (both trade rows still show 400),
// then one row shows the level at 200. The decrease of 200 is the two
// trades, not a cancellation: a buy that joined 400 stays 200 from the front
// under every model (before: only the last row's trade was still pending,
// 100 of the decrease counted as cancelled, and power1 moved the order to
// 133.3 ahead; the sell of 150 at t=5 then filled 16 shares).
func TestPendingCarriedUntilSizeChanges(t *testing.T) {
	rows := []sor.Row{
		book(1, 'A', 'B', px(10000), 400, px(10000), 400, px(10002), 100),
		book(2, 'T', 'A', px(10000), 100, px(10000), 400, px(10002), 100),
		book(3, 'T', 'A', px(10000), 100, px(10000), 400, px(10002), 100),
		book(4, 'C', 'B', px(10000), 200, px(10000), 200, px(10002), 100),
		book(5, 'T', 'A', px(10000), 150, px(10000), 200, px(10002), 100),
		book(6, 'C', 'B', px(10000), 150, px(10000), 50, px(10002), 100),
	}
	for _, m := range []QueueModel{RiskAverseQueue{}, ProbQueue{Prob: PowerProb{N: 1}}, ProbQueue{Prob: LogProb{}}} {
		p := &probe{script: script{1: {{Kind: Limit, Venue: 1, Shares: 100, Price: px(10000)}}}}
		res, err := Backtest(rows, sor.Window{}, Config{OrderSize: 100, Fills: Queue{m}}, p)
		if err != nil {
			t.Fatal(err)
		}
		sameFills(t, m.String(), fillsOf(res), nil)
		if len(p.open) != 1 || p.open[0].Ahead != 50 {
			t.Errorf("%v: open orders %+v, want one with 50 ahead", m, p.open)
		}
	}
}
