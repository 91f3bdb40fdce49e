package replay

import (
	"math"
	"math/rand/v2"

	"github.com/sorlab/sorlab/sor"
)

// QueuePos is one of our resting limit buys as a queue model sees it.
type QueuePos struct {
	Price sor.Money // the limit price
	Left  int64     // shares not yet filled
	// Ahead is the estimate of the shares in front of ours at Price: +Inf
	// while unknown (the order waits behind a better bid). Our own orders
	// are never part of it: the data were recorded without them.
	Ahead float64
}

// QueueModel owns the life of a resting limit buy in its venue's queue,
// event by event, as hftbacktest's QueueModel does: a model is a type, and a
// new rule is a new type, not an edit of the engine. MoveQueue calls the
// methods for every row of the order's venue, in the order of the rules
// listed in the package documentation, and the engine calls Join when the
// order arrives.
//
// Models return the shares of ours a print or an offer fills (at most
// q.Left, never more than the size they are given) and leave q.Left to the
// caller, which may take fewer (an order that completes takes no more).
// Embed FIFO for the rules every model here shares and write Cancel: where
// the cancellations the feed shows came from.
type QueueModel interface {
	// Join sets q.Ahead for an order arriving at q.Price when the venue's
	// best bid is bid (sor.NoPrice: none) with live shares at it.
	Join(q *QueuePos, bid sor.Money, live int64)
	// Trade is a sell print of size shares at q.Price (it hit the bids).
	Trade(q *QueuePos, size int64) (filled int64)
	// Through is a sell print of size shares below q.Price: the seller
	// would have met our order first.
	Through(q *QueuePos, size int64) (filled int64)
	// Cancel is a decrease of the live size at q.Price, the best bid, from
	// before to after shares that no trade explains (0 <= q.Ahead <= before,
	// after < before). r is the run's seeded generator.
	Cancel(q *QueuePos, before, after int64, r *rand.Rand)
	// Level is the venue's best bid after a row: bid with live shares at it,
	// or clear when the feed shows no bid at all (action R, or an empty bid
	// side): the level left the feed, not necessarily the market.
	Level(q *QueuePos, bid sor.Money, live int64, clear bool)
	// Sellers is size shares newly offered at or below q.Price (the ask
	// came down to our price): sellers that would have met our order.
	Sellers(q *QueuePos, size int64) (filled int64)
	String() string
}

// FIFO is the queue life the models of this package share: price-time
// priority, as hftbacktest's RiskAdverseQueueModel and ProbQueueModel have
// it, except where the package documentation says otherwise.
//
//	Join     ahead = live if the bid is at our price; +Inf (unknown) if it is
//	         better; 0 if it is worse or absent (a level of our own)
//	Trade    the print takes the shares ahead first: see Advance
//	Through  min(size, left): the print meets us first
//	Level    clear: keep the estimate (capped when the level shows again);
//	         bid below our price: 0 (everyone at our price has gone);
//	         bid at our price: clamp to [0, live]; bid above: keep
//	Sellers  min(size, left)
type FIFO struct{}

func (FIFO) Join(q *QueuePos, bid sor.Money, live int64) {
	switch {
	case bid == q.Price:
		q.Ahead = float64(live) // everything shown and not yet traded is ahead of us
	case bid != sor.NoPrice && bid > q.Price:
		q.Ahead = math.Inf(1) // behind a better bid: unknown until our level shows
	default:
		q.Ahead = 0 // a new best bid of our own
	}
}

func (FIFO) Trade(q *QueuePos, size int64) int64 {
	var x int64
	q.Ahead, x = Advance(q.Ahead, size, q.Left)
	return x
}

func (FIFO) Through(q *QueuePos, size int64) int64 { return max(min(size, q.Left), 0) }

func (FIFO) Sellers(q *QueuePos, size int64) int64 { return max(min(size, q.Left), 0) }

func (FIFO) Level(q *QueuePos, bid sor.Money, live int64, clear bool) {
	switch {
	case clear:
		// The feed lost the level (a clear before a snapshot, or a glitch);
		// the queue did not necessarily go. Keep the estimate: the rows that
		// rebuild the level cap it.
	case bid < q.Price:
		q.Ahead = 0 // the bid fell below our price: nobody is ahead any more
	case bid == q.Price:
		q.Ahead = clampAhead(q.Ahead, live)
	}
}

// RiskAverseQueue assumes every cancellation happens behind us: only trades
// move our order forward. A decrease moves ahead only as far as needed to
// stay within what is displayed: ahead' = min(ahead, after).
type RiskAverseQueue struct{ FIFO }

func (RiskAverseQueue) Cancel(q *QueuePos, before, after int64, _ *rand.Rand) {
	q.Ahead = math.Min(q.Ahead, float64(after))
}

func (RiskAverseQueue) String() string { return "risk_averse" }

// ProbFunc says where a cancellation came from: Front is the probability
// p_front that it came from the front part of a queue of front + back shares
// in which our order sits after front shares.
type ProbFunc interface {
	Front(front, back float64) float64
	String() string
}

// PowerProb is f(x) = x^N, p_front = f(front)/(f(front) + f(back)):
// hftbacktest's PowerProbQueueFunc. N = 1 makes a cancelled share equally
// likely to be any displayed share; a larger N pushes cancellations towards
// the longer side of our order.
type PowerProb struct{ N float64 }

func (p PowerProb) F(x float64) float64               { return math.Pow(x, p.N) }
func (p PowerProb) Front(front, back float64) float64 { return ratio(p.F, front, back) }
func (p PowerProb) String() string                    { return "power" + trimFloat(p.N) }

// LogProb is f(x) = log(1 + x), p_front = f(front)/(f(front) + f(back)):
// hftbacktest's LogProbQueueFunc. The weights grow slowly with the sizes, so
// cancellations split more evenly between front and back than with
// PowerProb{1}.
type LogProb struct{}

func (LogProb) F(x float64) float64                 { return math.Log1p(x) }
func (l LogProb) Front(front, back float64) float64 { return ratio(l.F, front, back) }
func (LogProb) String() string                      { return "log" }

// Log2Prob is hftbacktest's LogProbQueueFunc2: with f(x) = log(1 + x), the
// share from behind is f(back)/f(front + back), so
//
//	p_front = 1 − f(back)/f(front + back).
//
// Because log is concave, f(back) is a large part of f(front + back) even
// for a short back: most cancellations are taken to come from behind us,
// between LogProb and RiskAverseQueue.
type Log2Prob struct{}

func (Log2Prob) Front(front, back float64) float64 {
	total := math.Log1p(front + back)
	if total == 0 || math.IsNaN(total) {
		return 0.5
	}
	return 1 - math.Log1p(back)/total
}

func (Log2Prob) String() string { return "log2" }

// PowerProb2 is hftbacktest's PowerProbQueueFunc2: with f(x) = x^N, the
// share from behind is f(back)/f(front + back), so
//
//	p_front = 1 − (back/(front + back))^N.
//
// N = 1 is PowerProb{1}; a larger N takes more of each cancellation from
// the front: with front 300 and back 200, N = 2 gives p_front = 0.84.
type PowerProb2 struct{ N float64 }

func (p PowerProb2) Front(front, back float64) float64 {
	return ofShares(front, back, func(_, behind float64) float64 { return 1 - math.Pow(behind, p.N) })
}

func (p PowerProb2) String() string { return "func2_power" + trimFloat(p.N) }

// PowerProb3 is hftbacktest's PowerProbQueueFunc3: with f(x) = x^N, the
// share from behind is 1 − f(front/(front + back)), so
//
//	p_front = (front/(front + back))^N.
//
// N = 1 is PowerProb{1}; a larger N takes more of each cancellation from
// behind: with front 300 and back 200, N = 2 gives p_front = 0.36.
type PowerProb3 struct{ N float64 }

func (p PowerProb3) Front(front, back float64) float64 {
	return ofShares(front, back, func(ahead, _ float64) float64 { return math.Pow(ahead, p.N) })
}

// ofShares is p_front = g(ahead, behind) for a function of the queue's
// shares in front of and behind our order, front/(front + back) and
// back/(front + back): 1/2 when the queue is empty or both parts are
// unbounded, 1 when only the front is.
func ofShares(front, back float64, g func(ahead, behind float64) float64) float64 {
	switch total := front + back; {
	case math.IsInf(front, 1) && !math.IsInf(back, 1):
		return 1
	case total == 0 || math.IsNaN(total) || math.IsInf(total, 1):
		return 0.5
	default:
		return g(front/total, back/total)
	}
}

func (p PowerProb3) String() string { return "func3_power" + trimFloat(p.N) }

// ratio is f(front)/(f(front) + f(back)): 1/2 when both weights are zero,
// 0 or 1 when one is infinite.
func ratio(f func(float64) float64, front, back float64) float64 {
	ff, fb := f(front), f(back)
	switch {
	case ff+fb == 0 || math.IsNaN(ff+fb):
		return 0.5
	case math.IsInf(ff, 1):
		return 1
	case math.IsInf(fb, 1):
		return 0
	}
	return ff / (ff + fb)
}

// ProbQueue assumes a cancellation can come from either side of our order.
// With front = ahead and back = before − ahead (the live shares behind us),
// a decrease of d = before − after shares is taken from the front with
// probability, or in proportion, p_front = Prob.Front(front, back) (for
// PowerProb and LogProb, f(front)/(f(front) + f(back)); hftbacktest's
// ProbQueueModel writes the complement, the share from behind). If the back
// cannot absorb its part the rest comes from the front.
//
// With Sampled false the update is the expected one (hftbacktest's):
//
//	ahead' = front − p_front·d − max(0, (1−p_front)·d − back)
//
// With Sampled true each decrease is taken to be one cancelled order (one row
// of the feed) that sits wholly in front of us with probability p_front
// (ahead' = front − d) or wholly behind (ahead' = front − max(0, d − back)),
// drawn from the run's generator: the expected update is the same but runs
// with different seeds differ.
type ProbQueue struct {
	FIFO
	Prob    ProbFunc
	Sampled bool
}

// FrontProb is p_front for the given front and back sizes (negative sizes
// count as 0).
func (q ProbQueue) FrontProb(front, back float64) float64 {
	return q.Prob.Front(math.Max(front, 0), math.Max(back, 0))
}

func (q ProbQueue) Cancel(p *QueuePos, before, after int64, r *rand.Rand) {
	d := float64(before - after)
	if d <= 0 {
		return
	}
	front, back := p.Ahead, math.Max(float64(before)-p.Ahead, 0)
	pf := q.FrontProb(front, back)
	switch {
	case !q.Sampled:
		p.Ahead = front - pf*d - math.Max(0, (1-pf)*d-back)
	case r.Float64() < pf:
		p.Ahead = front - d
	default:
		p.Ahead = front - math.Max(0, d-back)
	}
}

func (q ProbQueue) String() string {
	s := "prob_" + q.Prob.String()
	if q.Sampled {
		s += "_sampled"
	}
	return s
}

// QueueModels are the named queue models of the replay, with expected
// (not sampled) updates: risk averse, power N = 1, 2, 3, log, log2 and the
// power functions 2 and 3 with N = 2, 3 (hftbacktest's
// RiskAdverseQueueModel and ProbQueueModel with PowerProbQueueFunc(1, 2,
// 3), LogProbQueueFunc, LogProbQueueFunc2, PowerProbQueueFunc2(2, 3) and
// PowerProbQueueFunc3(2, 3); with N = 1 the last two are power 1).
func QueueModels() []QueueModel {
	return []QueueModel{
		RiskAverseQueue{},
		ProbQueue{Prob: PowerProb{N: 1}},
		ProbQueue{Prob: PowerProb{N: 2}},
		ProbQueue{Prob: PowerProb{N: 3}},
		ProbQueue{Prob: LogProb{}},
		ProbQueue{Prob: Log2Prob{}},
		ProbQueue{Prob: PowerProb2{N: 2}},
		ProbQueue{Prob: PowerProb2{N: 3}},
		ProbQueue{Prob: PowerProb3{N: 2}},
		ProbQueue{Prob: PowerProb3{N: 3}},
	}
}

// Advance applies a trade of size shares at our price to a queue position:
// the trade takes the shares ahead of us first, and what goes beyond them
// fills our order. It returns the new queue ahead (>= 0) and the number of
// our shares filled, at most ours.
//
// Fills are whole shares, floor(size − ahead): what hftbacktest's
// is_filled gives with a lot of one share (it tests round(front/lot) < 0 and
// fills floor(−front/lot)·lot, at most the print). A fraction left over is
// not carried: hftbacktest keeps it as a negative queue, but the next print
// fills min(print, left) either way.
func Advance(ahead float64, size, ours int64) (newAhead float64, filled int64) {
	rest := ahead - float64(size)
	if rest >= 0 {
		return rest, 0
	}
	x := int64(math.Floor(-rest + 1e-9))
	return 0, min(max(x, 0), ours)
}

// clampAhead keeps a queue estimate within [0, shown].
func clampAhead(ahead float64, shown int64) float64 {
	return math.Max(0, math.Min(ahead, float64(shown)))
}

func trimFloat(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return itoa(int64(x))
	}
	return ftoa(x)
}

// MoveQueue moves our resting buys at one venue through one event of its
// feed (Feed.Step), the rules of the package documentation in their order:
//
//  1. a sell print at a price p of ours: Trade; below it: Through. The print
//     meets our orders in price-time priority, and each takes what it
//     fills from the print before the next sees it;
//  2. a cancellation at our price, the best bid before and after the row:
//     Cancel with before = live + cancelled, after = live;
//  3. Level with the bid after the row;
//  4. new offers at or below our price: Sellers, shared like prints.
//
// qs are the orders in priority order: higher price first, earlier arrival
// first at one price. fill is called with the index and the shares of each
// fill and returns how many it took (fewer when the caller's order
// completes); MoveQueue takes them off Left. Orders with nothing left are
// skipped. After the event, an order is never estimated nearer the front than
// an earlier order of ours at its price (ours are ahead of it).
func MoveQueue(m QueueModel, ev *QueueEvent, qs []*QueuePos, r *rand.Rand, fill func(i int, x int64) int64) {
	row := ev.Row
	take := func(i int, x int64) int64 {
		if x <= 0 {
			return 0
		}
		got := fill(i, min(x, qs[i].Left))
		qs[i].Left -= got
		return got
	}
	print, offered := ev.Sell, ev.Offered
	for i, q := range qs {
		if q.Left <= 0 {
			continue
		}
		switch {
		case print > 0 && row.Price < q.Price:
			print -= take(i, m.Through(q, print))
		case print > 0 && row.Price == q.Price:
			print -= take(i, m.Trade(q, print))
		}
		if q.Left <= 0 {
			continue
		}
		if ev.Cancelled > 0 && ev.Before.Bid == q.Price && row.BidPx == q.Price {
			before := ev.Live + ev.Cancelled
			q.Ahead = math.Min(q.Ahead, float64(before))
			m.Cancel(q, before, ev.Live, r)
		}
		m.Level(q, row.BidPx, ev.Live, ev.Clear)
		if offered > 0 && row.AskPx != sor.NoPrice && row.AskPx <= q.Price {
			offered -= take(i, m.Sellers(q, offered))
		}
	}
	for i := 1; i < len(qs); i++ {
		if qs[i].Price == qs[i-1].Price && qs[i].Ahead < qs[i-1].Ahead {
			qs[i].Ahead = qs[i-1].Ahead
		}
	}
}
