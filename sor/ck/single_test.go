package ck

import (
	"math"
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
