package chart

import (
	"testing"

	"github.com/sorlab/sorlab/sor/ck"
)

// paperParams is the one-venue example of package ck.
func paperParams() ck.Params {
	return ck.Params{Size: 1000, HalfSpread: 0.02, Fee: 0.003, Impact: 0.0005,
		Rebates: []float64{0.002}, Queues: []float64{2000}, LambdaUnder: 0.05, LambdaOver: 0.05}
}

func TestCKChartsRender(t *testing.T) {
	p := paperParams()
	F := ck.MustPoisson(2200)
	xi, err := ck.IndependentPoisson(2200)
	if err != nil {
		t.Fatal(err)
	}
	var runs []TraceRun
	for _, start := range []struct {
		name string
		x    ck.Allocation
	}{{"even", ck.Allocation{}}, {"L = S", ck.Allocation{Limit: []float64{1000}}}} {
		for _, b := range []float64{0, 0.5} {
			tr, err := ck.Trace(p, xi, ck.Options{Iterations: 500, Seed: 1, Start: start.x, Burnin: b}, nil)
			if err != nil {
				t.Fatal(err)
			}
			runs = append(runs, TraceRun{Start: start.name, Burnin: b, Points: tr})
		}
	}
	pl, err := Convergence(p, F, runs...)
	renderPNG(t, "convergence", pl, err)
	star, _, err := ck.SingleVenue(p, F)
	if err != nil {
		t.Fatal(err)
	}
	pl, err = TraceLimit(star.Limit[0], runs...)
	renderPNG(t, "trace_limit", pl, err)
	if _, err := Convergence(p, F); err == nil {
		t.Error("Convergence without runs must fail")
	}

	var lambdas []float64
	for lu := 0.005; lu < 2e4; lu *= 1.1 {
		lambdas = append(lambdas, lu)
	}
	q := p
	q.AllowAssumptionViolations = true
	pl, err = Regimes(q, F, lambdas)
	renderPNG(t, "regimes", pl, err)
	// Without the opt-in the points breaking A2 are left out.
	pl, err = Regimes(p, F, lambdas)
	renderPNG(t, "regimes_valid", pl, err)
	if _, err := Regimes(p, F, []float64{0.01}); err == nil {
		t.Error("Regimes with only refused points must fail")
	}

	p2 := ck.Params{Size: 1000, HalfSpread: 0.02, Fee: 0.003, Impact: 0.0005,
		Rebates: []float64{0.002, 0.002}, Queues: []float64{2000, 2000}, LambdaUnder: 0.05, LambdaOver: 0.05}
	cp, err := ck.NewCorrelatedPoisson(0.6, 2200, 2200)
	if err != nil {
		t.Fatal(err)
	}
	sizes := []float64{100, 400, 700, 1000}
	xs, err := ck.SolveSizes(p2, cp, sizes, ck.Options{Iterations: 1000, Seed: 1, Burnin: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	pl, err = Overbooking(sizes, xs)
	renderPNG(t, "overbooking", pl, err)
	if _, err := Overbooking(sizes, xs[:1]); err == nil {
		t.Error("Overbooking with mismatched lengths must fail")
	}
}
