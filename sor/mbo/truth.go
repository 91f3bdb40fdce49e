package mbo

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"sort"

	"github.com/sorlab/sorlab/sor"
)

// Order is a hypothetical buy limit order: Shares at Price, joining the back
// of the bid queue at that price of the venue with publisher id Venue.
type Order struct {
	Venue  int
	Price  sor.Money
	Shares int64
	// Join is when the order arrives, in nanoseconds since the Unix epoch:
	// after every record of its venue with ts_event <= Join.
	Join int64
	// Until is when it is cancelled: records with a ts_event after Until no
	// longer fill it. 0 means never.
	Until int64
}

// Cause says why a hypothetical order filled.
type Cause uint8

const (
	// Behind: an execution at our price of an order behind us, when no
	// share was left ahead of us.
	Behind Cause = iota + 1
	// Through: a sell at our venue at a price below ours.
	Through
	// Cross: a sell order at our venue at or below our price, added (or
	// moved there) while we rest, or resting there when we join.
	Cross
)

func (c Cause) String() string {
	switch c {
	case Behind:
		return "behind"
	case Through:
		return "through"
	case Cross:
		return "cross"
	}
	return fmt.Sprintf("Cause(%d)", c)
}

// Fill is part of a hypothetical order filled.
type Fill struct {
	Time   int64 // ts_event of the record that filled it (Join for a fill on joining)
	Shares int64
	Cause  Cause
	Line   int // the record's line (0 for a fill on joining)
}

// Truth follows many hypothetical orders through one pass over a stream of
// MBO records and gives each its exact FIFO fills (see the package doc for
// the rules). Each order is judged alone: the others do not exist for it.
// Feed every record to Apply in file order, then call Finish.
//
// Work per record does not grow with the number of orders: they are indexed
// by venue and price, and a record touches only the orders it fills.
type Truth struct {
	book   *Book
	orders []hypo
	venues map[int]*truthVenue
}

type hypo struct {
	Order
	prio  uint64 // time priority, from the book's stamps
	rem   int64
	done  bool // filled or cancelled
	fills []Fill
}

type truthVenue struct {
	waiting []*hypo // not joined yet, by Join
	next    int     // waiting[next:] have not joined
	prices  []sor.Money
	byPrice map[sor.Money][]*hypo // live orders by price, by priority
}

// NewTruth prepares the fills of orders, which may come in any order.
func NewTruth(orders []Order) (*Truth, error) {
	t := &Truth{book: NewBook(), orders: make([]hypo, len(orders)), venues: map[int]*truthVenue{}}
	for i, o := range orders {
		switch {
		case o.Shares <= 0:
			return nil, fmt.Errorf("mbo: order %d: shares must be > 0, not %d", i, o.Shares)
		case o.Price <= 0:
			return nil, fmt.Errorf("mbo: order %d: price must be > 0, not %v", i, o.Price)
		case o.Until != 0 && o.Until < o.Join:
			return nil, fmt.Errorf("mbo: order %d: cancelled (%s) before it joins (%s)", i, sor.RFC3339(o.Until), sor.RFC3339(o.Join))
		}
		t.orders[i] = hypo{Order: o, rem: o.Shares}
		tv := t.venues[o.Venue]
		if tv == nil {
			tv = &truthVenue{byPrice: map[sor.Money][]*hypo{}}
			t.venues[o.Venue] = tv
		}
		tv.waiting = append(tv.waiting, &t.orders[i])
	}
	for _, tv := range t.venues {
		slices.SortStableFunc(tv.waiting, func(a, b *hypo) int { return cmp.Compare(a.Join, b.Join) })
	}
	return t, nil
}

// Book returns the book rebuilt from the records applied so far.
func (t *Truth) Book() *Book { return t.book }

// Apply takes the next record of the stream: the orders of its venue that
// arrive before it join, those it fills are credited, then the book changes.
// An error is the book's (see Book.Apply).
func (t *Truth) Apply(rec *sor.MBO) error {
	if tv := t.venues[rec.PublisherID]; tv != nil {
		t.join(tv, rec.PublisherID, rec.TsEvent)
		if len(tv.prices) > 0 {
			t.credit(tv, rec)
		}
	}
	return t.book.Apply(rec)
}

// Finish joins the orders that arrive after the last record (they fill only
// against asks already at or below their price).
func (t *Truth) Finish() {
	for pub, tv := range t.venues {
		for tv.next < len(tv.waiting) {
			t.joinOne(tv, pub, tv.waiting[tv.next])
			tv.next++
		}
	}
}

// Run applies every record of src, then calls Finish.
func (t *Truth) Run(src interface{ Read() (sor.MBO, error) }) error {
	for {
		rec, err := src.Read()
		if err == io.EOF {
			t.Finish()
			return nil
		}
		if err != nil {
			return err
		}
		if err := t.Apply(&rec); err != nil {
			return err
		}
	}
}

// Fills returns the fills of the i-th order, in time order.
func (t *Truth) Fills(i int) []Fill { return t.orders[i].fills }

// Remaining returns the shares of the i-th order never filled.
func (t *Truth) Remaining(i int) int64 { return t.orders[i].rem }

// join lets in the orders of the venue that arrive before a record at ts.
func (t *Truth) join(tv *truthVenue, pub int, ts int64) {
	for tv.next < len(tv.waiting) && tv.waiting[tv.next].Join < ts {
		t.joinOne(tv, pub, tv.waiting[tv.next])
		tv.next++
	}
}

func (t *Truth) joinOne(tv *truthVenue, pub int, h *hypo) {
	h.prio = t.book.newPrio()
	if v := t.book.venues[pub]; v != nil {
		// Asks already at or below our price trade with us at once.
		var sz int64
		for _, l := range v.sides[ask].levels {
			if l.price > h.Price {
				break
			}
			sz += l.size
		}
		if sz > 0 {
			h.fill(h.Join, 0, sz, Cross)
		}
	}
	if h.done {
		return
	}
	hs, ok := tv.byPrice[h.Price]
	if !ok {
		i := sort.Search(len(tv.prices), func(i int) bool { return tv.prices[i] <= h.Price })
		tv.prices = slices.Insert(tv.prices, i, h.Price)
	}
	tv.byPrice[h.Price] = append(hs, h)
}

// credit fills the live orders of the venue that rec fills.
func (t *Truth) credit(tv *truthVenue, rec *sor.MBO) {
	v := t.book.venue(rec.PublisherID)
	switch {
	case rec.Action == 'F' && rec.Side == 'B':
		// An execution of a resting buy: it fills the orders at its
		// price that are ahead of it with no share ahead of them.
		price, prio := rec.Price, uint64(noPrio)
		if o := v.lookup(rec.OrderID); o != nil && o.side == bid {
			price, prio = o.price, o.prio
		}
		bound := min(prio, v.frontPrio(price))
		t.fillAt(tv, rec, price, func(h *hypo) int64 {
			if h.prio < bound {
				return rec.Size
			}
			return 0
		}, Behind)
	case rec.Action == 'T' && rec.Side == 'A':
		// A sell at a lower price would have met us first.
		t.fillAbove(tv, rec, rec.Price, false, func(*hypo) int64 { return rec.Size }, Through)
	case rec.Action == 'A' && rec.Side == 'A':
		if old := v.cleared[rec.OrderID]; old != nil && old.side == ask && old.price == rec.Price {
			return // an ask back after a clear is not a new one
		}
		t.fillAbove(tv, rec, rec.Price, true, func(*hypo) int64 { return rec.Size }, Cross)
	case rec.Action == 'M' && rec.Side == 'A':
		// A sell order moved to our price or below, or grown there.
		old := v.orders[rec.OrderID]
		if old != nil && old.side != ask {
			old = nil
		}
		t.fillAbove(tv, rec, rec.Price, true, func(h *hypo) int64 {
			if old != nil && old.price <= h.Price {
				return rec.Size - old.size // only new shares are new sell interest
			}
			return rec.Size
		}, Cross)
	}
}

// frontPrio is the priority of the first order at a bid price with shares
// left once the fills reported so far in the event are taken off.
func (v *venue) frontPrio(price sor.Money) uint64 {
	if l := v.sides[bid].byPrice[price]; l != nil {
		for o := l.head; o != nil; o = o.next {
			if o.size > o.executed {
				return o.prio
			}
		}
	}
	return noPrio
}

// fillAt credits the live orders at price with shares(h) each, stopping at
// the first order that gets nothing (they are in priority order).
func (t *Truth) fillAt(tv *truthVenue, rec *sor.MBO, price sor.Money, shares func(*hypo) int64, c Cause) {
	hs, ok := tv.byPrice[price]
	if !ok {
		return
	}
	for _, h := range hs {
		n := shares(h)
		if n <= 0 {
			break
		}
		h.credit(rec, n, c)
	}
	t.compact(tv, price)
}

// fillAbove credits the live orders priced above px (or at it, with
// orEqual), shares(h) each.
func (t *Truth) fillAbove(tv *truthVenue, rec *sor.MBO, px sor.Money, orEqual bool, shares func(*hypo) int64, c Cause) {
	for i := 0; i < len(tv.prices); i++ {
		p := tv.prices[i]
		if p < px || (p == px && !orEqual) {
			break
		}
		for _, h := range tv.byPrice[p] {
			if n := shares(h); n > 0 {
				h.credit(rec, n, c)
			}
		}
		if t.compact(tv, p) {
			i--
		}
	}
}

// compact drops the finished orders at price; it reports whether the price
// has none left and was removed.
func (t *Truth) compact(tv *truthVenue, price sor.Money) bool {
	hs := tv.byPrice[price]
	live := slices.DeleteFunc(hs, func(h *hypo) bool { return h.done })
	if len(live) > 0 {
		tv.byPrice[price] = live
		return false
	}
	delete(tv.byPrice, price)
	i := sort.Search(len(tv.prices), func(i int) bool { return tv.prices[i] <= price })
	tv.prices = slices.Delete(tv.prices, i, i+1)
	return true
}

// credit fills up to n shares of h for rec, unless h was cancelled before.
func (h *hypo) credit(rec *sor.MBO, n int64, c Cause) {
	if h.done {
		return
	}
	if h.Until != 0 && rec.TsEvent > h.Until {
		h.done = true
		return
	}
	h.fill(rec.TsEvent, rec.Line, n, c)
}

func (h *hypo) fill(ts int64, line int, n int64, c Cause) {
	n = min(n, h.rem)
	h.rem -= n
	h.fills = append(h.fills, Fill{Time: ts, Shares: n, Cause: c, Line: line})
	if h.rem == 0 {
		h.done = true
	}
}

// Follow follows orders through records (in file order) and returns their
// fills: NewTruth, Apply and Finish in one call, for records in memory.
func Follow(records []sor.MBO, orders []Order) (*Truth, error) {
	t, err := NewTruth(orders)
	if err != nil {
		return nil, err
	}
	for i := range records {
		if err := t.Apply(&records[i]); err != nil {
			return nil, err
		}
	}
	t.Finish()
	return t, nil
}

// FillTimes returns the fills of one hypothetical buy order of shares at
// price joining venue's bid queue at join, from records in file order.
func FillTimes(records []sor.MBO, venue int, price sor.Money, shares int64, join int64) ([]Fill, error) {
	t, err := Follow(records, []Order{{Venue: venue, Price: price, Shares: shares, Join: join}})
	if err != nil {
		return nil, err
	}
	return t.Fills(0), nil
}
