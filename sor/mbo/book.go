package mbo

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/sorlab/sorlab/sor"
)

// Errors Book.Apply can wrap, for errors.Is.
var (
	ErrUnknownOrder   = errors.New("unknown order")
	ErrDuplicateOrder = errors.New("order id already resting")
	ErrMismatch       = errors.New("record does not match the resting order")
	ErrRecord         = errors.New("invalid record")
	ErrTOB            = errors.New("top-of-book records (F_TOB) name no order and are not supported")
)

// Book sides, indexes into venue.sides.
const (
	bid = 0
	ask = 1
)

// noPrio is later than every priority: an order the book does not know.
const noPrio = math.MaxUint64

// Book is the order book of every venue of one instrument, rebuilt from MBO
// records: for each venue (publisher id) its price levels, and at each level
// the resting orders in time priority. The zero value is not usable; call
// NewBook.
type Book struct {
	venues map[int]*venue
	prio   uint64 // the last time-priority stamp handed out
}

// NewBook returns an empty book.
func NewBook() *Book { return &Book{venues: map[int]*venue{}} }

type venue struct {
	orders map[uint64]*order
	sides  [2]bookSide

	// cleared holds the orders removed by a clear while the adds that
	// follow it rebuild the book, so that an order re-added with its id
	// keeps its place; nil otherwise.
	cleared map[uint64]*order
	// executed lists the orders with shares reported filled (F) and not yet
	// taken off by their C or M; gone the orders removed in the current
	// event. Both last until the event ends: a FlagLast record, or a record
	// with another ts_event.
	executed []*order
	gone     map[uint64]*order
	lastTs   int64
}

type bookSide struct {
	levels  []*level // best first: bids descending, asks ascending
	byPrice map[sor.Money]*level
}

type level struct {
	price      sor.Money
	size       int64
	count      int
	head, tail *order
}

type order struct {
	id       uint64
	side     int
	price    sor.Money
	size     int64
	prio     uint64 // time priority: lower is earlier
	executed int64  // shares filled (F) that the book still shows (before their C)
	lvl      *level
	prev     *order
	next     *order
}

func sideIndex(b byte) (int, bool) {
	switch b {
	case 'B':
		return bid, true
	case 'A':
		return ask, true
	}
	return 0, false
}

func (b *Book) venue(pub int) *venue {
	v := b.venues[pub]
	if v == nil {
		v = &venue{orders: map[uint64]*order{}}
		for i := range v.sides {
			v.sides[i].byPrice = map[sor.Money]*level{}
		}
		b.venues[pub] = v
	}
	return v
}

func (b *Book) newPrio() uint64 {
	b.prio++
	return b.prio
}

// Apply changes the book by one record, following Databento's rules (see
// sor.MBO): A adds an order at the back of its level (unless it rebuilds
// the book after a clear with an id that rested before it: then it takes
// back its place); C takes size off an order; M changes an order, which
// goes to the back of its (new) level when its price changes or its size
// grows, and is added when unknown; R clears the venue; T, F and N change
// nothing. A record that contradicts the book (a cancel of an unknown
// order, of more than it holds, at another price; a second add of a resting
// id) is an error naming the record's line, the publisher and the order.
func (b *Book) Apply(rec *sor.MBO) error {
	v := b.venue(rec.PublisherID)
	if rec.TsEvent != v.lastTs {
		v.endEvent()
		v.lastTs = rec.TsEvent
	}
	if v.cleared != nil && rec.Action != 'A' {
		v.cleared = nil // the rebuild is over
	}
	var err error
	switch rec.Action {
	case 'A':
		err = v.add(b, rec)
	case 'C':
		err = v.cancel(rec)
	case 'M':
		err = v.modify(b, rec)
	case 'R':
		v.clear()
	case 'F':
		if o := v.orders[rec.OrderID]; o != nil {
			o.executed = min(o.size, o.executed+rec.Size)
			v.executed = append(v.executed, o)
		}
	case 'T', 'N':
	default:
		err = fmt.Errorf("%w: action %q", ErrRecord, rec.Action)
	}
	if err != nil {
		return fmt.Errorf("line %d: publisher %d: %w", rec.Line, rec.PublisherID, err)
	}
	if rec.Flags&sor.FlagLast != 0 {
		v.endEvent()
	}
	return nil
}

func (v *venue) endEvent() {
	for _, o := range v.executed {
		o.executed = 0
	}
	v.executed = v.executed[:0]
	clear(v.gone)
}

func (v *venue) add(b *Book, rec *sor.MBO) error {
	if rec.Flags&sor.FlagTOB != 0 {
		return ErrTOB
	}
	side, ok := sideIndex(rec.Side)
	if !ok || rec.Price == sor.NoPrice || rec.Size <= 0 {
		return fmt.Errorf("%w: add of order %d: side %q, price %v, size %d", ErrRecord, rec.OrderID, rec.Side, rec.Price, rec.Size)
	}
	if _, dup := v.orders[rec.OrderID]; dup {
		return fmt.Errorf("%w: add of order %d", ErrDuplicateOrder, rec.OrderID)
	}
	o := &order{id: rec.OrderID, side: side, price: rec.Price, size: rec.Size}
	if old := v.cleared[rec.OrderID]; old != nil && old.side == side && old.price == rec.Price {
		o.prio = old.prio
		delete(v.cleared, rec.OrderID)
	} else {
		o.prio = b.newPrio()
	}
	v.orders[o.id] = o
	v.insert(o)
	return nil
}

// find returns the resting order a C or M names, checking its side and, for
// a cancel, its price.
func (v *venue) find(rec *sor.MBO, what string, checkPrice bool) (*order, error) {
	o := v.orders[rec.OrderID]
	if o == nil {
		return nil, fmt.Errorf("%w: %s of order %d", ErrUnknownOrder, what, rec.OrderID)
	}
	if side, ok := sideIndex(rec.Side); !ok || side != o.side || (checkPrice && rec.Price != o.price) {
		return nil, fmt.Errorf("%w: %s of order %d on side %q at %v, the order rests on side %q at %v",
			ErrMismatch, what, o.id, rec.Side, rec.Price, "BA"[o.side], o.price)
	}
	return o, nil
}

func (v *venue) cancel(rec *sor.MBO) error {
	o, err := v.find(rec, "cancel", true)
	if err != nil {
		return err
	}
	if rec.Size > o.size {
		return fmt.Errorf("%w: cancel of %d shares of order %d, which has %d", ErrMismatch, rec.Size, o.id, o.size)
	}
	o.size -= rec.Size
	o.lvl.size -= rec.Size
	o.executed = max(0, o.executed-rec.Size)
	if o.size == 0 {
		v.remove(o)
	}
	return nil
}

func (v *venue) modify(b *Book, rec *sor.MBO) error {
	if _, known := v.orders[rec.OrderID]; !known {
		return v.add(b, rec) // as Databento's own book does: the add was missed
	}
	o, err := v.find(rec, "modify", false)
	if err != nil {
		return err
	}
	if rec.Price == sor.NoPrice || rec.Size < 0 {
		return fmt.Errorf("%w: modify of order %d: price %v, size %d", ErrRecord, o.id, rec.Price, rec.Size)
	}
	o.executed = 0 // an M after a fill states the size left
	switch {
	case rec.Size == 0:
		v.remove(o)
	case rec.Price != o.price || rec.Size > o.size:
		// A new price, or more shares: the order loses its place.
		v.unlink(o)
		o.price, o.size, o.prio = rec.Price, rec.Size, b.newPrio()
		v.insert(o)
	default:
		o.lvl.size -= o.size - rec.Size
		o.size = rec.Size
	}
	return nil
}

func (v *venue) clear() {
	v.cleared = v.orders
	v.orders = map[uint64]*order{}
	for i := range v.sides {
		v.sides[i] = bookSide{byPrice: map[sor.Money]*level{}}
	}
	v.endEvent()
}

// insert links o into its level by priority: at the back, unless it takes
// back an earlier place after a clear.
func (v *venue) insert(o *order) {
	s := &v.sides[o.side]
	l := s.byPrice[o.price]
	if l == nil {
		l = &level{price: o.price}
		s.byPrice[o.price] = l
		i := s.search(o.side, o.price)
		s.levels = slices.Insert(s.levels, i, l)
	}
	after := l.tail
	for after != nil && after.prio > o.prio {
		after = after.prev
	}
	o.prev = after
	if after == nil {
		o.next = l.head
		l.head = o
	} else {
		o.next = after.next
		after.next = o
	}
	if o.next == nil {
		l.tail = o
	} else {
		o.next.prev = o
	}
	o.lvl = l
	l.size += o.size
	l.count++
}

// search returns the index of price in the side's levels, or where it goes.
func (s *bookSide) search(side int, price sor.Money) int {
	return sort.Search(len(s.levels), func(i int) bool {
		if side == bid {
			return s.levels[i].price <= price
		}
		return s.levels[i].price >= price
	})
}

// unlink takes o out of its level, dropping the level when it empties.
func (v *venue) unlink(o *order) {
	l := o.lvl
	if o.prev == nil {
		l.head = o.next
	} else {
		o.prev.next = o.next
	}
	if o.next == nil {
		l.tail = o.prev
	} else {
		o.next.prev = o.prev
	}
	o.prev, o.next, o.lvl = nil, nil, nil
	l.size -= o.size
	l.count--
	if l.count == 0 {
		s := &v.sides[o.side]
		delete(s.byPrice, l.price)
		i := s.search(o.side, l.price)
		s.levels = slices.Delete(s.levels, i, i+1)
	}
}

// remove takes o off the book. It stays known until the end of the event,
// so that a fill reported after its cancel still finds its place.
func (v *venue) remove(o *order) {
	v.unlink(o)
	delete(v.orders, o.id)
	if v.gone == nil {
		v.gone = map[uint64]*order{}
	}
	v.gone[o.id] = o
}

// lookup returns the order with id, resting or removed earlier in the
// current event, or nil.
func (v *venue) lookup(id uint64) *order {
	if o := v.orders[id]; o != nil {
		return o
	}
	return v.gone[id]
}

// Top is a venue's best bid and ask: price, shares and number of orders.
type Top struct {
	BidPx, AskPx sor.Money // sor.NoPrice when the side is empty
	BidSz, AskSz int64
	BidCt, AskCt int
}

// Top returns the best bid and ask of the venue with publisher id pub.
func (b *Book) Top(pub int) Top {
	t := Top{}
	v := b.venues[pub]
	if v == nil {
		return t
	}
	if ls := v.sides[bid].levels; len(ls) > 0 {
		t.BidPx, t.BidSz, t.BidCt = ls[0].price, ls[0].size, ls[0].count
	}
	if ls := v.sides[ask].levels; len(ls) > 0 {
		t.AskPx, t.AskSz, t.AskCt = ls[0].price, ls[0].size, ls[0].count
	}
	return t
}

// Resting is an order in a queue: its id and shares.
type Resting struct {
	ID   uint64
	Size int64
}

// Queue returns the orders resting at price on side ('B' or 'A') of the
// venue with publisher id pub, front of the queue first.
func (b *Book) Queue(pub int, side byte, price sor.Money) []Resting {
	v := b.venues[pub]
	s, ok := sideIndex(side)
	if v == nil || !ok {
		return nil
	}
	var q []Resting
	if l := v.sides[s].byPrice[price]; l != nil {
		for o := l.head; o != nil; o = o.next {
			q = append(q, Resting{o.id, o.size})
		}
	}
	return q
}

// Venues returns the publisher ids the book has seen, ascending.
func (b *Book) Venues() []int {
	ids := make([]int, 0, len(b.venues))
	for id := range b.venues {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
