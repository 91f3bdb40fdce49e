package replay

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"

	"github.com/sorlab/sorlab/sor"
)

// Backtest runs strategy s on rows held in memory, cut to a window and
// ordered (sor.NewStream; see Run).
func Backtest(rows []sor.Row, w sor.Window, cfg Config, s Strategy) (*Result, error) {
	return Run(sor.NewStream(rows, w), cfg, s)
}

// Run replays a source with strategy s buying cfg.OrderSize shares.
//
// At each distinct ts_event the engine first applies the rows of that time
// (updating quotes and the queue positions of resting orders, filling them
// when trades reach them), then delivers orders and cancels that have arrived
// by then, then asks the strategy to decide, and delivers what arrives at
// once (zero latency). It stops when the order is filled; orders still in
// flight when the data ends arrive against the last book.
func Run(src sor.Source, cfg Config, s Strategy) (*Result, error) {
	rs, errs, err := runAll(src, []job{{cfg: cfg, s: s}})
	if err == nil {
		err = errs[0]
	}
	if err != nil {
		return nil, err
	}
	return rs[0], nil
}

// job is one strategy to run with one configuration (seed included).
type job struct {
	cfg Config
	s   Strategy
}

// runAll runs every job in one pass over src, the jobs shared among up to
// GOMAXPROCS goroutines, each with its own book; results come back in job
// order and do not depend on scheduling. A job that fails (errs[i]: a
// strategy's error, an order the engine refuses) stops alone; the others
// go on. err is an error of the source or of the market itself (a quote
// the book refuses), which stops them all. Every job must have the same
// order size and venues.
func runAll(src sor.Source, jobs []job) (results []*Result, errs []error, err error) {
	span := src.Span()
	engines := make([]*engine, len(jobs))
	results, errs = make([]*Result, len(jobs)), make([]error, len(jobs))
	for i, j := range jobs {
		if j.cfg.OrderSize != jobs[0].cfg.OrderSize {
			return nil, nil, fmt.Errorf("jobs of one pass with order sizes %d and %d", jobs[0].cfg.OrderSize, j.cfg.OrderSize)
		}
		e, err := newEngine(j.cfg, j.s, span)
		if err != nil {
			errs[i] = err
			e = &engine{dead: true, res: &Result{}}
		}
		engines[i] = e
		results[i] = e.res
	}
	defer func() {
		for i, e := range engines {
			if errs[i] == nil {
				errs[i] = e.err
			}
		}
	}()
	if span.Rows == 0 {
		return results, errs, nil
	}
	n := max(1, min(runtime.GOMAXPROCS(0), len(engines)))
	books := make([]*sor.Book, n)
	groups := make([][]sor.Player, n)
	for g := range n {
		// Each group has the same configuration of venues and order size as
		// its engines (jobs of one pass share them).
		books[g] = sor.NewBook(jobs[0].cfg.Venues)
		books[g].Guard(jobs[0].cfg.OrderSize)
		for _, id := range span.Publishers {
			books[g].Add(id)
		}
		m := &market{}
		groups[g] = append(groups[g], m)
		for i := g; i < len(engines); i += n {
			engines[i].m = m
			groups[g] = append(groups[g], engines[i])
		}
	}
	if _, err := sor.PlayParallel(src, books, groups); err != nil {
		return nil, errs, err
	}
	return results, errs, nil
}

// market is the replay's shared view of the venues beyond the sor.Book:
// the trades at each venue's bid not yet shown as a decrease, and the rows
// of the current decision point. It plays before the engines of its group.
type market struct {
	trades    []bidTrades // by publisher id
	cancelled int64       // of the current row: the bid decrease no trade explains
	rows      []sor.Row   // of the current decision point
	t         int64
}

func (m *market) Row(b *sor.Book, r *sor.Row) error {
	if len(m.rows) > 0 && r.TsEvent != m.t {
		m.rows = m.rows[:0]
	}
	m.t = r.TsEvent
	m.rows = append(m.rows, *r)
	if r.PublisherID >= len(m.trades) {
		m.trades = append(m.trades, make([]bidTrades, r.PublisherID+1-len(m.trades))...)
	}
	bid, ask, bidSz := sor.NoPrice, sor.NoPrice, int64(0)
	if q, ok := b.Latest(r.PublisherID); ok {
		bid, ask, bidSz = q.Bid, q.Ask, q.BidSize
	}
	m.cancelled = m.trades[r.PublisherID].step(bid, ask, bidSz, r)
	return nil
}

func (m *market) Decide(*sor.Book) (bool, error) { return false, nil }

// live is the displayed bid size of a venue less the trades not yet shown.
func (m *market) live(venue int, shown int64) int64 {
	if venue >= len(m.trades) {
		return shown
	}
	return m.trades[venue].live(shown)
}

type orderState uint8

const (
	inFlight orderState = iota
	resting
	done
)

type order struct {
	id     int
	kind   Kind
	venue  int // publisher id
	price  sor.Money
	left   int64
	refAsk sor.Money
	state  orderState
	ahead  float64
}

type message struct {
	arrive int64
	seq    int
	o      *order
	cancel bool
}

// engine is one strategy's run: its orders, queues and fills, on the
// market of its group (a sor.Book and the market above). It is a sor.Player.
type engine struct {
	cfg     Config
	s       Strategy
	qm      QueueModel
	rng     *rand.Rand
	m       *market
	known   []int // publishers of the stream, ascending
	taken   sor.Taken
	rests   [][]*order // resting orders by publisher id
	live    []*order
	flight  []message
	seq     int
	reject  []int // orders whose cancels were rejected since the last decision
	res     *Result
	view    View
	filledT bool
	grouped bool  // a decision point is open
	t       int64 // its ts_event
	guard   sor.CashGuard
	err     error // why the engine stopped early
	dead    bool
}

func newEngine(cfg Config, s Strategy, span sor.Span) (*engine, error) {
	if cfg.OrderSize <= 0 {
		return nil, fmt.Errorf("order size must be positive, got %d", cfg.OrderSize)
	}
	if cfg.Fills == nil {
		cfg.Fills = Visible{}
	}
	if err := checkLatency(cfg.Latency); err != nil {
		return nil, err
	}
	model := cfg.Fills.String()
	if cfg.Latency != nil {
		model += ", latency " + cfg.Latency.String()
	}
	e := &engine{cfg: cfg, s: s, qm: cfg.Fills.queue(), known: span.Publishers,
		rng:   rand.New(rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15)),
		guard: sor.CashGuard{OrderSize: cfg.OrderSize},
		res:   &Result{Result: sor.Result{Strategy: s.Name(), OrderSize: cfg.OrderSize}, Model: model, Seed: cfg.Seed, Penalty: cfg.UnfilledPenalty}}
	if err := e.guard.Check(cfg.UnfilledPenalty); err != nil {
		return nil, fmt.Errorf("unfilled penalty: %w", err)
	}
	if span.Rows == 0 {
		return e, nil
	}
	if err := s.Start(Setup{First: span.First, Last: span.Last, OrderSize: cfg.OrderSize, Venues: cfg.Venues, Seed: cfg.Seed}); err != nil {
		return nil, fmt.Errorf("%s: %w", s.Name(), err)
	}
	return e, nil
}

// fail stops the engine with an error named after its strategy and time;
// the other engines of the play go on.
func (e *engine) fail(err error) {
	if e.err == nil {
		e.err = fmt.Errorf("%s at %s: %w", e.s.Name(), sor.RFC3339(e.t), err)
	}
	e.dead = true
}

// Row moves the engine through row r, before the book applies it: at a new
// ts_event it first delivers the messages that arrived before it (against
// the book of the earlier row), then it moves the resting orders at the
// row's venue.
func (e *engine) Row(b *sor.Book, r *sor.Row) error {
	if e.dead {
		return nil
	}
	if !e.grouped || r.TsEvent != e.t {
		e.deliver(b, r.TsEvent-1)
		e.t, e.grouped = r.TsEvent, true
	}
	if r.PublisherID < len(e.rests) && len(e.rests[r.PublisherID]) > 0 {
		if before, ok := b.Latest(r.PublisherID); ok {
			e.queueEvent(b, before, r)
		}
	}
	return nil
}

// Decide is the decision point after the rows of its ts_event: deliver what
// has arrived, let the strategy decide, deliver what arrives at once.
func (e *engine) Decide(b *sor.Book) (bool, error) {
	if e.dead {
		return true, nil
	}
	t := b.Time()
	e.deliver(b, t)
	if !e.filledT {
		if err := e.decide(b, t); err != nil {
			e.fail(err)
			return true, nil
		}
		e.deliver(b, t)
	}
	if e.filledT {
		e.res.EndPrice, _ = b.Cheapest()
		return true, nil
	}
	return false, nil
}

// End delivers what is still in flight against the last book.
func (e *engine) End(b *sor.Book) error {
	if e.dead {
		return nil
	}
	e.deliver(b, math.MaxInt64)
	e.res.EndPrice, _ = b.Cheapest()
	return nil
}

// queueEvent moves our resting orders at the row's venue through row r,
// given the venue's book before the row (before), the trades at the bid
// after it and the part of the row's decrease of the bid size that no trade
// explains (e.m.cancelled).
func (e *engine) queueEvent(b *sor.Book, before sor.Quote, r *sor.Row) {
	t := r.TsEvent
	cancelled := e.m.cancelled
	for _, o := range slices.Clone(e.rests[r.PublisherID]) {
		if o.state != resting || e.filledT {
			continue
		}
		p := o.price
		if isTrade(r) {
			switch {
			case r.Price < p: // traded through our price: that seller would have hit us first
				e.makerFill(b, o, r.Size, t)
				if o.state != resting {
					continue
				}
			case r.Price == p && TradeHitsBid(r, before.Bid, before.Ask):
				var x int64
				o.ahead, x = Advance(o.ahead, r.Size, o.left)
				if x > 0 {
					e.makerFill(b, o, x, t)
					if o.state != resting {
						continue
					}
				}
			}
		}
		live := e.m.live(r.PublisherID, r.BidSz) // shown at the bid and not yet traded
		if cancelled > 0 && before.Bid == p && r.BidPx == p {
			pre := live + cancelled
			o.ahead = e.qm.Cancelled(math.Min(o.ahead, float64(pre)), pre, live, e.rng)
		}
		switch {
		case r.BidPx == sor.NoPrice || r.BidPx < p:
			o.ahead = 0 // nothing shown at our price: nobody ahead
		case r.BidPx == p:
			o.ahead = clampAhead(o.ahead, live)
		}
		if x := crossingSells(before, r, p); x > 0 {
			e.makerFill(b, o, x, t) // sellers came down to our price
		}
	}
}

// crossingSells is the ask size newly shown at or below p by row r, given
// the venue's book before it: sell orders that would have met our resting
// buy at p. A level at a new price (below the previous ask, or above it but
// still at or below p: sellers our order would have met on arrival or as
// they posted) counts in full; the level that was already shown counts only
// for its increase.
func crossingSells(before sor.Quote, r *sor.Row, p sor.Money) int64 {
	if r.AskPx == sor.NoPrice || r.AskPx > p || r.AskSz <= 0 {
		return 0
	}
	if r.AskPx == before.Ask {
		return max(r.AskSz-before.AskSize, 0)
	}
	return r.AskSz // a level at a new price at or below ours
}

func (e *engine) makerFill(b *sor.Book, o *order, x int64, t int64) {
	x = min(x, o.left, e.cfg.OrderSize-e.res.Filled)
	if x <= 0 {
		return
	}
	_, rebate := b.Fees(o.venue)
	e.record(Fill{sor.Fill{Time: t, Venue: o.venue, Shares: x, Price: o.price, Fee: -rebate}, FillInfo{OrderID: o.id, Maker: true}})
	o.left -= x
	if o.left == 0 {
		e.finish(o)
	}
}

func (e *engine) record(f Fill) {
	e.res.Fills = append(e.res.Fills, f.Fill)
	e.res.Info = append(e.res.Info, f.FillInfo)
	e.res.Filled += f.Shares
	e.res.Cash += f.Cash()
	if f.Maker {
		e.res.MakerShares += f.Shares
	} else {
		e.res.TakerShares += f.Shares
		e.res.SlippageCash += sor.Money(f.Shares) * f.Slippage
	}
	if e.res.Filled == e.cfg.OrderSize {
		e.filledT = true
	}
}

func (e *engine) finish(o *order) {
	if o.state == resting {
		e.rests[o.venue] = slices.DeleteFunc(e.rests[o.venue], func(x *order) bool { return x == o })
	}
	o.state = done
}

// take executes o as a taker against its venue's quote, up to the shares
// shown and not yet taken by this strategy (the depletion rule of sor.Book).
func (e *engine) take(b *sor.Book, o *order, t int64) {
	q, ok := b.Quote(o.venue)
	if !ok || q.Ask == sor.NoPrice || q.AskSize <= 0 {
		return
	}
	x := min(o.left, b.Available(o.venue, &e.taken), e.cfg.OrderSize-e.res.Filled)
	if x <= 0 {
		return
	}
	b.Take(&e.taken, o.venue, x)
	var slip sor.Money
	if o.refAsk != sor.NoPrice {
		slip = q.Ask - o.refAsk
	}
	fee, _ := b.Fees(o.venue)
	e.record(Fill{sor.Fill{Time: t, Venue: o.venue, Shares: x, Price: q.Ask, Fee: fee}, FillInfo{OrderID: o.id, Slippage: slip}})
	o.left -= x
}

// deliver processes the messages arriving at or before t, in order of
// arrival (ties: order of sending).
func (e *engine) deliver(b *sor.Book, t int64) {
	for len(e.flight) > 0 && e.flight[0].arrive <= t && !e.filledT {
		m := e.flight[0]
		e.flight = e.flight[1:]
		e.arrive(b, m)
	}
}

func (e *engine) arrive(b *sor.Book, m message) {
	o := m.o
	if m.cancel {
		switch o.state {
		case inFlight: // the venue does not know the order yet: it rejects the cancel
			e.res.Rejected++
			e.reject = append(e.reject, o.id)
		case resting:
			e.finish(o)
			e.res.Cancels++
		}
		return
	}
	switch o.kind {
	case Market:
		e.take(b, o, m.arrive)
		if o.left > 0 {
			e.res.Cancels++
		}
		o.state = done
	case Limit:
		if q, ok := b.Quote(o.venue); ok && q.Ask != sor.NoPrice && o.price >= q.Ask {
			e.take(b, o, m.arrive) // marketable: executes at the ask
		}
		if o.left == 0 || e.filledT {
			o.state = done
			return
		}
		raw, hasRaw := b.Latest(o.venue)
		switch {
		case hasRaw && raw.Bid == o.price:
			o.ahead = float64(e.m.live(o.venue, raw.BidSize)) // everything shown and not yet traded is ahead of us
		case hasRaw && raw.Bid > o.price:
			o.ahead = math.Inf(1) // behind a better bid: unknown until our level shows
		default:
			o.ahead = 0 // a new best bid of our own
		}
		o.state = resting
		if o.venue >= len(e.rests) {
			e.rests = append(e.rests, make([][]*order, o.venue+1-len(e.rests))...)
		}
		e.rests[o.venue] = append(e.rests[o.venue], o)
	}
}

// send queues a message for arrival after the latency.
func (e *engine) send(t int64, o *order, cancel bool) {
	var d int64
	if e.cfg.Latency != nil {
		d = max(e.cfg.Latency.Delay(e.rng), 0)
	}
	arrive := int64(math.MaxInt64) // saturated: after the end of any data, so against the last book
	if d <= math.MaxInt64-t {
		arrive = t + d
	}
	e.seq++
	m := message{arrive: arrive, seq: e.seq, o: o, cancel: cancel}
	j, _ := slices.BinarySearchFunc(e.flight, m, func(a, b message) int {
		if a.arrive != b.arrive {
			return cmpInt(a.arrive, b.arrive)
		}
		return cmpInt(int64(a.seq), int64(b.seq))
	})
	e.flight = slices.Insert(e.flight, j, m)
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (e *engine) decide(b *sor.Book, t int64) error {
	vw := &e.view
	vw.Time, vw.OrderSize, vw.Filled, vw.Rows = t, e.cfg.OrderSize, e.res.Filled, e.m.rows
	vw.Quotes = vw.Quotes[:0]
	for _, id := range b.Venues() {
		q, ok := b.Quote(id)
		if !ok {
			continue
		}
		fee, rebate := b.Fees(id)
		avail := q.AskSize - e.taken.Of(q)
		vw.Quotes = append(vw.Quotes, VenueQuote{Venue: id, Ask: q.Ask, AskSize: max(avail, 0), Bid: q.Bid, BidSize: q.BidSize, Fee: fee, Rebate: rebate})
	}
	e.live = slices.DeleteFunc(e.live, func(o *order) bool { return o.state == done })
	vw.Open = vw.Open[:0]
	for _, o := range e.live {
		vw.Open = append(vw.Open, OpenOrder{ID: o.id, Kind: o.kind, Venue: o.venue, Price: o.price, Shares: o.left, Resting: o.state == resting, Ahead: o.ahead})
	}
	vw.Rejected = append(vw.Rejected[:0], e.reject...)
	e.reject = e.reject[:0]
	orders, err := e.s.Decide(vw)
	if err != nil {
		return err
	}
	for _, x := range orders {
		if err := e.submit(b, t, x); err != nil {
			return err
		}
	}
	return nil
}

func (e *engine) submit(b *sor.Book, t int64, x Order) error {
	if x.Kind != Cancel {
		x.ID = e.res.Orders + 1
	}
	e.res.Sent = append(e.res.Sent, Sent{Time: t, Order: x})
	if x.Kind == Cancel {
		for _, o := range e.live {
			if o.id == x.ID {
				if o.state != done {
					e.send(t, o, true)
				}
				return nil
			}
		}
		return nil // already done: nothing to cancel
	}
	if _, ok := slices.BinarySearch(e.known, x.Venue); !ok {
		return fmt.Errorf("order to unknown venue %d", x.Venue)
	}
	if x.Shares <= 0 {
		return fmt.Errorf("%v order of %d shares", x.Kind, x.Shares)
	}
	o := &order{id: e.res.Orders + 1, kind: x.Kind, venue: x.Venue, left: x.Shares}
	switch x.Kind {
	case Market:
		o.refAsk = x.Price
		if q, ok := b.Quote(x.Venue); o.refAsk == sor.NoPrice && ok {
			o.refAsk = q.Ask
		}
	case Limit:
		if e.qm == nil {
			return ErrLimitOrder
		}
		if x.Price <= 0 {
			return fmt.Errorf("limit order without a price")
		}
		// A maker fill costs price − rebate a share: keep it exact.
		_, rebate := b.Fees(x.Venue)
		net, ok := subMoney(x.Price, rebate)
		if !ok {
			return fmt.Errorf("limit price $%v less rebate $%v overflows", x.Price, rebate)
		}
		if err := e.guard.Check(net); err != nil {
			return err
		}
		if err := e.guard.Check(x.Price); err != nil {
			return err
		}
		o.price = x.Price
	default:
		return fmt.Errorf("unknown order kind %v", x.Kind)
	}
	e.res.Orders++
	e.live = append(e.live, o)
	e.send(t, o, false)
	return nil
}

// subMoney is a − b, and false when it overflows.
func subMoney(a, b sor.Money) (sor.Money, bool) {
	d := a - b
	return d, (b >= 0) == (d <= a)
}
