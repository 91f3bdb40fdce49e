package chart

import (
	"image/color"
	"math"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor/replay"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// placement is a hand-made placement over three markets at horizons of 1 s
// and 10 s. Savings: ck_split's units 1, (none), 3 with mean 2 in
// [0.5, 3.5]; limit_only's one unit −2. Markouts in dollars a share (mean,
// low, high, units): over all fills, market_only 0.01 in [0.005, 0.015] (3)
// and 0.02 (1 unit: no interval), ck_split −0.01 in [−0.02, 0] (2) and none,
// limit_only −0.02 in [−0.03, −0.01] and −0.05 in [−0.07, −0.03] (4 each);
// over maker fills, market_only none, ck_split −0.03 in [−0.05, −0.01] (2)
// and −0.04 (1), limit_only as over all.
func placement() *replay.PlacementResult {
	nan := math.NaN()
	e := func(mean, lo, hi float64, n int) replay.Estimate {
		return replay.Estimate{Mean: mean, Low: lo, High: hi, N: n}
	}
	none := e(nan, nan, nan, 0)
	limit := []replay.Estimate{e(-0.02, -0.03, -0.01, 4), e(-0.05, -0.07, -0.03, 4)}
	return &replay.PlacementResult{
		Markouts: []time.Duration{time.Second, 10 * time.Second},
		Markets:  3,
		Over:     "markets",
		Variants: []replay.VariantResult{
			{Variant: replay.MarketOnly, Markouts: []replay.Estimate{e(0.01, 0.005, 0.015, 3), e(0.02, 0.02, 0.02, 1)}, Maker: []replay.Estimate{none, none}},
			{Variant: replay.CKSplit, Units: []float64{1, nan, 3}, Savings: e(2, 0.5, 3.5, 2),
				Markouts: []replay.Estimate{e(-0.01, -0.02, 0, 2), none}, Maker: []replay.Estimate{e(-0.03, -0.05, -0.01, 2), e(-0.04, nan, nan, 1)}},
			{Variant: replay.LimitOnly, Units: []float64{-2}, Savings: e(-2, -2, -2, 1), Markouts: limit, Maker: limit},
		},
	}
}

// TestPlacementSavingsDrawsEveryUnit checks the savings chart on the
// hand-made placement: ck_split's units at x = −0.25 and −0.25 + 0.2 (the
// second unit has no value and leaves a gap), limit_only's one unit at
// 1 − 0.25, each mean and interval at i + 0.15, and the dashed zero line.
func TestPlacementSavingsDrawsEveryUnit(t *testing.T) {
	p, err := PlacementSavings(placement())
	renderPNG(t, "placement_savings", p, err)
	d := record(t, p)
	d.requireTexts(t, "Savings against market orders, paired by market", "savings (bps, > 0: cheaper)", "ck_split", "limit_only")
	if _, ok := d.text("market_only"); ok {
		t.Error("market orders, the reference, have a column")
	}
	r := rectOf(Size(p))
	requireMarks(t, "ck_split's units", d, p, r, Palette[1], 0, plotter.XYs{{X: -0.25, Y: 1}, {X: -0.05, Y: 3}})
	requireMarks(t, "limit_only's unit", d, p, r, Palette[2], 0, plotter.XYs{{X: 0.75, Y: -2}})
	requireMarks(t, "the means", d, p, r, color.Black, 0, plotter.XYs{{X: 0.15, Y: 2}, {X: 1.15, Y: -2}})
	requireLine(t, "ck_split's interval", d, p, r, color.Black, nil, plotter.XYs{{X: 0.15, Y: 0.5}, {X: 0.15, Y: 3.5}})
	requireExactLine(t, "the zero line", d, p, r, color.Black, []vg.Length{vg.Points(4), vg.Points(3)}, plotter.XYs{{X: -0.6, Y: 0}, {X: 1.6, Y: 0}})
	res := placement()
	res.Over = "seeds"
	p, err = PlacementSavings(res)
	if err != nil {
		t.Fatal(err)
	}
	record(t, p).requireTexts(t, "Savings against market orders, paired by seed (one market)")
	res.Variants = res.Variants[:1]
	if _, err := PlacementSavings(res); err == nil {
		t.Error("a placement of market orders only was drawn")
	}
	if _, err := PlacementSavings(nil); err == nil {
		t.Error("a nil result was drawn")
	}
}

// TestPlacementMarkoutsDrawEachVariant checks the markouts on the
// hand-made placement, in cents: each variant's line through its means at
// horizon k + 0.08·(i − 1) (side by side), an interval in its colour where
// it has two units or more, a legend entry for each variant drawn; over
// maker fills, market orders have no line and no entry.
func TestPlacementMarkoutsDrawEachVariant(t *testing.T) {
	p, err := PlacementMarkouts(placement(), false)
	renderPNG(t, "placement_markouts", p, err)
	d := record(t, p)
	d.requireTexts(t, "Markouts: mid after each fill − price", "horizon", "cents per share", "1s", "10s")
	d.legend(t, "market_only", "ck_split", "limit_only")
	r := rectOf(Size(p))
	requireExactLine(t, "market_only", d, p, r, Palette[0], nil, plotter.XYs{{X: -0.08, Y: 1}, {X: 0.92, Y: 2}})
	requireExactLine(t, "limit_only", d, p, r, Palette[2], nil, plotter.XYs{{X: 0.08, Y: -2}, {X: 1.08, Y: -5}})
	// ck_split has one mean: a line of one point, seen as its dot.
	requireMarks(t, "ck_split", d, p, r, Palette[1], 1, plotter.XYs{{X: 0, Y: -1}})
	requireMarks(t, "limit_only", d, p, r, Palette[2], 1, plotter.XYs{{X: 0.08, Y: -2}, {X: 1.08, Y: -5}})
	for _, b := range []struct {
		name      string
		c         color.Color
		x, lo, hi float64
	}{{"market_only at 1s", Palette[0], -0.08, 0.5, 1.5}, {"ck_split at 1s", Palette[1], 0, -2, 0},
		{"limit_only at 1s", Palette[2], 0.08, -3, -1}, {"limit_only at 10s", Palette[2], 1.08, -7, -3}} {
		requireLine(t, b.name+"'s interval", d, p, r, b.c, nil, plotter.XYs{{X: b.x, Y: b.lo}, {X: b.x, Y: b.hi}})
	}
	if n := len(verticals(d, Palette[0])); n != 1 {
		t.Errorf("market_only has %d intervals, want 1 (none over one unit)", n)
	}

	p, err = PlacementMarkouts(placement(), true)
	renderPNG(t, "placement_markouts_maker", p, err)
	d = record(t, p)
	d.requireTexts(t, "Markouts: mid after each fill − price (maker fills)")
	d.legend(t, "ck_split", "limit_only")
	if _, ok := d.text("market_only"); ok {
		t.Error("market orders, without maker fills, are in the legend")
	}
	requireExactLine(t, "ck_split, maker fills", d, p, r, Palette[1], nil, plotter.XYs{{X: 0, Y: -3}, {X: 1, Y: -4}})
	requireLine(t, "ck_split's interval at 1s", d, p, r, Palette[1], nil, plotter.XYs{{X: 0, Y: -5}, {X: 0, Y: -1}})
	if n := len(verticals(d, Palette[1])); n != 1 {
		t.Errorf("ck_split has %d intervals over maker fills, want 1", n)
	}
	if n := len(d.series(Palette[0], nil, 1)); n != 0 {
		t.Errorf("market orders have %d strokes over maker fills, want none", n)
	}
	if _, err := PlacementMarkouts(nil, false); err == nil {
		t.Error("a nil result was drawn")
	}
	res := placement()
	res.Markouts = nil
	if _, err := PlacementMarkouts(res, false); err == nil {
		t.Error("a result without markout horizons was drawn")
	}
}

// verticals are the vertical strokes in colour c: error bars (of zero
// length too: an interval of one unit is its mean).
func verticals(d drawing, c color.Color) []stroke {
	var out []stroke
	for _, s := range d.series(c, nil, 2) {
		if len(s.pts) == 2 && s.pts[0].X == s.pts[1].X {
			out = append(out, s)
		}
	}
	return out
}
