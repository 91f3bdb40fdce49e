package mbo

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/sorlab/sorlab/sor"
)

func apply(t *testing.T, b *Book, recs []sor.MBO) {
	t.Helper()
	for i := range recs {
		if err := b.Apply(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBookLevelsAndTop(t *testing.T) {
	b := NewBook()
	if top := b.Top(pub); top != (Top{}) {
		t.Errorf("empty book: %+v", top)
	}
	apply(t, b, seq(cat(base(), one(
		r(2, 'A', 'B', 10001, 50, 3),  // a better bid
		r(2, 'A', 'A', 10003, 70, 11), // a worse ask
		r(2, 'A', 'A', 10002, 80, 12), // between
	))...))
	want := Top{BidPx: 10001 * sor.Cent, BidSz: 50, BidCt: 1, AskPx: 10001 * sor.Cent, AskSz: 300, AskCt: 1}
	if top := b.Top(pub); top != want {
		t.Errorf("top %+v, want %+v", top, want)
	}
	var bids, asks []sor.Money
	for _, l := range b.venues[pub].sides[bid].levels {
		bids = append(bids, l.price)
	}
	for _, l := range b.venues[pub].sides[ask].levels {
		asks = append(asks, l.price)
	}
	if !slices.Equal(bids, []sor.Money{10001 * sor.Cent, 100 * sor.Dollar, 9999 * sor.Cent}) ||
		!slices.Equal(asks, []sor.Money{10001 * sor.Cent, 10002 * sor.Cent, 10003 * sor.Cent}) {
		t.Errorf("levels: bids %v, asks %v", bids, asks)
	}
	// The best bid and ask leave: the next levels are the top.
	apply(t, b, seq(r(3, 'C', 'B', 10001, 50, 3), r(3, 'C', 'A', 10001, 300, 10)))
	want = Top{BidPx: 100 * sor.Dollar, BidSz: 300, BidCt: 2, AskPx: 10002 * sor.Cent, AskSz: 80, AskCt: 1}
	if top := b.Top(pub); top != want {
		t.Errorf("top %+v, want %+v", top, want)
	}
	if v := b.Venues(); !slices.Equal(v, []int{pub}) {
		t.Errorf("venues %v", v)
	}
	// A modify to a new price moves the order to the back of that level.
	apply(t, b, seq(r(4, 'M', 'B', 9999, 200, 1)))
	if q := b.Queue(pub, 'B', 9999*sor.Cent); !slices.Equal(q, []Resting{{5, 400}, {1, 200}}) {
		t.Errorf("queue at 99.99: %v", q)
	}
	// A clear empties the venue; its orders come back in their places.
	apply(t, b, seq(
		r(5, 'R', 'N', 0, 0, 0),
		r(5, 'A', 'B', 9999, 200, 1), r(5, 'A', 'B', 9999, 300, 6), r(5, 'A', 'B', 9999, 400, 5),
	))
	if q := b.Queue(pub, 'B', 9999*sor.Cent); !slices.Equal(q, []Resting{{5, 400}, {1, 200}, {6, 300}}) {
		t.Errorf("queue at 99.99 after the clear: %v", q)
	}
	if top := b.Top(pub); top.AskPx != sor.NoPrice || top.AskCt != 0 || top.BidSz != 900 {
		t.Errorf("top after the clear %+v", top)
	}
	// After the rebuild, an id that rested before the clear is new.
	apply(t, b, seq(r(6, 'C', 'B', 9999, 200, 1), r(7, 'A', 'B', 9999, 10, 2)))
	if q := b.Queue(pub, 'B', 9999*sor.Cent); !slices.Equal(q, []Resting{{5, 400}, {6, 300}, {2, 10}}) {
		t.Errorf("queue at 99.99 after the rebuild: %v", q)
	}
}

func TestBookRefusesRecordsThatContradictIt(t *testing.T) {
	tob := r(10, 'A', 'B', 10000, 100, 0)
	tob.Flags |= sor.FlagTOB
	for _, tc := range []struct {
		rec  sor.MBO
		want error
		text string
	}{
		{r(10, 'C', 'B', 10000, 100, 99), ErrUnknownOrder, "cancel of order 99"},
		{r(10, 'C', 'B', 10000, 300, 1), ErrMismatch, "cancel of 300 shares of order 1, which has 200"},
		{r(10, 'C', 'B', 9999, 100, 1), ErrMismatch, `cancel of order 1 on side 'B' at 99.99, the order rests on side 'B' at 100`},
		{r(10, 'C', 'A', 10000, 100, 1), ErrMismatch, `side 'A'`},
		{r(10, 'M', 'A', 10000, 100, 1), ErrMismatch, "modify of order 1"},
		{r(10, 'A', 'B', 10000, 100, 2), ErrDuplicateOrder, "add of order 2"},
		{r(10, 'A', 'N', 10000, 100, 3), ErrRecord, "add of order 3"},
		{r(10, 'A', 'B', 0, 100, 3), ErrRecord, "add of order 3"},
		{r(10, 'A', 'B', 10000, 0, 3), ErrRecord, "add of order 3"},
		{r(10, 'Q', 'B', 10000, 1, 3), ErrRecord, `action 'Q'`},
		{tob, ErrTOB, "F_TOB"},
	} {
		b := NewBook()
		recs := seq(append(base(), tc.rec)...)
		var err error
		for i := range recs {
			if err = b.Apply(&recs[i]); err != nil {
				break
			}
		}
		if !errors.Is(err, tc.want) || !strings.HasPrefix(err.Error(), "line 6: publisher 1: ") || !strings.Contains(err.Error(), tc.text) {
			t.Errorf("%c %d: error %v, want %v with %q", tc.rec.Action, tc.rec.OrderID, err, tc.want, tc.text)
		}
	}
}

// A modify of an order the book has not seen adds it (the add was missed, as
// when a file starts mid-session); a modify to zero shares removes it.
func TestBookModifyAddsAndRemoves(t *testing.T) {
	b := NewBook()
	apply(t, b, seq(r(1, 'M', 'A', 10001, 100, 7), r(2, 'A', 'A', 10001, 50, 8), r(3, 'M', 'A', 10001, 0, 7)))
	if q := b.Queue(pub, 'A', 10001*sor.Cent); !slices.Equal(q, []Resting{{8, 50}}) {
		t.Errorf("queue %v", q)
	}
}
