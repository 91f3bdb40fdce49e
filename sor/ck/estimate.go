package ck

import (
	"errors"
	"fmt"
)

// BidEvent is one Level-1 observation of the bid side of one venue. It is
// deliberately independent of any feed format: convert your data to it.
//
// An event carries a trade, a quote, or both (the trade is applied first):
//   - TradeSize > 0: sell market orders executed at this venue's best bid
//     (shares).
//   - BidPx > 0: the best bid after the event is BidPx (in integer ticks, or
//     any integer price unit) with BidSize shares displayed. BidPx == 0
//     means "no quote in this event".
type BidEvent struct {
	Time      int64 // nanoseconds, nondecreasing across the slice
	Venue     int   // 0-based venue index
	BidPx     int64 // best bid price in integer units; 0 = no quote update
	BidSize   int64 // shares at the best bid after the event
	TradeSize int64 // shares traded at the bid in this event
}

// MaxWindows bounds the number of windows EstimateOutflows returns (the
// span of the events divided by the horizon); beyond it the horizon is
// almost surely mistaken (1 ns over 9 minutes would be 5.4e11 rows) and
// EstimateOutflows refuses instead of exhausting memory.
const MaxWindows = 1_000_000

// maxCells bounds windows x venues (8 bytes each: 128 MiB).
const maxCells = 1 << 24

// EstimateOutflows turns a time-ordered Level-1 bid stream into a History
// of joint queue outflows over consecutive windows of length horizonNanos
// (the paper's horizon T), one row per window and one column per venue
// (K = 1 + the largest Venue index).
//
// For each venue the estimator tracks the current best bid price P, the
// displayed size q at P (from the last quote), and pend, the shares traded
// at P that no quote has shown leaving yet. It adds to the current window's
// outflow:
//
//  1. a trade of size s at the bid:   t = min(s, q - pend) (the shares not
//     already known to have left), then pend += t;
//  2. a quote at the same price P with size b:
//     if b < q, the decrease d = q - b is first explained by pending trades,
//     e = min(d, pend), already counted by rule 1: add d - e (cancellations,
//     and trades not reported separately), then pend -= e;
//     if b >= q, nothing (new orders join, or the trade is not shown yet);
//     then q = b;
//  3. a quote at a lower price P' < P: the whole remaining queue q - pend
//     (the queue was depleted: a limit order at P would have been reached;
//     pend was counted already), then P = P', q = b, pend = 0;
//  4. a quote at a higher price P' > P: nothing (a new, better queue forms;
//     outflows are measured from it on), then P = P', q = b, pend = 0.
//
// An event with both a trade and a quote applies the trade first. Each
// traded share is thus counted once, whichever book a trade's quote shows:
//
//   - the book after the trade (as sor/sim writes it): q = 500, an event
//     {trade 100, bid 400} adds 100 (rule 1) and 0 (the decrease of 100 is
//     explained by pend = 100);
//   - the book before the trade (as in Databento MBP rows): q = 500, an
//     event {trade 100, bid 500} adds 100 and leaves pend = 100; the next
//     quote {bid 400} adds 0; a next quote {bid 380} would add 20
//     (cancellations) instead.
//
// As in a cumulative traded-quantity rule, pend can hide a genuine
// cancellation that follows a trade whose decrease was masked by new
// orders joining (b >= q); it is cleared at every price change.
//
// The first quote of a venue only initialises its state. Trades before it
// are ignored. Windows are [t0 + wT, t0 + (w+1)T) with t0 the first event's
// time; only complete windows (ending at or before the last event's time)
// are returned, and a venue without events in a window has outflow 0 there;
// pend carries over from one window to the next.
//
// It refuses (with an error naming the numbers) more than MaxWindows
// windows, or more than 2^24 windows x venues, and otherwise allocates
// the rows in one block.
func EstimateOutflows(events []BidEvent, horizonNanos int64) (*History, error) {
	if horizonNanos <= 0 {
		return nil, errors.New("ck: horizon must be positive")
	}
	if len(events) == 0 {
		return nil, errors.New("ck: no events")
	}
	k := 0
	for i, e := range events {
		if err := e.check(); err != nil {
			return nil, fmt.Errorf("ck: event %d %w", i, err)
		}
		if i > 0 && e.Time < events[i-1].Time {
			return nil, fmt.Errorf("ck: events not time-ordered at index %d", i)
		}
		k = max(k, e.Venue+1)
	}
	// The limits are checked before anything is allocated, and then every
	// window is allocated in one block.
	nw, err := completeWindows(events[0].Time, events[len(events)-1].Time, horizonNanos, k)
	if err != nil {
		return nil, err
	}
	o, _ := NewOutflows(horizonNanos)
	o.k, o.st, o.cells = k, make([]outflowState, k), make([]float64, 0, (nw+1)*k)
	for _, e := range events {
		if err := o.Add(e); err != nil {
			return nil, err
		}
	}
	return o.History()
}

// check refuses an event no Level-1 data can produce.
func (e BidEvent) check() error {
	if e.Venue < 0 {
		return errors.New("has negative venue")
	}
	if e.Venue >= maxCells {
		return fmt.Errorf("has venue index %d, above the limit of %d", e.Venue, maxCells-1)
	}
	if e.BidPx < 0 || e.BidSize < 0 || e.TradeSize < 0 {
		return errors.New("has a negative price or size")
	}
	return nil
}

// completeWindows is the number of complete windows of length horizon
// between times t0 and last (windows [t0 + wT, t0 + (w+1)T) ending at or
// before last), refused beyond MaxWindows or 2^24 windows x k venues.
func completeWindows(t0, last, horizon int64, k int) (int, error) {
	// The span is computed in uint64: times are nondecreasing, so the true
	// difference fits there even when last - t0 overflows int64.
	span := uint64(last) - uint64(t0)
	nw64 := span / uint64(horizon)
	if nw64 < 1 {
		return 0, errors.New("ck: the events span less than one complete window")
	}
	if nw64 > MaxWindows {
		return 0, fmt.Errorf("ck: %d windows of %d ns in a span of %d ns exceed the limit of %d: use a longer horizon or fewer events",
			nw64, horizon, span, MaxWindows)
	}
	nw := int(nw64)
	if k > maxCells/nw {
		return 0, fmt.Errorf("ck: %d windows x %d venues = %d outflows exceed the limit of %d: use a longer horizon or fewer venues",
			nw, k, int64(nw)*int64(k), maxCells)
	}
	return nw, nil
}

// Outflows is EstimateOutflows one event at a time: it keeps the outflow of
// every window so far (not the events), so that a router can read the
// estimate at each decision without holding the stream. Its History after
// the events e_1..e_n is EstimateOutflows(e_1..e_n).
type Outflows struct {
	horizon int64
	t0      int64
	last    int64
	n       int // events added
	k       int // venues seen
	st      []outflowState
	cells   []float64 // window w, venue v at w·k + v: every window so far, the last one possibly incomplete
	err     error     // sticky: an event was refused
}

type outflowState struct {
	known       bool
	px, q, pend int64 // 0 <= pend <= q after every event
}

// NewOutflows starts an estimate over windows of horizonNanos.
func NewOutflows(horizonNanos int64) (*Outflows, error) {
	if horizonNanos <= 0 {
		return nil, errors.New("ck: horizon must be positive")
	}
	return &Outflows{horizon: horizonNanos}, nil
}

// Add adds the next event (see EstimateOutflows for the rules). An error
// (a malformed event, events out of time order, too many windows) is
// returned again by every later call and by History.
func (o *Outflows) Add(e BidEvent) error {
	if o.err != nil {
		return o.err
	}
	if err := e.check(); err != nil {
		o.err = fmt.Errorf("ck: event %d %w", o.n, err)
		return o.err
	}
	if o.n == 0 {
		o.t0 = e.Time
	} else if e.Time < o.last {
		o.err = fmt.Errorf("ck: events not time-ordered at index %d", o.n)
		return o.err
	}
	o.n++
	o.last = e.Time
	w64 := (uint64(e.Time) - uint64(o.t0)) / uint64(o.horizon)
	k := max(o.k, e.Venue+1)
	if w64 >= MaxWindows+1 || (w64+1)*uint64(k) > maxCells+uint64(k) {
		o.err = fmt.Errorf("ck: window %d of %d ns x %d venues exceeds the limits of %d windows and %d outflows: use a longer horizon or fewer venues",
			w64, o.horizon, k, MaxWindows, maxCells)
		return o.err
	}
	if k > o.k { // a new venue: a new column in every window
		nw := len(o.cells) / max(o.k, 1)
		cells := make([]float64, nw*k, max(cap(o.cells)/max(o.k, 1), nw)*k)
		for w := range nw {
			copy(cells[w*k:], o.cells[w*o.k:(w+1)*o.k])
		}
		o.cells, o.k = cells, k
		o.st = append(o.st, make([]outflowState, k-len(o.st))...)
	}
	if need := (int(w64) + 1) * k; len(o.cells) < need {
		o.cells = append(o.cells, make([]float64, need-len(o.cells))...)
	}
	var out int64
	s := &o.st[e.Venue]
	if e.TradeSize > 0 && s.known {
		t := min(e.TradeSize, s.q-s.pend)
		out += t
		s.pend += t
	}
	if e.BidPx > 0 {
		switch {
		case !s.known:
			s.known = true
		case e.BidPx == s.px:
			if d := s.q - e.BidSize; d > 0 {
				explained := min(d, s.pend)
				out += d - explained
				s.pend -= explained
			}
		case e.BidPx < s.px:
			out += s.q - s.pend
		}
		if e.BidPx != s.px {
			s.pend = 0
		}
		s.px, s.q = e.BidPx, e.BidSize
	}
	o.cells[int(w64)*k+e.Venue] += float64(out)
	return nil
}

// History is the joint law of the complete windows so far (ending at or
// before the last event's time); an error when there is none yet, or after
// a refused event.
func (o *Outflows) History() (*History, error) {
	if o.err != nil {
		return nil, o.err
	}
	if o.n == 0 {
		return nil, errors.New("ck: no events")
	}
	nw, err := completeWindows(o.t0, o.last, o.horizon, o.k)
	if err != nil {
		return nil, err
	}
	// The rows of complete windows never change again (a new venue's column
	// moves them to a new block, leaving this History's as it is).
	rows := make([][]float64, nw)
	for w := range rows {
		rows[w] = o.cells[w*o.k : (w+1)*o.k : (w+1)*o.k]
	}
	return &History{rows: rows}, nil
}

// Row returns a copy of window i's outflows (one per venue).
func (h *History) Row(i int) []float64 { return append([]float64(nil), h.rows[i]...) }
