package sor

import (
	"cmp"
	"slices"
)

// Quote is a venue's top of book in a snapshot.
type Quote struct {
	Venue   int   // publisher id
	Ask     Money // best ask price, > 0
	AskSize int64 // shares displayed at Ask, > 0
	Bid     Money // best bid, NoPrice when there is none
	BidSize int64
	// Seq identifies the row that set this quote. It changes exactly when a
	// new kept row replaces the venue's quote, which is when shares a
	// strategy took from the venue come back (the depletion rule).
	Seq int
}

// Snapshot is one decision point: the venues quoting an ask at time Time,
// in ascending publisher id order.
type Snapshot struct {
	Time   int64 // ts_event, nanoseconds since the Unix epoch
	Quotes []Quote
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

// BuildSnapshots turns rows into decision points:
//
//  1. rows are ordered by ts_event, keeping file order among equal times;
//  2. rows outside the window are dropped;
//  3. at each distinct ts_event, only the first row of each publisher counts;
//  4. a venue's quote is its latest counted row, and the snapshot at time t
//     lists every venue whose quote has an ask price and an ask size > 0.
//
// Every distinct ts_event in the window is one snapshot, even an empty one.
// rows is not modified.
func BuildSnapshots(rows []Row, w Window) []Snapshot {
	order := make([]int32, 0, len(rows))
	sorted := true
	for i := range rows {
		if !w.Contains(rows[i].TsEvent) {
			continue
		}
		if n := len(order); n > 0 && rows[order[n-1]].TsEvent > rows[i].TsEvent {
			sorted = false
		}
		order = append(order, int32(i))
	}
	if !sorted {
		slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(rows[a].TsEvent, rows[b].TsEvent) })
	}

	var (
		snaps   []Snapshot
		current []Quote // every venue seen so far, ascending id; Ask NoPrice when not quoting
		backing []Quote // shared storage for the snapshots' quote lists
		seen    []int   // publishers already counted at the current time
	)
	for i := 0; i < len(order); {
		t := rows[order[i]].TsEvent
		seen = seen[:0]
		for ; i < len(order) && rows[order[i]].TsEvent == t; i++ {
			r := &rows[order[i]]
			if slices.Contains(seen, r.PublisherID) {
				continue
			}
			seen = append(seen, r.PublisherID)
			q := Quote{Venue: r.PublisherID, Ask: r.AskPx, AskSize: r.AskSz, Bid: r.BidPx, BidSize: r.BidSz, Seq: int(order[i])}
			j, found := slices.BinarySearchFunc(current, r.PublisherID, func(q Quote, id int) int { return cmp.Compare(q.Venue, id) })
			if found {
				current[j] = q
			} else {
				current = slices.Insert(current, j, q)
			}
		}
		if cap(backing)-len(backing) < len(current) {
			backing = make([]Quote, 0, max(4096, 2*len(current)))
		}
		start := len(backing)
		for _, q := range current {
			if q.Ask != NoPrice && q.AskSize > 0 {
				backing = append(backing, q)
			}
		}
		snaps = append(snaps, Snapshot{Time: t, Quotes: backing[start:len(backing):len(backing)]})
	}
	return snaps
}
