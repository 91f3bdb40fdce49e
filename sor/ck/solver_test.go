package ck

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func relErr(v, ref float64) float64 { return math.Abs(v-ref) / math.Abs(ref) }

var startPoints = []struct {
	name string
	x    Allocation
}{
	{"market only M=S L=0", Allocation{Market: 1000, Limit: []float64{0}}},
	{"limit only M=0 L=S", Allocation{Market: 0, Limit: []float64{1000}}},
	{"corner M=0 L=0", Allocation{Market: 0, Limit: []float64{0}}},
	{"corner M=S L=S", Allocation{Market: 1000, Limit: []float64{1000}}},
	{"far outside M=-500 L=3000", Allocation{Market: -500, Limit: []float64{3000}}},
}

// Acceptance check: K = 1, Poisson(2,200) outflows, Q = 2,000, S = 1,000;
// after 1,000 iterations the solver's expected cost (exact, by pmf sum) is
// within 2% of the closed form's, from every starting point.
func TestSolveMatchesClosedFormFromAnyStart(t *testing.T) {
	F := MustPoisson(2200)
	for _, lu := range []float64{0.03, 0.05, 0.1, 0.5} {
		p := oneVenue(lu)
		xStar, _, err := SingleVenue(p, F)
		if err != nil {
			t.Fatal(err)
		}
		vStar := ExpectedCost(p, xStar, F)
		for _, sp := range startPoints {
			for seed := uint64(1); seed <= 3; seed++ {
				t.Run(fmt.Sprintf("lambda_u=%v/%s/seed=%d", lu, sp.name, seed), func(t *testing.T) {
					x, err := Solve(p, Independent{F}, Options{Iterations: 1000, Seed: seed, Start: sp.x, Burnin: 0.5})
					if err != nil {
						t.Fatal(err)
					}
					v := ExpectedCost(p, x, F)
					if e := relErr(v, vStar); e > 0.02 {
						t.Errorf("V(solver) = %.4f at %v, closed form %.4f at %v: %.2f%% > 2%%", v, x, vStar, xStar, 100*e)
					}
				})
			}
		}
	}
}

// The paper's plain average of all N iterates carries the bias of the
// early iterates: from a far start (M = 0, L = S) the drift is slow because
// g_L vanishes when the limit order is too deep to fill, and after 1,000
// iterations the cost error exceeds the tail-averaged one.
func TestPlainAverageIsBiasedByFarStart(t *testing.T) {
	F := MustPoisson(2200)
	p := oneVenue(0.5)
	xStar, _, _ := SingleVenue(p, F)
	vStar := ExpectedCost(p, xStar, F)
	start := Allocation{Market: 0, Limit: []float64{1000}}
	plain, _ := Solve(p, Independent{F}, Options{Iterations: 1000, Seed: 1, Start: start})
	tail, _ := Solve(p, Independent{F}, Options{Iterations: 1000, Seed: 1, Start: start, Burnin: 0.5})
	ePlain, eTail := relErr(ExpectedCost(p, plain, F), vStar), relErr(ExpectedCost(p, tail, F), vStar)
	t.Logf("plain average %v: %.2f%%, tail average %v: %.2f%%", plain, 100*ePlain, tail, 100*eTail)
	if !(ePlain > eTail) || ePlain < 0.02 {
		t.Errorf("expected the plain average to be the worse one and above 2%%: plain %.3f, tail %.3f", ePlain, eTail)
	}
	// With more iterations the plain average converges too.
	long, _ := Solve(p, Independent{F}, Options{Iterations: 50000, Seed: 1, Start: start})
	if e := relErr(ExpectedCost(p, long, F), vStar); e > 0.02 {
		t.Errorf("plain average after 50,000 iterations still %.2f%% off", 100*e)
	}
}

func TestSolveIsDeterministicGivenSeed(t *testing.T) {
	p, means := twelveVenues()
	s, err := NewCorrelatedPoisson(0.6, means...)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := Solve(p, s, Options{Seed: 42})
	b, _ := Solve(p, s, Options{Seed: 42})
	c, _ := Solve(p, s, Options{Seed: 43})
	if a.String() != b.String() {
		t.Fatalf("same seed, different results: %v vs %v", a, b)
	}
	if a.String() == c.String() {
		t.Fatalf("different seeds gave identical results %v", a)
	}
}

// baselineTwoVenues is our reading of the paper's two-venue baseline:
// Q_1 = Q_2 = 2,000 shares, outflows Poisson with mean 2,200 on each venue
// correlated through a common factor (alpha = 0.6), h = 0.02, f = 0.003,
// r_1 = r_2 = 0.002, theta = 0.0005, lambda_u = lambda_o = 0.05.
func baselineTwoVenues(size float64) (Params, Sampler) {
	p := Params{Size: size, HalfSpread: 0.02, Fee: 0.003, Rebates: []float64{0.002, 0.002},
		Queues: []float64{2000, 2000}, Impact: 0.0005, LambdaUnder: 0.05, LambdaOver: 0.05}
	s, err := NewCorrelatedPoisson(0.6, 2200, 2200)
	if err != nil {
		panic(err)
	}
	return p, s
}

// Acceptance check: with two correlated venues the optimal total posted
// size exceeds S once S is large compared with the expected fills
// (about 200 shares per venue), while for small S nothing is over-booked.
// The over-booked solution is also checked to be cheaper than the best
// allocation with M + L_1 + L_2 = S exactly (grid, common random numbers).
func TestTwoVenuesOverbookForLargeOrders(t *testing.T) {
	tests := []struct {
		size         float64
		wantOverbook bool
	}{
		{100, false},
		{500, true},
		{1000, true},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("S=%v", tc.size), func(t *testing.T) {
			p, s := baselineTwoVenues(tc.size)
			var x Allocation
			for seed := uint64(1); seed <= 3; seed++ {
				var err error
				x, err = Solve(p, s, Options{Iterations: 20000, Seed: seed, Burnin: 0.5})
				if err != nil {
					t.Fatal(err)
				}
				over := x.Total() / tc.size
				t.Logf("seed %d: %v total %.1f (%.1f%% of S)", seed, x, x.Total(), 100*over)
				if tc.wantOverbook && over < 1.01 {
					t.Errorf("total %.1f not above S = %v", x.Total(), tc.size)
				}
				if !tc.wantOverbook && over > 1.01 {
					t.Errorf("total %.1f over-books small S = %v", x.Total(), tc.size)
				}
			}
			if !tc.wantOverbook {
				return
			}
			const n, seed = 40000, 99
			vx, _ := MonteCarloCost(p, x, s, n, seed)
			best := math.Inf(1)
			var bestY Allocation
			for l := 0.0; 2*l <= tc.size; l += 5 {
				y := Allocation{Market: tc.size - 2*l, Limit: []float64{l, l}}
				if v, _ := MonteCarloCost(p, y, s, n, seed); v < best {
					best, bestY = v, y
				}
			}
			t.Logf("over-booked %v costs %.4f; best with total = S: %v costs %.4f", x, vx, bestY, best)
			if vx >= best {
				t.Errorf("over-booked allocation (%.4f) not cheaper than the best exact-S one (%.4f)", vx, best)
			}
		})
	}
}

// V is not convex for K > 1 (doc.go), so the solver has no guarantee of
// the global minimum; this measures how close it lands on three K = 2
// cases: a History of 300 correlated Poisson(60, 90) rows, the exact
// expected cost under it, and a brute-force minimum over a grid of step 2
// shares with M + L_1 + L_2 >= S. Measured gaps: 3.3%, 0.0% (the solver
// beats the grid), 0.2%.
func TestSolveNearBruteForceOnTwoVenues(t *testing.T) {
	c, err := NewCorrelatedPoisson(0.6, 60, 90)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(9, 9))
	rows := make([][]float64, 300)
	for i := range rows {
		rows[i] = make([]float64, 2)
		c.Sample(r, rows[i])
	}
	h, err := NewHistory(rows)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		p    Params
	}{
		{"baseline", Params{Size: 100, HalfSpread: 0.01, Fee: 0.003, Rebates: []float64{0.002, 0.001}, Queues: []float64{20, 50},
			LambdaUnder: 0.05, LambdaOver: 0.05}},
		{"low penalties with impact", Params{Size: 100, HalfSpread: 0.01, Fee: 0.003, Rebates: []float64{0.002, 0.001}, Queues: []float64{20, 50},
			LambdaUnder: 0.015, LambdaOver: 0.02, Impact: 0.001}},
		{"high lambda_u, short queues", Params{Size: 100, HalfSpread: 0.005, Fee: 0.003, Rebates: []float64{0.002, 0.001}, Queues: []float64{0, 10},
			LambdaUnder: 0.2, LambdaOver: 0.012}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.p
			V := func(x Allocation) float64 {
				s := 0.0
				for _, row := range rows {
					s += p.Cost(x, row)
				}
				return s / float64(len(rows))
			}
			best, bx := math.Inf(1), Allocation{}
			for m := 0.0; m <= p.Size; m += 2 {
				for a := 0.0; a <= p.Size; a += 2 {
					for b := math.Max(0, p.Size-m-a); b <= p.Size; b += 2 {
						x := Allocation{Market: m, Limit: []float64{a, b}}
						if v := V(x); v < best {
							best, bx = v, x
						}
					}
				}
			}
			x, err := Solve(p, h, Options{Iterations: 20000, Seed: 3, Burnin: 0.5})
			if err != nil {
				t.Fatal(err)
			}
			v := V(x)
			gap := (v - best) / math.Abs(best)
			t.Logf("solver %v V=%.5f, grid %v V=%.5f: gap %.2f%%", x, v, bx, best, 100*gap)
			if gap > 0.04 {
				t.Errorf("solver cost %.5f is %.2f%% above the grid minimum %.5f (> 4%%)", v, 100*gap, best)
			}
		})
	}
}
