package replay

import (
	"errors"
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
		m := &market{feed: Feed{book: books[g]}} // the book applies each row after the feed steps
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
// the Feed (trades not yet shown, each row's queue event) and the rows of
// the current decision point. It plays before the engines of its group.
type market struct {
	feed Feed
	ev   QueueEvent // of the row being played
	// prev is the row's venue as the feed had it before the row: during
	// Row, an engine first delivers the messages that arrived before the
	// row, against the market as it was.
	prev  feedVenue
	inRow bool
	rows  []sor.Row // of the current decision point
	t     int64
}

func (m *market) Row(b *sor.Book, r *sor.Row) error {
	if len(m.rows) > 0 && r.TsEvent != m.t {
		m.rows = m.rows[:0]
	}
	m.t = r.TsEvent
	m.rows = append(m.rows, *r)
	m.prev = m.feed.get(r.PublisherID)
	m.ev = m.feed.Step(r)
	m.inRow = true
	return nil
}

func (m *market) Decide(*sor.Book) (bool, error) {
	m.inRow = false
	return false, nil
}

// venue is the feed's view of a venue now: before the row being played
// while in Row, after every row of the decision point at Decide and End.
func (m *market) venue(id int) feedVenue {
	if m.inRow && id == m.ev.Row.PublisherID {
		return m.prev
	}
	return m.feed.get(id)
}

type orderState uint8

const (
	inFlight orderState = iota
	resting
	done
)

type order struct {
	QueuePos // Price, Left and, once it rests, Ahead
	id       int
	kind     Kind
	venue    int // publisher id
	refAsk   sor.Money
	state    orderState
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
	rests   [][]*order // resting orders by publisher id, in priority order (price, then arrival)
	qs      []*QueuePos
	live    []*order
	flight  []message
	seq     int
	seen    *seen // the strategy's view under Config.FeedDelay (nil: the book)
	reject  []int // orders whose cancels were rejected since the last decision
	res     *Result
	view    View
	book    *sor.Book   // the book of the decision under way (for fillView)
	seenQ   []sor.Quote // the quotes the view shows, for fillView
	filledT bool
	ended   bool  // EndPrice is set
	mk      []int // per markout horizon: the next fill without its mid
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
	if err := checkMarkouts(cfg.Markouts); err != nil {
		return nil, err
	}
	model := cfg.Fills.String()
	if cfg.Latency != nil {
		model += ", latency " + cfg.Latency.String()
	}
	if cfg.FeedDelay {
		model += ", feed delay"
	}
	e := &engine{cfg: cfg, s: s, qm: cfg.Fills.queue(), known: span.Publishers,
		rng:   rand.New(rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15)),
		guard: sor.CashGuard{OrderSize: cfg.OrderSize},
		res:   &Result{Result: sor.Result{Strategy: s.Name(), OrderSize: cfg.OrderSize}, Model: model, Seed: cfg.Seed, Penalty: cfg.UnfilledPenalty},
		mk:    make([]int, len(cfg.Markouts))}
	e.res.MidAfter = make([][]float64, len(cfg.Markouts))
	if err := e.guard.Check(cfg.UnfilledPenalty); err != nil {
		return nil, fmt.Errorf("unfilled penalty: %w", err)
	}
	if span.Rows == 0 {
		return e, nil
	}
	if cfg.FeedDelay {
		e.seen = newSeen(cfg.Venues, span.Publishers)
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

// failDecision stops the engine with a StrategyError: its strategy failed
// at a decision, or sent an order the engine refuses. An order refused
// because its money would leave the exact range (the data's prices, the
// venue table's rebates: moneyError) is the input's fault, not one.
func (e *engine) failDecision(err error) {
	if errors.As(err, new(moneyError)) {
		e.fail(err)
		return
	}
	if e.err == nil {
		e.err = &StrategyError{Strategy: e.s.Name(), Time: e.t, Err: err}
	}
	e.dead = true
}

// moneyError is an order refused because its cash would not fit the exact
// money arithmetic (sor.CashGuard).
type moneyError struct{ error }

func (e moneyError) Unwrap() error { return e.error }

// StrategyError is a run that its strategy stopped at time Time: the
// strategy returned an error at a decision, or sent an order the engine
// refuses (to an unknown venue, of no shares, a limit order under the
// Visible model…). The data and the set-up were accepted: the fault is the
// strategy's, or that of the parameters it was given when they break the
// assumptions of its model (errors.Is(err, ck.ErrAssumption)). An order
// refused because its cash would not fit the exact money arithmetic (a
// price or a venue's rebate beyond sor.CashGuard's range) stops the run
// with a plain error: the input is at fault.
type StrategyError struct {
	Strategy string
	Time     int64 // ts_event of the decision point, nanoseconds since the epoch
	Err      error
}

func (e *StrategyError) Error() string {
	return fmt.Sprintf("%s at %s: %v", e.Strategy, sor.RFC3339(e.Time), e.Err)
}

func (e *StrategyError) Unwrap() error { return e.Err }

// Row moves the engine through row r, before the book applies it: at a new
// ts_event it first delivers the messages that arrived before it (against
// the book of the earlier row), then it moves the resting orders at the
// row's venue.
func (e *engine) Row(b *sor.Book, r *sor.Row) error {
	if e.dead {
		return nil
	}
	if !e.grouped || r.TsEvent != e.t {
		e.decideUntil(b, r.TsEvent-1)
		e.deliver(b, r.TsEvent-1)
		e.resolve(b, r.TsEvent-1)
		e.t, e.grouped = r.TsEvent, true
	}
	if e.filledT {
		return nil // only markouts are left to record
	}
	if r.PublisherID < len(e.rests) && len(e.rests[r.PublisherID]) > 0 {
		e.queueEvent(b, &e.m.ev)
	}
	if e.seen != nil && !e.filledT && !e.dead {
		if err := e.seen.push(r); err != nil {
			e.fail(err)
		}
	}
	return nil
}

// decideUntil makes, under a feed delay, the decisions due by time limit:
// one at each time a row becomes visible, after delivering the messages
// that arrived by then, against the market's book as it was then (the
// book before the row being played).
func (e *engine) decideUntil(b *sor.Book, limit int64) {
	for e.seen != nil && !e.filledT && !e.dead {
		at, ok := e.seen.next()
		if !ok || at > limit {
			return
		}
		e.deliver(b, at)
		e.seen.release(at)
		if e.filledT {
			return
		}
		if err := e.decide(b, at); err != nil {
			e.failDecision(err)
			return
		}
		e.deliver(b, at)
	}
}

// Decide is the decision point after the rows of its ts_event: deliver what
// has arrived, let the strategy decide, deliver what arrives at once.
func (e *engine) Decide(b *sor.Book) (bool, error) {
	if e.dead {
		return true, nil
	}
	t := b.Time()
	switch {
	case e.seen != nil:
		e.decideUntil(b, t)
		e.deliver(b, t)
		if e.dead {
			return true, nil
		}
	default:
		e.deliver(b, t)
		if !e.filledT {
			if err := e.decide(b, t); err != nil {
				e.failDecision(err)
				return true, nil
			}
			e.deliver(b, t)
		}
	}
	if e.filledT {
		e.end(b)
		return !e.markoutsPending(), nil
	}
	return false, nil
}

// end records the price at which the unfilled part would be bought, once.
func (e *engine) end(b *sor.Book) {
	if !e.ended {
		e.res.EndPrice, _ = b.Cheapest()
		e.ended = true
	}
}

// End delivers what is still in flight against the last book.
func (e *engine) End(b *sor.Book) error {
	if e.dead {
		return nil
	}
	e.decideUntil(b, math.MaxInt64) // rows received after the last one happened
	e.deliver(b, math.MaxInt64)
	e.end(b)
	e.resolve(b, b.Time()) // later horizons end after the data: no mid
	return nil
}

// queueEvent moves our resting orders at the event's venue through it
// (MoveQueue) and drops the orders it completes.
func (e *engine) queueEvent(b *sor.Book, ev *QueueEvent) {
	if e.filledT {
		return
	}
	v, t := ev.Row.PublisherID, ev.Row.TsEvent
	rs := e.rests[v]
	e.qs = e.qs[:0]
	for _, o := range rs {
		e.qs = append(e.qs, &o.QueuePos)
	}
	MoveQueue(e.qm, ev, e.qs, e.rng, func(i int, x int64) int64 { return e.makerFill(b, rs[i], x, t) })
	e.rests[v] = slices.DeleteFunc(rs, func(o *order) bool {
		if o.Left > 0 {
			return false
		}
		o.state = done
		return true
	})
}

// makerFill records a fill of x shares of resting order o (at most what
// the whole order still needs) and returns the shares filled; the caller
// takes them off o.Left.
func (e *engine) makerFill(b *sor.Book, o *order, x int64, t int64) int64 {
	x = min(x, o.Left, e.cfg.OrderSize-e.res.Filled)
	if x <= 0 {
		return 0
	}
	_, rebate := b.Fees(o.venue)
	e.record(Fill{sor.Fill{Time: t, Venue: o.venue, Shares: x, Price: o.Price, Fee: -rebate}, FillInfo{OrderID: o.id, Maker: true}})
	return x
}

func (e *engine) record(f Fill) {
	e.res.Fills = append(e.res.Fills, f.Fill)
	e.res.Info = append(e.res.Info, f.FillInfo)
	for k := range e.res.MidAfter {
		e.res.MidAfter[k] = append(e.res.MidAfter[k], math.NaN())
	}
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

// cancel takes a resting order off its venue's queue.
func (e *engine) cancel(o *order) {
	e.rests[o.venue] = slices.DeleteFunc(e.rests[o.venue], func(x *order) bool { return x == o })
	o.state = done
}

// take executes o as a taker against its venue's quote, up to the shares
// shown and not yet taken by this strategy (the depletion rule of sor.Book).
func (e *engine) take(b *sor.Book, o *order, t int64) {
	q, ok := b.Quote(o.venue)
	if !ok || q.Ask == sor.NoPrice || q.AskSize <= 0 {
		return
	}
	avail := b.Available(o.venue, &e.taken)
	if e.qm != nil {
		// Under a queue model the trades the rows do not show yet are gone
		// (Databento writes a trade row with the book before the trade).
		avail -= e.m.venue(o.venue).pendingBuys(q.Ask)
	}
	x := min(o.Left, avail, e.cfg.OrderSize-e.res.Filled)
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
	o.Left -= x
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
			e.cancel(o)
			e.res.Cancels++
		}
		return
	}
	switch o.kind {
	case Market:
		e.take(b, o, m.arrive)
		if o.Left > 0 {
			e.res.Cancels++
		}
		o.state = done
	case Limit:
		if q, ok := b.Quote(o.venue); ok && q.Ask != sor.NoPrice && o.Price >= q.Ask {
			e.take(b, o, m.arrive) // marketable: executes at the ask
		}
		if o.Left == 0 || e.filledT {
			o.state = done
			return
		}
		bid, live := e.m.venue(o.venue).bestBid()
		e.qm.Join(&o.QueuePos, bid, live)
		o.state = resting
		if o.venue >= len(e.rests) {
			e.rests = append(e.rests, make([][]*order, o.venue+1-len(e.rests))...)
		}
		// Priority: a higher price first, then the earlier arrival.
		rs := e.rests[o.venue]
		j := len(rs)
		for j > 0 && rs[j-1].Price < o.Price {
			j--
		}
		e.rests[o.venue] = slices.Insert(rs, j, o)
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

// fillView works out the view's offers and top of book, on a strategy's
// first call of View.Offers or View.BestBidAsk in a decision.
func (e *engine) fillView(vw *View) {
	market := e.book // the book the strategy sees
	if e.seen != nil {
		market = e.seen.book
	}
	vw.bid, vw.ask = market.BestBidAsk(false)
	for _, q := range e.seenQ {
		if o, ok := e.book.Offer(q, &e.taken); ok {
			vw.offers = append(vw.offers, o)
		}
	}
}

func (e *engine) decide(b *sor.Book, t int64) error {
	vw := &e.view
	vw.Time, vw.OrderSize, vw.Filled, vw.Rows = t, e.cfg.OrderSize, e.res.Filled, e.m.rows
	if e.seen != nil {
		vw.Rows = e.seen.rows
	}
	vw.Quotes, vw.offers, vw.filled = vw.Quotes[:0], vw.offers[:0], false
	e.seenQ = e.seenQ[:0]
	e.book = b
	if vw.fill == nil {
		vw.fill = e.fillView
	}
	for _, id := range b.Venues() {
		var q sor.Quote
		var ok bool
		if e.seen != nil {
			q, ok = e.seen.quote(id)
		} else {
			q, ok = b.Quote(id) // inlined: this loop runs for every engine at every decision point
		}
		if !ok {
			continue
		}
		fee, rebate := b.Fees(id)
		avail := q.AskSize - e.taken.Of(q)
		vw.Quotes = append(vw.Quotes, VenueQuote{Venue: id, Ask: q.Ask, AskSize: max(avail, 0), Bid: q.Bid, BidSize: q.BidSize, Fee: fee, Rebate: rebate})
		e.seenQ = append(e.seenQ, q)
	}
	e.live = slices.DeleteFunc(e.live, func(o *order) bool { return o.state == done })
	vw.Open = vw.Open[:0]
	for _, o := range e.live {
		vw.Open = append(vw.Open, OpenOrder{ID: o.id, Kind: o.kind, Venue: o.venue, Price: o.Price, Shares: o.Left, Resting: o.state == resting, Ahead: o.Ahead})
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
	o := &order{QueuePos: QueuePos{Left: x.Shares}, id: e.res.Orders + 1, kind: x.Kind, venue: x.Venue}
	switch x.Kind {
	case Market:
		o.refAsk = x.Price
		if q, ok := e.view.Quote(x.Venue); o.refAsk == sor.NoPrice && ok { // the ask the decision saw
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
			return moneyError{fmt.Errorf("limit price $%v less rebate $%v overflows", x.Price, rebate)}
		}
		if err := e.guard.Check(net); err != nil {
			return moneyError{err}
		}
		if err := e.guard.Check(x.Price); err != nil {
			return moneyError{err}
		}
		o.Price = x.Price
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
