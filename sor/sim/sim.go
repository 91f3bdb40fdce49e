package sim

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
)

// Book sides, used as indexes into venueState.q.
const (
	bid = 0
	ask = 1
)

// eventKind is the type of an order-flow event at one venue.
type eventKind uint8

const (
	addBid     eventKind = iota // limit buy at the best bid
	addAsk                      // limit sell at the best ask
	cancelBid                   // cancellation at the best bid
	cancelAsk                   // cancellation at the best ask
	buyMarket                   // market buy, lifts the ask
	sellMarket                  // market sell, hits the bid
	numKinds                    // the kinds above arrive in Poisson streams of constant rates
)

// Events whose rate depends on the venue's state (see reactiveRates).
const (
	improve     eventKind = numKinds + iota // limit order inside a venue's spread of two ticks or more
	withdrawBid                             // an order of a stale bid withdrawn
	withdrawAsk                             // an order of a stale ask withdrawn
)

// stream is one Poisson stream of events: a venue's own stream of one kind,
// or (venue == common) a market-wide stream whose events are delivered to
// each venue v with probability deliver[v].
type stream struct {
	kind  eventKind
	venue int
}

const common = -1

// pcgStream is the second word of the PCG state; the seed is the first.
const pcgStream = 0x53494d585f534f52 // "SIMX_SOR"

type venueState struct {
	q   [2]queue // best bid, best ask
	seq uint32   // last sequence number used
}

// reactive are a venue's rates of the events whose intensity depends on its
// state (see reactiveRates).
type reactive struct {
	improve, stale float64
	kind           eventKind // withdrawBid or withdrawAsk, when stale > 0
}

// Stats counts what a run produced.
type Stats struct {
	Events int64 // order-flow events that changed a book (a common event delivered to three venues counts three)
	Rows   int64 // rows emitted
	Venues []VenueStats
}

// VenueStats counts one venue's rows by action.
type VenueStats struct {
	Rows, Adds, Cancels, Trades int64
	TradedShares                int64
}

// Sim is the state of one simulation run. Create it with New and drive it
// with Run; it is not safe for concurrent use.
type Sim struct {
	p         Params
	rng       *rand.Rand
	v         []venueState
	streams   []stream
	cum       []float64  // cumulative stream rates, per second
	deliver   []float64  // probability that a common event reaches venue v
	react     []reactive // per venue, the rates of its state-dependent events
	poisL     []float64  // exp(-(Depth-1)) per venue, for Knuth's Poisson draw
	cancelRef []float64  // CancelSaturation*Depth per venue
	limit     sizeDist
	market    sizeDist
	end       int64   // end of the run, ns since the epoch
	eff       float64 // efficient price, in cents
	volNs     float64 // its standard deviation over one nanosecond, in cents
	sweepNs   float64

	// The event being applied.
	evVenue  int
	evTs     int64
	evRecv   int64
	lastRecv int64
	rows     []Row

	// Order-level output (see RunMBO). Ids are handed out whether or not
	// anyone listens, and never with a random draw, so the MBP-1 rows are
	// the same either way.
	lastID  uint64
	mboOn   bool
	mbo     []MBO // records of the event being applied
	mboDone int   // mbo[:mboDone] are stamped with their MBP-1 row's times and sequence

	stats Stats
	ran   bool
}

// New prepares a run of the model with parameters p, deterministic in seed.
func New(p Params, seed uint64) (*Sim, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p.Venues = slices.Clone(p.Venues)
	s := &Sim{
		p:       p,
		rng:     rand.New(rand.NewPCG(seed, pcgStream)),
		v:       make([]venueState, len(p.Venues)),
		react:   make([]reactive, len(p.Venues)),
		limit:   newSizeDist(p.LimitSizes),
		market:  newSizeDist(p.MarketSizes),
		end:     p.Start.UnixNano() + int64(p.Duration),
		sweepNs: float64(p.SweepLatencyMean),
		evTs:    p.Start.UnixNano(),
	}
	s.lastRecv = s.evTs
	const secondsPerYear = 252 * 6.5 * 3600
	s.eff = math.Round(p.StartPrice*100) + 0.5
	s.volNs = s.eff * p.Volatility / math.Sqrt(secondsPerYear*1e9)
	s.stats.Venues = make([]VenueStats, len(p.Venues))

	// Streams: for each kind a common one, then each venue's own.
	maxShare := 0.0
	for _, v := range p.Venues {
		maxShare = max(maxShare, v.Share)
	}
	s.deliver = make([]float64, len(p.Venues))
	for i, v := range p.Venues {
		s.deliver[i] = v.Share / maxShare
		s.poisL = append(s.poisL, math.Exp(-(v.Depth - 1)))
		s.cancelRef = append(s.cancelRef, p.CancelSaturation*v.Depth)
	}
	rates := [numKinds]float64{p.AddRate, p.AddRate, p.CancelRate, p.CancelRate, p.MarketRate, p.MarketRate}
	total := 0.0
	addStream := func(k eventKind, venue int, rate float64) {
		if rate <= 0 {
			return
		}
		total += rate
		s.streams = append(s.streams, stream{k, venue})
		s.cum = append(s.cum, total)
	}
	for k := range numKinds {
		addStream(k, common, p.Alpha*maxShare*rates[k])
		for i, v := range p.Venues {
			addStream(k, i, (1-p.Alpha)*v.Share*rates[k])
		}
	}

	// Initial book: every venue quotes StartPrice / StartPrice+1 tick with
	// fresh queues.
	px := int64(math.Round(p.StartPrice * 100))
	for i := range s.v {
		// Sequence numbers continue a session that started earlier.
		s.v[i].seq = 1_000_000 + s.rng.Uint32N(40_000_000)
		s.reveal(i, bid, px+1) // bid at px
		s.reveal(i, ask, px)   // ask at px+1
	}
	return s, nil
}

// Stats returns the counts so far.
func (s *Sim) Stats() Stats {
	st := s.stats
	st.Venues = slices.Clone(st.Venues)
	return st
}

// Run generates events in time order from Params.Start to Start+Duration
// and calls emit for every row, in order. The Row is only valid during the
// call. Run stops at the first error from emit and returns it. A Sim runs
// once; a second call returns an error.
func (s *Sim) Run(emit func(*Row) error) error {
	return s.RunMBO(emit, nil)
}

// RunMBO is Run with the order-level view as well: emitMBO receives every
// MBO record (see MBO for how events become records), emit every MBP-1 row,
// each stream in order; either function may be nil. The MBP-1 rows are
// exactly those of Run with the same seed. Records are only valid during
// the call.
func (s *Sim) RunMBO(emit func(*Row) error, emitMBO func(*MBO) error) error {
	if s.ran {
		return errors.New("sim: Run called twice")
	}
	s.ran = true
	if emit == nil {
		emit = func(*Row) error { return nil }
	}
	if emitMBO != nil {
		s.mboOn = true
		if err := s.snapshot(emitMBO); err != nil {
			return err
		}
	}
	base := s.cum[len(s.cum)-1]
	t := s.p.Start.UnixNano()
	for {
		// The rates hold until the next event, which changes the state
		// they depend on: the next event is drawn from them (Gillespie's
		// method), then the efficient price moves on to its time.
		total := base + s.reactiveRates()
		wait := s.rng.ExpFloat64() / total * 1e9
		if wait >= float64(s.end-t) { // in float: a long wait would overflow int64
			return nil
		}
		dt := int64(wait)
		t += dt
		u := s.rng.Float64() * total
		s.eff += s.volNs * math.Sqrt(float64(dt)) * s.rng.NormFloat64()
		if u >= base {
			v, k := s.pickReactive(u - base)
			if err := s.apply(v, k, t, emit, emitMBO); err != nil {
				return err
			}
			continue
		}
		i, _ := slices.BinarySearch(s.cum, u)
		st := s.streams[min(i, len(s.cum)-1)]
		if st.venue != common {
			if err := s.apply(st.venue, st.kind, t, emit, emitMBO); err != nil {
				return err
			}
			continue
		}
		// A common event: every venue receives it with probability
		// deliver[v], one after the other a few microseconds apart, as
		// when one participant's orders fan out over the venues.
		first := true
		for v, q := range s.deliver {
			if q < 1 && s.rng.Float64() >= q {
				continue
			}
			if !first {
				t += 1 + int64(s.rng.ExpFloat64()*s.sweepNs)
			}
			first = false
			if t >= s.end {
				return nil
			}
			if err := s.apply(v, st.kind, t, emit, emitMBO); err != nil {
				return err
			}
		}
	}
}

// reactiveRates sets each venue's rates of the events whose intensity
// depends on its state, and returns their sum: ImproveRate while its spread
// is two ticks or more, and StaleRate for each order of a stale quote (a bid
// above the efficient price, or an ask below it).
func (s *Sim) reactiveRates() float64 {
	sum := 0.0
	for v := range s.v {
		vs, r := &s.v[v], &s.react[v]
		*r = reactive{}
		if vs.q[ask].px-vs.q[bid].px >= 2 {
			r.improve = s.p.ImproveRate
		}
		switch {
		case float64(vs.q[bid].px) > s.eff:
			r.stale, r.kind = s.p.StaleRate*float64(len(vs.q[bid].orders)), withdrawBid
		case float64(vs.q[ask].px) < s.eff:
			r.stale, r.kind = s.p.StaleRate*float64(len(vs.q[ask].orders)), withdrawAsk
		}
		sum += r.improve + r.stale
	}
	return sum
}

// pickReactive returns the venue and kind of the reactive event at u in
// [0, sum of the reactive rates).
func (s *Sim) pickReactive(u float64) (int, eventKind) {
	v, k := 0, improve
	for w, r := range s.react {
		if r.improve > 0 {
			if v, k = w, improve; u < r.improve {
				break
			}
			u -= r.improve
		}
		if r.stale > 0 {
			if v, k = w, r.kind; u < r.stale {
				break
			}
			u -= r.stale
		}
	}
	return v, k // rounding past the end: the last event with a rate
}

// apply applies one event of kind k at venue v at time ts and emits its rows
// and, when emitMBO is not nil, its MBO records.
func (s *Sim) apply(v int, k eventKind, ts int64, emit func(*Row) error, emitMBO func(*MBO) error) error {
	s.rows = s.rows[:0]
	s.mbo, s.mboDone = s.mbo[:0], 0
	s.evTs = ts
	k = s.pull(v, k)
	switch k {
	case addBid:
		s.add(v, bid)
	case addAsk:
		s.add(v, ask)
	case cancelBid:
		s.cancel(v, bid)
	case cancelAsk:
		s.cancel(v, ask)
	case buyMarket:
		s.marketOrder(v, ask)
	case sellMarket:
		s.marketOrder(v, bid)
	case improve:
		s.improve(v)
	case withdrawBid:
		s.removeOrder(v, bid, s.rng.IntN(len(s.v[v].q[bid].orders)))
	case withdrawAsk:
		s.removeOrder(v, ask, s.rng.IntN(len(s.v[v].q[ask].orders)))
	}
	if len(s.rows) == 0 {
		return nil // thinned: nothing happened
	}
	s.stats.Events++
	s.rows[len(s.rows)-1].Flags |= FlagLast
	for i := range s.rows {
		r := &s.rows[i]
		vs := &s.stats.Venues[r.Venue]
		vs.Rows++
		switch r.Action {
		case 'A':
			vs.Adds++
		case 'C':
			vs.Cancels++
		case 'T':
			vs.Trades++
			vs.TradedShares += int64(r.Size)
		}
		s.stats.Rows++
		if err := emit(r); err != nil {
			return err
		}
	}
	return s.emitMBO(emitMBO)
}

// pull sends a market order at venue v towards the efficient price: a sell
// becomes a buy with probability min(MaxPull, Pull*x) when the efficient
// price is x > 0 ticks above the venue's ask less half a tick (its mid when
// the spread is one tick), and a buy becomes a sell likewise when the
// efficient price is below the bid plus half a tick. Other events pass.
func (s *Sim) pull(v int, k eventKind) eventKind {
	if s.p.Pull == 0 || (k != buyMarket && k != sellMarket) {
		return k
	}
	vs := &s.v[v]
	other, x := buyMarket, s.eff-(float64(vs.q[ask].px)-0.5)
	if k == buyMarket {
		other, x = sellMarket, float64(vs.q[bid].px)+0.5-s.eff
	}
	if x > 0 && s.rng.Float64() < min(s.p.MaxPull, s.p.Pull*x) {
		return other
	}
	return k
}

// emitRow records a row of the current event at venue v, with the venue's
// book as it is now.
func (s *Sim) emitRow(v int, action, side byte, px int64, size int32) {
	if len(s.rows) == 0 || s.evVenue != v {
		// First row of this event at this venue: stamp the capture time.
		s.evVenue = v
		lat := float64(s.p.Venues[v].Latency)
		recv := s.evTs + int64(lat+s.rng.ExpFloat64()*lat/4)
		s.evRecv = max(recv, s.lastRecv)
		s.lastRecv = s.evRecv
	}
	vs := &s.v[v]
	vs.seq++
	s.stampMBO(vs.seq)
	b, a := &vs.q[bid], &vs.q[ask]
	s.rows = append(s.rows, Row{
		TsRecv:    s.evRecv,
		TsEvent:   s.evTs,
		Venue:     v,
		Publisher: s.p.Venues[v].PublisherID,
		Action:    action,
		Side:      side,
		Price:     px,
		Size:      size,
		TsInDelta: int32(s.evRecv - s.evTs),
		Sequence:  vs.seq,
		BidPx:     b.px,
		AskPx:     a.px,
		BidSz:     int32(b.size),
		AskSz:     int32(a.size),
		BidCt:     b.count(),
		AskCt:     a.count(),
	})
}

func sideByte(side int) byte {
	if side == bid {
		return 'B'
	}
	return 'A'
}

// limitSize draws the size of a new limit order: usually from LimitSizes,
// with probability LargeProb a large resting quote.
func (s *Sim) limitSize() int32 {
	if s.p.LargeProb > 0 && s.rng.Float64() < s.p.LargeProb {
		lots := (s.p.LargeMax - s.p.LargeMin) / 100
		return int32(s.p.LargeMin + 100*s.rng.IntN(lots+1))
	}
	return s.limit.draw(s.rng)
}

// bestExcept returns the best price on side among venues other than v:
// the highest bid or the lowest ask.
func (s *Sim) bestExcept(v, side int) (int64, bool) {
	best, ok := int64(0), false
	for w := range s.v {
		if w == v {
			continue
		}
		px := s.v[w].q[side].px
		if !ok || (side == bid && px > best) || (side == ask && px < best) {
			best, ok = px, true
		}
	}
	return best, ok
}

// canQuote reports whether venue v may post on side at px without locking or
// crossing the consolidated book: a bid must stay below every other venue's
// ask, an ask above every other venue's bid, and both below/above the
// venue's own opposite quote.
func (s *Sim) canQuote(v, side int, px int64) bool {
	if side == bid {
		if px >= s.v[v].q[ask].px {
			return false
		}
		a, ok := s.bestExcept(v, ask)
		return !ok || px < a
	}
	if px <= s.v[v].q[bid].px {
		return false
	}
	b, ok := s.bestExcept(v, bid)
	return !ok || px > b
}

// add: a limit order joins the back of the best queue on side.
func (s *Sim) add(v, side int) {
	size := s.limitSize()
	s.push(v, side, size)
	s.emitRow(v, 'A', sideByte(side), s.v[v].q[side].px, size)
}

// improve: an order arrives inside venue v's spread of two ticks or more,
// on the side of the efficient price (a bid when it is above the venue's
// mid, an ask when below), unless that would lock or cross another venue.
func (s *Sim) improve(v int) {
	vs := &s.v[v]
	side := ask
	if 2*s.eff > float64(vs.q[bid].px+vs.q[ask].px) {
		side = bid
	}
	px, ok := s.improvePrice(v, side)
	if !ok {
		return
	}
	size := s.limitSize()
	s.moveQueue(v, side, px)
	s.push(v, side, size)
	s.emitRow(v, 'A', sideByte(side), px, size)
}

// improvePrice is where an order improving venue v's quote on side goes:
// one tick inside the venue's spread, or straight to the consolidated best
// if the venue's quote is further behind; ok is false when that would lock
// or cross.
func (s *Sim) improvePrice(v, side int) (px int64, ok bool) {
	vs := &s.v[v]
	if side == bid {
		px = vs.q[bid].px + 1
		if best, ok := s.bestExcept(v, bid); ok {
			px = max(px, min(best, vs.q[ask].px-1))
		}
	} else {
		px = vs.q[ask].px - 1
		if best, ok := s.bestExcept(v, ask); ok {
			px = min(px, max(best, vs.q[bid].px+1))
		}
	}
	return px, s.canQuote(v, side, px)
}

// cancel: a cancellation attempt at the best on side. With n orders
// resting, it succeeds with probability min(1, n/(CancelSaturation*Depth)),
// so that each order is cancelled at a rate of its own up to that many
// orders (Params.CancelSaturation); the order cancelled is picked at random from the
// whole queue, as real cancellations come from anywhere in it (a large
// order is spared with probability LargeStickiness: the last order goes
// instead).
func (s *Sim) cancel(v, side int) {
	q := &s.v[v].q[side]
	if n := float64(len(q.orders)); n < s.cancelRef[v] && s.rng.Float64()*s.cancelRef[v] >= n {
		return // the attempt found no order to cancel
	}
	i := s.rng.IntN(len(q.orders))
	if s.p.LargeProb > 0 && int(q.orders[i].size) >= s.p.LargeMin && s.rng.Float64() < s.p.LargeStickiness {
		i = len(q.orders) - 1
	}
	s.removeOrder(v, side, i)
}

// removeOrder cancels the i-th order of venue v's best queue on side.
func (s *Sim) removeOrder(v, side, i int) {
	q := &s.v[v].q[side]
	px := q.px
	o := q.remove(i)
	size := o.size
	s.record(v, 'C', sideByte(side), px, size, o.id)
	emptied := q.empty()
	if emptied {
		s.reveal(v, side, px)
	}
	s.emitRow(v, 'C', sideByte(side), px, size)
	if emptied {
		s.gapFill(v, side, px)
	}
}

// marketOrder: a market order takes liquidity from the best on side (ask for
// a buy, bid for a sell). An order sent to a venue that is not at the
// consolidated best is routed to one that is (order protection), chosen in
// proportion to the venues' shares. Fills are in time priority, one row per
// resting order filled; what is left when the queue empties is cancelled.
func (s *Sim) marketOrder(v, side int) {
	v = s.routeToBest(v, side)
	q := &s.v[v].q[side]
	if m := s.p.MarketQueue; m > 0 && s.rng.Float64()*(m+float64(q.size)) >= m {
		return // thinned: market orders take long queues less often
	}
	aggressor := byte('B')
	if side == bid {
		aggressor = 'A'
	}
	want := s.market.draw(s.rng)
	px := q.px
	for want > 0 {
		id, f := q.take(want)
		want -= f
		s.record(v, 'T', aggressor, px, f, 0)
		s.record(v, 'F', sideByte(side), px, f, id)
		s.record(v, 'C', sideByte(side), px, f, id)
		emptied := q.empty()
		if emptied {
			s.reveal(v, side, px)
		}
		s.emitRow(v, 'T', aggressor, px, f)
		if emptied {
			s.gapFill(v, side, px)
			return
		}
	}
}

func (s *Sim) routeToBest(v, side int) int {
	best, ok := s.bestExcept(v, side)
	px := s.v[v].q[side].px
	if !ok || (side == ask && px <= best) || (side == bid && px >= best) {
		return v
	}
	total := 0.0
	for w := range s.v {
		if s.v[w].q[side].px == best {
			total += s.p.Venues[w].Share
		}
	}
	u := s.rng.Float64() * total
	last := v
	for w := range s.v {
		if s.v[w].q[side].px == best {
			last = w
			u -= s.p.Venues[w].Share
			if u < 0 {
				return w
			}
		}
	}
	return last
}

// reveal replaces the emptied best queue on side, which was at price px, by
// the next level one tick further away, with a fresh queue of 1+Poisson(Depth-1)
// orders.
func (s *Sim) reveal(v, side int, px int64) {
	q := &s.v[v].q[side]
	if side == bid {
		q.reset(px - 1)
	} else {
		q.reset(px + 1)
	}
	n := 1
	for p := s.rng.Float64(); p > s.poisL[v]; p *= s.rng.Float64() {
		n++
	}
	for range n {
		s.push(v, side, s.limitSize())
	}
}

// gapFill: after the best on side emptied at px, with probability GapFillProb
// a new order on the other side takes the vacated price (the price moved by
// a tick, the spread stays one tick), unless that would lock or cross
// another venue.
func (s *Sim) gapFill(v, side int, px int64) {
	if s.rng.Float64() >= s.p.GapFillProb {
		return
	}
	other := 1 - side
	if !s.canQuote(v, other, px) {
		return
	}
	size := s.limitSize()
	s.moveQueue(v, other, px)
	s.push(v, other, size)
	s.emitRow(v, 'A', sideByte(other), px, size)
}

// sizeDist draws sizes from a list of SizeBuckets.
type sizeDist struct {
	cum     []float64
	buckets []SizeBucket
}

func newSizeDist(bs []SizeBucket) sizeDist {
	d := sizeDist{buckets: slices.Clone(bs)}
	t := 0.0
	for _, b := range bs {
		t += b.Weight
		d.cum = append(d.cum, t)
	}
	return d
}

func (d *sizeDist) draw(r *rand.Rand) int32 {
	u := r.Float64() * d.cum[len(d.cum)-1]
	i, _ := slices.BinarySearch(d.cum, u)
	b := d.buckets[min(i, len(d.buckets)-1)]
	n := (b.Max-b.Min)/b.Step + 1
	if n == 1 {
		return int32(b.Min)
	}
	return int32(b.Min + b.Step*r.IntN(n))
}
