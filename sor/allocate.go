package sor

import (
	"errors"
	"fmt"
)

// Step is the lot size of the static allocator: it splits orders in
// multiples of 100 shares, as the exercise's pseudocode does.
const Step = 100

// Offer is what a strategy can take from one venue at a decision point.
type Offer struct {
	Venue     int   // publisher id
	Ask       Money // best ask price
	Fee       Money // taker fee per share
	Rebate    Money // maker rebate per share
	Available int64 // displayed ask size not yet taken by this strategy
}

// Price is the all-in cost of one share taken from the offer: Ask + Fee.
func (o Offer) Price() Money { return o.Ask + o.Fee }

// Params are the static allocator's penalties, in dollars per share:
// LambdaUnder for each share left unfilled, LambdaOver for each share bought
// beyond the target, ThetaQueue for each share of either kind (a queue-risk
// penalty).
type Params struct {
	LambdaOver  Money
	LambdaUnder Money
	ThetaQueue  Money
}

// String names the penalties, which the field order (λ_over first, as in the
// exercise's allocate signature) makes easy to misread.
func (p Params) String() string {
	return "lambda_under=" + p.LambdaUnder.String() + " lambda_over=" + p.LambdaOver.String() + " theta_queue=" + p.ThetaQueue.String()
}

// ErrOrderSize is returned for an order size that is not a positive multiple
// of Step.
var ErrOrderSize = errors.New("order size must be a positive multiple of 100")

func checkSize(rem int64) error {
	if rem <= 0 || rem%Step != 0 {
		return fmt.Errorf("%w, got %d", ErrOrderSize, rem)
	}
	return nil
}

// Cost is the exercise's cost of sending split[v] shares to offers[v] when
// rem shares are wanted:
//
//	exe_v     = min(split_v, available_v)
//	cash      = Σ exe_v·(ask_v + fee_v) − Σ (split_v − exe_v)·rebate_v
//	underfill = max(rem − Σ exe_v, 0),  overfill = max(Σ exe_v − rem, 0)
//	cost      = cash + θ·(underfill + overfill) + λu·underfill + λo·overfill
//
// The unexecuted part of an order is taken to rest and earn the rebate.
func Cost(rem int64, offers []Offer, split []int64, p Params) Money {
	var cash Money
	var executed int64
	for v, q := range split {
		exe := min(q, offers[v].Available)
		executed += exe
		cash += Money(exe) * offers[v].Price()
		cash -= Money(max(q-exe, 0)) * offers[v].Rebate
	}
	under, over := max(rem-executed, 0), max(executed-rem, 0)
	return cash + p.ThetaQueue*Money(under+over) + p.LambdaUnder*Money(under) + p.LambdaOver*Money(over)
}

// EnumerateSplits calls yield with every candidate split of the exercise's
// pseudocode, in its order: venue by venue, q_v ∈ {0, 100, 200, …} up to
// min(rem − Σ earlier q, available_v), earlier venues varying slowest. Only
// splits that add up to rem are candidates. yield must not keep split; it
// returns false to stop.
func EnumerateSplits(rem int64, offers []Offer, yield func(split []int64) bool) error {
	if err := checkSize(rem); err != nil {
		return err
	}
	split := make([]int64, len(offers))
	var walk func(v int, left int64) bool
	walk = func(v int, left int64) bool {
		if v == len(offers) {
			return left != 0 || yield(split)
		}
		hi := min(left, offers[v].Available)
		for q := int64(0); q <= hi; q += Step {
			split[v] = q
			if !walk(v+1, left-q) {
				return false
			}
		}
		split[v] = 0
		return true
	}
	walk(0, rem)
	return nil
}

// AllocateBrute is the exercise's allocator as written: it enumerates every
// candidate split and keeps the first cheapest one. Its time grows like
// (rem/100)^(venues−1); it is the oracle the fast Allocate is tested against.
// A nil split means no candidate exists (too little displayed liquidity in
// whole lots): no trade now.
func AllocateBrute(rem int64, offers []Offer, p Params) ([]int64, Money, error) {
	var best []int64
	var bestCost Money
	err := EnumerateSplits(rem, offers, func(split []int64) bool {
		if c := Cost(rem, offers, split, p); best == nil || c < bestCost {
			best, bestCost = append(best[:0], split...), c
		}
		return true
	})
	return best, bestCost, err
}

// Allocate returns the same split and cost as AllocateBrute, in time linear in
// the number of venues (after a sort of at most a few venues), for every input
// whose costs fit in Money (Backtest checks that they do).
//
// Why it is exact: every candidate sends at most available_v to venue v and
// exactly rem in total, so everything executes, underfill and overfill are 0,
// the rebate and penalty terms vanish and the cost is Σ q_v·(ask_v + fee_v),
// linear in the split. A linear cost over lots of 100 with per-venue caps
// ⌊min(available_v, rem)/100⌋ is minimised by filling the cheapest venues
// first. Every cheapest split fills the venues cheaper than the marginal price
// completely and leaves pricier ones empty; only venues at the marginal price
// can share the last lots in different ways, all at the same cost. The
// enumeration keeps the first of those, the lexicographically smallest in
// venue order: give each marginal venue, in order, only what the later
// marginal venues cannot take.
//
// This is also why the penalties never change the answer under these rules:
// they multiply terms that are always zero.
func Allocate(rem int64, offers []Offer, p Params) ([]int64, Money, error) {
	if err := checkSize(rem); err != nil {
		return nil, 0, err
	}
	const maxStack = 16
	var capBuf, orderBuf [maxStack]int64
	caps, order := capBuf[:0], orderBuf[:0]
	if len(offers) > maxStack {
		caps, order = make([]int64, 0, len(offers)), make([]int64, 0, len(offers))
	}
	var total int64
	for v, o := range offers {
		if o.Available < 0 {
			// The enumeration's range for this venue is empty, so it has
			// no candidate at all (not even q_v = 0).
			return nil, 0, nil
		}
		c := min(o.Available, rem) / Step
		caps = append(caps, c)
		total += c
		// Insertion sort by (price, venue index): stable and allocation-free.
		i := len(order)
		order = append(order, int64(v))
		for i > 0 && offers[order[i-1]].Price() > o.Price() {
			order[i] = order[i-1]
			i--
		}
		order[i] = int64(v)
	}
	need := rem / Step
	if total < need {
		return nil, 0, nil
	}
	split := make([]int64, len(offers))
	for g := 0; need > 0; {
		// [g, e) is a group of venues at one price, in venue order.
		e, groupCap := g, int64(0)
		for ; e < len(order) && offers[order[e]].Price() == offers[order[g]].Price(); e++ {
			groupCap += caps[order[e]]
		}
		if groupCap <= need {
			for _, v := range order[g:e] {
				split[v] = caps[v] * Step
			}
			need -= groupCap
		} else {
			later := groupCap
			for _, v := range order[g:e] {
				later -= caps[v]
				q := max(need-later, 0)
				split[v] = q * Step
				need -= q
			}
		}
		g = e
	}
	return split, Cost(rem, offers, split, p), nil
}
