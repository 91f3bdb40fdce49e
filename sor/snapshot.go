package sor

import (
	"errors"
	"fmt"
)

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

// BuildSnapshots turns rows held in memory into decision points, collecting
// what a Book shows at each (CollectSnapshots does the same for a Source,
// a file among them; a backtest of a file streams instead):
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
	// Without fees and a cash guard a Book refuses only a publisher id
	// outside 0-65535, which no reader produces: the error is never met.
	snaps, _ := CollectSnapshots(NewStream(rows, w))
	return snaps
}

// ErrTooManyRows is wrapped by the error of CollectRows when the source
// holds more rows than the caller allowed.
var ErrTooManyRows = errors.New("too many rows to collect")

// CollectRows is the explicit collect step for rows: it reads a source (a
// file opened with OpenSource, already cut to its window and instrument and
// put in time order) into memory, for a notebook's table or a chart. limit
// bounds the rows held (0 or less: no bound): a source whose Span holds more
// is refused before any row is read, with an error wrapping ErrTooManyRows;
// a source that meets more while reading is refused then. Errors reading
// the source are returned as they are (a *ParseError names file, line and
// column).
func CollectRows(src Source, limit int) ([]Row, error) {
	n := src.Span().Rows
	if limit > 0 && n > int64(limit) {
		return nil, fmt.Errorf("%w: the source holds %d rows, more than %d: narrow the window, or allow more", ErrTooManyRows, n, limit)
	}
	rows := make([]Row, 0, max(n, 0))
	rec, _ := src.(Recycler)
	var over bool
	err := src.Chunks(func(chunk []Row) bool {
		if over = limit > 0 && len(rows)+len(chunk) > limit; over {
			return false
		}
		rows = append(rows, chunk...)
		if rec != nil {
			rec.Recycle(chunk) // copied: the source may reuse it
		}
		return true
	})
	switch {
	case err != nil:
		return nil, err
	case over:
		return nil, fmt.Errorf("%w: the source yielded more rows than the %d allowed (its span said %d)", ErrTooManyRows, limit, n)
	}
	return rows, nil
}

// CollectSnapshots is the explicit collect step for decision points: it
// plays a source through a Book and keeps what the book shows at each
// distinct ts_event (see BuildSnapshots for the rules), for a notebook's
// table, a chart, or Backtest and Run. A backtest of a file does not need
// it: RunSource streams. It returns the first error met reading the source.
func CollectSnapshots(src Source) ([]Snapshot, error) {
	c := &collector{}
	if _, err := Play(src, NewBook(nil), c); err != nil {
		return nil, err
	}
	return c.snaps, nil
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
