package ck

import (
	"errors"
	"fmt"
	"math"
)

// Params holds the market and preference parameters of the order placement
// problem for K venues. Prices are per share, in the same currency unit
// (for example dollars); sizes are in shares.
type Params struct {
	// Size is S, the number of shares to buy within the horizon T.
	Size float64
	// HalfSpread is h, the half bid-ask spread: a market order pays the mid
	// price plus h, a filled limit order at the bid pays the mid minus h.
	HalfSpread float64
	// Fee is f, the taker fee per share paid by the market order.
	Fee float64
	// Rebates holds r_k, the maker rebate per share received by a filled
	// limit order at venue k (negative on inverted venues). len(Rebates) = K.
	Rebates []float64
	// Queues holds Q_k, the size of the bid queue ahead of our limit order
	// at venue k. len(Queues) = K.
	Queues []float64
	// Impact is theta, the extra cost per share of the mismatch between the
	// executed amount A and the target S at the end of the horizon
	// (theta * [(S-A)+ + (A-S)+]; see doc.go for the discussion).
	Impact float64
	// LambdaUnder is lambda_u, the penalty per share still missing at T.
	LambdaUnder float64
	// LambdaOver is lambda_o, the penalty per share bought beyond S.
	LambdaOver float64

	// AllowAssumptionViolations, when true, makes Validate skip the
	// economic assumptions A1-A3 (it still rejects malformed input such as
	// negative sizes or mismatched lengths). Use it to explore what the
	// model does outside the paper's setting; Proposition 1's bounds, the
	// feasible set used by the solver and the single-venue closed form are
	// then no longer guaranteed to describe the optimum.
	AllowAssumptionViolations bool
}

// K returns the number of venues.
func (p Params) K() int { return len(p.Queues) }

// AssumptionError reports which economic assumption of the model a Params
// value breaks.
type AssumptionError struct {
	Name   string // "A1", "A2" or "A3"
	Detail string
}

func (e *AssumptionError) Error() string {
	return "assumption " + e.Name + " violated: " + e.Detail
}

// ErrAssumption is matched (errors.Is) by every *AssumptionError.
var ErrAssumption = errors.New("ck: model assumption violated")

// Is makes errors.Is(err, ErrAssumption) true for assumption errors.
func (e *AssumptionError) Is(target error) bool { return target == ErrAssumption }

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Validate checks that p is well formed and, unless
// AllowAssumptionViolations is set, that it satisfies the assumptions
// under which the paper's results hold:
//
//	A1  2h + f + r_k > 0 for every k: a filled limit order is cheaper than
//	    a market order (h + f > -(h + r_k)); otherwise nobody would post.
//	A2  lambda_u > h + f: missing a share is worse than buying it now with
//	    a market order, so the optimum never posts less than S in total.
//	A3  lambda_o > h + r_k for every k: an extra share bought beyond S costs
//	    more than the limit order earns on it, so no single limit order
//	    needs to exceed S - M.
//
// The error names the broken assumption, for example
// "assumption A2 violated: lambda_u (0.01) <= h + f (0.023)".
func (p Params) Validate() error {
	k := len(p.Queues)
	switch {
	case k == 0:
		return errors.New("ck: no venues (len(Queues) == 0)")
	case len(p.Rebates) != k:
		return fmt.Errorf("ck: len(Rebates) = %d, want len(Queues) = %d", len(p.Rebates), k)
	case !finite(p.Size) || p.Size <= 0:
		return fmt.Errorf("ck: Size must be positive and finite, got %v", p.Size)
	case !finite(p.HalfSpread) || !finite(p.Fee):
		return errors.New("ck: HalfSpread and Fee must be finite")
	case !finite(p.Impact) || p.Impact < 0:
		return fmt.Errorf("ck: Impact must be >= 0, got %v", p.Impact)
	case !finite(p.LambdaUnder) || p.LambdaUnder < 0:
		return fmt.Errorf("ck: LambdaUnder must be >= 0, got %v", p.LambdaUnder)
	case !finite(p.LambdaOver) || p.LambdaOver < 0:
		return fmt.Errorf("ck: LambdaOver must be >= 0, got %v", p.LambdaOver)
	}
	for i := 0; i < k; i++ {
		if !finite(p.Queues[i]) || p.Queues[i] < 0 {
			return fmt.Errorf("ck: Queues[%d] must be >= 0, got %v", i, p.Queues[i])
		}
		if !finite(p.Rebates[i]) {
			return fmt.Errorf("ck: Rebates[%d] must be finite", i)
		}
	}
	if p.AllowAssumptionViolations {
		return nil
	}
	h, f := p.HalfSpread, p.Fee
	for i, r := range p.Rebates {
		if 2*h+f+r <= 0 {
			return &AssumptionError{"A1", fmt.Sprintf("2h + f + r_%d = %.10g <= 0 (h=%.10g, f=%.10g, r_%d=%.10g): a limit fill must be cheaper than a market order", i+1, 2*h+f+r, h, f, i+1, r)}
		}
	}
	if p.LambdaUnder <= h+f {
		return &AssumptionError{"A2", fmt.Sprintf("lambda_u (%.10g) <= h + f (%.10g)", p.LambdaUnder, h+f)}
	}
	for i, r := range p.Rebates {
		if p.LambdaOver <= h+r {
			return &AssumptionError{"A3", fmt.Sprintf("lambda_o (%.10g) <= h + r_%d (%.10g)", p.LambdaOver, i+1, h+r)}
		}
	}
	return nil
}

// Allocation is an order placement X = (M, L_1, ..., L_K): a market order of
// Market shares and a limit order of Limit[k] shares at the best bid of
// venue k.
type Allocation struct {
	Market float64
	Limit  []float64
}

// Total returns M + sum_k L_k, the total posted size.
func (x Allocation) Total() float64 {
	t := x.Market
	for _, l := range x.Limit {
		t += l
	}
	return t
}

// Clone returns a deep copy of x.
func (x Allocation) Clone() Allocation {
	return Allocation{Market: x.Market, Limit: append([]float64(nil), x.Limit...)}
}

// String formats x as "M=.. L=[..]" with shares rounded to 0.1.
func (x Allocation) String() string {
	s := fmt.Sprintf("M=%.1f L=[", x.Market)
	for i, l := range x.Limit {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("%.1f", l)
	}
	return s + "]"
}

// Fill returns the part of a limit order of size l, behind a queue q, that
// is executed when the queue's outflow over the horizon is xi:
// min((xi - q)+, l).
func Fill(xi, q, l float64) float64 {
	d := xi - q
	if d <= 0 {
		return 0
	}
	if d < l {
		return d
	}
	return l
}

// Executed returns A(X, xi) = M + sum_k min((xi_k - Q_k)+, L_k).
func (p Params) Executed(x Allocation, xi []float64) float64 {
	a := x.Market
	for k, q := range p.Queues {
		a += Fill(xi[k], q, x.Limit[k])
	}
	return a
}

// Cost returns the realised cost v(X, xi) of allocation x when the queue
// outflows over the horizon are xi (len(xi) = K):
//
//	v = (h+f) M - sum_k (h+r_k) min((xi_k-Q_k)+, L_k)
//	    + (lambda_u+theta) (S-A)+ + (lambda_o+theta) (A-S)+
//
// Costs are measured relative to the mid price at time 0 (a negative
// value is a gain).
func (p Params) Cost(x Allocation, xi []float64) float64 {
	h := p.HalfSpread
	c := (h + p.Fee) * x.Market
	a := x.Market
	for k, q := range p.Queues {
		fk := Fill(xi[k], q, x.Limit[k])
		a += fk
		c -= (h + p.Rebates[k]) * fk
	}
	if a < p.Size {
		c += (p.LambdaUnder + p.Impact) * (p.Size - a)
	} else {
		c += (p.LambdaOver + p.Impact) * (a - p.Size)
	}
	return c
}
