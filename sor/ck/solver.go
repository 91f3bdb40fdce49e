package ck

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Subgradient writes into g (len K+1: g[0] for M, g[1+k] for L_k) a
// subgradient of v(., xi) at x:
//
//	under = 1{A < S},  over = 1{A > S},
//	pen   = -(lambda_u+theta) under + (lambda_o+theta) over
//	g_M   = h + f + pen
//	g_Lk  = (-(h + r_k) + pen) 1{xi_k > Q_k + L_k}
//
// (the last indicator says that one more share posted at venue k would
// have been filled). It does not allocate.
func (p Params) Subgradient(g []float64, x Allocation, xi []float64) {
	h := p.HalfSpread
	a := x.Market
	for k, q := range p.Queues {
		a += Fill(xi[k], q, x.Limit[k])
	}
	pen := 0.0
	if a < p.Size {
		pen = -(p.LambdaUnder + p.Impact)
	} else if a > p.Size {
		pen = p.LambdaOver + p.Impact
	}
	g[0] = h + p.Fee + pen
	for k, q := range p.Queues {
		if xi[k] > q+x.Limit[k] {
			g[1+k] = -(h + p.Rebates[k]) + pen
		} else {
			g[1+k] = 0
		}
	}
}

// Project replaces x by its Euclidean projection onto the set given by
// Proposition 1 (the optimum lies in it under assumptions A2-A3):
//
//	C = { 0 <= M <= S,  0 <= L_k <= S,  S <= M + sum_k L_k <= K S }.
//
// The projection is y_i = clip(x_i + tau, 0, S) with a single shift tau
// (the KKT multiplier of the total-size constraint): tau = 0 when the
// clipped point already has a total in [S, K S], otherwise tau solves
// sum_i clip(x_i + tau, 0, S) = S (or = K S). The piecewise-linear
// equation is solved exactly by bisection plus a linear solve on the
// bracketing piece. It does not allocate.
func (p Params) Project(x *Allocation) {
	s := p.Size
	lower, upper := s, float64(p.K())*s
	sum := clip(x.Market, s)
	for _, l := range x.Limit {
		sum += clip(l, s)
	}
	var target float64
	switch {
	case sum < lower:
		target = lower
	case sum > upper:
		target = upper
	default:
		x.Market = clip(x.Market, s)
		for k, l := range x.Limit {
			x.Limit[k] = clip(l, s)
		}
		return
	}
	// phi(tau) = sum clip(x_i + tau, 0, S) is nondecreasing, phi(lo) = 0,
	// phi(hi) = (K+1) S.
	lo, hi := -x.Market, s-x.Market
	for _, l := range x.Limit {
		lo = math.Min(lo, -l)
		hi = math.Max(hi, s-l)
	}
	tau := 0.5 * (lo + hi)
	for it := 0; it < 200; it++ {
		tau = 0.5 * (lo + hi)
		phi, free, nFree, nUp := p.phi(x, tau)
		if nFree > 0 {
			// Linear solve on the piece that contains tau.
			t := (target - float64(nUp)*s - free) / float64(nFree)
			if ph, _, _, _ := p.phi(x, t); math.Abs(ph-target) <= 1e-9*(1+s) {
				tau = t
				break
			}
		}
		if phi < target {
			lo = tau
		} else {
			hi = tau
		}
		if hi-lo <= 1e-12*(1+s) {
			break
		}
	}
	x.Market = clip(x.Market+tau, s)
	for k, l := range x.Limit {
		x.Limit[k] = clip(l+tau, s)
	}
}

// phi returns sum_i clip(x_i+tau, 0, S), the sum of x_i over coordinates
// strictly inside (0, S) after the shift, their number and the number of
// coordinates at the upper bound.
func (p Params) phi(x *Allocation, tau float64) (phi, free float64, nFree, nUp int) {
	s := p.Size
	add := func(v float64) {
		switch y := v + tau; {
		case y >= s:
			phi += s
			nUp++
		case y > 0:
			phi += y
			free += v
			nFree++
		}
	}
	add(x.Market)
	for _, l := range x.Limit {
		add(l)
	}
	return
}

func clip(v, s float64) float64 {
	if v < 0 {
		return 0
	}
	if v > s {
		return s
	}
	return v
}

// DefaultStep returns the constant step of robust stochastic approximation
// (Nemirovski, Juditsky, Lan & Shapiro 2009) used by the paper:
//
//	gamma = D / (G sqrt(N)),  D = sqrt(K) S,
//	G^2   = max|g_M|^2 + sum_k max|g_Lk|^2  (a bound on E|g|^2),
//
// with max|g_M| = max(|h+f|, |h+f-lambda_u-theta|, |h+f+lambda_o+theta|)
// and max|g_Lk| = max(|h+r_k|, |h+r_k+lambda_u+theta|, |lambda_o+theta-h-r_k|).
// With this step, the averaged iterate satisfies
// E V(Xbar_N) - V* <= D G / sqrt(N) (up to a constant).
func (p Params) DefaultStep(n int) float64 {
	h, th := p.HalfSpread, p.Impact
	lu, lo := p.LambdaUnder+th, p.LambdaOver+th
	gm := max3(math.Abs(h+p.Fee), math.Abs(h+p.Fee-lu), math.Abs(h+p.Fee+lo))
	g2 := gm * gm
	for _, r := range p.Rebates {
		gl := max3(math.Abs(h+r), math.Abs(h+r+lu), math.Abs(lo-h-r))
		g2 += gl * gl
	}
	if g2 == 0 {
		g2 = 1
	}
	d := math.Sqrt(float64(p.K())) * p.Size
	return d / (math.Sqrt(g2) * math.Sqrt(float64(n)))
}

func max3(a, b, c float64) float64 { return math.Max(a, math.Max(b, c)) }

// Options configure Solve.
type Options struct {
	// Iterations is N, the number of sampled outflow vectors (default 1000).
	Iterations int
	// Seed seeds the PCG generator (runs are deterministic given Seed).
	Seed uint64
	// Start is X_0 (projected onto C first). The zero value (nil Limit)
	// starts from the even split M = L_k = S/(K+1).
	Start Allocation
	// Step overrides the constant step gamma when > 0 (default DefaultStep).
	Step float64
	// Burnin is the fraction of the first iterates left out of the
	// average, in [0, 1). 0 is the paper's plain average of all N iterates.
	Burnin float64
}

// Solver runs the stochastic subgradient method of the paper's Section 4
// with preallocated buffers, so that Run does not allocate. A Solver is not
// safe for concurrent use.
type Solver struct {
	p       Params
	sampler Sampler
	pcg     rand.PCG
	rng     *rand.Rand
	x, avg  Allocation
	g, xi   []float64
}

// NewSolver validates p and checks that the sampler has K venues.
func NewSolver(p Params, s Sampler) (*Solver, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if s == nil || s.Venues() != p.K() {
		return nil, fmt.Errorf("ck: sampler must have %d venues", p.K())
	}
	k := p.K()
	sv := &Solver{
		p:       p,
		sampler: s,
		x:       Allocation{Limit: make([]float64, k)},
		avg:     Allocation{Limit: make([]float64, k)},
		g:       make([]float64, k+1),
		xi:      make([]float64, k),
	}
	sv.rng = rand.New(&sv.pcg)
	return sv, nil
}

// Run performs opt.Iterations steps
//
//	X_{n+1} = Pi_C( X_n - gamma g(X_n, xi^n) ),   xi^n ~ sampler,
//
// and returns the averaged iterate Xbar = (1/N) sum_{n=1..N} X_n. The
// returned Allocation shares memory with the Solver: it is valid until the
// next Run (use Clone to keep it).
func (s *Solver) Run(opt Options) (Allocation, error) {
	p := s.p
	n := opt.Iterations
	if n <= 0 {
		n = 1000
	}
	k := p.K()
	if opt.Start.Limit == nil {
		s.x.Market = p.Size / float64(k+1)
		for i := range s.x.Limit {
			s.x.Limit[i] = p.Size / float64(k+1)
		}
	} else {
		if len(opt.Start.Limit) != k {
			return Allocation{}, errors.New("ck: Start has the wrong number of venues")
		}
		s.x.Market = opt.Start.Market
		copy(s.x.Limit, opt.Start.Limit)
	}
	p.Project(&s.x)
	gamma := opt.Step
	if !(gamma > 0) {
		gamma = p.DefaultStep(n)
	}
	s.pcg.Seed(opt.Seed, 0x9e3779b97f4a7c15)
	s.avg.Market = 0
	clear(s.avg.Limit)
	skip := 0
	if opt.Burnin > 0 && opt.Burnin < 1 {
		skip = int(opt.Burnin * float64(n))
	}
	for it := 0; it < n; it++ {
		s.sampler.Sample(s.rng, s.xi)
		p.Subgradient(s.g, s.x, s.xi)
		s.x.Market -= gamma * s.g[0]
		for i := range s.x.Limit {
			s.x.Limit[i] -= gamma * s.g[1+i]
		}
		p.Project(&s.x)
		if it < skip {
			continue
		}
		s.avg.Market += s.x.Market
		for i, l := range s.x.Limit {
			s.avg.Limit[i] += l
		}
	}
	inv := 1 / float64(n-skip)
	s.avg.Market *= inv
	for i := range s.avg.Limit {
		s.avg.Limit[i] *= inv
	}
	return s.avg, nil
}

// Solve is the one-shot form of NewSolver + Run; it returns a fresh
// Allocation (the averaged iterate).
func Solve(p Params, s Sampler, opt Options) (Allocation, error) {
	sv, err := NewSolver(p, s)
	if err != nil {
		return Allocation{}, err
	}
	x, err := sv.Run(opt)
	if err != nil {
		return Allocation{}, err
	}
	return x.Clone(), nil
}

// MonteCarloCost estimates V(x) = E[v(x, xi)] with n draws from s (seeded),
// returning the mean and its standard error.
func MonteCarloCost(p Params, x Allocation, s Sampler, n int, seed uint64) (mean, stderr float64) {
	r := rand.New(rand.NewPCG(seed, 0x2545f4914f6cdd1d))
	xi := make([]float64, s.Venues())
	var sum, sum2 float64
	for i := 0; i < n; i++ {
		s.Sample(r, xi)
		c := p.Cost(x, xi)
		sum += c
		sum2 += c * c
	}
	mean = sum / float64(n)
	v := sum2/float64(n) - mean*mean
	if v < 0 {
		v = 0
	}
	return mean, math.Sqrt(v / float64(n))
}
