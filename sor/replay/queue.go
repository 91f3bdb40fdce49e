package replay

import (
	"math"
	"math/rand/v2"

	"github.com/sorlab/sorlab/sor"
)

// QueueModel says how the queue ahead of one of our resting limit buy orders
// shrinks when the displayed size at its price falls without a trade
// (cancellations). Trades are handled the same way under every model: a
// trade of s shares at our price removes s shares from the front of the
// queue (see Advance).
//
// Cancelled receives ahead, the shares estimated ahead of us, and the live
// size at our price (displayed, less trades not yet shown as a decrease)
// before and after the cancellation (before > after, ahead <= before; our
// own order is never part of the displayed size, since the data was
// recorded without it). Decreases explained by trades never reach it. It returns the new estimate; the engine
// clamps it to [0, after]. r is the run's seeded generator, for models that
// draw.
type QueueModel interface {
	Cancelled(ahead float64, before, after int64, r *rand.Rand) float64
	String() string
}

// RiskAverseQueue assumes every cancellation happens behind us: only trades
// move our order forward. A decrease moves ahead only as far as needed to
// stay within what is displayed: ahead' = min(ahead, after).
type RiskAverseQueue struct{}

func (RiskAverseQueue) Cancelled(ahead float64, before, after int64, _ *rand.Rand) float64 {
	return math.Min(ahead, float64(after))
}

func (RiskAverseQueue) String() string { return "risk_averse" }

// ProbFunc weighs the two parts of a queue, in front of our order and behind
// it, to say where a cancellation came from (see ProbQueue).
type ProbFunc interface {
	F(x float64) float64
	String() string
}

// PowerProb is f(x) = x^N. N = 1 makes a cancelled share equally likely to be
// any displayed share; a larger N pushes cancellations towards the longer
// side of our order.
type PowerProb struct{ N float64 }

func (p PowerProb) F(x float64) float64 { return math.Pow(x, p.N) }
func (p PowerProb) String() string      { return "power" + trimFloat(p.N) }

// LogProb is f(x) = log(1 + x): the weights grow slowly with the sizes, so
// cancellations split more evenly between front and back than with PowerProb{1}.
type LogProb struct{}

func (LogProb) F(x float64) float64 { return math.Log1p(x) }
func (LogProb) String() string      { return "log" }

// ProbQueue assumes a cancellation can come from either side of our order.
// With front = ahead and back = before − ahead (the displayed shares behind
// us), a decrease of d = before − after shares is taken from the front with
// probability, or in proportion,
//
//	p_front = f(front) / (f(front) + f(back))
//
// (hftbacktest's ProbQueueModel writes the complement, the share from behind,
// as f(back)/(f(back)+f(front))). If the back cannot absorb its part the rest
// comes from the front.
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
	Prob    ProbFunc
	Sampled bool
}

// FrontProb is p_front for the given front and back sizes. When both weights
// are zero (an empty queue) it is 1/2; when one weight is infinite it is 0 or 1.
func (q ProbQueue) FrontProb(front, back float64) float64 {
	ff, fb := q.Prob.F(math.Max(front, 0)), q.Prob.F(math.Max(back, 0))
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

func (q ProbQueue) Cancelled(ahead float64, before, after int64, r *rand.Rand) float64 {
	d := float64(before - after)
	if d <= 0 {
		return ahead
	}
	front, back := ahead, math.Max(float64(before)-ahead, 0)
	p := q.FrontProb(front, back)
	if q.Sampled {
		if r.Float64() < p {
			return front - d
		}
		return front - math.Max(0, d-back)
	}
	return front - p*d - math.Max(0, (1-p)*d-back)
}

func (q ProbQueue) String() string {
	s := "prob_" + q.Prob.String()
	if q.Sampled {
		s += "_sampled"
	}
	return s
}

// Advance applies a trade of size shares at our price to a queue position:
// the trade takes the shares ahead of us first, and what goes beyond them
// fills our order. It returns the new queue ahead (>= 0) and the number of
// our shares filled, at most ours; fractional parts of an estimated queue
// are rounded against us (the fill is floor(size − ahead)).
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

// bidTrades matches the trades at a venue's best bid with the decreases of
// the displayed bid size that show them, so that each traded share is
// counted once whichever convention the feed follows. A row always shows
// the book after the events of the earlier rows; a trade row may also show
// the effect of its own trade (sor/sim writes the book after the trade) or
// not (Databento MBP writes the book before the trade, and the next row of
// the venue shows the decrease).
//
// pend is the traded quantity at the current best bid that no decrease has
// matched yet. A decrease is explained by pend first, the rest is
// cancellations. After a row, only that row's own trade can still be
// pending (the next row shows it in either convention, possibly netted
// against new orders); pend is reset when the bid price changes. The live
// size of the level is the displayed size less pend.
type bidTrades struct{ pend int64 }

// step moves the bookkeeping through row r, given the venue's book before
// it (bid, ask, bidSz; bid is sor.NoPrice before the venue's first row). It
// returns the part of the row's decrease of the displayed bid size that no
// trade explains: cancellations (0 when the bid price changed).
func (b *bidTrades) step(bid, ask sor.Money, bidSz int64, r *sor.Row) (cancelled int64) {
	if bid == sor.NoPrice || r.BidPx != bid {
		b.pend = 0
		return 0
	}
	var own int64
	if isTrade(r) && r.Price == bid && TradeHitsBid(r, bid, ask) {
		own = r.Size
	}
	pend := b.pend + own
	if d := bidSz - r.BidSz; d > 0 {
		x := min(d, pend)
		pend -= x
		cancelled = d - x
	}
	b.pend = min(pend, own)
	return cancelled
}

// live is the displayed size less the traded shares not yet removed from it.
func (b *bidTrades) live(shown int64) int64 { return max(shown-b.pend, 0) }
