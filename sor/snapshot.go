package sor

// Quote is a venue's top of book in a snapshot.
type Quote struct {
	Venue   int   // publisher id
	Ask     Money // best ask price, > 0
	AskSize int64 // shares displayed at Ask, > 0
	Bid     Money // best bid, NoPrice when there is none
	BidSize int64
	// Seq identifies the row that set this quote (its position in the
	// stream). It changes exactly when a new kept row replaces the venue's
	// quote, which is when shares a strategy took from the venue come back
	// (the depletion rule).
	Seq int
}

// Snapshot is one decision point: the venues quoting an ask at time Time,
// in ascending publisher id order.
type Snapshot struct {
	Time   int64 // ts_event, nanoseconds since the Unix epoch
	Quotes []Quote
}

// Offers is what a strategy that has taken nothing yet could take at the
// snapshot: one offer per quoting venue with its whole displayed size and
// the venue's fee and rebate from venues.
func (s *Snapshot) Offers(venues Venues) []Offer {
	b := NewBook(venues)
	if err := b.SetQuotes(s); err != nil {
		return nil // an all-in price that is not positive: no sane offer
	}
	return b.Offers(nil, &Taken{})
}

// Window restricts a backtest to Start <= ts_event < End. A zero Start or End
// leaves that side open.
type Window struct {
	Start, End int64
}

// Contains reports whether Start <= t < End (a zero bound being open).
func (w Window) Contains(t int64) bool {
	return (w.Start == 0 || t >= w.Start) && (w.End == 0 || t < w.End)
}

// BuildSnapshots turns rows into decision points, collecting what a Book
// shows at each (the explicit collect step for notebooks and tests; a
// backtest of a file streams instead):
//
//  1. rows are ordered by ts_event, keeping file order among equal times;
//  2. rows outside the window are dropped;
//  3. at each distinct ts_event, only the first row of each publisher counts;
//  4. a venue's quote is its latest counted row, and the snapshot at time t
//     lists every venue whose quote has an ask price and an ask size > 0.
//
// Every distinct ts_event in the window is one snapshot, even an empty one.
// rows is not modified. Quotes whose all-in price would be refused by a
// backtest are kept here: Backtest refuses them.
func BuildSnapshots(rows []Row, w Window) []Snapshot {
	c := &collector{}
	if _, err := Play(NewStream(rows, w), NewBook(nil), c); err != nil {
		// Without fees and a cash guard a Book refuses only a publisher id
		// outside 0-65535, which no reader produces: keep what was built.
		return c.snaps
	}
	return c.snaps
}

// collector is the Player that records every decision point.
type collector struct {
	snaps   []Snapshot
	backing []Quote // shared storage for the snapshots' quote lists
}

func (c *collector) Row(*Book, *Row) error { return nil }
func (c *collector) DecisionsOnly()        {}

func (c *collector) Decide(b *Book) (bool, error) {
	qs := b.Quotes()
	if cap(c.backing)-len(c.backing) < len(qs) {
		c.backing = make([]Quote, 0, max(4096, 2*len(qs)))
	}
	start := len(c.backing)
	c.backing = append(c.backing, qs...)
	c.snaps = append(c.snaps, Snapshot{Time: b.Time(), Quotes: c.backing[start:len(c.backing):len(c.backing)]})
	return false, nil
}
