package chart

import (
	"image/color"
	"math"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

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
}

// sureFill is a one-venue case whose costs are worked by hand: S = 100,
// h = 0.01, f = 0.003, r = 0.002, no queue ahead, lambda_u = lambda_o = 0.05,
// and an outflow of exactly 100 shares, so that a limit order of L fills
// min(L, 100). The optimum posts L = 100: V* = −(h + r)·100 = −1.2. Costs
// of the averaged iterates below: (M, L) = (0, 50) fills 50 and misses 50,
// V = −0.012·50 + 0.05·50 = 1.9, error (1.9 + 1.2)/1.2; (10, 90):
// 0.013·10 − 0.012·90 = −0.95, error 0.25/1.2; (50, 50): 0.65 − 0.6 = 0.05,
// error 1.25/1.2; (0, 100): the optimum, error 0, drawn at 1e-6.
func sureFill(t *testing.T) (ck.Params, ck.Discrete, []TraceRun) {
	t.Helper()
	F, err := ck.NewEmpirical([]float64{100})
	if err != nil {
		t.Fatal(err)
	}
	p := ck.Params{Size: 100, HalfSpread: 0.01, Fee: 0.003, Rebates: []float64{0.002}, Queues: []float64{0}, LambdaUnder: 0.05, LambdaOver: 0.05}
	at := func(n int, m, l float64) ck.TracePoint {
		return ck.TracePoint{N: n, Average: ck.Allocation{Market: m, Limit: []float64{l}}}
	}
	return p, F, []TraceRun{
		{Start: "even", Points: []ck.TracePoint{at(1, 0, 50), at(10, 10, 90), at(100, 0, 100)}},
		{Start: "L = S", Burnin: 0.5, Points: []ck.TracePoint{at(1, 50, 50), at(100, 0, 100)}},
	}
}

// TestConvergenceDrawsEachRun checks each run's errors on the sureFill case
// (log10 of both axes): the plain average dashed in the first colour, the
// burn-in average solid in the second, the dotted 2% line to the last n,
// and the legend.
func TestConvergenceDrawsEachRun(t *testing.T) {
	p, F, runs := sureFill(t)
	pl, err := Convergence(p, F, runs...)
	if err != nil {
		t.Fatal(err)
	}
	d := record(t, pl)
	d.requireTexts(t, "Solver convergence: relative cost error of the averaged iterate", "iterations n", "(V(average) - V*) / |V*|")
	r := rectOf(Size(pl))
	requireLegendInside(t, pl, r, d.legend(t, "start even, plain average", "start L = S, average of the last 50%", "2%"))
	lg := math.Log10
	requireExactLine(t, "start even", d, pl, r, Palette[0], []vg.Length{vg.Points(5), vg.Points(3)},
		plotter.XYs{{X: 0, Y: lg(3.1 / 1.2)}, {X: 1, Y: lg(0.25 / 1.2)}, {X: 2, Y: -6}})
	requireExactLine(t, "start L = S", d, pl, r, Palette[1], nil, plotter.XYs{{X: 0, Y: lg(1.25 / 1.2)}, {X: 2, Y: -6}})
	requireExactLine(t, "2%", d, pl, r, color.Gray{Y: 90}, []vg.Length{vg.Points(1), vg.Points(2)}, plotter.XYs{{X: 0, Y: lg(0.02)}, {X: 2, Y: lg(0.02)}})
	if pl.Y.Min != -6 || math.Abs(pl.Y.Max-lg(2*3.1/1.2)) > 1e-12 {
		t.Errorf("y axis [%v, %v], want [-6, log10 of twice the largest error]", pl.Y.Min, pl.Y.Max)
	}
}

// TestTraceLimitDrawsEachRun checks L of each run's averaged iterates on the
// sureFill case against log10 n, and the closed form's L* = 100 as a thick
// grey line to the last n.
func TestTraceLimitDrawsEachRun(t *testing.T) {
	_, _, runs := sureFill(t)
	pl, err := TraceLimit(100, runs...)
	if err != nil {
		t.Fatal(err)
	}
	d := record(t, pl)
	d.requireTexts(t, "Limit order L of the averaged iterate", "iterations n", "L (shares)")
	r := rectOf(Size(pl))
	requireLegendInside(t, pl, r, d.legend(t, "closed form L* = 100", "start even, plain average", "start L = S, average of the last 50%"))
	requireExactLine(t, "start even", d, pl, r, Palette[0], []vg.Length{vg.Points(5), vg.Points(3)}, plotter.XYs{{X: 0, Y: 50}, {X: 1, Y: 90}, {X: 2, Y: 100}})
	requireExactLine(t, "start L = S", d, pl, r, Palette[1], nil, plotter.XYs{{X: 0, Y: 50}, {X: 2, Y: 100}})
	requireExactLine(t, "L*", d, pl, r, color.Gray{Y: 160}, nil, plotter.XYs{{X: 0, Y: 100}, {X: 2, Y: 100}})
	runs[0].Points[1].Average.Limit = nil
	if _, err := TraceLimit(100, runs...); err == nil {
		t.Error("a trace point without a limit order was drawn")
	}
	if _, err := TraceLimit(100); err == nil {
		t.Error("TraceLimit without runs must fail")
	}
}

// TestRegimesDrawsTheCurve checks the regimes chart of the paper's example
// on five values of lambda_u: 0.01 breaks A2 (<= h + f = 0.023) and is left
// out; L* is 214, 120, 46 and 0 at 0.05, 1, 100 and 10,000 (package ck's
// closed form: the Poisson(2200) quantile minus the queue of 2000). The A2
// band is shaded from 0.01 to 0.023, the thresholds lambda_limit = 0.0225
// and lambda_market = 5680 are dashed vertical lines up to 1.15 S, and
// lambda_u = 0.05 is marked on the curve.
func TestRegimesDrawsTheCurve(t *testing.T) {
	p := paperParams()
	pl, err := Regimes(p, ck.MustPoisson(2200), []float64{0.01, 0.05, 1, 100, 10000})
	if err != nil {
		t.Fatal(err)
	}
	d := record(t, pl)
	r := rectOf(Size(pl))
	lg := math.Log10
	requireExactLine(t, "L*", d, pl, r, Palette[0], nil, plotter.XYs{{X: lg(0.05), Y: 214}, {X: 0, Y: 120}, {X: 2, Y: 46}, {X: 4, Y: 0}})
	requireMarks(t, "lambda_u = 0.05", d, pl, r, Palette[1], 1, plotter.XYs{{X: lg(0.05), Y: 214}})
	dash := []vg.Length{vg.Points(4), vg.Points(3)}
	_, limit, market := ck.SingleVenueThresholds(p, ck.MustPoisson(2200))
	if n := len(d.series(color.Black, dash, 2)); n != 2 {
		t.Errorf("%d dashed lines, want the 2 thresholds'", n)
	}
	requireLine(t, "lambda_limit", d, pl, r, color.Black, dash, plotter.XYs{{X: lg(limit), Y: 0}, {X: lg(limit), Y: 1150}})
	requireLine(t, "lambda_market", d, pl, r, color.Black, dash, plotter.XYs{{X: lg(market), Y: 0}, {X: lg(market), Y: 1150}})
	tx, ty := transforms(pl, r)
	requireBars(t, "the A2 band", d, pl, r, color.Gray{Y: 225}, rect(tx(-2), ty(0), tx(lg(0.023)), ty(1150)))
	d.requireTexts(t, " lambda_limit = 0.0225 ", " lambda_market = 5680 ", "limit only", "market + limit", "market only ")
	requireRegimesLegendClear(t, d)
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
	r0, r1 := panelRect(fig, 0), panelRect(fig, 1)
	requireExactLine(t, "M", d, posted, r0, Palette[1], nil, plotter.XYs{{X: 100, Y: 0}, {X: 500, Y: 60}})
	requireExactLine(t, "L_1", d, posted, r0, Palette[2], nil, plotter.XYs{{X: 100, Y: 50}, {X: 500, Y: 230}})
	requireExactLine(t, "L_2", d, posted, r0, Palette[3], nil, plotter.XYs{{X: 100, Y: 55}, {X: 500, Y: 240}})
	requireExactLine(t, "over-booking", d, over, r1, Palette[0], nil, plotter.XYs{{X: 100, Y: 5}, {X: 500, Y: 30}})
	requireExactLine(t, "zero", d, over, r1, color.Black, []vg.Length{vg.Points(4), vg.Points(3)}, plotter.XYs{{X: 100, Y: 0}, {X: 500, Y: 0}})
	if _, ok := d.text("M + sum L_k - S"); ok {
		t.Error("the over-booking panel has a legend; its title names its one line")
	}
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
	// The bars: M = 786 at x = 0 in Best Ask's vermillion, L = 214 at x = 1
	// in the router's blue, 30 points wide, each labelled above its top.
	bars, r0 := fig.(Panels)[0].Fig.(*plot.Plot), panelRect(fig, 0)
	tx, ty := transforms(bars, r0)
	requireBars(t, "M", d, bars, r0, Palette[1], rect(tx(0)-15, ty(0), tx(0)+15, ty(786)))
	requireBars(t, "L", d, bars, r0, Palette[0], rect(tx(1)-15, ty(0), tx(1)+15, ty(214)))
	for _, l := range []struct {
		s    string
		x, y float64
	}{{"786", 0, 786}, {"214", 1, 214}} {
		if txt, _ := d.text(l.s); math.Abs(float64(txt.at.X+txt.w/2-tx(l.x))) > 0.5 || txt.at.Y < ty(l.y) || txt.at.Y > ty(l.y)+vg.Points(6) {
			t.Errorf("label %q at %v, want centred above (%v, %v)", l.s, txt.at, tx(l.x), ty(l.y))
		}
	}
	reg := fig.(Panels)[1].Fig.(*plot.Plot)
	requireLegendInside(t, reg, panelRect(fig, 1), d.legend(t, "L* (closed form)", "lambda_u = 0.05: L* = 214"))
	requireRegimesLegendClear(t, d)
	q := paperParams()
	q.Rebates, q.Queues = []float64{0.002, 0.002}, []float64{1, 2}
	if _, err := Split(q, ck.MustPoisson(2200), lambdas); err == nil {
		t.Error("Split of two venues must fail")
	}
}
