package sor

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"time"
)

// Router is the exercise's smart order router: at each snapshot it asks the
// static Cont-Kukanov allocator for the cheapest split of everything still to
// buy and sends it. When the displayed liquidity cannot take the whole
// remainder in lots of 100, the allocator has no candidate and the router
// waits.
//
// Under the exercise's rules every order fills whole, so the remainder stays
// a multiple of 100. In a replay with latency (package sor/replay) a market
// order can fill in part, the ask having shrunk by the time it arrives, and
// leave an odd lot: the router then splits the whole lots
// ⌊remainder/100⌋·100 with the allocator (waiting as above) and buys the
// odd lot, remainder mod 100, from the cheapest offers (CompareOffers), out
// of what the split leaves of each.
type Router struct {
	Params Params
	// Allocator splits the remainder; nil means Allocate. AllocateBrute
	// gives the textbook router, identical in result and much slower.
	Allocator func(rem int64, offers []Offer, p Params) ([]int64, Money, error)
}

func (r *Router) Name() string { return "router" }

func (r *Router) Start(first, last, orderSize int64) error { return checkSize(orderSize) }

func (r *Router) Decide(t int64, offers []Offer, remaining int64) ([]int64, error) {
	alloc := r.Allocator
	if alloc == nil {
		alloc = Allocate
	}
	lots, odd := remaining/Step*Step, remaining%Step
	var split []int64
	if lots > 0 {
		var err error
		if split, _, err = alloc(lots, offers, r.Params); err != nil {
			return nil, err
		}
	}
	if odd <= 0 {
		return split, nil
	}
	if len(split) < len(offers) {
		split = append(split, make([]int64, len(offers)-len(split))...)
	}
	for _, k := range cheapestFirst(offers) {
		x := min(odd, max(offers[k].Available-split[k], 0))
		split[k] += x
		odd -= x
	}
	return split, nil
}

// BestAsk takes, at each snapshot, as much as it can from the venue with the
// lowest ask + fee (ties: the lower publisher id).
type BestAsk struct{}

func (BestAsk) Name() string { return "best_ask" }

func (BestAsk) Start(first, last, orderSize int64) error { return nil }

func (BestAsk) Decide(t int64, offers []Offer, remaining int64) ([]int64, error) {
	return takeCheapest(offers, remaining), nil
}

func takeCheapest(offers []Offer, want int64) []int64 {
	best := CheapestOffer(offers)
	if want <= 0 || best < 0 {
		return nil
	}
	take := make([]int64, len(offers))
	take[best] = min(want, offers[best].Available)
	return take
}

// CompareOffers orders offers cheapest first: by all-in price, ask + fee,
// then by publisher id. It is the order in which every strategy takes from
// several venues: BestAsk's and TWAP's venue, VWAP's leftover shares, and
// the market orders of package sor/replay's routers.
func CompareOffers(a, b Offer) int {
	return cmp.Or(cmp.Compare(a.Price(), b.Price()), cmp.Compare(a.Venue, b.Venue))
}

// CheapestOffer is the index of the first offer in the order of
// CompareOffers, −1 when there is none.
func CheapestOffer(offers []Offer) int {
	best := -1
	for k := range offers {
		if best < 0 || CompareOffers(offers[k], offers[best]) < 0 {
			best = k
		}
	}
	return best
}

// cheapestFirst is the indices of offers in the order of CompareOffers.
func cheapestFirst(offers []Offer) []int {
	order := make([]int, len(offers))
	for k := range order {
		order[k] = k
	}
	slices.SortFunc(order, func(a, b int) int { return CompareOffers(offers[a], offers[b]) })
	return order
}

// TWAP spreads the order evenly over time. With t0 and tN the first and last
// snapshot times and buckets of length Bucket, bucket k is
// [t0 + k·B, t0 + (k+1)·B) and there are n = ⌊(tN − t0)/B⌋ + 1 of them. By the
// end of bucket k the strategy aims to have bought T_k = ⌊S·(k+1)/n⌋ shares;
// within it, at each snapshot, it buys like BestAsk but no more than
// T_k − bought. A shortfall carries over into the next bucket's allowance,
// and T_{n−1} = S.
type TWAP struct {
	Bucket time.Duration

	t0, n, size int64
}

func (w *TWAP) Name() string { return "twap" }

func (w *TWAP) Start(first, last, orderSize int64) error {
	if w.Bucket <= 0 {
		return fmt.Errorf("TWAP bucket must be positive, got %v", w.Bucket)
	}
	w.t0, w.size = first, orderSize
	w.n = (last-first)/int64(w.Bucket) + 1
	return nil
}

// Target is T_k, the cumulative number of shares due by the end of the bucket
// holding time t.
func (w *TWAP) Target(t int64) int64 {
	k := min((t-w.t0)/int64(w.Bucket), w.n-1)
	hi, lo := bits.Mul64(uint64(w.size), uint64(k+1))
	q, _ := bits.Div64(hi, lo, uint64(w.n))
	return int64(q)
}

// Idle reports that the target of t's bucket is already bought.
func (w *TWAP) Idle(t int64, remaining int64) bool { return w.Target(t)-(w.size-remaining) <= 0 }

func (w *TWAP) Decide(t int64, offers []Offer, remaining int64) ([]int64, error) {
	bought := w.size - remaining
	return takeCheapest(offers, w.Target(t)-bought), nil
}

// VWAP takes from every venue in proportion to its displayed size. At each
// snapshot it buys q = min(remaining, Σ available): venue v gets
// ⌊q·available_v / Σ available⌋, and the few shares this rounding leaves go
// one at a time to venues in order of (ask + fee, publisher id), cycling, never
// beyond a venue's available size.
type VWAP struct{}

func (VWAP) Name() string { return "vwap" }

func (VWAP) Start(first, last, orderSize int64) error { return nil }

func (VWAP) Decide(t int64, offers []Offer, remaining int64) ([]int64, error) {
	var total int64
	for _, o := range offers {
		total += o.Available
	}
	q := min(remaining, total)
	take := make([]int64, len(offers))
	left := q
	for k, o := range offers {
		hi, lo := bits.Mul64(uint64(q), uint64(o.Available))
		x, _ := bits.Div64(hi, lo, uint64(total))
		take[k] = int64(x)
		left -= int64(x)
	}
	order := cheapestFirst(offers)
	for left > 0 {
		for _, k := range order {
			if left > 0 && take[k] < offers[k].Available {
				take[k]++
				left--
			}
		}
	}
	return take, nil
}
