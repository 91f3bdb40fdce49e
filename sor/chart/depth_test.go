package chart

import (
	"image/color"
	"testing"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// TestDepthDrawsBothSizes checks the depth chart's lines on the hand-made
// market (no fees): all displayed sizes 500, 900, 700, 700 at 1-4 s (venue
// 8 joins with 400 at 2 s, venue 5's 200 leave at 3 s); at the best ask of
// $10.00, 300 (venue 2), then 700 (venues 2 and 8).
func TestDepthDrawsBothSizes(t *testing.T) {
	_, snaps := outcome(t)
	p, err := Depth(snaps, nil, 500)
	renderPNG(t, "depth", p, err)
	d := record(t, p)
	d.requireTexts(t, "Displayed ask size", "time (UTC)", "shares")
	names := []string{"all venues, all displayed prices", "at the consolidated best ask + fee", "order: 500 shares"}
	entries := d.legend(t, names...)
	w, h := Size(p)
	requireLegendInside(t, p, rectOf(w, h), entries)
	requireLine(t, "all venues", d, p, rectOf(w, h), Palette[0], nil, plotter.XYs{{X: 1, Y: 500}, {X: 2, Y: 900}, {X: 3, Y: 700}, {X: 4, Y: 700}})
	requireLine(t, "at the best", d, p, rectOf(w, h), Palette[1], nil, plotter.XYs{{X: 1, Y: 300}, {X: 2, Y: 700}, {X: 3, Y: 700}, {X: 4, Y: 700}})
	requireLine(t, "order", d, p, rectOf(w, h), color.Black, []vg.Length{vg.Points(6), vg.Points(3)}, plotter.XYs{{X: 1, Y: 500}, {X: 4, Y: 500}})
	if _, err := Depth(nil, nil, 500); err != nil {
		t.Errorf("no snapshots: %v", err)
	}
}

func TestPriceLabel(t *testing.T) {
	for v, want := range map[float64]string{220: "220.00", 220.5: "220.50", 220.013: "220.013", 220.0209: "220.0209", 219.99999: "220.00"} {
		if got := priceLabel(v); got != want {
			t.Errorf("priceLabel(%v) = %q, want %q", v, got, want)
		}
	}
}
