package replay

import (
	"fmt"
	"slices"
	"time"

	"github.com/sorlab/sorlab/sor"
)

// Variant is one way to execute a slice of a schedule (see Slicer).
type Variant uint8

const (
	MarketOnly Variant = iota // market orders at the best asks when the slice starts
	CKSplit                   // the Cont-Kukanov split: market orders and limit orders at the bids
	LimitOnly                 // limit orders at the best bid only
)

// Variants are the three ways of the placement experiment, the reference
// (MarketOnly) first.
var Variants = []Variant{MarketOnly, CKSplit, LimitOnly}

func (v Variant) String() string {
	switch v {
	case MarketOnly:
		return "market_only"
	case CKSplit:
		return "ck_split"
	case LimitOnly:
		return "limit_only"
	}
	return fmt.Sprintf("Variant(%d)", v)
}

// Slicer buys the order on a fixed schedule and executes every slice one
// way, so that ways of placing orders can be compared on the same schedule
// (the placement experiment, Placement). The schedule: from the first row,
// n = max(1, ⌊(last − first)/T⌋) slices of length T, the last ending at
// first + n·T, or at the last row when the data are shorter than T. By the
// end of slice k the order aims at the cumulative target
//
//	C(k+1) = ⌊S·(k+1)/n⌋ shares.
//
// At the first decision point of slice k the Slicer cancels the limit
// orders still open and catches up: it buys C(k) − F with market orders at
// the cheapest asks, where F is what is filled or on its way as market
// orders (the shortfall of the earlier slices). The slice's own target is
// then q = C(k+1) − max(F, C(k)), executed by the Variant:
//
//	MarketOnly  q as market orders at the cheapest asks (ask + fee, then publisher id)
//	CKSplit     the Cont-Kukanov problem for q over a horizon T (CKRouter.Problem and
//	            ck.Solve, with Router's penalties): M as market orders, L_k as limit
//	            orders at the bid of each venue k at the best bid
//	LimitOnly   q as one limit order at the best bid, at the venue there with the
//	            shortest queue (ties: the larger rebate, then the lower id)
//
// Market orders take at most what each ask shows; the rest is carried and
// sent at the next decision points. When the book cannot be used at the
// slice's start (no bid or no ask, or locked or crossed, as CKRouter.Problem
// says) CKSplit and LimitOnly wait for a decision point of the slice where
// it can; if none comes, the slice is bought at the next catch-up. After the
// last slice the Slicer buys whatever is left at every decision point.
// Over-fills are possible (the split may book more than q, as the paper
// allows) and lower the next slices' targets.
//
// Orders carry a Tag (SliceTag): the slice and whether they catch up, and
// Refs[k] is the cheapest ask + fee when slice k started (sor.NoPrice when
// none), against which catch-ups are measured.
type Slicer struct {
	Variant Variant
	Slice   time.Duration // T; default 10 s
	// Router holds the split's settings for CKSplit (the penalties,
	// Iterations, MinWindows, AllowAssumptionViolations); its Horizon is
	// the slice T. LimitOnly uses it only to find the venues at the best bid.
	Router CKRouter

	Refs []sor.Money

	setup     Setup
	n         int64 // slices
	end       int64 // when the last slice ends
	k         int64 // the current slice (n after the schedule; −1 before the first decision)
	target    int64 // the current slice's own shares, before it started
	started   bool  // the current slice's orders are placed
	catch     int64 // catch-up shares not yet sent
	market    int64 // the slice's market shares not yet sent
	cancelled map[int]bool
	ck        *CKRouter
}

// SliceTag is the Tag of a Slicer's order for slice k: 2k for the slice's
// own orders, 2k + 1 for those that catch up slices up to k.
func SliceTag(k int64, catchUp bool) int {
	t := 2 * int(k)
	if catchUp {
		t++
	}
	return t
}

// ParseSliceTag inverts SliceTag.
func ParseSliceTag(tag int) (k int64, catchUp bool) { return int64(tag / 2), tag%2 == 1 }

func (s *Slicer) Name() string { return s.Variant.String() }

func (s *Slicer) slice() int64 {
	if s.Slice <= 0 {
		return int64(10 * time.Second)
	}
	return int64(s.Slice)
}

// Slices is the number of slices n of the last Start.
func (s *Slicer) Slices() int64 { return s.n }

func (s *Slicer) Start(st Setup) error {
	if s.Variant > LimitOnly {
		return fmt.Errorf("slicer: unknown variant %v", s.Variant)
	}
	T := s.slice()
	s.setup = st
	s.n = max(1, (st.Last-st.First)/T)
	s.end = st.First + s.n*T
	if s.end > st.Last || s.end < st.First { // shorter than one slice, or an overflow
		s.end = st.Last
	}
	s.k, s.target, s.started, s.catch, s.market = -1, 0, false, 0, 0
	s.Refs = s.Refs[:0]
	s.cancelled = map[int]bool{}
	s.ck = s.Router.Clone()
	s.ck.Horizon = time.Duration(T)
	return s.ck.Start(st)
}

// cum is C(k) = ⌊S·k/n⌋, exactly: S·k stays far below 2^63 for any order
// the engine accepts and n slices of at least a nanosecond.
func (s *Slicer) cum(k int64) int64 {
	k = min(k, s.n)
	return s.setup.OrderSize/s.n*k + s.setup.OrderSize%s.n*k/s.n
}

// at is the slice of time t: n once the schedule is over.
func (s *Slicer) at(t int64) int64 {
	if t >= s.end {
		return s.n
	}
	return min((t-s.setup.First)/s.slice(), s.n-1)
}

func (s *Slicer) Decide(v *View) ([]Order, error) {
	if s.Variant == CKSplit {
		s.ck.ingest(v.Rows)
	}
	var orders []Order
	for _, o := range v.Open { // cancels that overtook their orders: send them again
		if slices.Contains(v.Rejected, o.ID) {
			orders = append(orders, Order{Kind: Cancel, ID: o.ID})
		}
	}
	F := v.Filled + v.Pending(Market)
	if k := s.at(v.Time); k > s.k {
		for _, o := range v.Open {
			if o.Kind == Limit && !s.cancelled[o.ID] {
				s.cancelled[o.ID] = true
				orders = append(orders, Order{Kind: Cancel, ID: o.ID})
			}
		}
		s.catch = max(s.cum(k)-F, 0)
		s.k, s.market, s.started = k, 0, false
		s.target = max(s.cum(k+1)-max(F, s.cum(k)), 0)
		for int64(len(s.Refs)) <= min(k, s.n-1) {
			s.Refs = append(s.Refs, sor.NoPrice)
		}
		if k < s.n {
			s.Refs[k] = cheapest(v)
		}
	}
	want := v.Remaining() - v.Pending(Market)
	if s.k >= s.n { // the schedule is over: buy what is left
		s.catch = want
	}
	if s.catch > 0 && want > 0 {
		for _, o := range sweep(v, min(s.catch, want)) {
			o.Tag = SliceTag(s.k-1, true)
			s.catch -= o.Shares
			want -= o.Shares
			orders = append(orders, o)
		}
	}
	if s.k < s.n && !s.started {
		more, err := s.place(v)
		if err != nil {
			return nil, err
		}
		orders = append(orders, more...)
	}
	if s.market > 0 && want > 0 {
		for _, o := range sweep(v, min(s.market, want)) {
			o.Tag = SliceTag(s.k, false)
			s.market -= o.Shares
			orders = append(orders, o)
		}
	}
	return orders, nil
}

// place starts the current slice the Variant's way, if the book allows.
func (s *Slicer) place(v *View) ([]Order, error) {
	q := s.target
	if q <= 0 {
		s.started = true
		return nil, nil
	}
	tag := SliceTag(s.k, false)
	switch s.Variant {
	case MarketOnly:
		s.market, s.started = q, true
		return nil, nil
	case CKSplit:
		m, limits, ok, err := s.ck.split(v, q)
		if err != nil || !ok {
			return nil, err
		}
		for i := range limits {
			limits[i].Tag = tag
		}
		s.market, s.started = m, true
		return limits, nil
	}
	venues, p, ok := s.ck.Problem(v, q)
	if !ok {
		return nil, nil
	}
	best := 0
	for k := range venues {
		if p.Queues[k] < p.Queues[best] || (p.Queues[k] == p.Queues[best] && p.Rebates[k] > p.Rebates[best]) {
			best = k
		}
	}
	bid, _ := v.Quote(venues[best])
	s.started = true
	return []Order{{Kind: Limit, Venue: venues[best], Shares: q, Price: bid.Bid, Tag: tag}}, nil
}

// cheapest is the lowest ask + fee the view offers (sor.NoPrice: none).
func cheapest(v *View) sor.Money {
	offers := v.Offers()
	if k := sor.CheapestOffer(offers); k >= 0 {
		return offers[k].Price()
	}
	return sor.NoPrice
}
