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
// and the two lambda_u thresholds of Proposition 3, which give the regime
// of SingleVenue:
//
//	lambdaLimit  = (2h+f+r)/F((Q+S)-) - (h+r+theta)  (lambda_u <  it: limit only)
//	lambdaMarket = (2h+f+r)/F(Q)      - (h+r+theta)  (lambda_u >= it: market only)
//	mixed when lambdaLimit <= lambda_u < lambdaMarket,
//
// where F((Q+S)-) = P(xi < Q+S) is the left limit of F: for a discrete law
// it is below F(Q+S) when Q+S is an atom (a continuous law has
// F((Q+S)-) = F(Q+S)). A threshold is +Inf when its F value is 0. The
// thresholds need A1 (2h + f + r > 0), under which they hold for every
// lambda_u, with or without A2-A3; without A1 both are NaN (the regime then
// does not follow from such thresholds: see SingleVenue).
func SingleVenueThresholds(p Params, F Distribution) (pStar, lambdaLimit, lambdaMarket float64) {
	h, f, r, th := p.HalfSpread, p.Fee, p.Rebates[0], p.Impact
	num := 2*h + f + r
	pStar = num / (h + r + p.LambdaUnder + th)
	if !(num > 0) {
		return pStar, math.NaN(), math.NaN()
	}
	div := func(a, b float64) float64 {
		if b <= 0 {
			return math.Inf(1)
		}
		return a / b
	}
	q := p.Queues[0]
	below := math.Nextafter(q+p.Size, math.Inf(-1)) // F(below) = P(xi < Q+S)
	lambdaLimit = div(num, F.CDF(below)) - (h + r + th)
	lambdaMarket = div(num, F.CDF(q)) - (h + r + th)
	return
}

// SingleVenue returns the optimal allocation for one venue (K = 1) in
// closed form, and its regime. p must have exactly one venue and satisfy
// Validate (for AllowAssumptionViolations see the end of this comment).
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
// which is nondecreasing in L when c >= 0 (V is then convex; under A1 and
// A2, c > 2h + f + r + theta > 0). The minimiser is then the smallest L in
// [0, S] with F(Q+L) >= p*, p* = (2h+f+r)/c, that is
//
//	L* = min(S, max(0, F^{-1}(p*) - Q)),   M* = S - L*.
//
// This gives the three regimes (SingleVenueThresholds):
//
//	market only  (L* = 0):  F(Q) >= p*       <=> lambda_u >= (2h+f+r)/F(Q)      - (h+r+theta)
//	limit only   (L* = S):  F((Q+S)-) < p*   <=> lambda_u <  (2h+f+r)/F((Q+S)-) - (h+r+theta)
//	mixed        otherwise: L* = F^{-1}(p*) - Q
//
// where F((Q+S)-) = P(xi < Q+S): L* = S needs F(x) < p* for every x < Q+S.
// For a discrete law with an atom at Q+S this is below F(Q+S) (Poisson(10),
// Q = 0, S = 10, h = 0.01, f = 0.003, r = 0.002: limit only up to
// lambda_u = 0.0426, not 0.0309 as F(Q+S) would say).
//
// Outside the assumptions (AllowAssumptionViolations) SingleVenue still
// returns the best split of exactly S shares (M + L = S), which need not be
// the optimum over all (M, L) there:
//
//	c > 0, 2h+f+r <= 0 (no A1):  V' >= 0, L* = 0;
//	c <= 0, 2h+f+r > 0 (no A2):  V' < 0, L* = S;
//	c = 0, 2h+f+r <= 0:          V' >= 0, L* = 0;
//	c < 0, 2h+f+r <= 0:          V is concave on [0, S]: L* = S if
//	                             V(S) - V(0) = c int_0^S F(Q+u) du - (2h+f+r) S < 0,
//	                             else 0 (the integral is exact for a Discrete
//	                             law, by quadrature otherwise).
func SingleVenue(p Params, F Distribution) (Allocation, Regime, error) {
	if err := p.Validate(); err != nil {
		return Allocation{}, 0, err
	}
	if p.K() != 1 {
		return Allocation{}, 0, errors.New("ck: SingleVenue needs exactly one venue")
	}
	h, f, r, th := p.HalfSpread, p.Fee, p.Rebates[0], p.Impact
	a, c := 2*h+f+r, h+r+p.LambdaUnder+th
	var l float64
	switch {
	case c > 0 && a <= 0:
		l = 0 // only without A1: V' = cF - a >= 0, limit orders never help
	case c > 0:
		l = F.Quantile(a/c) - p.Queues[0]
	case a > 0:
		l = p.Size // only without A2: V' = cF - a < 0 everywhere
	case c == 0:
		l = 0 // V' = -a >= 0
	default:
		// c < 0 and a <= 0 (without A1 and A2): V' is nonincreasing, V is
		// concave on [0, S] and the minimum is at an end:
		// V(S) - V(0) = c int_0^S F(Q+u) du - a S.
		if c*(p.Size-expectedFill(F, p.Queues[0], p.Size))-a*p.Size < 0 {
			l = p.Size
		}
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

// expectedFill returns E[min((xi - q)+, s)] = int_0^s (1 - F(q+u)) du:
// exactly for a Discrete law, else by the midpoint rule on 4,096 steps.
func expectedFill(F Distribution, q, s float64) float64 {
	if d, ok := F.(Discrete); ok {
		e := 0.0
		for v, w := range d.Atoms() {
			e += w * Fill(v, q, s)
		}
		return e
	}
	const n = 4096
	e, du := 0.0, s/n
	for i := range n {
		e += 1 - F.CDF(q+(float64(i)+0.5)*du)
	}
	return e * du
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
