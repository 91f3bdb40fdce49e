package ck

import (
	"math"
	"math/rand/v2"
	"testing"
)

// bruteForceLimit minimises the exact expected cost over integer L in
// [0, S] with M = S - L (the single-venue optimum has M + L = S).
func bruteForceLimit(p Params, F Discrete) (float64, float64) {
	bestL, bestV := 0.0, math.Inf(1)
	for l := 0.0; l <= p.Size; l++ {
		v := ExpectedCost(p, Allocation{Market: p.Size - l, Limit: []float64{l}}, F)
		if v < bestV-1e-12 {
			bestL, bestV = l, v
		}
	}
	return bestL, bestV
}

func TestSingleVenueReproducesThreeRegimes(t *testing.T) {
	tests := []struct {
		name     string
		lambdaU  float64
		queue    float64
		mean     float64
		allow    bool
		want     Regime
		wantL    float64 // -1: compare with brute force only
		whyShape string
	}{
		{"baseline mixes market and limit", 0.05, 2000, 2200, false, Mixed, -1,
			"F(Q)=1e-5 < p*=0.62 < F(Q+S)=1"},
		{"higher lambda_u shifts to the market order", 0.5, 2000, 2200, false, Mixed, -1,
			"p* = 0.086: smaller limit order"},
		{"huge lambda_u sends everything to the market", 1e4, 2000, 2200, false, MarketOnly, 0,
			"lambda_u >= (2h+f+r)/F(Q) - (h+r+theta)"},
		{"long queue (Q=2,300 > outflows) means market only", 0.05, 2300, 2200, false, MarketOnly, 0,
			"F(Q) = 0.98 >= p*"},
		{"short queue (Q=1,000) means limit only", 0.05, 1000, 2200, false, LimitOnly, 1000,
			"F(Q+S) = F(2000) ~ 1e-5 < p*"},
		{"lambda_u below h+f (breaks A2) means limit only", 0.02, 2000, 2200, true, LimitOnly, 1000,
			"lambda_u = 0.02 < (2h+f+r)/F(Q+S) - (h+r+theta) = 0.0225"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := oneVenue(tc.lambdaU)
			p.LambdaOver = 0.05
			p.Queues[0] = tc.queue
			p.AllowAssumptionViolations = tc.allow
			F := MustPoisson(tc.mean)
			x, reg, err := SingleVenue(p, F)
			if err != nil {
				t.Fatal(err)
			}
			if reg != tc.want {
				t.Fatalf("regime = %v, want %v (%s); x = %v", reg, tc.want, tc.whyShape, x)
			}
			if x.Market+x.Limit[0] != p.Size {
				t.Fatalf("M + L = %v, want S = %v", x.Total(), p.Size)
			}
			bfL, bfV := bruteForceLimit(p, F)
			if tc.wantL >= 0 && x.Limit[0] != tc.wantL {
				t.Errorf("L* = %v, want %v", x.Limit[0], tc.wantL)
			}
			if math.Abs(x.Limit[0]-bfL) > 1 {
				t.Errorf("closed form L* = %v, brute force over L gives %v", x.Limit[0], bfL)
			}
			if v := ExpectedCost(p, x, F); v > bfV+1e-9 {
				t.Errorf("closed-form cost %v > brute-force minimum %v", v, bfV)
			}
			// The regime agrees with the lambda_u thresholds of Proposition 3.
			_, lamLimit, lamMarket := SingleVenueThresholds(p, F)
			switch reg {
			case MarketOnly:
				if tc.lambdaU < lamMarket {
					t.Errorf("market only but lambda_u %v < threshold %v", tc.lambdaU, lamMarket)
				}
			case LimitOnly:
				if tc.lambdaU > lamLimit {
					t.Errorf("limit only but lambda_u %v > threshold %v", tc.lambdaU, lamLimit)
				}
			case Mixed:
				if !(tc.lambdaU > lamLimit && tc.lambdaU < lamMarket) {
					t.Errorf("mixed but lambda_u %v outside (%v, %v)", tc.lambdaU, lamLimit, lamMarket)
				}
			}
		})
	}
}

// The closed form must also beat every point of a 2-D grid over (M, L),
// including points with M + L != S (which Proposition 1 rules out).
func TestSingleVenueBeatsTwoDimensionalGrid(t *testing.T) {
	p := oneVenue(0.05)
	F := MustPoisson(2200)
	x, _, err := SingleVenue(p, F)
	if err != nil {
		t.Fatal(err)
	}
	vStar := ExpectedCost(p, x, F)
	for m := 0.0; m <= 1200; m += 40 {
		for l := 0.0; l <= 1200; l += 40 {
			y := Allocation{Market: m, Limit: []float64{l}}
			if v := ExpectedCost(p, y, F); v < vStar-1e-9 {
				t.Fatalf("grid point %v costs %v < closed form %v at %v", y, v, vStar, x)
			}
		}
	}
}

func TestSingleVenueWithEmpiricalDistribution(t *testing.T) {
	// Ten observed outflows; Q = 100, S = 50.
	E, err := NewEmpirical([]float64{80, 90, 100, 110, 120, 130, 140, 150, 160, 170})
	if err != nil {
		t.Fatal(err)
	}
	p := Params{Size: 50, HalfSpread: 0.02, Fee: 0.003, Rebates: []float64{0.002},
		Queues: []float64{100}, Impact: 0.0005, LambdaUnder: 0.05, LambdaOver: 0.05}
	x, reg, err := SingleVenue(p, E)
	if err != nil {
		t.Fatal(err)
	}
	// p* = 0.045/0.0725 = 0.6207 -> F^{-1}(p*) = 7th smallest = 140 -> L* = 40.
	if reg != Mixed || x.Limit[0] != 40 || x.Market != 10 {
		t.Fatalf("got %v (%v), want M=10 L=40 mixed", x, reg)
	}
	bfL, _ := bruteForceLimit(p, E)
	if math.Abs(bfL-40) > 1e-9 {
		t.Fatalf("brute force L* = %v, want 40", bfL)
	}
}

// Outside the assumptions SingleVenue must still return the best split of
// S shares (M + L = S): checked against a brute-force search over L.
func TestSingleVenueOutsideAssumptionsMatchesBruteForce(t *testing.T) {
	tests := []struct {
		name       string
		h, f, r    float64
		lambdaU    float64
		queue      float64
		mean       float64
		wantL      float64
		wantRegime Regime
	}{
		// c = h+r+lambda_u = -0.04 < 0, 2h+f+r = 0.01 > 0: V' < 0 everywhere.
		// L = 0 costs 5.0, L = 100 costs 1.60.
		{"c < 0 (no A2): limit only", 0.01, 0.04, -0.05, 0, 10, 50, 100, LimitOnly},
		// c = -0.02, 2h+f+r = -0.01: V concave; V(S) - V(0) = -0.02 int F + 1.
		{"c < 0, no A1, long queue: limit end", 0.01, 0, -0.03, 0, 200, 50, 100, LimitOnly},
		{"c < 0, no A1, short queue: market end", 0.01, 0, -0.03, 0, 0, 150, 0, MarketOnly},
		// c = 0.25-0.625+0.375 = 0 exactly, 2h+f+r = -0.125: V' = 0.125 > 0.
		{"c = 0 (no A1, A2): market only", 0.25, 0, -0.625, 0.375, 10, 50, 0, MarketOnly},
		// c = 0.01 > 0, 2h+f+r = -0.01 <= 0: V' >= 0.
		{"no A1: market only", 0.01, 0, -0.03, 0.03, 10, 50, 0, MarketOnly},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := Params{Size: 100, HalfSpread: tc.h, Fee: tc.f, Rebates: []float64{tc.r}, Queues: []float64{tc.queue},
				LambdaUnder: tc.lambdaU, LambdaOver: 0.1, AllowAssumptionViolations: true}
			F := MustPoisson(tc.mean)
			x, reg, err := SingleVenue(p, F)
			if err != nil {
				t.Fatal(err)
			}
			bfL, bfV := bruteForceLimit(p, F)
			v := ExpectedCost(p, x, F)
			if x.Limit[0] != tc.wantL || reg != tc.wantRegime || x.Market != p.Size-tc.wantL {
				t.Errorf("got %v (%v), want L = %v (%v); brute force L = %v", x, reg, tc.wantL, tc.wantRegime, bfL)
			}
			if v > bfV+1e-9 {
				t.Errorf("cost %.4f at %v above the brute-force minimum %.4f at L = %v", v, x, bfV, bfL)
			}
		})
	}
}

// Random parameters, with and without the assumptions: SingleVenue's split
// is never worse than the best integer L (Poisson atoms and Q are integers,
// so V is piecewise linear with kinks at integers).
func TestSingleVenueRandomMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	checked, negC := [2]int{}, [2]int{}
	for it := 0; it < 800; it++ {
		allow := it%2 == 1
		p := Params{Size: float64(1 + r.IntN(60)), HalfSpread: 0.002 + r.Float64()*0.02, Fee: r.Float64() * 0.01,
			Rebates: []float64{r.Float64()*0.04 - 0.03}, Queues: []float64{float64(r.IntN(80))},
			Impact: r.Float64() * 0.005, LambdaUnder: r.Float64() * 0.08, LambdaOver: r.Float64() * 0.1,
			AllowAssumptionViolations: allow}
		if allow && it%4 == 1 { // rebates negative enough for c < 0
			p.Rebates[0] = -0.06 + r.Float64()*0.05
			p.LambdaUnder = r.Float64() * 0.03
			p.Fee = r.Float64() * 0.05
		}
		if p.Validate() != nil {
			continue
		}
		checked[b2i(allow)]++
		if c := p.HalfSpread + p.Rebates[0] + p.LambdaUnder + p.Impact; c < 0 {
			negC[b2i(2*p.HalfSpread+p.Fee+p.Rebates[0] > 0)]++
		}
		F := MustPoisson(1 + r.Float64()*100)
		x, _, err := SingleVenue(p, F)
		if err != nil {
			t.Fatal(err)
		}
		bfL, bfV := bruteForceLimit(p, F)
		if v := ExpectedCost(p, x, F); v > bfV+1e-9*(1+math.Abs(bfV)) {
			t.Fatalf("%+v: cost %.6f at %v above the brute-force minimum %.6f at L = %v", p, v, x, bfV, bfL)
		}
	}
	t.Logf("checked %d with the assumptions, %d without; c < 0 with 2h+f+r <= 0: %d, > 0: %d", checked[0], checked[1], negC[0], negC[1])
	if checked[0] < 50 || checked[1] < 300 || negC[0] < 20 || negC[1] < 20 {
		t.Fatalf("too few cases of some kind checked")
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// onlyCDF hides the atoms of a law, so SingleVenue must integrate its CDF.
type onlyCDF struct{ Distribution }

func TestExpectedFillWithoutAtoms(t *testing.T) {
	F := MustPoisson(50)
	for _, q := range []float64{0, 10, 45, 200} {
		exact, quad := expectedFill(F, q, 100), expectedFill(onlyCDF{F}, q, 100)
		if math.Abs(exact-quad) > 0.05 {
			t.Errorf("Q=%v: E[min((xi-Q)+, 100)] exact %.4f, quadrature %.4f", q, exact, quad)
		}
	}
	// The concave cases of TestSingleVenueOutsideAssumptionsMatchesBruteForce.
	for _, tc := range []struct{ queue, mean, wantL float64 }{{200, 50, 100}, {0, 150, 0}} {
		p := Params{Size: 100, HalfSpread: 0.01, Rebates: []float64{-0.03}, Queues: []float64{tc.queue},
			LambdaOver: 0.1, AllowAssumptionViolations: true}
		x, _, err := SingleVenue(p, onlyCDF{MustPoisson(tc.mean)})
		if err != nil {
			t.Fatal(err)
		}
		if x.Limit[0] != tc.wantL {
			t.Errorf("Q=%v mean %v: L = %v, want %v", tc.queue, tc.mean, x.Limit[0], tc.wantL)
		}
	}
}

// thresholdRegime is the regime the lambda_u thresholds predict.
func thresholdRegime(p Params, F Distribution) Regime {
	_, lamLimit, lamMarket := SingleVenueThresholds(p, F)
	switch {
	case p.LambdaUnder >= lamMarket:
		return MarketOnly
	case p.LambdaUnder < lamLimit:
		return LimitOnly
	}
	return Mixed
}

// For a discrete law the limit-only boundary is F((Q+S)-) < p*: Poisson(10),
// Q = 0, S = 10 has an atom at Q+S = 10, F(9) = 0.4579, F(10) = 0.5830, so
// lambdaLimit = 0.025/F(9) - 0.012 = 0.04260 (F(10) would give 0.03088).
func TestSingleVenueThresholdsAtAnAtom(t *testing.T) {
	F := MustPoisson(10)
	p := Params{Size: 10, HalfSpread: 0.01, Fee: 0.003, Rebates: []float64{0.002}, Queues: []float64{0}, LambdaOver: 0.05}
	_, lamLimit, _ := SingleVenueThresholds(p, F)
	if want := 0.025/F.CDF(9) - 0.012; math.Abs(lamLimit-want) > 1e-12 || math.Abs(lamLimit-0.04260) > 5e-5 {
		t.Errorf("lambdaLimit = %.6f, want 0.025/F(9) - 0.012 = %.6f", lamLimit, want)
	}
	tests := []struct {
		lambdaU float64
		want    Regime
	}{{0.03, LimitOnly}, {0.035, LimitOnly}, {0.038, LimitOnly}, {0.042, LimitOnly}, {0.043, Mixed}, {0.045, Mixed}}
	for _, tc := range tests {
		p.LambdaUnder = tc.lambdaU
		_, reg, err := SingleVenue(p, F)
		if err != nil {
			t.Fatal(err)
		}
		if reg != tc.want || thresholdRegime(p, F) != tc.want {
			t.Errorf("lambda_u = %v: SingleVenue %v, thresholds %v, want %v", tc.lambdaU, reg, thresholdRegime(p, F), tc.want)
		}
	}
	// Without A1 (2h + f + r <= 0) no lambda_u threshold describes the regime.
	p.Rebates[0], p.AllowAssumptionViolations = -0.03, true
	if _, l, m := SingleVenueThresholds(p, F); !math.IsNaN(l) || !math.IsNaN(m) {
		t.Errorf("without A1: thresholds %v, %v, want NaN", l, m)
	}
}

// The regime predicted by the thresholds is SingleVenue's, for Poisson and
// empirical laws, integer and fractional Q + S, with and without A2-A3
// (A1 is needed by the thresholds), including h + r + lambda_u + theta < 0. Half of the lambda_u values are drawn
// between the limit-only boundaries computed with F(Q+S) and F((Q+S)-),
// where the two conventions disagree; draws within 1e-9 of a boundary
// (where rounding decides) are skipped.
func TestSingleVenueThresholdsAgreeWithSingleVenue(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	checked, inGap, negC := 0, 0, 0
	for it := 0; it < 4000; it++ {
		var F Distribution = MustPoisson(1 + r.Float64()*60)
		if it%3 == 2 {
			obs := make([]float64, 1+r.IntN(30))
			for i := range obs {
				obs[i] = float64(r.IntN(60))
			}
			F, _ = NewEmpirical(obs)
		}
		p := Params{Size: float64(1 + r.IntN(40)), HalfSpread: 0.002 + r.Float64()*0.02, Fee: r.Float64() * 0.01,
			Rebates: []float64{r.Float64()*0.01 - 0.003}, Queues: []float64{float64(r.IntN(40))},
			Impact: r.Float64() * 0.003, LambdaOver: r.Float64() * 0.1, AllowAssumptionViolations: it%4 == 3}
		if it%5 == 4 {
			p.Size += 0.5 // Q + S between atoms
		}
		a, hrt := 2*p.HalfSpread+p.Fee+p.Rebates[0], p.HalfSpread+p.Rebates[0]+p.Impact
		if !(a > 0) {
			continue
		}
		gapLo, gapHi := a/F.CDF(p.Queues[0]+p.Size)-hrt, a/F.CDF(math.Nextafter(p.Queues[0]+p.Size, math.Inf(-1)))-hrt
		if it%2 == 0 && gapHi > gapLo && !math.IsInf(gapHi, 0) {
			p.LambdaUnder = gapLo + r.Float64()*(gapHi-gapLo)
		} else {
			p.LambdaUnder = r.Float64() * 0.1
		}
		if it%8 == 7 { // c = h + r + lambda_u + theta < 0 < 2h + f + r (no A2)
			d := (0.1 + 0.8*r.Float64()) * (p.HalfSpread + p.Fee)
			p.Impact, p.Rebates[0], p.LambdaUnder = 0, -p.HalfSpread-d, r.Float64()*d
			negC++
		}
		if p.Validate() != nil {
			continue
		}
		_, lamLimit, lamMarket := SingleVenueThresholds(p, F)
		near := func(x float64) bool { return math.Abs(p.LambdaUnder-x) < 1e-9*(1+math.Abs(x)) }
		if near(lamLimit) || near(lamMarket) {
			continue
		}
		_, reg, err := SingleVenue(p, F)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		if p.LambdaUnder > gapLo && p.LambdaUnder < gapHi {
			inGap++
		}
		if want := thresholdRegime(p, F); reg != want {
			t.Fatalf("%+v, F(Q)=%v, F(Q+S)=%v: SingleVenue %v, thresholds (%v, %v) say %v",
				p, F.CDF(p.Queues[0]), F.CDF(p.Queues[0]+p.Size), reg, lamLimit, lamMarket, want)
		}
	}
	t.Logf("%d cases checked, %d between the F(Q+S) and F((Q+S)-) boundaries, %d with c < 0", checked, inGap, negC)
	if checked < 2000 || inGap < 300 || negC < 300 {
		t.Fatalf("too few cases checked: %d, %d in the gap", checked, inGap)
	}
}
