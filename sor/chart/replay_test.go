package chart

import (
	"bytes"
	"errors"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/ck"
	"github.com/sorlab/sorlab/sor/replay"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// renderPNG renders f at its size, checks that it decodes at that size
// (96 dots per inch: Width × Height is 768 × 432 pixels), and writes it to
// $SORLAB_CHART_DIR/name.png when that is set, to look at the charts.
func renderPNG(t *testing.T, name string, f Figure, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	b, err := Encode(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	w, h := Size(f)
	if img.Bounds().Dx() != int(w.Dots(96)) || img.Bounds().Dy() != int(h.Dots(96)) {
		t.Errorf("%s: %v, want %v × %v", name, img.Bounds(), w.Dots(96), h.Dots(96))
	}
	if dir := os.Getenv("SORLAB_CHART_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name+".png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// run is a replay result with the given cash for 100 shares.
func run(cash sor.Money) *replay.Result {
	return &replay.Result{Result: sor.Result{Filled: 100, OrderSize: 100, Cash: cash}}
}

// evaluation is two strategies over seeds: "ck_router" with two runs at
// $10.00 and $10.02 a share, "best_ask" with one at $10.01.
func evaluation() []replay.Stats {
	return []replay.Stats{
		{Strategy: "ck_router", Runs: 2, CostPerShare: 10.01, CostLow: 9.9, CostHigh: 10.12,
			Results: []*replay.Result{run(1000 * sor.Dollar), run(1002 * sor.Dollar)}},
		{Strategy: "best_ask", Runs: 1, CostPerShare: 10.01, CostLow: 10.01, CostHigh: 10.01,
			Results: []*replay.Result{run(1001 * sor.Dollar)}},
	}
}

// TestIntervalsDrawEveryRun checks one dot per run in the strategy's
// colour, the strategy names and the axis labels.
func TestIntervalsDrawEveryRun(t *testing.T) {
	p, err := Intervals(evaluation())
	renderPNG(t, "intervals", p, err)
	d := record(t, p)
	d.requireTexts(t, "Cost per share over seeds", "ck_router", "best_ask", "cash / filled ($/share)",
		"dots: one run per seed; bar: 95% interval of the mean")
	// ck_router's runs spread over [-0.25, -0.05], best_ask's one at
	// 1 − 0.25; the means with their intervals at i + 0.15.
	r := rectOf(Size(p))
	requireMarks(t, "ck_router's runs", d, p, r, Palette[0], 0, plotter.XYs{{X: -0.25, Y: 10}, {X: -0.05, Y: 10.02}})
	requireMarks(t, "best_ask's run", d, p, r, Palette[1], 0, plotter.XYs{{X: 0.75, Y: 10.01}})
	requireMarks(t, "the means", d, p, r, color.Black, 0, plotter.XYs{{X: 0.15, Y: 10.01}, {X: 1.15, Y: 10.01}})
	requireLine(t, "ck_router's interval", d, p, r, color.Black, nil, plotter.XYs{{X: 0.15, Y: 9.9}, {X: 0.15, Y: 10.12}})
	if _, err := Intervals(nil); err == nil {
		t.Error("Intervals(nil) must fail")
	}
}

// grid is four hand-made grid points at λ_over = 0.05: at θ = 0.001,
// λ_under = 0.01 refused (A2) and 0.05 costing $220.1432; at θ = 0.01,
// λ_under = 0.01 refused for another reason and 0.05 costing $220.1405,
// the best (index 3).
func grid() []replay.GridPoint {
	params := func(lu, theta sor.Money) sor.Params {
		return sor.Params{LambdaUnder: lu, LambdaOver: 5 * sor.Cent, ThetaQueue: theta}
	}
	return []replay.GridPoint{
		{Params: params(sor.Cent, sor.Cent/10), Err: &ck.AssumptionError{Name: "A2", Detail: "lambda_u <= h + f"}},
		{Params: params(5*sor.Cent, sor.Cent/10), Stats: replay.Stats{ExpectedCost: 220.1432}},
		{Params: params(sor.Cent, sor.Cent), Err: errors.New("something else")},
		{Params: params(5*sor.Cent, sor.Cent), Stats: replay.Stats{ExpectedCost: 220.1405}},
	}
}

// TestGridCostsColoursCostsAndMarksRefusals checks the heat maps: one per
// θ, each cost written as cents above the cheapest (220.1432 − 220.1405 =
// 0.27¢), refusals grey and named, the cheapest cell at the cheap end of the
// colour scale and framed as the best, the dearest at the other end, and a
// colour bar.
func TestGridCostsColoursCostsAndMarksRefusals(t *testing.T) {
	fig, err := GridCosts(grid(), 3)
	renderPNG(t, "grid_costs", fig, err)
	d := record(t, fig)
	d.requireTexts(t, "theta = 0.001", "theta = 0.01", "lambda_over ($/share)", "lambda_under ($/share)",
		"A2", "refused", "+0.27¢", "best", "expected cost ($/share)", "grey: refused", "cells: ¢ above best")
	if len(fig.(Panels)) != 3 {
		t.Errorf("%d panels, want one per theta and the colour bar", len(fig.(Panels)))
	}
	cmapEnds := []struct {
		name string
		rgb  [3]uint8
	}{{"cheapest", [3]uint8{59, 76, 192}}, {"dearest", [3]uint8{180, 4, 38}}}
	count := func(c [3]uint8, tol uint32) int {
		n := 0
		for _, f := range d.fills {
			r, g, b, _ := f.color.RGBA()
			if absDiff(r>>8, uint32(c[0])) <= tol && absDiff(g>>8, uint32(c[1])) <= tol && absDiff(b>>8, uint32(c[2])) <= tol {
				n++
			}
		}
		return n
	}
	for _, e := range cmapEnds {
		if count(e.rgb, 3) != 1 {
			t.Errorf("the %s cell is not filled with the end of the colour scale %v", e.name, e.rgb)
		}
	}
	grey := 0
	for _, f := range d.fills {
		if sameColor(f.color, refusedColor) {
			grey++
		}
	}
	if grey != 2 {
		t.Errorf("%d grey cells, want the 2 refused points", grey)
	}
	frames := 0
	for _, s := range d.strokes {
		if len(s.pts) == 5 && s.width == vg.Points(3) {
			frames++
		}
	}
	if frames != 1 {
		t.Errorf("%d framed cells, want the best one", frames)
	}
	if d.images != 1 {
		t.Errorf("%d images drawn, want the colour bar", d.images)
	}
	if _, err := GridCosts(nil, -1); err == nil {
		t.Error("GridCosts(nil) must fail")
	}
	// Every point refused: still a chart, all grey.
	fig, err = GridCosts(grid()[:1], -1)
	renderPNG(t, "grid_refused", fig, err)
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

// markets is a comparison against TWAP over 20 markets.
func markets() []replay.MarketStats {
	return []replay.MarketStats{
		{Strategy: "ck_router", Reference: "twap", Markets: 20, VsReferenceBps: -0.07, Low: -1.45, High: 1.31, Beats: 13},
		{Strategy: "best_ask", Reference: "twap", Markets: 20, VsReferenceBps: 2.3, Low: -0.5, High: 5.1, Beats: 7},
		{Strategy: "twap", Reference: "twap", Markets: 20},
	}
}

// TestMarketsLabelsEachStrategy checks the rows (the reference left out),
// their values and the axis label.
func TestMarketsLabelsEachStrategy(t *testing.T) {
	p, err := Markets(markets())
	renderPNG(t, "markets", p, err)
	d := record(t, p)
	d.requireTexts(t, "Against twap over 20 markets", "ck_router", "best_ask",
		"mean and 95% interval, bps vs twap (< 0: cheaper)", "strategy")
	requireMarketLabels(t, d, "-0.07 bps", "cheaper in 13 of 20", "+2.30 bps", "cheaper in 7 of 20")
	// ck_router in the top row (y = 1), best_ask below: each mean a dot in
	// its colour on a bar from its interval's low to its high end.
	r := rectOf(Size(p))
	requireMarks(t, "ck_router's mean", d, p, r, Palette[0], 0, plotter.XYs{{X: -0.07, Y: 1}})
	requireMarks(t, "best_ask's mean", d, p, r, Palette[1], 0, plotter.XYs{{X: 2.3, Y: 0}})
	requireLine(t, "ck_router's interval", d, p, r, Palette[0], nil, plotter.XYs{{X: -1.45, Y: 1}, {X: 1.31, Y: 1}})
	requireLine(t, "best_ask's interval", d, p, r, Palette[1], nil, plotter.XYs{{X: -0.5, Y: 0}, {X: 5.1, Y: 0}})
	requireLine(t, "the zero line", d, p, r, color.Black, []vg.Length{vg.Points(4), vg.Points(3)}, plotter.XYs{{X: 0, Y: -0.6}, {X: 0, Y: 1.6}})
	if _, ok := d.text("twap"); ok {
		t.Error("the reference has a row of its own")
	}
	if _, err := Markets(markets()[2:]); err == nil {
		t.Error("Markets with only the reference must fail")
	}
}

// TestReplayResultsShowsTheReplay checks that a replay run's results.png
// holds its costs over seeds, the market comparison and the grid, and that
// it asks for the room they need.
func TestReplayResultsShowsTheReplay(t *testing.T) {
	fig, err := ReplayResults(ReplayRun{Stats: evaluation(), Grid: grid(), Best: 3, Markets: markets()})
	renderPNG(t, "replay_results", fig, err)
	if w, h := Size(fig); w != Width || h != 2*Height {
		t.Errorf("size %v × %v, want %v × %v", w, h, Width, 2*Height)
	}
	d := record(t, fig)
	d.requireTexts(t, "Cost per share over seeds",
		"Against twap over 20 markets", "theta = 0.001", "+0.27¢", "best")
	// In the narrower panel, ck_router's label (-0.07) has no room left of
	// zero and moves to its right.
	requireMarketLabels(t, d, "-0.07 bps", "cheaper in 13 of 20", "+2.30 bps", "cheaper in 7 of 20")
	if l, ok := d.text("-0.07 bps"); !ok || l.at.X < zeroLineX(t, d) {
		t.Errorf("ck_router's label starts at %v, want right of the zero line at %v", l.at.X, zeroLineX(t, d))
	}

	fig, err = ReplayResults(ReplayRun{Stats: evaluation()})
	renderPNG(t, "replay_results_static", fig, err)
	if _, ok := fig.(*plot.Plot); !ok {
		t.Errorf("without grid and markets ReplayResults is %T, want the one Intervals plot", fig)
	}
	if w, h := Size(fig); w != Width || h != Height {
		t.Errorf("size %v × %v, want the default", w, h)
	}
}

// zeroLineX is the x of the market comparison's dashed line at 0.
func zeroLineX(t *testing.T, d drawing) vg.Length {
	t.Helper()
	for _, s := range d.series(color.Black, []vg.Length{vg.Points(4), vg.Points(3)}, 2) {
		if len(s.pts) == 2 && s.pts[0].X == s.pts[1].X {
			return s.pts[0].X
		}
	}
	t.Fatal("no dashed vertical line at 0")
	return 0
}

// requireMarketLabels checks each row's label, given as pairs of lines (its
// mean, in how many markets it was cheaper): the lines are drawn one above
// the other, and neither runs across the dashed line at 0 (a dashed line
// through a text strikes it out).
func requireMarketLabels(t *testing.T, d drawing, lines ...string) {
	t.Helper()
	zero := zeroLineX(t, d)
	for i := 0; i+1 < len(lines); i += 2 {
		top, ok1 := d.text(lines[i])
		bottom, ok2 := d.text(lines[i+1])
		if !ok1 || !ok2 {
			t.Errorf("label %q / %q is not drawn; texts drawn: %q", lines[i], lines[i+1], d.allTexts())
			continue
		}
		if top.at.X != bottom.at.X || top.at.Y <= bottom.at.Y {
			t.Errorf("%q at %v is not above %q at %v", top.s, top.at, bottom.s, bottom.at)
		}
		for _, l := range []drawnText{top, bottom} {
			if l.at.X-offLineGap/2 < zero && zero < l.at.X+l.w+offLineGap/2 {
				t.Errorf("%q spans %v to %v, across the zero line at %v", l.s, l.at.X, l.at.X+l.w, zero)
			}
		}
	}
}
