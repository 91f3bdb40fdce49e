package ck

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Sampler draws joint outflow vectors (xi_1, ..., xi_K) for the K venues.
type Sampler interface {
	// Venues returns K.
	Venues() int
	// Sample fills xi (len K) with one joint draw; it must not allocate.
	Sample(r *rand.Rand, xi []float64)
}

// Independent draws each venue's outflow independently from its own law.
type Independent []Distribution

func (s Independent) Venues() int { return len(s) }

func (s Independent) Sample(r *rand.Rand, xi []float64) {
	for k, d := range s {
		xi[k] = d.Sample(r)
	}
}

// IndependentPoisson returns an Independent sampler of Poisson laws with
// the given means.
func IndependentPoisson(means ...float64) (Independent, error) {
	s := make(Independent, len(means))
	for k, m := range means {
		p, err := NewPoisson(m)
		if err != nil {
			return nil, fmt.Errorf("venue %d: %w", k+1, err)
		}
		s[k] = p
	}
	return s, nil
}

// CorrelatedPoisson is a one-factor model of correlated outflows with
// exact Poisson(mu_k) marginals (a common-shock construction):
//
//	C     ~ Poisson(alpha * m),          m = min_k mu_k
//	I_k   ~ Poisson(mu_k - alpha * m),   independent of C and each other
//	xi_k  = C + I_k
//
// so E[xi_k] = Var[xi_k] = mu_k and
// Corr(xi_j, xi_k) = alpha m / sqrt(mu_j mu_k), which equals alpha when all
// means are equal (the paper's numerical experiments use alpha = 0.6).
type CorrelatedPoisson struct {
	alpha  float64
	common *Poisson // nil when alpha == 0
	idio   []*Poisson
}

// NewCorrelatedPoisson builds the model; alpha must be in [0, 1].
func NewCorrelatedPoisson(alpha float64, means ...float64) (*CorrelatedPoisson, error) {
	if len(means) == 0 {
		return nil, errors.New("ck: no venues")
	}
	if !(alpha >= 0 && alpha <= 1) {
		return nil, errors.New("ck: alpha must be in [0, 1]")
	}
	m := math.Inf(1)
	for _, v := range means {
		if !(v > 0) {
			return nil, errors.New("ck: Poisson means must be positive")
		}
		m = math.Min(m, v)
	}
	c := &CorrelatedPoisson{alpha: alpha, idio: make([]*Poisson, len(means))}
	var err error
	if alpha > 0 {
		if c.common, err = NewPoisson(alpha * m); err != nil {
			return nil, err
		}
	}
	for k, v := range means {
		rest := v - alpha*m
		if rest <= 0 {
			continue // venue k is driven by the common factor only
		}
		if c.idio[k], err = NewPoisson(rest); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *CorrelatedPoisson) Venues() int { return len(c.idio) }

func (c *CorrelatedPoisson) Sample(r *rand.Rand, xi []float64) {
	common := 0.0
	if c.common != nil {
		common = c.common.Sample(r)
	}
	for k, d := range c.idio {
		xi[k] = common
		if d != nil {
			xi[k] += d.Sample(r)
		}
	}
}

// History resamples whole rows of a matrix of jointly observed outflows
// (rows = horizon windows, columns = venues), which keeps the cross-venue
// dependence of the data (a bootstrap of the empirical joint law).
type History struct {
	rows [][]float64
}

// NewHistory copies the rows (at least one, all of equal length >= 1).
func NewHistory(rows [][]float64) (*History, error) {
	if len(rows) == 0 || len(rows[0]) == 0 {
		return nil, errors.New("ck: history needs at least one row and one venue")
	}
	k := len(rows[0])
	h := &History{rows: make([][]float64, len(rows))}
	for i, r := range rows {
		if len(r) != k {
			return nil, fmt.Errorf("ck: history row %d has %d venues, want %d", i, len(r), k)
		}
		h.rows[i] = append([]float64(nil), r...)
	}
	return h, nil
}

func (h *History) Venues() int { return len(h.rows[0]) }

// Rows returns the number of observed windows.
func (h *History) Rows() int { return len(h.rows) }

func (h *History) Sample(r *rand.Rand, xi []float64) {
	copy(xi, h.rows[r.IntN(len(h.rows))])
}

// Marginal returns the empirical distribution of venue k's outflow.
func (h *History) Marginal(k int) *Empirical {
	s := make([]float64, len(h.rows))
	for i, r := range h.rows {
		s[i] = r[k]
	}
	e, _ := NewEmpirical(s)
	return e
}
