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
// The zero Feed is ready to use; it never keeps rows.
type Feed struct {
	venues []feedVenue // by publisher id
}

type feedVenue struct {
	last     sor.Quote // the latest row
	seen     bool      // last is set
	bid, ask pending
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

func (f *Feed) venue(id int) *feedVenue {
	if id >= len(f.venues) {
		f.venues = append(f.venues, make([]feedVenue, id+1-len(f.venues))...)
	}
	return &f.venues[id]
}

// Step applies the next row of the market (in ts_event order) and returns
// what it did at its venue. The event's Row is r.
func (f *Feed) Step(r *sor.Row) QueueEvent {
	if r.PublisherID < 0 || r.PublisherID > 1<<16-1 {
		return QueueEvent{Row: r, Before: noQuote(r.PublisherID), Clear: true}
	}
	v := f.venue(r.PublisherID)
	before := v.last
	if !v.seen {
		before = noQuote(r.PublisherID)
	}
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
	ev.Cancelled = v.bid.step(before.Bid, before.BidSize, r.BidPx, r.BidSz, sell)
	v.ask.step(before.Ask, before.AskSize, r.AskPx, r.AskSz, buy)
	ev.Live = v.bid.live(r.BidSz)
	switch {
	case r.AskPx == sor.NoPrice || r.AskSz <= 0:
	case r.AskPx == before.Ask:
		ev.Offered = max(r.AskSz-before.AskSize, 0)
	default:
		ev.Offered = r.AskSz // a level at a new price
	}
	v.last, v.seen = sor.Quote{Venue: r.PublisherID, Ask: r.AskPx, AskSize: r.AskSz, Bid: r.BidPx, BidSize: r.BidSz}, true
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

var unseen feedVenue

func (f *Feed) get(venue int) *feedVenue {
	if venue < 0 || venue >= len(f.venues) {
		return &unseen
	}
	return &f.venues[venue]
}

func (v *feedVenue) bestBid() (sor.Money, int64) {
	if !v.seen {
		return sor.NoPrice, 0
	}
	return v.last.Bid, v.bid.live(v.last.BidSize)
}

func (v *feedVenue) pendingBuys(ask sor.Money) int64 {
	if !v.seen || v.last.Ask != ask {
		return 0
	}
	return v.ask.n
}
