package ck

import (
	"errors"
	"math"
)

// Regime is the shape of the optimal single-venue allocation
// (Proposition 3 of the paper, re-derived in SingleVenue).
type Regime int

const (
	// MarketOnly: M* = S, L* = 0.
	MarketOnly Regime = iota
	// LimitOnly: M* = 0, L* = S.
	LimitOnly
	// Mixed: 0 < L* < S and M* = S - L*.
	Mixed
)

func (r Regime) String() string {
	switch r {
	case MarketOnly:
		return "market order only"
	case LimitOnly:
		return "limit order only"
	case Mixed:
		return "market and limit orders"
	}
	return "unknown regime"
}

// SingleVenueThresholds returns, for K = 1, the fill-probability target
//
//	p* = (2h + f + r) / (h + r + lambda_u + theta)
//
// and the two lambda_u thresholds of Proposition 3:
//
//	lambdaLimit  = (2h+f+r)/F(Q+S) - (h+r+theta)  (lambda_u <= it: limit only)
//	lambdaMarket = (2h+f+r)/F(Q)   - (h+r+theta)  (lambda_u >= it: market only)
//
// (+Inf when the corresponding F value is 0).
func SingleVenueThresholds(p Params, F Distribution) (pStar, lambdaLimit, lambdaMarket float64) {
	h, f, r, th := p.HalfSpread, p.Fee, p.Rebates[0], p.Impact
	num := 2*h + f + r
	pStar = num / (h + r + p.LambdaUnder + th)
	div := func(a, b float64) float64 {
		if b <= 0 {
			return math.Inf(1)
		}
		return a / b
	}
	q := p.Queues[0]
	lambdaLimit = div(num, F.CDF(q+p.Size)) - (h + r + th)
	lambdaMarket = div(num, F.CDF(q)) - (h + r + th)
	return
}

// SingleVenue returns the optimal allocation for one venue (K = 1) in
// closed form, and its regime. p must have exactly one venue and satisfy
// Validate (with AllowAssumptionViolations the formula is still applied).
//
// Derivation. Under A2 and A3 the optimum satisfies M + L = S
// (Proposition 1 with K = 1), so A <= S and with L = S - M
//
//	V(L) = (h+f)(S-L) + (lambda_u+theta) L - c E[min((xi-Q)+, L)] + const,
//	c    = h + r + lambda_u + theta.
//
// Since d/dL E[min((xi-Q)+, L)] = P(xi > Q+L) = 1 - F(Q+L), the right
// derivative is
//
//	V'(L) = c F(Q+L) - (2h + f + r),
//
// which is nondecreasing in L (V is convex). The minimiser is the smallest
// L in [0, S] with F(Q+L) >= p*, p* = (2h+f+r)/c, that is
//
//	L* = min(S, max(0, F^{-1}(p*) - Q)),   M* = S - L*.
//
// This gives the three regimes:
//
//	market only  (L* = 0):  F(Q) >= p*      <=> lambda_u >= (2h+f+r)/F(Q)   - (h+r+theta)
//	limit only   (L* = S):  F(Q+S) < p*     <=> lambda_u <  (2h+f+r)/F(Q+S) - (h+r+theta)
//	mixed        otherwise: L* = F^{-1}(p*) - Q
//
// (for a discrete F the limit-only boundary is F((Q+S)^-) < p*).
func SingleVenue(p Params, F Distribution) (Allocation, Regime, error) {
	if err := p.Validate(); err != nil {
		return Allocation{}, 0, err
	}
	if p.K() != 1 {
		return Allocation{}, 0, errors.New("ck: SingleVenue needs exactly one venue")
	}
	pStar, _, _ := SingleVenueThresholds(p, F)
	var l float64
	if pStar <= 0 {
		l = 0 // only possible without A1: limit orders cost more than market orders
	} else {
		l = F.Quantile(pStar) - p.Queues[0]
	}
	l = math.Max(0, math.Min(p.Size, l))
	reg := Mixed
	switch l {
	case 0:
		reg = MarketOnly
	case p.Size:
		reg = LimitOnly
	}
	return Allocation{Market: p.Size - l, Limit: []float64{l}}, reg, nil
}

// ExpectedCost returns V(X) = E[v(X, xi)] exactly for one venue (K = 1),
// by summing v over the atoms of the discrete law F.
func ExpectedCost(p Params, x Allocation, F Discrete) float64 {
	v := 0.0
	xi := []float64{0}
	for val, w := range F.Atoms() {
		xi[0] = val
		v += w * p.Cost(x, xi)
	}
	return v
}
