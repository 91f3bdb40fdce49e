package replay

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"

	"github.com/sorlab/sorlab/sor"
)

// Kind is the type of an order message.
type Kind uint8

const (
	Market Kind = iota + 1 // buy at the venue's ask now, up to what is shown; the rest is cancelled (IOC)
	Limit                  // buy at Price or better; what does not execute on arrival rests
	Cancel                 // cancel the order with the given ID
)

func (k Kind) String() string {
	switch k {
	case Market:
		return "market"
	case Limit:
		return "limit"
	case Cancel:
		return "cancel"
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Order is a message a strategy sends: a buy order or a cancel.
type Order struct {
	Kind   Kind
	Venue  int       // publisher id (Market, Limit)
	Shares int64     // shares to buy (Market, Limit)
	Price  sor.Money // Limit: the limit price. Market: the ask the decision saw (slippage is measured from it); 0 means the ask in the View
	ID     int       // Cancel: the order to cancel
}

// OpenOrder is one of the strategy's orders that is still alive: in flight to
// the venue or resting there.
type OpenOrder struct {
	ID      int
	Kind    Kind
	Venue   int
	Price   sor.Money
	Shares  int64   // not yet filled
	Resting bool    // arrived and resting (limit orders); false while in flight
	Ahead   float64 // estimated shares ahead in the queue (resting orders)
}

// VenueQuote is a venue's top of book as a strategy sees it.
type VenueQuote struct {
	Venue   int
	Ask     sor.Money // sor.NoPrice when the venue shows no ask
	AskSize int64     // displayed ask size not yet taken by this strategy (the depletion rule)
	Bid     sor.Money // sor.NoPrice when the venue shows no bid
	BidSize int64
	Fee     sor.Money // taker fee per share
	Rebate  sor.Money // maker rebate per share
}

// View is what a strategy sees at a decision point. It is valid only during
// the Decide call.
type View struct {
	Time      int64
	OrderSize int64
	Filled    int64
	Quotes    []VenueQuote // every venue seen so far, ascending publisher id
	Open      []OpenOrder  // live orders, by ID
	// Rejected lists the orders whose cancels the venue rejected since the
	// previous decision because the cancel arrived before the order (it can
	// under a variable latency); the orders stand and may be cancelled again.
	Rejected []int
	Rows     []sor.Row // the stream's rows up to Time, in stream order (read only)
}

// Remaining is OrderSize − Filled.
func (v *View) Remaining() int64 { return v.OrderSize - v.Filled }

// Pending is the unfilled size of the live orders of kind k (0 means all).
func (v *View) Pending(k Kind) int64 {
	var n int64
	for _, o := range v.Open {
		if k == 0 || o.Kind == k {
			n += o.Shares
		}
	}
	return n
}

// Quote returns the quote of a venue (ok false if the venue has not been seen).
func (v *View) Quote(venue int) (VenueQuote, bool) {
	for _, q := range v.Quotes {
		if q.Venue == venue {
			return q, true
		}
	}
	return VenueQuote{}, false
}

// Setup is what a strategy learns before the first decision.
type Setup struct {
	First, Last int64 // times of the first and last rows of the stream
	OrderSize   int64
	Venues      sor.Venues
	Seed        uint64 // the run's seed, for strategies that draw
}

// Strategy decides, at each decision point (every distinct ts_event, as in
// package sor), which orders to send and which to cancel. Start must reset all
// state so that a value can be run again (not concurrently).
type Strategy interface {
	Name() string
	Start(s Setup) error
	Decide(v *View) ([]Order, error)
}

// Config describes a backtest of one buy order.
type Config struct {
	OrderSize int64
	Venues    sor.Venues   // fees and rebates; nil means none
	Fills     FillModel    // nil means Visible{}
	Latency   LatencyModel // nil means zero
	Seed      uint64       // seeds latency draws, sampled queue models and the strategy
	// UnfilledPenalty is charged per share left unfilled at the end, on top
	// of the final price (see Result.ExpectedCost).
	UnfilledPenalty sor.Money
}

// Fill is one execution with what sor.Fill does not say. For a maker fill,
// Fill.Fee is minus the venue's rebate, so that Cash() = shares·(price − rebate).
type Fill struct {
	sor.Fill
	OrderID  int
	Maker    bool      // a resting limit order was executed
	Slippage sor.Money // per share, taker fills: ask at arrival − ask at decision
}

// Result is the outcome of one backtest. Result.Fills (the embedded
// sor.Result) holds the fills for charts and reports; Details the same fills,
// in the same order, with maker flags and slippage.
type Result struct {
	sor.Result
	Details      []Fill
	Model        string
	Seed         uint64
	Orders       int       // buy orders sent
	Cancels      int       // orders cancelled (by a cancel or by IOC with nothing left to take)
	Rejected     int       // cancels rejected because they arrived before their order
	MakerShares  int64     // shares filled by resting limit orders
	TakerShares  int64     // shares filled by market or marketable orders
	SlippageCash sor.Money // Σ shares·slippage over taker fills (positive: paid more than seen)
	EndPrice     sor.Money // the cheapest ask + fee at the end of the stream (0 if none)
	Penalty      sor.Money // Config.UnfilledPenalty
	Sent         []Sent    // every message the strategy sent, in order
}

// Sent is a message as the strategy sent it, with its ID (the order's, or the
// cancelled order's) and the time it was sent.
type Sent struct {
	Time int64
	Order
}

// CostPerShare is Cash/Filled in dollars (NaN when nothing filled).
func (r *Result) CostPerShare() float64 {
	if r.Filled == 0 {
		return math.NaN()
	}
	return r.Cash.Dollars() / float64(r.Filled)
}

// ExpectedCost is the cost per share of the whole order when the unfilled
// part is bought at the end of the data at the cheapest ask + fee plus the
// penalty: (Cash + Unfilled·(EndPrice + Penalty)) / OrderSize, in dollars.
func (r *Result) ExpectedCost() float64 {
	c := r.Cash + sor.Money(r.Unfilled())*(r.EndPrice+r.Penalty)
	return c.Dollars() / float64(r.OrderSize)
}

// FillRate is Filled/OrderSize.
func (r *Result) FillRate() float64 { return float64(r.Filled) / float64(r.OrderSize) }

// Slippage is the average slippage per taker share in dollars.
func (r *Result) Slippage() float64 {
	if r.TakerShares == 0 {
		return 0
	}
	return r.SlippageCash.Dollars() / float64(r.TakerShares)
}

// ErrLimitOrder is returned when a strategy sends a limit order under the
// Visible fill model, which cannot fill one.
var ErrLimitOrder = errors.New("limit orders need a queue fill model (Queue); the Visible model only fills market orders")

// Backtest sorts rows into a Stream and runs it (see Run).
func Backtest(rows []sor.Row, w sor.Window, cfg Config, s Strategy) (*Result, error) {
	return Run(NewStream(rows, w), cfg, s)
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
	v      int // index into engine.venues
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

type venueState struct {
	id          int
	fee, rebate sor.Money
	// The quote strategies see and market orders take from: the venue's
	// first row at the latest ts_event (sor.BuildSnapshots' rule).
	q        sor.Quote
	qTime    int64
	hasQuote bool
	taken    int64 // shares taken from the quote with Seq takenSeq
	takenSeq int
	// The raw book: the latest row, which the queue models follow.
	bid, ask       sor.Money
	bidSz, askSz   int64
	rests          []*order
	hasRaw, hasAsk bool
	trades         bidTrades // trades at the bid not yet shown as a decrease
}

type engine struct {
	st      *Stream
	cfg     Config
	s       Strategy
	qm      QueueModel
	rng     *rand.Rand
	venues  []venueState
	vidx    map[int]int
	live    []*order
	flight  []message
	seq     int
	reject  []int // orders whose cancels were rejected since the last decision
	res     *Result
	view    View
	filledT bool
}

// Run replays the stream with strategy s buying cfg.OrderSize shares.
//
// At each distinct ts_event the engine first applies the rows of that time
// (updating quotes and the queue positions of resting orders, filling them
// when trades reach them), then delivers orders and cancels that have arrived
// by then, then asks the strategy to decide, and delivers what arrives at
// once (zero latency). It stops when the order is filled; orders still in
// flight when the data ends arrive against the last book.
func Run(st *Stream, cfg Config, s Strategy) (*Result, error) {
	if cfg.OrderSize <= 0 {
		return nil, fmt.Errorf("order size must be positive, got %d", cfg.OrderSize)
	}
	if cfg.Fills == nil {
		cfg.Fills = Visible{}
	}
	if err := checkLatency(cfg.Latency); err != nil {
		return nil, err
	}
	if err := checkCash(st, cfg); err != nil {
		return nil, err
	}
	model := cfg.Fills.String()
	if cfg.Latency != nil {
		model += ", latency " + cfg.Latency.String()
	}
	e := &engine{st: st, cfg: cfg, s: s, qm: cfg.Fills.queue(), vidx: map[int]int{},
		rng: rand.New(rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15)),
		res: &Result{Result: sor.Result{Strategy: s.Name(), OrderSize: cfg.OrderSize}, Model: model, Seed: cfg.Seed, Penalty: cfg.UnfilledPenalty}}
	for _, id := range st.ids {
		v := cfg.Venues.Get(id)
		e.vidx[id] = len(e.venues)
		e.venues = append(e.venues, venueState{id: id, fee: v.Fee, rebate: v.Rebate, takenSeq: -1})
	}
	if len(st.Rows) == 0 {
		return e.res, nil
	}
	if err := s.Start(Setup{First: st.First(), Last: st.Last(), OrderSize: cfg.OrderSize, Venues: cfg.Venues, Seed: cfg.Seed}); err != nil {
		return nil, fmt.Errorf("%s: %w", s.Name(), err)
	}
	rows := st.Rows
	for i := 0; i < len(rows) && !e.filledT; {
		t := rows[i].TsEvent
		e.deliver(t - 1)
		for ; i < len(rows) && rows[i].TsEvent == t; i++ {
			e.apply(i)
		}
		e.deliver(t)
		if e.filledT {
			break
		}
		if err := e.decide(t, i); err != nil {
			return nil, fmt.Errorf("%s at %s: %w", s.Name(), sor.RFC3339(t), err)
		}
		e.deliver(t)
	}
	e.deliver(math.MaxInt64)
	e.res.EndPrice = e.cheapest()
	return e.res, nil
}

// checkCash refuses inputs whose cash could overflow Money.
func checkCash(st *Stream, cfg Config) error {
	var worst sor.Money
	for i := range st.Rows {
		r := &st.Rows[i]
		worst = max(worst, r.AskPx, r.BidPx, r.Price)
	}
	var extra sor.Money
	for _, v := range cfg.Venues {
		extra = max(extra, max(v.Fee, 0)+max(-v.Rebate, 0))
	}
	worst += extra + sor.Dollar
	hi, lo := bits.Mul64(uint64(cfg.OrderSize), uint64(worst))
	if hi != 0 || lo > math.MaxInt64/4 {
		return fmt.Errorf("order of %d shares at up to $%v is too large for exact money arithmetic", cfg.OrderSize, worst)
	}
	return nil
}

// apply processes row i of the stream: queue updates of our resting orders at
// its venue, then the venue's books.
func (e *engine) apply(i int) {
	r := &e.st.Rows[i]
	v := &e.venues[e.vidx[r.PublisherID]]
	cancelled := v.trades.step(v.bid, v.ask, v.bidSz, r)
	if len(v.rests) > 0 && v.hasRaw {
		e.queueEvent(v, r, cancelled)
	}
	v.bid, v.ask, v.bidSz, v.askSz, v.hasRaw = r.BidPx, r.AskPx, r.BidSz, r.AskSz, true
	if !v.hasQuote || v.qTime != r.TsEvent {
		v.q = sor.Quote{Venue: v.id, Ask: r.AskPx, AskSize: r.AskSz, Bid: r.BidPx, BidSize: r.BidSz, Seq: i}
		v.qTime, v.hasQuote = r.TsEvent, true
	}
}

// queueEvent moves our resting orders at venue v through row r, given the
// venue's raw book before the row (v.bid, v.bidSz, v.ask, v.askSz), the
// trades at the bid after it (v.trades) and the part of the row's decrease of
// the bid size that no trade explains (cancelled).
func (e *engine) queueEvent(v *venueState, r *sor.Row, cancelled int64) {
	t := r.TsEvent
	for _, o := range slices.Clone(v.rests) {
		if o.state != resting || e.filledT {
			continue
		}
		p := o.price
		if isTrade(r) {
			switch {
			case r.Price < p: // traded through our price: that seller would have hit us first
				e.makerFill(o, r.Size, t)
				if o.state != resting {
					continue
				}
			case r.Price == p && TradeHitsBid(r, v.bid, v.ask):
				var x int64
				o.ahead, x = Advance(o.ahead, r.Size, o.left)
				if x > 0 {
					e.makerFill(o, x, t)
					if o.state != resting {
						continue
					}
				}
			}
		}
		live := v.trades.live(r.BidSz) // shown at the bid and not yet traded
		if cancelled > 0 && v.bid == p && r.BidPx == p {
			before := live + cancelled
			o.ahead = e.qm.Cancelled(math.Min(o.ahead, float64(before)), before, live, e.rng)
		}
		switch {
		case r.BidPx == sor.NoPrice || r.BidPx < p:
			o.ahead = 0 // nothing shown at our price: nobody ahead
		case r.BidPx == p:
			o.ahead = clampAhead(o.ahead, live)
		}
		if x := crossingSells(v, r, p); x > 0 {
			e.makerFill(o, x, t) // sellers came down to our price
		}
	}
}

// crossingSells is the ask size newly shown at or below p by row r: sell
// orders that would have met our resting buy at p. A level at a new price
// (below the previous ask, or above it but still at or below p: sellers our
// order would have met on arrival or as they posted) counts in full; the
// level that was already shown counts only for its increase.
func crossingSells(v *venueState, r *sor.Row, p sor.Money) int64 {
	if r.AskPx == sor.NoPrice || r.AskPx > p || r.AskSz <= 0 {
		return 0
	}
	if r.AskPx == v.ask {
		return max(r.AskSz-v.askSz, 0)
	}
	return r.AskSz // a level at a new price at or below ours
}

func (e *engine) makerFill(o *order, x int64, t int64) {
	x = min(x, o.left, e.cfg.OrderSize-e.res.Filled)
	if x <= 0 {
		return
	}
	v := &e.venues[o.v]
	e.record(Fill{Fill: sor.Fill{Time: t, Venue: v.id, Shares: x, Price: o.price, Fee: -v.rebate}, OrderID: o.id, Maker: true})
	o.left -= x
	if o.left == 0 {
		e.finish(o)
	}
}

func (e *engine) record(f Fill) {
	e.res.Fills = append(e.res.Fills, f.Fill)
	e.res.Details = append(e.res.Details, f)
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
		v := &e.venues[o.v]
		v.rests = slices.DeleteFunc(v.rests, func(x *order) bool { return x == o })
	}
	o.state = done
}

// take executes o as a taker against its venue's quote, up to the shares
// shown and not yet taken by this strategy.
func (e *engine) take(o *order, t int64) {
	v := &e.venues[o.v]
	q := v.q
	if !v.hasQuote || q.Ask == sor.NoPrice || q.AskSize <= 0 {
		return
	}
	if v.takenSeq != q.Seq {
		v.takenSeq, v.taken = q.Seq, 0
	}
	x := min(o.left, q.AskSize-v.taken, e.cfg.OrderSize-e.res.Filled)
	if x <= 0 {
		return
	}
	v.taken += x
	var slip sor.Money
	if o.refAsk != sor.NoPrice {
		slip = q.Ask - o.refAsk
	}
	e.record(Fill{Fill: sor.Fill{Time: t, Venue: v.id, Shares: x, Price: q.Ask, Fee: v.fee}, OrderID: o.id, Slippage: slip})
	o.left -= x
}

// deliver processes the messages arriving at or before t, in order of
// arrival (ties: order of sending).
func (e *engine) deliver(t int64) {
	for len(e.flight) > 0 && e.flight[0].arrive <= t && !e.filledT {
		m := e.flight[0]
		e.flight = e.flight[1:]
		e.arrive(m)
	}
}

func (e *engine) arrive(m message) {
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
		e.take(o, m.arrive)
		if o.left > 0 {
			e.res.Cancels++
		}
		o.state = done
	case Limit:
		v := &e.venues[o.v]
		if v.hasQuote && v.q.Ask != sor.NoPrice && o.price >= v.q.Ask {
			e.take(o, m.arrive) // marketable: executes at the ask
		}
		if o.left == 0 || e.filledT {
			o.state = done
			return
		}
		switch {
		case v.hasRaw && v.bid == o.price:
			o.ahead = float64(v.trades.live(v.bidSz)) // everything shown and not yet traded is ahead of us
		case v.hasRaw && v.bid > o.price:
			o.ahead = math.Inf(1) // behind a better bid: unknown until our level shows
		default:
			o.ahead = 0 // a new best bid of our own
		}
		o.state = resting
		v.rests = append(v.rests, o)
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

func (e *engine) decide(t int64, end int) error {
	vw := &e.view
	vw.Time, vw.OrderSize, vw.Filled, vw.Rows = t, e.cfg.OrderSize, e.res.Filled, e.st.Rows[:end]
	vw.Quotes = vw.Quotes[:0]
	for k := range e.venues {
		v := &e.venues[k]
		if !v.hasQuote {
			continue
		}
		avail := v.q.AskSize
		if v.takenSeq == v.q.Seq {
			avail -= v.taken
		}
		vw.Quotes = append(vw.Quotes, VenueQuote{Venue: v.id, Ask: v.q.Ask, AskSize: max(avail, 0), Bid: v.q.Bid, BidSize: v.q.BidSize, Fee: v.fee, Rebate: v.rebate})
	}
	e.live = slices.DeleteFunc(e.live, func(o *order) bool { return o.state == done })
	vw.Open = vw.Open[:0]
	for _, o := range e.live {
		vw.Open = append(vw.Open, OpenOrder{ID: o.id, Kind: o.kind, Venue: e.venues[o.v].id, Price: o.price, Shares: o.left, Resting: o.state == resting, Ahead: o.ahead})
	}
	vw.Rejected = append(vw.Rejected[:0], e.reject...)
	e.reject = e.reject[:0]
	orders, err := e.s.Decide(vw)
	if err != nil {
		return err
	}
	for _, x := range orders {
		if err := e.submit(t, x); err != nil {
			return err
		}
	}
	return nil
}

func (e *engine) submit(t int64, x Order) error {
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
	k, ok := e.vidx[x.Venue]
	if !ok {
		return fmt.Errorf("order to unknown venue %d", x.Venue)
	}
	if x.Shares <= 0 {
		return fmt.Errorf("%v order of %d shares", x.Kind, x.Shares)
	}
	o := &order{id: e.res.Orders + 1, kind: x.Kind, v: k, left: x.Shares}
	switch x.Kind {
	case Market:
		o.refAsk = x.Price
		if o.refAsk == sor.NoPrice && e.venues[k].hasQuote {
			o.refAsk = e.venues[k].q.Ask
		}
	case Limit:
		if e.qm == nil {
			return ErrLimitOrder
		}
		if x.Price <= 0 {
			return fmt.Errorf("limit order without a price")
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

// cheapest is the lowest ask + fee among the venues' quotes.
func (e *engine) cheapest() sor.Money {
	var best sor.Money
	for k := range e.venues {
		v := &e.venues[k]
		if v.hasQuote && v.q.Ask != sor.NoPrice && v.q.AskSize > 0 {
			if p := v.q.Ask + v.fee; best == 0 || p < best {
				best = p
			}
		}
	}
	return best
}
