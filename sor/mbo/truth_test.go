package mbo

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/sorlab/sorlab/sor"
)

// Each case starts from base(): bids at 100.00 of order 1 (200 shares) then
// order 2 (100), so a buy at 100.00 joining at t = 5 has 300 shares ahead;
// a bid at 99.99 of order 5 (400); an ask at 100.01 of order 10 (300).
// The expected fills are worked out in the comments.
var truthCases = []struct {
	name  string
	recs  []sor.MBO
	order Order // Venue pub and Price 100.00 unless set
	want  []Fill
}{
	{
		name: "cancels and executions ahead, then executions behind us fill us",
		recs: cat(
			one(r(10, 'C', 'B', 10000, 200, 1)), // ahead 300 -> 100
			sell(20, 10000, [2]int64{2, 100}),   // hits order 2, ahead of us: ahead 0, nothing for us
			one(r(30, 'A', 'B', 10000, 500, 3)), // joins behind us
			sell(40, 10000, [2]int64{3, 150}),   // 150 at 100.00 behind us: ours
			sell(50, 10000, [2]int64{3, 200}),   // 200 more, we need 150
		),
		order: Order{Shares: 300},
		want:  []Fill{{40, 150, Behind, 12}, {50, 150, Behind, 15}},
	},
	{
		name: "a cancel behind us changes nothing",
		recs: cat(
			one(r(10, 'A', 'B', 10000, 400, 3), r(20, 'C', 'B', 10000, 400, 3)),
			sell(30, 10000, [2]int64{1, 200}, [2]int64{2, 100}), // all ahead of us: nothing
			one(r(40, 'A', 'B', 10000, 100, 4)),
			sell(50, 10000, [2]int64{4, 60}), // behind us with nothing ahead: 60 of our 100
		),
		order: Order{Shares: 100},
		want:  []Fill{{50, 60, Behind, 16}},
	},
	{
		name: "partial executions, and one market order that reaches behind us",
		recs: cat(
			sell(10, 10000, [2]int64{1, 50}), // ahead 300 -> 250
			one(r(20, 'A', 'B', 10000, 300, 3)),
			// 150 + 100 take what is ahead; the next 120 hit order 3, behind us.
			sell(30, 10000, [2]int64{1, 150}, [2]int64{2, 100}, [2]int64{3, 120}),
		),
		order: Order{Shares: 200},
		want:  []Fill{{30, 120, Behind, 17}},
	},
	{
		name: "fills reported before their cancels (trade, fills, then cancels, as at CME)",
		recs: cat(
			sell(10, 10000, [2]int64{1, 50}),
			one(r(20, 'A', 'B', 10000, 300, 3)),
			one(
				r(30, 'T', 'A', 10000, 370, 0),
				r(30, 'F', 'B', 10000, 150, 1), r(30, 'F', 'B', 10000, 100, 2),
				r(30, 'F', 'B', 10000, 120, 3), // orders 1 and 2 are filled already: ahead 0
				r(30, 'C', 'B', 10000, 150, 1), r(30, 'C', 'B', 10000, 100, 2), r(30, 'C', 'B', 10000, 120, 3),
			),
		),
		order: Order{Shares: 200},
		want:  []Fill{{30, 120, Behind, 13}},
	},
	{
		name: "a venue that breaks time priority: an execution behind us while shares are ahead fills nothing",
		recs: cat(
			one(r(10, 'A', 'B', 10000, 300, 3)),
			sell(20, 10000, [2]int64{3, 100}), // order 3 is behind us, 300 shares still ahead
		),
		order: Order{Shares: 100},
	},
	{
		name: "an execution of a hidden order at our price, with no one ahead, is ours",
		recs: one(
			r(10, 'C', 'B', 10000, 200, 1), r(11, 'C', 'B', 10000, 100, 2),
			r(20, 'T', 'A', 10000, 100, 0), r(20, 'F', 'B', 10000, 100, 77), // order 77 was never displayed
		),
		order: Order{Shares: 300},
		want:  []Fill{{20, 100, Behind, 9}},
	},
	{
		name: "a trade through our price fills us",
		recs: cat(
			sell(10, 10000, [2]int64{1, 200}, [2]int64{2, 100}), // the level is gone: we are alone at 100.00
			sell(20, 9999, [2]int64{5, 150}),                    // a sell at 99.99 < 100.00 would have met us: 150
			sell(30, 9999, [2]int64{5, 250}),                    // 250 more, we need 150
		),
		order: Order{Shares: 300},
		want:  []Fill{{20, 150, Through, 12}, {30, 150, Through, 15}},
	},
	{
		name: "the level empties, then sellers post at our price",
		recs: one(
			r(10, 'C', 'B', 10000, 200, 1), r(11, 'C', 'B', 10000, 100, 2), // we are alone at 100.00
			r(12, 'A', 'A', 10000, 100, 11), // an ask at our price: 100
			r(20, 'M', 'A', 10000, 300, 10), // order 10 moves down from 100.01: 300, we need 200
		),
		order: Order{Shares: 300},
		want:  []Fill{{12, 100, Cross, 8}, {20, 200, Cross, 9}},
	},
	{
		name: "a clear keeps the places of the orders that come back with their ids",
		recs: cat(
			one(
				r(10, 'R', 'N', 0, 0, 0),
				r(10, 'A', 'B', 10000, 200, 1), r(10, 'A', 'B', 10000, 100, 2), // still ahead: 300
				r(10, 'A', 'A', 10001, 300, 10), r(10, 'A', 'B', 9999, 400, 5),
				r(20, 'A', 'B', 10000, 200, 7), // behind us
			),
			sell(30, 10000, [2]int64{1, 100}),                                    // ahead 200
			sell(40, 10000, [2]int64{1, 100}, [2]int64{2, 100}, [2]int64{7, 50}), // 50 behind us
		),
		order: Order{Shares: 100},
		want:  []Fill{{40, 50, Behind, 22}},
	},
	{
		name: "after a clear, a new id joins behind us",
		recs: cat(
			one(r(10, 'R', 'N', 0, 0, 0), r(10, 'A', 'B', 10000, 200, 8)),
			sell(30, 10000, [2]int64{8, 100}),
		),
		order: Order{Shares: 100},
		want:  []Fill{{30, 100, Behind, 9}},
	},
	{
		name: "a modify to more shares loses its place, to fewer keeps it",
		recs: cat(
			one(r(10, 'M', 'B', 10000, 300, 1)), // behind us now: ahead 100 (order 2)
			one(r(20, 'M', 'B', 10000, 50, 2)),  // still ahead: 50
			sell(30, 10000, [2]int64{2, 50}, [2]int64{1, 80}),
		),
		order: Order{Shares: 100},
		want:  []Fill{{30, 80, Behind, 12}},
	},
	{
		name: "cancelled before the second fill",
		recs: cat(
			one(r(10, 'C', 'B', 10000, 200, 1)),
			sell(20, 10000, [2]int64{2, 100}),
			one(r(30, 'A', 'B', 10000, 500, 3)),
			sell(40, 10000, [2]int64{3, 150}),
			sell(50, 10000, [2]int64{3, 200}),
		),
		order: Order{Shares: 300, Until: 45},
		want:  []Fill{{40, 150, Behind, 12}},
	},
	{
		name: "records at the join time come before us",
		recs: cat(
			one(r(30, 'A', 'B', 10000, 100, 3)), // at Join: ahead of us
			sell(40, 10000, [2]int64{1, 200}, [2]int64{2, 100}, [2]int64{3, 100}),
			one(r(50, 'A', 'B', 10000, 100, 4)),
			sell(60, 10000, [2]int64{4, 100}),
		),
		order: Order{Shares: 100, Join: 30},
		want:  []Fill{{60, 100, Behind, 18}},
	},
	{
		name: "one nanosecond earlier, the same order is behind us",
		recs: cat(
			one(r(30, 'A', 'B', 10000, 100, 3)),
			sell(40, 10000, [2]int64{1, 200}, [2]int64{2, 100}, [2]int64{3, 100}),
		),
		order: Order{Shares: 100, Join: 29},
		want:  []Fill{{40, 100, Behind, 14}},
	},
	{
		name: "asks at or below our price when we join fill us at once",
		recs: cat(
			sell(10, 10000, [2]int64{1, 100}), // a sell at 100.00 < 100.01
		),
		order: Order{Price: 10001 * sor.Cent, Shares: 500}, // 300 from order 10 at once
		want:  []Fill{{5, 300, Cross, 0}, {10, 100, Through, 6}},
	},
	{
		name: "an ask back after a clear is not new, an ask after the rebuild is",
		recs: one(
			r(10, 'R', 'N', 0, 0, 0), r(10, 'A', 'A', 10001, 300, 10), // order 10 again: filled us at the join
			r(20, 'A', 'A', 10001, 100, 12), // a new seller at our price
		),
		order: Order{Price: 10001 * sor.Cent, Shares: 500},
		want:  []Fill{{5, 300, Cross, 0}, {20, 100, Cross, 8}},
	},
	{
		name: "trades at other venues and fills of asks do not fill a bid",
		recs: cat(
			one(r(10, 'C', 'B', 10000, 200, 1), r(11, 'C', 'B', 10000, 100, 2)),
			one(
				sor.MBO{TsEvent: 20, PublisherID: 2, Action: 'T', Side: 'A', Price: 99 * sor.Dollar, Size: 100, Flags: sor.FlagLast},
				sor.MBO{TsEvent: 21, PublisherID: 2, Action: 'A', Side: 'A', Price: 99 * sor.Dollar, Size: 100, OrderID: 50, Flags: sor.FlagLast},
			),
			one(r(30, 'T', 'B', 10001, 100, 0), r(30, 'F', 'A', 10001, 100, 10), r(30, 'C', 'A', 10001, 100, 10)),
		),
		order: Order{Shares: 100},
	},
}

func TestTruthHandMade(t *testing.T) {
	for _, tc := range truthCases {
		t.Run(tc.name, func(t *testing.T) {
			recs := seq(append(base(), tc.recs...)...)
			o := tc.order
			if o.Venue == 0 {
				o.Venue = pub
			}
			if o.Price == 0 {
				o.Price = 100 * sor.Dollar
			}
			if o.Join == 0 {
				o.Join = 5
			}
			tr, err := Follow(recs, []Order{o})
			if err != nil {
				t.Fatal(err)
			}
			if got := tr.Fills(0); !slices.Equal(got, tc.want) {
				t.Errorf("fills\n got  %v\n want %v", got, tc.want)
			}
			var filled int64
			for _, f := range tc.want {
				filled += f.Shares
			}
			if rem := tr.Remaining(0); rem != o.Shares-filled {
				t.Errorf("remaining %d, want %d", rem, o.Shares-filled)
			}
		})
	}
}

// Every order is judged alone: following all the hand-made orders, and
// variants of them at other prices, sizes and times, in one Truth gives
// each the fills it gets alone.
func TestTruthOrdersAreIndependent(t *testing.T) {
	for _, tc := range truthCases {
		recs := seq(append(base(), tc.recs...)...)
		var orders []Order
		for _, cents := range []int64{9999, 10000, 10001} {
			for _, shares := range []int64{1, 100, 250, 1000} {
				for _, join := range []int64{0, 5, 10, 20, 29, 30, 45} {
					orders = append(orders, Order{Venue: pub, Price: sor.Money(cents) * sor.Cent, Shares: shares, Join: join, Until: join * 2})
				}
			}
		}
		tr, err := Follow(recs, orders)
		if err != nil {
			t.Fatal(err)
		}
		filled := 0
		for i, o := range orders {
			alone, err := Follow(recs, []Order{o})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := tr.Fills(i), alone.Fills(0); !slices.Equal(got, want) {
				t.Fatalf("%s: order %+v: with the others %v, alone %v", tc.name, o, got, want)
			}
			if len(alone.Fills(0)) > 0 {
				filled++
			}
		}
		if filled == 0 {
			t.Errorf("%s: no order filled", tc.name)
		}
	}
}

func TestNewTruthRefusesBadOrders(t *testing.T) {
	for _, tc := range []struct {
		o    Order
		want string
	}{
		{Order{Venue: 1, Price: sor.Dollar, Shares: 0}, "order 0: shares must be > 0, not 0"},
		{Order{Venue: 1, Price: 0, Shares: 1}, "order 0: price must be > 0"},
		{Order{Venue: 1, Price: sor.Dollar, Shares: 1, Join: 10, Until: 5}, "order 0: cancelled (1970-01-01T00:00:00.000000005Z) before it joins (1970-01-01T00:00:00.00000001Z)"},
	} {
		if _, err := NewTruth([]Order{tc.o}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.o, err, tc.want)
		}
	}
}

func TestTruthStopsAtABookError(t *testing.T) {
	recs := seq(cat(base(), one(r(10, 'C', 'B', 10000, 100, 99)))...)
	_, err := FillTimes(recs, pub, 100*sor.Dollar, 100, 5)
	if !errors.Is(err, ErrUnknownOrder) || !strings.Contains(err.Error(), "line 6: publisher 1") {
		t.Errorf("error %v", err)
	}
}
