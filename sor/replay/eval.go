package replay

import (
	"errors"
	"fmt"
	"math"
	"math/big"

	"github.com/sorlab/sorlab/sor"
)

// Factory makes a fresh strategy, so that runs can go in parallel.
type Factory func() Strategy

// Stats summarises one strategy's runs over several seeds. Costs are in
// dollars per share.
type Stats struct {
	Strategy string
	Model    string
	Runs     int
	// CostPerShare is the mean over runs of Cash/Filled (runs that filled
	// nothing are left out), and [CostLow, CostHigh] its 95% confidence
	// interval: mean ± t·sd/√n, t the 97.5% quantile of Student's t with
	// n − 1 degrees of freedom (the interval is the mean alone when n < 2).
	CostPerShare, CostLow, CostHigh float64
	// ExpectedCost is the mean of Result.ExpectedCost, which charges
	// unfilled shares at the final price plus the penalty; its interval is
	// computed the same way.
	ExpectedCost, ExpectedLow, ExpectedHigh float64
	FillRate                                float64 // mean Filled/OrderSize
	MakerRate                               float64 // mean share of filled shares that were maker fills
	Slippage                                float64 // mean of Result.Slippage (dollars per taker share)
	Results                                 []*Result

	exact exactStats // the report's figures, computed without rounding
}

// exactStats are the means of Stats as exact fractions of Money and share
// counts (nil where there is no run to average, as for a cost per share when
// nothing filled), with the intervals' half-widths t·sd/√n, which involve a
// square root and so are floats. Stats' float fields are these, rounded.
type exactStats struct {
	cost, expected, fill, maker, slippage *big.Rat
	costHalf, expectedHalf                float64
}

// Evaluate runs every strategy once per seed (cfg.Seed set to each seed in
// turn), all in one pass over src, and summarises each strategy's runs. The
// result does not depend on scheduling. The first error, in the order of
// the strategies then the seeds, is returned.
func Evaluate(src sor.Source, cfg Config, strategies []Factory, seeds []uint64) ([]Stats, error) {
	if len(seeds) == 0 {
		return nil, errors.New("no seeds")
	}
	if len(strategies) == 0 {
		return nil, errors.New("no strategies")
	}
	jobs := make([]job, 0, len(strategies)*len(seeds))
	for _, f := range strategies {
		for _, seed := range seeds {
			c := cfg
			c.Seed = seed
			jobs = append(jobs, job{cfg: c, s: f()})
		}
	}
	rs, errs, err := runAll(src, jobs)
	if err == nil {
		err = firstError(errs)
	}
	if err != nil {
		return nil, err
	}
	out := make([]Stats, len(strategies))
	for i := range strategies {
		out[i] = summarise(rs[i*len(seeds) : (i+1)*len(seeds)])
	}
	return out, nil
}

func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// summarise computes each run's figures as exact fractions (dollars per
// share from Money and share counts, rates from share counts) and averages
// them exactly; the float fields are the exact means rounded to float64.
func summarise(rs []*Result) Stats {
	s := Stats{Strategy: rs[0].Strategy, Model: rs[0].Model, Runs: len(rs), Results: rs}
	var cost, exp, fill, maker, slip []*big.Rat
	for _, r := range rs {
		if r.Filled > 0 {
			cost = append(cost, perShare(r.Cash.Rat(), r.Filled))
			maker = append(maker, big.NewRat(r.MakerShares, r.Filled))
		}
		unfilled := new(big.Rat).Add(r.EndPrice.Rat(), r.Penalty.Rat())
		unfilled.Mul(unfilled, new(big.Rat).SetInt64(r.Unfilled()))
		exp = append(exp, perShare(unfilled.Add(unfilled, r.Cash.Rat()), r.OrderSize))
		fill = append(fill, big.NewRat(r.Filled, r.OrderSize))
		if r.TakerShares > 0 {
			slip = append(slip, perShare(r.SlippageCash.Rat(), r.TakerShares))
		} else {
			slip = append(slip, new(big.Rat))
		}
	}
	e := &s.exact
	e.cost, e.costHalf = interval95(cost)
	e.expected, e.expectedHalf = interval95(exp)
	e.fill, e.maker, e.slippage = mean(fill), mean(maker), mean(slip)
	s.CostPerShare, s.CostLow, s.CostHigh = bounds(e.cost, e.costHalf)
	s.ExpectedCost, s.ExpectedLow, s.ExpectedHigh = bounds(e.expected, e.expectedHalf)
	s.FillRate, s.Slippage = toFloat(e.fill), toFloat(e.slippage)
	if e.maker != nil {
		s.MakerRate = toFloat(e.maker)
	}
	return s
}

// perShare is x/n.
func perShare(x *big.Rat, n int64) *big.Rat { return x.Quo(x, new(big.Rat).SetInt64(n)) }

// mean is the exact mean of xs, nil for none.
func mean(xs []*big.Rat) *big.Rat {
	if len(xs) == 0 {
		return nil
	}
	m := new(big.Rat)
	for _, x := range xs {
		m.Add(m, x)
	}
	return m.Quo(m, new(big.Rat).SetInt64(int64(len(xs))))
}

// toFloat is x as the nearest float64, NaN for nil.
func toFloat(x *big.Rat) float64 {
	if x == nil {
		return math.NaN()
	}
	f, _ := x.Float64()
	return f
}

// bounds is m and m ∓ half as floats.
func bounds(m *big.Rat, half float64) (mean, lo, hi float64) {
	f := toFloat(m)
	return f, f - half, f + half
}

// Interval95 returns the mean of xs and its 95% confidence interval,
// mean ± t_{0.975, n−1}·sd/√n with the sample standard deviation sd
// (divisor n − 1). For n = 1 the interval is the point; for n = 0, or when
// some x is NaN or infinite, all are NaN.
func Interval95(xs []float64) (mean, lo, hi float64) {
	rs := make([]*big.Rat, len(xs))
	for i, x := range xs {
		if rs[i] = new(big.Rat).SetFloat64(x); rs[i] == nil {
			return math.NaN(), math.NaN(), math.NaN()
		}
	}
	return bounds(interval95(rs))
}

// interval95 is Interval95 on exact values: the exact mean and the
// half-width, computed from the exact sum of squared deviations (so that
// equal values give a zero width, not a float residue); nil and NaN for no
// values.
func interval95(xs []*big.Rat) (m *big.Rat, half float64) {
	n := len(xs)
	if n == 0 {
		return nil, math.NaN()
	}
	m = mean(xs)
	if n == 1 {
		return m, 0
	}
	ss, d := new(big.Rat), new(big.Rat)
	for _, x := range xs {
		d.Sub(x, m)
		ss.Add(ss, d.Mul(d, d))
	}
	v, _ := ss.Float64()
	return m, TQuantile975(n-1) * math.Sqrt(v/float64(n-1)) / math.Sqrt(float64(n))
}

// t975 are the 97.5% quantiles of Student's t for 1..30 degrees of freedom.
var t975 = [...]float64{12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
	2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
	2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042}

// TQuantile975 is the 97.5% quantile of Student's t with df degrees of
// freedom: tabulated to 30, beyond that the Cornish-Fisher expansion
// z + (z³ + z)/(4·df) + (5z⁵ + 16z³ + 3z)/(96·df²) with z = 1.959964
// (2.0211 at 40 df, as tabulated; the error shrinks with df).
func TQuantile975(df int) float64 {
	if df < 1 {
		return math.NaN()
	}
	if df <= len(t975) {
		return t975[df-1]
	}
	const z = 1.959964
	d := float64(df)
	z3, z5 := z*z*z, z*z*z*z*z
	return z + (z3+z)/(4*d) + (5*z5+16*z3+3*z)/(96*d*d)
}

// GridPoint is the CK router's evaluation at one parameter set. Err is set
// (and Stats empty) when the parameters were refused, for example because
// they break an assumption of the model somewhere in the data.
type GridPoint struct {
	Params sor.Params // LambdaUnder, LambdaOver and ThetaQueue (θ)
	Stats  Stats
	Err    error
}

// GridSearch evaluates the CK router base with every (λ_u, λ_o, θ) of g over
// the seeds, in grid order (λ_u outermost, θ innermost), and returns the
// points with the index of the best: the lowest mean ExpectedCost among the
// points without error, ties to the earliest (-1 when every point failed).
// Horizon, Iterations and the other fields of base are kept.
func GridSearch(src sor.Source, cfg Config, base *CKRouter, g sor.Grid, seeds []uint64) ([]GridPoint, int, error) {
	points := g.Points()
	if len(points) == 0 {
		return nil, -1, errors.New("empty parameter grid")
	}
	if len(seeds) == 0 {
		return nil, -1, errors.New("no seeds")
	}
	out := make([]GridPoint, len(points))
	jobs := make([]job, 0, len(points)*len(seeds))
	for i, p := range points {
		out[i].Params = p
		for _, seed := range seeds {
			r := base.Clone()
			r.LambdaUnder, r.LambdaOver, r.Theta = p.LambdaUnder, p.LambdaOver, p.ThetaQueue
			c := cfg
			c.Seed = seed
			jobs = append(jobs, job{cfg: c, s: r})
		}
	}
	// Every point's runs share one pass; a point refused at some decision
	// stops alone.
	rs, errs, err := runAll(src, jobs)
	if err != nil {
		return nil, -1, err
	}
	best := -1
	for i := range out {
		for k := range seeds {
			if err := errs[i*len(seeds)+k]; err != nil {
				out[i].Err = fmt.Errorf("λu=%v λo=%v θ=%v seed %d: %w", points[i].LambdaUnder, points[i].LambdaOver, points[i].ThetaQueue, seeds[k], err)
				break
			}
		}
		if out[i].Err != nil {
			continue
		}
		out[i].Stats = summarise(rs[i*len(seeds) : (i+1)*len(seeds)])
		if best < 0 || out[i].Stats.ExpectedCost < out[best].Stats.ExpectedCost {
			best = i
		}
	}
	return out, best, nil
}

// Clone returns a copy of c's settings without its run state.
func (c *CKRouter) Clone() *CKRouter {
	return &CKRouter{Horizon: c.Horizon, LambdaUnder: c.LambdaUnder, LambdaOver: c.LambdaOver, Theta: c.Theta,
		Iterations: c.Iterations, Whole: c.Whole, MinWindows: c.MinWindows, AllowAssumptionViolations: c.AllowAssumptionViolations}
}
