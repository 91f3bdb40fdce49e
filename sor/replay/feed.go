package replay

import "github.com/sorlab/sorlab/sor"

// QueueEvent is what one row did at its venue's best bid and ask, as our
// resting buys see it (see Feed.Step and MoveQueue).
type QueueEvent struct {
	Row *sor.Row
	// Before is the venue's book before the row: its previous row (Bid and
	// Ask sor.NoPrice before its first).
	Before sor.Quote
	// Sell is the size of the row's trade when it was a sell that hit the
	// bids (TradeHitsBid), at Row.Price; 0 for every other row. Buy prints
	// lift offers: they never reach a resting buy.
	Sell int64
	// Cancelled is the part of a decrease of the displayed bid size, at an
	// unchanged bid price, that no trade explains.
	Cancelled int64
	// Live is the displayed bid size after the row less the sells at the
	// bid that no decrease has shown yet.
	Live int64
	// Clear reports a row after which the feed shows no bid: a clear
	// (action R) or an empty bid side.
	Clear bool
	// Offered is the ask size the row newly shows at its ask: the whole
	// level when the ask price changed, the increase when it did not.
	Offered int64
}

// Feed follows the venues of a market row by row and turns each row into a
// QueueEvent. It matches the trades at each venue's best bid and best ask
// with the decreases of the displayed size that show them, so that each
// traded share counts once whichever way the data was written: a row always
// shows the book after the events of the earlier rows; a trade row may also
// show the effect of its own trade (sor/sim writes the book after the trade)
// or not (Databento MBP writes the book before it, and a later row shows
// the decrease).
//
// At each side, pending is the traded quantity at the best price that no
// decrease has matched yet. At a row that does not change the displayed
// size, the row's own print (if any) joins pending, which is carried on, as
// hftbacktest carries its traded quantity until the depth changes. At a row
// that changes it, a decrease is explained by pending first (the rest is
// cancelled) and then only the row's own print can still be pending: the
// earlier ones are shown, netted with new orders if the decrease is smaller.
// A change of price clears pending. The live size is the displayed size
// less pending.
//
// Each venue's latest row is sor.Book's (Book.Latest): the engine's feed
// reads it from the book of its play, which applies each row after Step;
// the zero Feed, ready to use, applies the rows to a book of its own. A
// Feed never keeps rows.
type Feed struct {
	book    *sor.Book
	own     bool       // the feed applies the rows to book itself
	pending []pendings // by publisher id
}

// pendings are one venue's trades not yet shown, at its bid and its ask.
type pendings struct{ bid, ask pending }

// feedVenue is a venue as the feed has it: its latest row (seen is false
// before its first) and its trades not yet shown.
type feedVenue struct {
	last sor.Quote
	seen bool
	pendings
}

// pending is the traded quantity at one side's best price not yet shown as
// a decrease of its displayed size.
type pending struct{ n int64 }

// step moves the bookkeeping through a row that changes the side's best from
// (px, sz) to (npx, nsz) with its own print of own shares at px (0 when
// none). It returns the decrease no print explains: cancellations.
func (p *pending) step(px sor.Money, sz int64, npx sor.Money, nsz, own int64) (cancelled int64) {
	if px == sor.NoPrice || npx != px {
		p.n = 0
		return 0
	}
	d := sz - nsz
	if d == 0 {
		p.n += own
		return 0
	}
	all := p.n + own
	x := min(max(d, 0), all)
	p.n = min(all-x, own)
	return max(d, 0) - x
}

func (p *pending) live(shown int64) int64 { return max(shown-p.n, 0) }

// Step applies the next row of the market (in ts_event order) and returns
// what it did at its venue. The event's Row is r.
func (f *Feed) Step(r *sor.Row) QueueEvent {
	if r.PublisherID < 0 || r.PublisherID > 1<<16-1 {
		return QueueEvent{Row: r, Before: noQuote(r.PublisherID), Clear: true}
	}
	if f.book == nil {
		f.book, f.own = sor.NewBook(nil), true
	}
	v := f.get(r.PublisherID)
	if r.PublisherID >= len(f.pending) {
		f.pending = append(f.pending, make([]pendings, r.PublisherID+1-len(f.pending))...)
	}
	p := &f.pending[r.PublisherID]
	before := v.last
	ev := QueueEvent{Row: r, Before: before, Clear: r.Action == 'R' || r.BidPx == sor.NoPrice}
	var sell, buy int64
	if isTrade(r) {
		if TradeHitsBid(r, before.Bid, before.Ask) {
			ev.Sell = r.Size
			if r.Price == before.Bid {
				sell = r.Size
			}
		} else if r.Price == before.Ask {
			buy = r.Size
		}
	}
	ev.Cancelled = p.bid.step(before.Bid, before.BidSize, r.BidPx, r.BidSz, sell)
	p.ask.step(before.Ask, before.AskSize, r.AskPx, r.AskSz, buy)
	ev.Live = p.bid.live(r.BidSz)
	switch {
	case r.AskPx == sor.NoPrice || r.AskSz <= 0:
	case r.AskPx == before.Ask:
		ev.Offered = max(r.AskSz-before.AskSize, 0)
	default:
		ev.Offered = r.AskSz // a level at a new price
	}
	if f.own {
		// Latest records every row, even one whose quote the book refuses
		// (an all-in ask that is not a positive price): nothing to report.
		f.book.Apply(r)
	}
	return ev
}

func noQuote(id int) sor.Quote { return sor.Quote{Venue: id, Ask: sor.NoPrice, Bid: sor.NoPrice} }

// Bid returns a venue's best bid after the rows so far and the live size at
// it (sor.NoPrice, 0 before its first row).
func (f *Feed) Bid(venue int) (bid sor.Money, live int64) { return f.get(venue).bestBid() }

// PendingBuys is the number of shares bought at a venue's ask price ask
// that its rows do not show yet (0 when its latest ask is another price):
// a market order arriving now cannot take them.
func (f *Feed) PendingBuys(venue int, ask sor.Money) int64 { return f.get(venue).pendingBuys(ask) }

// get is a venue as the feed has it now.
func (f *Feed) get(venue int) feedVenue {
	var v feedVenue
	if f.book != nil {
		v.last, v.seen = f.book.Latest(venue)
	}
	if !v.seen {
		v.last = noQuote(venue)
	}
	if venue >= 0 && venue < len(f.pending) {
		v.pendings = f.pending[venue]
	}
	return v
}

func (v feedVenue) bestBid() (sor.Money, int64) {
	if !v.seen {
		return sor.NoPrice, 0
	}
	return v.last.Bid, v.bid.live(v.last.BidSize)
}

func (v feedVenue) pendingBuys(ask sor.Money) int64 {
	if !v.seen || v.last.Ask != ask {
		return 0
	}
	return v.ask.n
}
