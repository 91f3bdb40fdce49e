package replay

import (
	"errors"
	"fmt"
	"math"
	"time"

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
	Tag    int       // the strategy's own label, kept in Result.Sent; the engine does not read it
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
	// Rows are the rows of this decision point (ts_event = Time), in stream
	// order: a strategy that follows the market row by row has seen every
	// row once it has seen every decision point's. Read only.
	Rows []sor.Row

	// What Offers and BestBidAsk return: worked out on their first call
	// (by fill, set by the engine), since most decisions of most
	// strategies look at neither; a view made by hand sets them directly.
	offers   []sor.Offer
	bid, ask sor.Money
	fill     func(*View)
	filled   bool
}

// Offers are what the strategy can take now, the rule of sor.Book's
// Offers: one per venue quoting an ask with shares left to take
// (depletion), ascending publisher id, with fees.
func (v *View) Offers() []sor.Offer {
	v.prepare()
	return v.offers
}

// BestBidAsk is the consolidated top of book of the quotes
// (sor.Book.BestBidAsk: a side counts when its size is > 0; displayed
// prices, before fees and depletion); sor.NoPrice when no venue shows the
// side.
func (v *View) BestBidAsk() (bid, ask sor.Money) {
	v.prepare()
	return v.bid, v.ask
}

func (v *View) prepare() {
	if !v.filled && v.fill != nil {
		v.fill(v)
	}
	v.filled = true
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
	// FeedDelay makes a strategy see each row at its ts_recv, when the
	// data reached the recorder, instead of its ts_event: decisions are
	// made at each distinct ts_recv on the rows received by then, while
	// orders still execute against the market at ts_event. The rows must
	// carry ts_recv.
	FeedDelay bool
	// Markouts are the horizons h at which the consolidated mid price is
	// recorded after every fill (Result.MidAfter); nil: none.
	Markouts []time.Duration
	Seed     uint64 // seeds latency draws, sampled queue models and the strategy
	// UnfilledPenalty is charged per share left unfilled at the end, on top
	// of the final price (see Result.ExpectedCost).
	UnfilledPenalty sor.Money
}

// Fill is one execution with what sor.Fill does not say. For a maker fill,
// Fill.Fee is minus the venue's rebate, so that Cash() = shares·(price − rebate).
type Fill struct {
	sor.Fill
	FillInfo
}

// FillInfo is what a replay knows of a fill beyond sor.Fill.
type FillInfo struct {
	OrderID  int
	Maker    bool      // a resting limit order was executed
	Slippage sor.Money // per share, taker fills: ask at arrival − ask at decision
}

// Result is the outcome of one backtest. The embedded sor.Result holds
// every fill once (Fills), for the charts and tables that read any
// strategy's result; Info[i] says what Fills[i] was (Detail(i) joins them).
type Result struct {
	sor.Result
	Info         []FillInfo
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
	// MidAfter[k][i] is the consolidated mid price Config.Markouts[k]
	// after Fills[i] (NaN when that time is past the data; see
	// ConsolidatedMid).
	MidAfter [][]float64
}

// Sent is a message as the strategy sent it, with its ID (the order's, or the
// cancelled order's) and the time it was sent.
type Sent struct {
	Time int64
	Order
}

// Filler is a sor.Filler whose fills carry a replay's details, as
// plotter.XYZer is an XYer with a third value: Fill(i) is the fill,
// Detail(i) the fill with its FillInfo. *Result is one.
type Filler interface {
	sor.Filler
	Detail(i int) Fill
}

// Detail returns the i-th fill with its replay details. (Fill(i), of the
// embedded sor.Result, returns the fill alone.)
func (r *Result) Detail(i int) Fill { return Fill{r.Fills[i], r.Info[i]} }

// Details returns every fill with its replay details, as a new slice: for
// tests that compare whole runs. Readers of one fill at a time use Detail.
func (r *Result) Details() []Fill {
	out := make([]Fill, len(r.Fills))
	for i := range out {
		out[i] = r.Detail(i)
	}
	return out
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
