package ck

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// oneVenue returns the single-venue setting: Q = 2,000, S = 1,000,
// h = 0.02, r = 0.002, f = 0.003, theta = 0.0005, lambda_o = lambda_u.
func oneVenue(lambdaU float64) Params {
	return Params{Size: 1000, HalfSpread: 0.02, Fee: 0.003, Rebates: []float64{0.002},
		Queues: []float64{2000}, Impact: 0.0005, LambdaUnder: lambdaU, LambdaOver: lambdaU}
}

func TestValidateNamesBrokenAssumption(t *testing.T) {
	base := oneVenue(0.05)
	tests := []struct {
		name    string
		edit    func(p *Params)
		wantSub string // "" means valid
		isAssum bool
	}{
		{"baseline is valid", func(p *Params) {}, "", false},
		{"A1 limit fill not cheaper than market order", func(p *Params) { p.Rebates[0] = -0.05 }, "assumption A1 violated", true},
		{"A2 lambda_u at most h+f", func(p *Params) { p.LambdaUnder = 0.01 }, "assumption A2 violated: lambda_u (0.01) <= h + f (0.023)", true},
		{"A3 lambda_o at most h+r", func(p *Params) { p.LambdaOver = 0.02 }, "assumption A3 violated: lambda_o (0.02) <= h + r_1 (0.022)", true},
		{"opt-in skips A2", func(p *Params) { p.LambdaUnder = 0.01; p.AllowAssumptionViolations = true }, "", false},
		{"opt-in still rejects malformed input", func(p *Params) { p.Size = -1; p.AllowAssumptionViolations = true }, "Size must be positive", false},
		{"mismatched lengths", func(p *Params) { p.Rebates = []float64{0.002, 0.002} }, "len(Rebates)", false},
		{"negative queue", func(p *Params) { p.Queues = []float64{-1} }, "Queues[0]", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := base
			p.Rebates = append([]float64(nil), base.Rebates...)
			p.Queues = append([]float64(nil), base.Queues...)
			tc.edit(&p)
			err := p.Validate()
			if tc.wantSub == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantSub) {
				t.Fatalf("Validate() = %v, want error containing %q", err, tc.wantSub)
			}
			if got := errors.Is(err, ErrAssumption); got != tc.isAssum {
				t.Fatalf("errors.Is(err, ErrAssumption) = %v, want %v", got, tc.isAssum)
			}
		})
	}
}

func TestCostOfHandComputedScenarios(t *testing.T) {
	// Two venues, S = 100, h = 0.01, f = 0.003, r = (0.002, -0.001),
	// theta = 0.001, lambda_u = 0.1, lambda_o = 0.05, Q = (50, 80),
	// X = (M=40, L1=40, L2=40).
	p := Params{Size: 100, HalfSpread: 0.01, Fee: 0.003, Rebates: []float64{0.002, -0.001},
		Queues: []float64{50, 80}, Impact: 0.001, LambdaUnder: 0.1, LambdaOver: 0.05}
	x := Allocation{Market: 40, Limit: []float64{40, 40}}
	tests := []struct {
		name   string
		xi     []float64
		wantA  float64
		wantV  float64
		reason string
	}{
		{"nothing fills", []float64{10, 10}, 40,
			0.013*40 + 0.101*60, "market 40 at h+f, 60 short at lambda_u+theta"},
		{"partial fill at venue 1", []float64{70, 80}, 60,
			0.013*40 - 0.012*20 + 0.101*40, "20 filled at venue 1 earn h+r1"},
		{"exact fill", []float64{90, 100}, 100,
			0.013*40 - 0.012*40 - 0.009*20, "40 + 20 fills, no penalty"},
		{"overfill", []float64{200, 200}, 120,
			0.013*40 - 0.012*40 - 0.009*40 + 0.051*20, "both orders fill, 20 extra at lambda_o+theta"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if a := p.Executed(x, tc.xi); math.Abs(a-tc.wantA) > 1e-12 {
				t.Errorf("A = %v, want %v", a, tc.wantA)
			}
			if v := p.Cost(x, tc.xi); math.Abs(v-tc.wantV) > 1e-12 {
				t.Errorf("v = %v, want %v (%s)", v, tc.wantV, tc.reason)
			}
		})
	}
}

// The subgradient must agree with a one-sided finite difference of v
// wherever v is differentiable (no ties A = S or xi_k = Q_k + L_k).
func TestSubgradientMatchesFiniteDifferences(t *testing.T) {
	p := Params{Size: 300, HalfSpread: 0.02, Fee: 0.003, Rebates: []float64{0.002, -0.001, 0.003},
		Queues: []float64{100, 200, 50}, Impact: 0.0005, LambdaUnder: 0.05, LambdaOver: 0.04}
	r := rand.New(rand.NewPCG(7, 7))
	g := make([]float64, 4)
	const eps = 1e-4
	for n := 0; n < 2000; n++ {
		x := Allocation{Market: 300 * r.Float64(), Limit: []float64{300 * r.Float64(), 300 * r.Float64(), 300 * r.Float64()}}
		xi := []float64{400 * r.Float64(), 400 * r.Float64(), 400 * r.Float64()}
		p.Subgradient(g, x, xi)
		v0 := p.Cost(x, xi)
		for i := 0; i < 4; i++ {
			y := x.Clone()
			if i == 0 {
				y.Market += eps
			} else {
				y.Limit[i-1] += eps
			}
			fd := (p.Cost(y, xi) - v0) / eps
			if math.Abs(fd-g[i]) > 1e-6 {
				// a kink within eps of x: skip the rare tie
				if math.Abs(p.Executed(x, xi)-p.Size) < 1 || (i > 0 && math.Abs(xi[i-1]-p.Queues[i-1]-x.Limit[i-1]) < 1) {
					continue
				}
				t.Fatalf("x=%v xi=%v: g[%d] = %v, finite difference %v", x, xi, i, g[i], fd)
			}
		}
	}
}

func TestExpectedCostAgreesWithMonteCarlo(t *testing.T) {
	F := MustPoisson(2200)
	for _, x := range []Allocation{
		{Market: 786, Limit: []float64{214}},
		{Market: 0, Limit: []float64{1000}},
		{Market: 500, Limit: []float64{700}}, // over-booked
	} {
		p := oneVenue(0.05)
		exact := ExpectedCost(p, x, F)
		mc, se := MonteCarloCost(p, x, Independent{F}, 200000, 3)
		if math.Abs(exact-mc) > 4*se+1e-9 {
			t.Errorf("x=%v: pmf sum %.5f, Monte Carlo %.5f +- %.5f", x, exact, mc, se)
		}
	}
}

// The projection onto C is checked by its variational characterisation:
// y = Pi_C(x) iff y in C and (x - y).(z - y) <= 0 for all z in C.
func TestProjectIsEuclideanProjection(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, k := range []int{1, 2, 5} {
		p := Params{Size: 100, Queues: make([]float64, k), Rebates: make([]float64, k)}
		inC := func(a Allocation) bool {
			tot := a.Total()
			if a.Market < -1e-9 || a.Market > 100+1e-9 || tot < 100-1e-7 || tot > float64(k)*100+1e-7 {
				return false
			}
			for _, l := range a.Limit {
				if l < -1e-9 || l > 100+1e-9 {
					return false
				}
			}
			return true
		}
		randPoint := func(scale, shift float64) Allocation {
			a := Allocation{Market: scale*r.Float64() - shift, Limit: make([]float64, k)}
			for i := range a.Limit {
				a.Limit[i] = scale*r.Float64() - shift
			}
			return a
		}
		for n := 0; n < 500; n++ {
			x := randPoint(400, 150)
			y := x.Clone()
			p.Project(&y)
			if !inC(y) {
				t.Fatalf("K=%d: Project(%v) = %v not in C", k, x, y)
			}
			for m := 0; m < 50; m++ {
				z := randPoint(100, 0)
				p.Project(&z) // any point of C
				dot := (x.Market - y.Market) * (z.Market - y.Market)
				for i := range x.Limit {
					dot += (x.Limit[i] - y.Limit[i]) * (z.Limit[i] - y.Limit[i])
				}
				if dot > 1e-6 {
					t.Fatalf("K=%d: x=%v y=%v z=%v: (x-y).(z-y) = %v > 0", k, x, y, z, dot)
				}
			}
		}
	}
}

// v is not convex in X (doc.go, "Convexity: only in part"): the over-fill
// term (lambda_o + theta)(A - S)+ is the positive part of the concave A.
// Each case checks that the value at the midpoint of two allocations lies
// above the chord, with hand-computed (K = 1) or exact (K = 2, double sum
// over the Poisson atoms) costs.
func TestCostIsNotConvex(t *testing.T) {
	k1 := Params{Size: 100, HalfSpread: 0.01, Fee: 0.003, Rebates: []float64{0.002}, Queues: []float64{0},
		LambdaUnder: 0.05, LambdaOver: 0.05}
	k2 := k1
	k2.Rebates, k2.Queues = []float64{0.002, 0.002}, []float64{0, 0}
	F := MustPoisson(75)
	exactK2 := func(x Allocation) float64 {
		v := 0.0
		for a, wa := range F.Atoms() {
			for b, wb := range F.Atoms() {
				v += wa * wb * k2.Cost(x, []float64{a, b})
			}
		}
		return v
	}
	tests := []struct {
		name                    string
		cost                    func(Allocation) float64
		lo, mid, hi             Allocation
		wantLo, wantMid, wantHi float64
		tol                     float64
	}{
		// M = 50, xi = 75: L = 50 fills 50 (A = S): 0.013*50 - 0.012*50 = 0.05;
		// L = 75 or 100 fill 75 (A = 125): 0.65 - 0.9 + 0.05*25 = 1.
		{"K=1, one scenario xi=75", func(x Allocation) float64 { return k1.Cost(x, []float64{75}) },
			Allocation{Market: 50, Limit: []float64{50}}, Allocation{Market: 50, Limit: []float64{75}}, Allocation{Market: 50, Limit: []float64{100}},
			0.05, 1, 1, 1e-12},
		{"K=2, expectation over independent Poisson(75)", exactK2,
			Allocation{Market: 50, Limit: []float64{50, 50}}, Allocation{Market: 50, Limit: []float64{75, 50}}, Allocation{Market: 50, Limit: []float64{100, 50}},
			1.950, 2.769, 2.900, 5e-4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lo, mid, hi := tc.cost(tc.lo), tc.cost(tc.mid), tc.cost(tc.hi)
			for _, c := range []struct{ got, want float64 }{{lo, tc.wantLo}, {mid, tc.wantMid}, {hi, tc.wantHi}} {
				if math.Abs(c.got-c.want) > tc.tol {
					t.Errorf("cost %.5f, want %.5f", c.got, c.want)
				}
			}
			if chord := (lo + hi) / 2; !(mid > chord+0.1) {
				t.Errorf("midpoint cost %.5f not above the chord %.5f: the example no longer shows non-convexity", mid, chord)
			}
		})
	}
}
