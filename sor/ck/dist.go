package ck

import (
	"errors"
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// Distribution is the law of one venue's queue outflow xi over the horizon.
type Distribution interface {
	// CDF returns F(x) = P(xi <= x).
	CDF(x float64) float64
	// Quantile returns F^{-1}(p) = min{x : F(x) >= p}; +Inf when p > 1.
	Quantile(p float64) float64
	// Sample draws one outflow using r.
	Sample(r *rand.Rand) float64
}

// Discrete is a Distribution with finitely many atoms (after truncation of
// negligible tails), which allows exact expectations by summation.
type Discrete interface {
	Distribution
	// Atoms yields (value, probability) pairs in increasing value order.
	Atoms() iter.Seq2[float64, float64]
}

// Poisson is the Poisson distribution with the given mean, tabulated on
// [lo, hi] where the mass outside is below 1e-25 (so CDF, Quantile and
// Sample are exact to that precision). Sampling is by inversion of the
// table with a guide table, so it costs O(1) on average.
type Poisson struct {
	mean  float64
	lo    int
	cdf   []float64 // cdf[i] = P(xi <= lo+i)
	pmf   []float64
	guide []int32 // guide[j] = first i with cdf[i] >= j/len(guide)
}

// NewPoisson tabulates the Poisson law with the given mean (> 0).
func NewPoisson(mean float64) (*Poisson, error) {
	if !(mean > 0) || math.IsInf(mean, 0) || mean > 1e9 {
		return nil, errors.New("ck: Poisson mean must be in (0, 1e9]")
	}
	sd := math.Sqrt(mean)
	lo := int(math.Floor(mean - 12*sd - 12))
	if lo < 0 {
		lo = 0
	}
	hi := int(math.Ceil(mean + 12*sd + 12))
	n := hi - lo + 1
	pmf := make([]float64, n)
	lm := math.Log(mean)
	total := 0.0
	for i := range pmf {
		k := float64(lo + i)
		lg, _ := math.Lgamma(k + 1)
		pmf[i] = math.Exp(k*lm - mean - lg)
		total += pmf[i]
	}
	cdf := make([]float64, n)
	acc := 0.0
	for i := range pmf {
		pmf[i] /= total // renormalise the truncated table
		acc += pmf[i]
		cdf[i] = acc
	}
	cdf[n-1] = 1
	p := &Poisson{mean: mean, lo: lo, cdf: cdf, pmf: pmf}
	p.guide = makeGuide(cdf)
	return p, nil
}

// MustPoisson is NewPoisson that panics on error (for examples and tests).
func MustPoisson(mean float64) *Poisson {
	p, err := NewPoisson(mean)
	if err != nil {
		panic(err)
	}
	return p
}

func makeGuide(cdf []float64) []int32 {
	m := len(cdf)
	g := make([]int32, m)
	i := 0
	for j := range g {
		t := float64(j) / float64(m)
		for cdf[i] < t {
			i++
		}
		g[j] = int32(i)
	}
	return g
}

// Mean returns the mean of the law.
func (p *Poisson) Mean() float64 { return p.mean }

func (p *Poisson) CDF(x float64) float64 {
	i := int(math.Floor(x)) - p.lo
	if x < float64(p.lo) {
		return 0
	}
	if i >= len(p.cdf) {
		return 1
	}
	return p.cdf[i]
}

func (p *Poisson) Quantile(q float64) float64 {
	if q > 1 {
		return math.Inf(1)
	}
	i := sort.SearchFloat64s(p.cdf, q) // first i with cdf[i] >= q
	if i >= len(p.cdf) {
		i = len(p.cdf) - 1
	}
	return float64(p.lo + i)
}

func (p *Poisson) Sample(r *rand.Rand) float64 {
	u := r.Float64()
	i := int(p.guide[int(u*float64(len(p.guide)))])
	for p.cdf[i] < u {
		i++
	}
	return float64(p.lo + i)
}

func (p *Poisson) Atoms() iter.Seq2[float64, float64] {
	return func(yield func(float64, float64) bool) {
		for i, w := range p.pmf {
			if !yield(float64(p.lo+i), w) {
				return
			}
		}
	}
}

// Empirical is the empirical distribution of observed outflows: each
// observation has probability 1/n.
type Empirical struct {
	sorted []float64
}

// NewEmpirical copies and sorts the samples (at least one, all finite).
func NewEmpirical(samples []float64) (*Empirical, error) {
	if len(samples) == 0 {
		return nil, errors.New("ck: empirical distribution needs at least one sample")
	}
	for _, s := range samples {
		if !finite(s) {
			return nil, errors.New("ck: empirical samples must be finite")
		}
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	return &Empirical{sorted: s}, nil
}

// Len returns the number of observations.
func (e *Empirical) Len() int { return len(e.sorted) }

// Mean returns the sample mean.
func (e *Empirical) Mean() float64 {
	t := 0.0
	for _, v := range e.sorted {
		t += v
	}
	return t / float64(len(e.sorted))
}

func (e *Empirical) CDF(x float64) float64 {
	// number of samples <= x
	n := sort.Search(len(e.sorted), func(i int) bool { return e.sorted[i] > x })
	return float64(n) / float64(len(e.sorted))
}

func (e *Empirical) Quantile(p float64) float64 {
	n := len(e.sorted)
	if p > 1 {
		return math.Inf(1)
	}
	// smallest i (1-based) with i/n >= p
	i := int(math.Ceil(p*float64(n) - 1e-12))
	if i < 1 {
		i = 1
	}
	if i > n {
		i = n
	}
	return e.sorted[i-1]
}

func (e *Empirical) Sample(r *rand.Rand) float64 {
	return e.sorted[r.IntN(len(e.sorted))]
}

func (e *Empirical) Atoms() iter.Seq2[float64, float64] {
	return func(yield func(float64, float64) bool) {
		n := float64(len(e.sorted))
		for i := 0; i < len(e.sorted); {
			j := i + 1
			for j < len(e.sorted) && e.sorted[j] == e.sorted[i] {
				j++
			}
			if !yield(e.sorted[i], float64(j-i)/n) {
				return
			}
			i = j
		}
	}
}
