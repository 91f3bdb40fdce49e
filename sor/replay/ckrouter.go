package replay

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/ck"
)

// CKRouter is a dynamic Cont-Kukanov router. Every Horizon it solves the
// paper's problem (package ck) for this horizon's target S and acts on the
// answer (M, L_1..L_K):
//
//   - it cancels the limit orders of the previous horizon that have not filled;
//   - it sends M shares as market orders to the cheapest asks (ask + fee,
//     ties to the lower publisher id), each up to what is shown; what the
//     shown size cannot take is carried and sent at the next decision
//     points of the horizon;
//   - it posts L_k shares as a limit order at the best bid of venue k.
//
// The problem is built from the book at the decision: the venues are those
// whose best bid is the consolidated best bid (the model puts all limit
// orders at one price), Q_k is their displayed bid size, h is half the
// consolidated spread, f is the fee of the cheapest venue by ask + fee and r_k
// the venues' rebates. S is an even share of what is left to buy (the
// remainder less market orders in flight) over the horizons left before the
// catch-up, ⌈remainder/n⌉ with n = ⌊(last − t)/T⌋, or the whole remainder
// when Whole is set. (Solving for the whole remainder within one horizon, as
// the paper's single-period model reads literally, makes the router buy
// nearly everything at once under A2: the penalty for missing a share at T is
// then larger than the spread it could save by waiting.) The outflow law is the joint empirical law of the venues' bid-queue
// outflows over windows of length Horizon, estimated with ck.Outflows (the
// rules of ck.EstimateOutflows) from every row seen so far, once at least MinWindows windows are complete;
// before that each venue's outflow is Poisson with the mean of the windows
// seen, or with mean Q_k (one queue per horizon) when there is none.
//
// When less than Horizon is left before the last row of the data (the end of
// the window) the router cancels its limit orders and catches up: at every
// decision point it buys whatever is left with market orders at the cheapest
// asks, until the order is filled or the data ends.
//
// When the consolidated book cannot be used at the start of a horizon (no
// bid or no ask, or locked or crossed: best ask <= best bid, so h <= 0 and
// the model does not apply) the router does not solve: it cancels the
// previous horizon's limit orders, sends nothing and starts the horizon at
// the next decision point whose book can be used.
//
// A cancel the venue rejects because it overtook its order (View.Rejected)
// is sent again at the next decision point.
//
// Parameters that break the model's assumptions A1-A3 (for example
// LambdaUnder <= h + f) make the backtest fail with the ck error naming the
// assumption (errors.Is(err, ck.ErrAssumption)), unless
// AllowAssumptionViolations is set.
type CKRouter struct {
	Horizon     time.Duration // T; default 10 s
	LambdaUnder sor.Money     // λ_u per share missing at the horizon
	LambdaOver  sor.Money     // λ_o per share bought beyond the target
	Theta       sor.Money     // θ, the impact cost per share of mismatch
	Iterations  int           // stochastic-approximation steps per solve; default 1000
	// Whole makes every horizon's target the whole remainder. By default
	// the target is an even share of it, ⌈remainder / horizons left⌉, with
	// n = ⌊(last − t)/T⌋ horizons left before the catch-up.
	Whole      bool
	MinWindows int // complete windows needed to use the empirical law; default 5

	AllowAssumptionViolations bool

	setup     Setup
	next      int64
	carry     int64
	solves    int
	ids       map[int]int // publisher id → ck venue index
	prev      []struct{ bid, ask sor.Money }
	outflows  *ck.Outflows // the rows so far, as bid-queue outflows per window
	cancelled map[int]bool
	catchup   bool
	lastT     int64 // the latest ts_event ingested
}

func (c *CKRouter) Name() string { return "ck_router" }

func (c *CKRouter) horizon() int64 {
	if c.Horizon <= 0 {
		return int64(10 * time.Second)
	}
	return int64(c.Horizon)
}

func (c *CKRouter) Start(s Setup) error {
	if c.LambdaUnder < 0 || c.LambdaOver < 0 || c.Theta < 0 {
		return fmt.Errorf("ck router: negative penalty")
	}
	c.setup, c.next, c.carry, c.solves, c.catchup, c.lastT = s, s.First, 0, 0, false, 0
	c.ids, c.prev, c.cancelled = map[int]int{}, c.prev[:0], map[int]bool{}
	var err error
	c.outflows, err = ck.NewOutflows(c.horizon())
	return err
}

// ingest turns the rows of a decision point into bid events.
func (c *CKRouter) ingest(rows []sor.Row) {
	for i := range rows {
		r := &rows[i]
		k, ok := c.ids[r.PublisherID]
		if !ok {
			k = len(c.ids)
			c.ids[r.PublisherID] = k
			c.prev = append(c.prev, struct{ bid, ask sor.Money }{})
		}
		p := &c.prev[k]
		// Under a feed delay rows come in the order they were received,
		// which may step back in ts_event across venues: the outflow windows
		// need time order.
		c.lastT = max(c.lastT, r.TsEvent)
		ev := ck.BidEvent{Time: c.lastT, Venue: k, BidPx: int64(r.BidPx), BidSize: r.BidSz}
		if isTrade(r) && p.bid != sor.NoPrice && r.Price == p.bid && TradeHitsBid(r, p.bid, p.ask) {
			ev.TradeSize = r.Size
		}
		c.outflows.Add(ev) // an error (none with rows from a reader) is History's to report
		p.bid, p.ask = r.BidPx, r.AskPx
	}
}

func (c *CKRouter) Decide(v *View) ([]Order, error) {
	c.ingest(v.Rows)
	var orders []Order
	for _, o := range v.Open { // cancels that overtook their orders: send them again
		if slices.Contains(v.Rejected, o.ID) {
			orders = append(orders, Order{Kind: Cancel, ID: o.ID})
		}
	}
	cancelLimits := func() {
		for _, o := range v.Open {
			if o.Kind == Limit && !c.cancelled[o.ID] {
				c.cancelled[o.ID] = true
				orders = append(orders, Order{Kind: Cancel, ID: o.ID})
			}
		}
	}
	want := v.Remaining() - v.Pending(Market)
	T := c.horizon()
	if c.setup.Last-v.Time < T {
		c.catchup = true
		cancelLimits()
		return append(orders, sweep(v, want)...), nil
	}
	if v.Time >= c.next {
		cancelLimits()
		c.carry = 0
		target := want
		if n := (c.setup.Last - v.Time) / T; !c.Whole && n > 1 {
			target = (want + n - 1) / n
		}
		if target > 0 {
			more, solved, err := c.solve(v, target)
			if err != nil {
				return nil, err
			}
			if !solved { // no usable book: the horizon starts at a later decision point
				return orders, nil
			}
			orders = append(orders, more...)
		}
		c.next = v.Time + T
	}
	if c.carry > 0 {
		sent := sweep(v, min(c.carry, want))
		for _, o := range sent {
			c.carry -= o.Shares
		}
		orders = append(orders, sent...)
	}
	return orders, nil
}

// sweep buys want shares with market orders at the cheapest offers
// (sor.CompareOffers), each up to what is left of it.
func sweep(v *View, want int64) []Order {
	if want <= 0 {
		return nil
	}
	offers := slices.SortedFunc(slices.Values(v.Offers()), sor.CompareOffers)
	var out []Order
	for _, o := range offers {
		if want == 0 {
			break
		}
		x := min(want, o.Available)
		out = append(out, Order{Kind: Market, Venue: o.Venue, Shares: x, Price: o.Ask})
		want -= x
	}
	return out
}

// Problem builds the ck problem for S shares from the book in v: the venues
// at the consolidated best bid (publisher ids, in v.Quotes order) and the
// parameters. ok is false when the book has no bid or no ask (View.BestBidAsk:
// a side counts when its size is > 0), or is locked or crossed
// (best ask <= best bid: h <= 0, where the model does not apply), or when
// the strategy has nothing left to take (no offer, so no fee f).
func (c *CKRouter) Problem(v *View, S int64) (venues []int, p ck.Params, ok bool) {
	bestBid, bestAsk := v.BestBidAsk()
	offers := v.Offers()
	cheapest := sor.CheapestOffer(offers)
	if bestBid == sor.NoPrice || bestAsk == sor.NoPrice || cheapest < 0 || bestAsk <= bestBid {
		return nil, ck.Params{}, false
	}
	fee := offers[cheapest].Fee
	p = ck.Params{
		Size:                      float64(S),
		HalfSpread:                (bestAsk - bestBid).Dollars() / 2,
		Fee:                       fee.Dollars(),
		Impact:                    c.Theta.Dollars(),
		LambdaUnder:               c.LambdaUnder.Dollars(),
		LambdaOver:                c.LambdaOver.Dollars(),
		AllowAssumptionViolations: c.AllowAssumptionViolations,
	}
	for _, q := range v.Quotes {
		if q.Bid == bestBid && q.BidSize > 0 {
			venues = append(venues, q.Venue)
			p.Rebates = append(p.Rebates, q.Rebate.Dollars())
			p.Queues = append(p.Queues, float64(q.BidSize))
		}
	}
	return venues, p, true
}

// solve solves the problem for S shares at this decision point: it carries
// round(M) to be sent as market orders and returns the limit orders; solved
// is false when the book cannot be used (see Problem): the caller waits.
func (c *CKRouter) solve(v *View, S int64) (_ []Order, solved bool, _ error) {
	m, limits, solved, err := c.split(v, S)
	if solved {
		c.carry = m
	}
	return limits, solved, err
}

// split solves the problem for S shares: the market order round(M), at
// most S, and a limit order of round(L_k) (at most S) at the bid of each
// venue k at the best bid.
func (c *CKRouter) split(v *View, S int64) (market int64, limits []Order, solved bool, _ error) {
	venues, p, ok := c.Problem(v, S)
	if !ok {
		return 0, nil, false, nil
	}
	if err := p.Validate(); err != nil {
		return 0, nil, false, fmt.Errorf("ck router: %w", err)
	}
	sampler, err := c.sampler(venues, p.Queues)
	if err != nil {
		return 0, nil, false, fmt.Errorf("ck router: %w", err)
	}
	c.solves++
	seed := c.setup.Seed*0x9e3779b97f4a7c15 + uint64(c.solves)
	x, err := ck.Solve(p, sampler, ck.Options{Iterations: cmp.Or(c.Iterations, 1000), Seed: seed, Burnin: 0.5})
	if err != nil {
		return 0, nil, false, fmt.Errorf("ck router: %w", err)
	}
	for k, l := range x.Limit {
		if n := int64(math.Round(l)); n > 0 {
			q, _ := v.Quote(venues[k])
			limits = append(limits, Order{Kind: Limit, Venue: venues[k], Shares: min(n, S), Price: q.Bid})
		}
	}
	return min(S, int64(math.Round(x.Market))), limits, true, nil
}

// sampler is the outflow law of the given venues (see CKRouter).
func (c *CKRouter) sampler(venues []int, queues []float64) (ck.Sampler, error) {
	cols := make([]int, len(venues))
	for k, id := range venues {
		cols[k] = c.ids[id]
	}
	hist, err := c.outflows.History()
	inRange := err == nil && slices.Max(cols) < hist.Venues()
	if inRange && hist.Rows() >= cmp.Or(c.MinWindows, 5) {
		return &columns{h: hist, cols: cols, buf: make([]float64, hist.Venues())}, nil
	}
	means := make([]float64, len(venues))
	for k := range venues {
		means[k] = max(queues[k], 1)
		if inRange && hist.Rows() > 0 {
			means[k] = max(hist.Marginal(cols[k]).Mean(), 1)
		}
	}
	return ck.IndependentPoisson(means...)
}

// columns samples a subset of a History's venues, jointly.
type columns struct {
	h    *ck.History
	cols []int
	buf  []float64
}

func (s *columns) Venues() int { return len(s.cols) }

func (s *columns) Sample(r *rand.Rand, xi []float64) {
	s.h.Sample(r, s.buf)
	for k, j := range s.cols {
		xi[k] = s.buf[j]
	}
}
