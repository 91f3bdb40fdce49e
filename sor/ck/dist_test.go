package ck

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestPoissonCDFAndQuantile(t *testing.T) {
	for _, mean := range []float64{0.5, 7, 2200} {
		P := MustPoisson(mean)
		// CDF by direct summation of the pmf e^-m m^k / k!, in log space.
		direct := 0.0
		for k := 0; k <= int(mean+6*math.Sqrt(mean)+10); k++ {
			lg, _ := math.Lgamma(float64(k) + 1)
			direct += math.Exp(float64(k)*math.Log(mean) - mean - lg)
			if got := P.CDF(float64(k)); math.Abs(got-direct) > 1e-9 {
				t.Fatalf("mean %v: CDF(%d) = %v, direct sum %v", mean, k, got, direct)
			}
			if got := P.CDF(float64(k) + 0.5); math.Abs(got-direct) > 1e-9 {
				t.Fatalf("mean %v: CDF(%d.5) = %v, want %v", mean, k, got, direct)
			}
		}
		for _, q := range []float64{1e-6, 0.1, 0.5, 0.62, 0.99} {
			x := P.Quantile(q)
			if P.CDF(x) < q || P.CDF(x-1) >= q {
				t.Fatalf("mean %v: Quantile(%v) = %v is not min{x: F(x) >= q}", mean, q, x)
			}
		}
		if !math.IsInf(P.Quantile(1.5), 1) {
			t.Fatal("Quantile(p > 1) should be +Inf")
		}
	}
}

func TestPoissonSampleMoments(t *testing.T) {
	P := MustPoisson(2200)
	r := rand.New(rand.NewPCG(1, 1))
	const n = 200000
	var s, s2 float64
	for i := 0; i < n; i++ {
		x := P.Sample(r)
		s += x
		s2 += x * x
	}
	m := s / n
	v := s2/n - m*m
	if math.Abs(m-2200) > 4*math.Sqrt(2200.0/n) {
		t.Errorf("sample mean %v, want 2200", m)
	}
	if math.Abs(v/2200-1) > 0.02 {
		t.Errorf("sample variance %v, want 2200", v)
	}
}

func TestCorrelatedPoissonHasPoissonMarginalsAndCorrelation(t *testing.T) {
	tests := []struct {
		alpha    float64
		means    []float64
		wantCorr float64
	}{
		{0.6, []float64{2200, 2200}, 0.6},
		{0.6, []float64{1000, 4000}, 0.6 * 1000 / 2000}, // alpha m / sqrt(mu1 mu2)
		{0, []float64{500, 500}, 0},
	}
	for _, tc := range tests {
		c, err := NewCorrelatedPoisson(tc.alpha, tc.means...)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(5, 6))
		const n = 100000
		xi := make([]float64, 2)
		var s, s2 [2]float64
		var sxy float64
		for i := 0; i < n; i++ {
			c.Sample(r, xi)
			for k := 0; k < 2; k++ {
				s[k] += xi[k]
				s2[k] += xi[k] * xi[k]
			}
			sxy += xi[0] * xi[1]
		}
		var m, v [2]float64
		for k := 0; k < 2; k++ {
			m[k] = s[k] / n
			v[k] = s2[k]/n - m[k]*m[k]
			if math.Abs(m[k]/tc.means[k]-1) > 0.005 || math.Abs(v[k]/tc.means[k]-1) > 0.03 {
				t.Errorf("alpha %v venue %d: mean %v var %v, want both %v", tc.alpha, k, m[k], v[k], tc.means[k])
			}
		}
		corr := (sxy/n - m[0]*m[1]) / math.Sqrt(v[0]*v[1])
		if math.Abs(corr-tc.wantCorr) > 0.02 {
			t.Errorf("alpha %v means %v: correlation %v, want %v", tc.alpha, tc.means, corr, tc.wantCorr)
		}
	}
}

func TestEmpiricalDistribution(t *testing.T) {
	E, err := NewEmpirical([]float64{5, 1, 3, 3, 10})
	if err != nil {
		t.Fatal(err)
	}
	cdf := map[float64]float64{0: 0, 1: 0.2, 2.9: 0.2, 3: 0.6, 4: 0.6, 5: 0.8, 10: 1, 11: 1}
	for x, want := range cdf {
		if got := E.CDF(x); math.Abs(got-want) > 1e-12 {
			t.Errorf("CDF(%v) = %v, want %v", x, got, want)
		}
	}
	quant := map[float64]float64{0: 1, 0.2: 1, 0.21: 3, 0.6: 3, 0.61: 5, 1: 10}
	for q, want := range quant {
		if got := E.Quantile(q); got != want {
			t.Errorf("Quantile(%v) = %v, want %v", q, got, want)
		}
	}
	var vals, probs []float64
	for v, w := range E.Atoms() {
		vals = append(vals, v)
		probs = append(probs, w)
	}
	if len(vals) != 4 || vals[1] != 3 || math.Abs(probs[1]-0.4) > 1e-12 {
		t.Errorf("Atoms = %v %v, want 4 atoms with P(3) = 0.4", vals, probs)
	}
	if _, err := NewEmpirical(nil); err == nil {
		t.Error("NewEmpirical(nil) should fail")
	}
}
