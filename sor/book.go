package sor

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// Book is the market as every strategy sees it, and the one place where the
// exercise's market rules live: which rows count, each venue's quote, what a
// strategy may still take (depletion), the offers with fees and the
// cheapest ask. Snapshots, backtests, the replay engine and the notebooks'
// tables all read the market through a Book.
//
// Rows are applied in ts_event order (Apply). At each distinct ts_event only
// the first row of each publisher counts: it replaces the venue's quote,
// and every later row of that publisher at the same ts_event is ignored for
// quoting (the replay engine still follows it row by row through Latest). A
// venue quotes when its quote has an ask price and an ask size > 0.
//
// Memory is a few dozen bytes per venue, whatever the number of rows: a Book
// never keeps rows.
type Book struct {
	venues Venues
	ids    []int   // publisher ids seen, ascending
	slot   []int32 // publisher id → 1 + index into ids and st; 0 when unseen
	st     []venueState
	time   int64
	seq    int64 // rows applied so far: the Seq of the next quote
	quotes []Quote
	fresh  bool // quotes is up to date
	guard  CashGuard
}

type venueState struct {
	quote       Quote // the first row of the venue at the latest ts_event it had rows
	stamp       int64 // that ts_event
	hasQuote    bool
	latest      Quote // the venue's latest row (Seq: its position in the stream)
	fee, rebate Money
}

// NewBook returns an empty book whose venues pay and earn what the table
// says (nil: no fees).
func NewBook(venues Venues) *Book { return &Book{venues: venues} }

// Time is the ts_event of the rows applied last.
func (b *Book) Time() int64 { return b.time }

// Venues returns the publisher ids seen so far, ascending. The slice
// belongs to the book.
func (b *Book) Venues() []int { return b.ids }

// Table is the venue table the book charges fees from.
func (b *Book) Table() Venues { return b.venues }

// Add makes the book know a venue before its first row (a replay learns the
// publishers of the whole stream first, so that an order to a venue that has
// not quoted yet is not refused as unknown).
func (b *Book) Add(id int) { b.index(id) }

// index returns the state index of publisher id, adding it if unseen.
func (b *Book) index(id int) int {
	if id < len(b.slot) && b.slot[id] != 0 {
		return int(b.slot[id] - 1)
	}
	j, _ := slices.BinarySearch(b.ids, id)
	b.ids = slices.Insert(b.ids, j, id)
	v := b.venues.Get(id)
	b.st = slices.Insert(b.st, j, venueState{fee: v.Fee, rebate: v.Rebate})
	if id >= len(b.slot) {
		b.slot = append(b.slot, make([]int32, id+1-len(b.slot))...)
	}
	for k, x := range b.ids[j:] {
		b.slot[x] = int32(j + k + 1)
	}
	b.fresh = false
	return j
}

// Apply applies the next row in ts_event order and reports whether it set
// its venue's quote (it is the venue's first row at its ts_event). It fails
// only when the row's all-in ask (ask + fee) is not a positive price or
// overflows, or when the book's cash guard refuses it (see Guard).
func (b *Book) Apply(r *Row) (quoted bool, err error) {
	if r.PublisherID < 0 || r.PublisherID > math.MaxUint16 {
		return false, fmt.Errorf("line %d: publisher id %d outside 0-65535", r.Line, r.PublisherID)
	}
	k := b.index(r.PublisherID)
	v := &b.st[k]
	b.time = r.TsEvent
	q := Quote{Venue: r.PublisherID, Ask: r.AskPx, AskSize: r.AskSz, Bid: r.BidPx, BidSize: r.BidSz, Seq: int(b.seq)}
	b.seq++
	v.latest = q
	if v.hasQuote && v.stamp == r.TsEvent {
		return false, nil
	}
	if showsAsk(q) {
		if err := b.check(v, q); err != nil {
			return false, err
		}
	}
	v.quote, v.stamp, v.hasQuote = q, r.TsEvent, true
	b.fresh = false
	return true, nil
}

func (b *Book) check(v *venueState, q Quote) error {
	p := q.Ask + v.fee
	if (v.fee > 0 && p < q.Ask) || (v.fee < 0 && p > q.Ask) {
		return fmt.Errorf("venue %d: ask $%v plus fee $%v overflows", q.Venue, q.Ask, v.fee)
	}
	if p <= 0 {
		return fmt.Errorf("venue %d: ask $%v plus fee $%v is not a positive price", q.Venue, q.Ask, v.fee)
	}
	return b.guard.Check(p)
}

// Guard makes Apply refuse quotes whose all-in price times orderSize shares
// does not fit the exact money arithmetic of a backtest (see CashGuard).
func (b *Book) Guard(orderSize int64) { b.guard = CashGuard{OrderSize: orderSize} }

// SetQuotes replaces the whole market by a snapshot's quotes: the listed
// venues quote as given (their Seq included), every other venue does not.
// It lets a Backtest run on snapshots built earlier through the same rules.
func (b *Book) SetQuotes(s *Snapshot) error {
	for k := range b.st {
		b.st[k].quote.Ask, b.st[k].quote.AskSize = NoPrice, 0
	}
	for _, q := range s.Quotes {
		if q.Venue < 0 || q.Venue > math.MaxUint16 {
			return fmt.Errorf("snapshot at %d: publisher id %d outside 0-65535", s.Time, q.Venue)
		}
		v := &b.st[b.index(q.Venue)]
		if err := b.check(v, q); err != nil {
			return err
		}
		v.quote, v.stamp, v.hasQuote, v.latest = q, s.Time, true, q
	}
	b.time = s.Time
	b.fresh = false
	return nil
}

// Quotes returns the venues quoting an ask (price defined, size > 0), in
// ascending publisher id: the snapshot's list. The slice belongs to the book
// and changes with the next Apply.
func (b *Book) Quotes() []Quote {
	if !b.fresh {
		b.quotes = b.quotes[:0]
		for k := range b.st {
			if q := b.st[k].quote; b.st[k].hasQuote && showsAsk(q) {
				b.quotes = append(b.quotes, q)
			}
		}
		b.fresh = true
	}
	return b.quotes
}

// Snapshot is the decision point at the book's time: the time and the
// quoting venues (Quotes, shared with the book).
func (b *Book) Snapshot() Snapshot { return Snapshot{Time: b.time, Quotes: b.Quotes()} }

// Quote returns a venue's quote (its first row at the latest ts_event it
// had rows, which may show no ask); ok is false before its first row.
func (b *Book) Quote(venue int) (q Quote, ok bool) {
	if venue < 0 || venue >= len(b.slot) || b.slot[venue] == 0 {
		return Quote{}, false
	}
	v := &b.st[b.slot[venue]-1]
	return v.quote, v.hasQuote
}

// Latest returns a venue's latest row as a quote (every row counts here:
// the order book after the venue's last event); ok is false before its
// first row.
func (b *Book) Latest(venue int) (q Quote, ok bool) {
	if venue < 0 || venue >= len(b.slot) || b.slot[venue] == 0 {
		return Quote{}, false
	}
	v := &b.st[b.slot[venue]-1]
	return v.latest, v.hasQuote
}

// Venue returns the fee table's entry of a venue (zero fees when unknown).
func (b *Book) Venue(venue int) Venue {
	if venue >= 0 && venue < len(b.slot) && b.slot[venue] != 0 {
		v := &b.st[b.slot[venue]-1]
		return Venue{PublisherID: venue, Name: b.venues.Get(venue).Name, Fee: v.fee, Rebate: v.rebate}
	}
	return b.venues.Get(venue)
}

// Fees returns what a venue charges a taker and pays a maker per share.
func (b *Book) Fees(venue int) (fee, rebate Money) {
	if venue >= 0 && venue < len(b.slot) && b.slot[venue] != 0 {
		v := &b.st[b.slot[venue]-1]
		return v.fee, v.rebate
	}
	v := b.venues.Get(venue)
	return v.Fee, v.Rebate
}

// Offers appends to dst what a strategy that has taken t can take now: one
// offer per quoting venue with shares left for it, in ascending publisher
// id, with the venue's fee and rebate.
func (b *Book) Offers(dst []Offer, t *Taken) []Offer {
	for k := range b.st {
		v := &b.st[k]
		if !v.hasQuote {
			continue
		}
		if o, ok := offer(v, v.quote, t); ok {
			dst = append(dst, o)
		}
	}
	return dst
}

// Offer is the offer of quote q, a quote of one of the book's venues that a
// strategy that has taken t sees, with the venue's fee and rebate; ok is
// false when q shows no ask or nothing is left of it. It lets a view of the
// market built elsewhere (a replay's delayed feed, whose quotes carry the
// Seq of the rows as this book numbers them) apply the rule of Offers.
func (b *Book) Offer(q Quote, t *Taken) (o Offer, ok bool) {
	if q.Venue < 0 || q.Venue >= len(b.slot) || b.slot[q.Venue] == 0 {
		v := b.venues.Get(q.Venue)
		return offer(&venueState{fee: v.Fee, rebate: v.Rebate}, q, t)
	}
	return offer(&b.st[b.slot[q.Venue]-1], q, t)
}

// showsAsk is the quote rule: a venue quotes when its quote has an ask
// price and an ask size > 0.
func showsAsk(q Quote) bool { return q.Ask != NoPrice && q.AskSize > 0 }

// offer is the one rule of what a strategy can take: a quote with an ask
// price and an ask size > 0, less what the strategy took from that very
// quote.
func offer(v *venueState, q Quote, t *Taken) (Offer, bool) {
	if !showsAsk(q) {
		return Offer{}, false
	}
	avail := q.AskSize - t.Of(q)
	if avail <= 0 {
		return Offer{}, false
	}
	return Offer{Venue: q.Venue, Ask: q.Ask, Fee: v.fee, Rebate: v.rebate, Available: avail}, true
}

// Available is what a strategy that has taken t can still take from a
// venue's quote (0 when it does not quote).
func (b *Book) Available(venue int, t *Taken) int64 {
	q, ok := b.Quote(venue)
	if !ok {
		return 0
	}
	o, _ := b.Offer(q, t)
	return o.Available
}

// BestBidAsk is the consolidated top of book: the highest bid and the
// lowest ask over the venues' quotes (Quote, what strategies see), or with
// latest over their latest rows (Latest, the market after every row). A
// side counts only when its price is defined and its size is > 0, the rule
// by which a venue quotes an ask: a price with no shares shown is no one to
// trade with. Prices are as displayed, before fees and whatever a strategy
// took; NoPrice when no venue shows the side.
func (b *Book) BestBidAsk(latest bool) (bid, ask Money) {
	for k := range b.st {
		v := &b.st[k]
		if !v.hasQuote {
			continue
		}
		q := v.quote
		if latest {
			q = v.latest
		}
		if q.Bid != NoPrice && q.BidSize > 0 && q.Bid > bid {
			bid = q.Bid
		}
		if showsAsk(q) && (ask == NoPrice || q.Ask < ask) {
			ask = q.Ask
		}
	}
	return bid, ask
}

// Take records that a strategy took x shares from a venue's current quote:
// they stay gone for it until the venue's next counted row (the depletion
// rule).
func (b *Book) Take(t *Taken, venue int, x int64) {
	q, _ := b.Quote(venue)
	t.add(q, x)
}

// Cheapest is the consolidated best offer: the lowest ask + fee among the
// quoting venues and the size shown at that all-in price across them (0, 0
// when no venue quotes).
func (b *Book) Cheapest() (price Money, size int64) {
	for k := range b.st {
		v := &b.st[k]
		q := v.quote
		if !v.hasQuote || !showsAsk(q) {
			continue
		}
		price, size = consolidate(price, size, q.Ask+v.fee, q.AskSize)
	}
	return price, size
}

// consolidate adds a venue showing size at all-in price p to the best offer
// (price, size) seen so far: the rule of Cheapest and ConsolidatedAsk.
func consolidate(price Money, size int64, p Money, sz int64) (Money, int64) {
	switch {
	case size == 0 || p < price:
		return p, sz
	case p == price:
		return price, size + sz
	}
	return price, size
}

// Taken is what one strategy has taken from the venues' current quotes: the
// depletion rule's memory. The zero value has taken nothing.
type Taken struct {
	seq []int // per publisher id: Seq of the quote the shares were taken from, + 1
	n   []int64
}

// Of is how many shares were taken from quote q (0 once a new row replaced
// the quote they were taken from).
func (t *Taken) Of(q Quote) int64 {
	if q.Venue < 0 || q.Venue >= len(t.seq) || t.seq[q.Venue] != q.Seq+1 {
		return 0
	}
	return t.n[q.Venue]
}

func (t *Taken) add(q Quote, x int64) {
	if q.Venue >= len(t.seq) {
		t.seq = append(t.seq, make([]int, q.Venue+1-len(t.seq))...)
		t.n = append(t.n, make([]int64, q.Venue+1-len(t.n))...)
	}
	if t.seq[q.Venue] != q.Seq+1 {
		t.seq[q.Venue], t.n[q.Venue] = q.Seq+1, 0
	}
	t.n[q.Venue] += x
}

// Reset forgets everything taken.
func (t *Taken) Reset() { clear(t.seq); clear(t.n) }

// maxCash bounds order size × price so that every sum of money in a
// backtest stays far inside int64.
const maxCash = math.MaxInt64 / 4

// CashGuard keeps a backtest's money exact: it refuses any price whose
// magnitude times OrderSize shares exceeds MaxInt64/4 nano-dollars, so that
// the cash of any fill, and the sum of all fills of the order, fit in an
// int64 with room to spare. Prices are all-in per-share amounts: ask + fee
// for a taker, bid − rebate for a maker. The zero value checks nothing.
type CashGuard struct {
	OrderSize int64
	worst     Money // largest magnitude accepted so far
}

// Check refuses a per-share amount p that the order could not pay exactly.
func (g *CashGuard) Check(p Money) error {
	if g.OrderSize <= 0 {
		return nil
	}
	a := uint64(p)
	if p < 0 {
		a = -a
	}
	if Money(a) <= g.worst && p != math.MinInt64 {
		return nil
	}
	hi, lo := bits.Mul64(uint64(g.OrderSize), a)
	if hi != 0 || lo > maxCash {
		return fmt.Errorf("order of %d shares at up to $%v a share is too large for exact money arithmetic", g.OrderSize, p)
	}
	g.worst = Money(a)
	return nil
}
