package chart

import (
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

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
	labels := []string{"start even, plain average", "start even, average of the last 50%",
		"start L = S, plain average", "start L = S, average of the last 50%", "2%"}
	d := record(t, pl)
	d.requireTexts(t, "iterations n", "(V(average) - V*) / |V*|")
	w, h := Size(pl)
	requireLegendInside(t, pl, rectOf(w, h), d.legend(t, labels...))
	star, _, err := ck.SingleVenue(p, F)
	if err != nil {
		t.Fatal(err)
	}
	pl, err = TraceLimit(star.Limit[0], runs...)
	renderPNG(t, "trace_limit", pl, err)
	d = record(t, pl)
	d.requireTexts(t, "iterations n", "L (shares)")
	requireLegendInside(t, pl, rectOf(w, h), d.legend(t, append([]string{"closed form L* = 214"}, labels[:4]...)...))
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
	d = record(t, pl)
	// The thresholds of the paper's example (package ck's tests).
	d.requireTexts(t, "L* (shares)", "lambda_u, penalty per share missing ($/share, log scale)",
		" lambda_limit = 0.0225 ", " lambda_market = 5680 ", "limit only", "market + limit", "market only ")
	requireLegendInside(t, pl, rectOf(w, h), d.legend(t, "L* (closed form)"))
	requireRegimesLegendClear(t, d)
	// Without the opt-in the points breaking A2 are left out.
	pl, err = Regimes(p, F, lambdas)
	renderPNG(t, "regimes_valid", pl, err)
	if _, err := Regimes(p, F, []float64{0.01}); err == nil {
		t.Error("Regimes with only refused points must fail")
	}

	if _, err := Regimes(p, F, []float64{0.01}); err == nil {
		t.Error("Regimes with only refused points must fail")
	}
}

// TestOverbookingShowsTheExcess checks both panels on hand-made
// allocations: S = 100 posting 0 + 50 + 55 (5 over), S = 500 posting
// 60 + 230 + 240 (30 over).
func TestOverbookingShowsTheExcess(t *testing.T) {
	sizes := []float64{100, 500}
	xs := []ck.Allocation{{Market: 0, Limit: []float64{50, 55}}, {Market: 60, Limit: []float64{230, 240}}}
	fig, err := Overbooking(sizes, xs)
	renderPNG(t, "overbooking", fig, err)
	d := record(t, fig)
	d.requireTexts(t, "What the solver posts", "Over-booking: M + sum L_k - S", "target S (shares)",
		"shares", "shares posted beyond S", "5.0", "30.0")
	entries := d.legend(t, "M (market order)", "L_1 (limit, venue 1)", "L_2 (limit, venue 2)")
	posted := fig.(Panels)[0].Fig.(*plot.Plot)
	requireLegendInside(t, posted, panelRect(fig, 0), entries)
	over := fig.(Panels)[1].Fig.(*plot.Plot)
	requireLine(t, "over-booking", d, over, panelRect(fig, 1), Palette[0], nil, plotter.XYs{{X: 100, Y: 5}, {X: 500, Y: 30}})
	requireLine(t, "L_2", d, posted, panelRect(fig, 0), Palette[3], nil, plotter.XYs{{X: 100, Y: 55}, {X: 500, Y: 240}})
	if _, err := Overbooking(sizes, xs[:1]); err == nil {
		t.Error("Overbooking with mismatched lengths must fail")
	}
}

// TestSplitShowsTheAllocationAndItsRegime checks the interactive figure of
// 05-cont-kukanov on the paper's example: M = 786 and L = 214 (package
// ck's closed form), and the regime chart with lambda_u = 0.05 marked.
func TestSplitShowsTheAllocationAndItsRegime(t *testing.T) {
	p := paperParams()
	p.AllowAssumptionViolations = true
	var lambdas []float64
	for lu := 0.005; lu < 2e4; lu *= 1.1 {
		lambdas = append(lambdas, lu)
	}
	fig, err := Split(p, ck.MustPoisson(2200), lambdas)
	renderPNG(t, "split", fig, err)
	d := record(t, fig)
	d.requireTexts(t, "S = 1000: market and limit orders", "M (market)", "L (limit)", "786", "214", "order", "shares", "L* (shares)")
	reg := fig.(Panels)[1].Fig.(*plot.Plot)
	requireLegendInside(t, reg, panelRect(fig, 1), d.legend(t, "L* (closed form)", "lambda_u = 0.05: L* = 214"))
	requireRegimesLegendClear(t, d)
	q := paperParams()
	q.Rebates, q.Queues = []float64{0.002, 0.002}, []float64{1, 2}
	if _, err := Split(q, ck.MustPoisson(2200), lambdas); err == nil {
		t.Error("Split of two venues must fail")
	}
}
