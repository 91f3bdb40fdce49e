package queuescore

import (
	"math/rand/v2"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/replay"
)

// order is a hypothetical order: drawn (Join, Shares, u), then placed at
// its join time (Venue, Price, Shown, Live, Until), unless no venue showed
// a bid.
type order struct {
	Join   int64
	Shares int64
	u      float64
	placed bool
	Venue  int
	Price  sor.Money
	Shown  int64 // the displayed bid size at Price when the order joined
	Live   int64 // the same less the sells the rows do not show yet (replay.Feed)
	// Until is when the order is cancelled: Join + H or, unless
	// Setup.KeepOutbid, the time of the first event after which its
	// venue's bid was above its price. Events after Until do not fill it.
	Until int64
	// mismatched: the venue's MBO book did not show the bid the order
	// joined (see follow).
	mismatched bool
}

// run is one model with one generator: its estimate of every order's
// queue, and when each order filled.
type run struct {
	model replay.QueueModel
	rng   *rand.Rand
	pos   []replay.QueuePos
	fill  []int64 // time to fill (ns), or notFilled
}

const notFilled = -1

// predictor moves the orders of a market through its MBP-1 rows for its
// runs: a sor.Player. Every predictor of a market places the orders the
// same way (they see the same rows), so the placement of any one is the
// market's.
type predictor struct {
	orders  []order // by Join
	horizon int64
	outbid  bool  // cancel an order when a better bid shows at its venue
	venues  []int // the market's publishers, ascending
	runs    []*run
	feed    replay.Feed
	next    int           // orders[next:] have not joined
	resting map[int][]int // by venue: the orders joined and within their horizon
	one     [1]*replay.QueuePos
	bids    []int
}

func newPredictor(orders []order, horizon int64, outbid bool, venues []int, runs []*run) *predictor {
	return &predictor{orders: orders, horizon: horizon, outbid: outbid, venues: venues, runs: runs, resting: map[int][]int{}}
}

// Row joins the orders that arrive before r, then moves those resting at
// r's venue through it. The book still shows the market before r.
func (p *predictor) Row(b *sor.Book, r *sor.Row) error {
	for p.next < len(p.orders) && p.orders[p.next].Join < r.TsEvent {
		p.join(b, p.next)
		p.next++
	}
	ev := p.feed.Step(r)
	rest := p.resting[r.PublisherID]
	if len(rest) == 0 {
		return nil
	}
	kept := rest[:0]
	for _, i := range rest {
		o := &p.orders[i]
		if r.TsEvent > o.Until {
			continue // cancelled: this row no longer fills it
		}
		// Kept until cancelled even when every run has filled it, so that
		// Until, which the truth uses too, does not depend on the runs.
		kept = append(kept, i)
		if p.outbid && r.BidPx != sor.NoPrice && r.BidPx > o.Price && o.Until > r.TsEvent {
			o.Until = r.TsEvent // outbid: cancelled after this event (its later rows still count)
		}
		for _, ru := range p.runs {
			q := &ru.pos[i]
			if q.Left <= 0 {
				continue
			}
			p.one[0] = q
			replay.MoveQueue(ru.model, &ev, p.one[:], ru.rng, func(_ int, x int64) int64 { return x })
			if q.Left <= 0 {
				ru.fill[i] = r.TsEvent - o.Join
			}
		}
	}
	p.resting[r.PublisherID] = kept
	return nil
}

// Decide asks nothing of the decision points.
func (p *predictor) Decide(*sor.Book) (bool, error) { return false, nil }

// End joins the orders that arrive after the last row (as mbo.Truth's
// Finish does): no row moves them any more.
func (p *predictor) End(b *sor.Book) error {
	for ; p.next < len(p.orders); p.next++ {
		p.join(b, p.next)
	}
	return nil
}

// join places order i at the best bid of the venue its draw picks among
// those showing a bid, and lets every run's model set its queue.
func (p *predictor) join(b *sor.Book, i int) {
	o := &p.orders[i]
	p.bids = p.bids[:0]
	for _, v := range p.venues {
		if q, ok := b.Latest(v); ok && q.Bid != sor.NoPrice && q.BidSize > 0 {
			p.bids = append(p.bids, v)
		}
	}
	if len(p.bids) == 0 {
		return // skipped
	}
	o.placed = true
	o.Venue = p.bids[min(int(o.u*float64(len(p.bids))), len(p.bids)-1)]
	q, _ := b.Latest(o.Venue)
	o.Price, o.Shown, o.Until = q.Bid, q.BidSize, o.Join+p.horizon
	_, o.Live = p.feed.Bid(o.Venue)
	for _, ru := range p.runs {
		ru.pos[i] = replay.QueuePos{Price: o.Price, Left: o.Shares}
		ru.model.Join(&ru.pos[i], o.Price, o.Live)
	}
	p.resting[o.Venue] = append(p.resting[o.Venue], i)
}
