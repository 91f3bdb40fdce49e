package chart

import (
	"image/color"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// The sweep charts render; the histogram's legend gives the mean and its
// interval (1, 2, 3, 4, 5: mean 3, sd 1.58, t(4) = 2.776, half-width 1.96);
// the y range takes in zero even when every saving is positive; bad input is
// refused.
func TestSweepChartsRender(t *testing.T) {
	bps := [][]float64{{1, 2, 3, 4, 5}, {0.5, 0.7}, {-2}}
	p, err := SavingsByGroup("Savings by symbol", []string{"A", "B", "C"}, bps)
	renderPNG(t, "savings-by-group", p, err)
	p, err = SavingsByGroup("Positive", []string{"A"}, bps[:1])
	renderPNG(t, "savings-positive", p, err)
	if p.Y.Min > 0 {
		t.Errorf("y axis from %v: zero is not shown", p.Y.Min)
	}
	p, err = SavingsHistogram("Savings per day", bps[0], 5)
	renderPNG(t, "savings-histogram", p, err)
	texts := drawnTexts(p)
	for _, want := range []string{"mean 3.00 bps", "95% interval 1.04 to 4.96"} {
		if !slices.Contains(texts, want) {
			t.Errorf("no %q among the texts drawn: %q", want, texts)
		}
	}
	if _, err := SavingsByGroup("x", []string{"A"}, nil); err == nil {
		t.Error("groups without values: no error")
	}
	if _, err := SavingsHistogram("x", nil, 5); err == nil {
		t.Error("no values: no error")
	}
}

// TestSavingsByGroupDrawsEveryValue checks the dots and intervals on hand
// values: group A's 1..5 spread over [−0.3, −0.05] (steps of 0.25/4), mean 3
// ± t(4)·sd/√5 = 2.776·√(2.5/5); B's 0.5 and 0.7 at 1 − 0.3 and 1 − 0.05,
// mean 0.6 ± t(1)·0.1 = 12.706·0.1; C's one −2 at 2 − 0.3, its interval
// the point. Means at i + 0.15; the dashed zero line across the x range.
func TestSavingsByGroupDrawsEveryValue(t *testing.T) {
	p, err := SavingsByGroup("Savings by symbol", []string{"A", "B", "C"}, [][]float64{{1, 2, 3, 4, 5}, {0.5, 0.7}, {-2}})
	if err != nil {
		t.Fatal(err)
	}
	d := record(t, p)
	d.requireTexts(t, "Savings by symbol", "savings (bps)", "A", "B", "C")
	r := rectOf(Size(p))
	requireMarks(t, "A", d, p, r, Palette[0], 0, plotter.XYs{{X: -0.3, Y: 1}, {X: -0.2375, Y: 2}, {X: -0.175, Y: 3}, {X: -0.1125, Y: 4}, {X: -0.05, Y: 5}})
	requireMarks(t, "B", d, p, r, Palette[1], 0, plotter.XYs{{X: 0.7, Y: 0.5}, {X: 0.95, Y: 0.7}})
	requireMarks(t, "C", d, p, r, Palette[2], 0, plotter.XYs{{X: 1.7, Y: -2}})
	requireMarks(t, "the means", d, p, r, color.Black, 0, plotter.XYs{{X: 0.15, Y: 3}, {X: 1.15, Y: 0.6}, {X: 2.15, Y: -2}})
	hA, hB := 2.776*math.Sqrt(0.5), 12.706*0.1
	requireLine(t, "A's interval", d, p, r, color.Black, nil, plotter.XYs{{X: 0.15, Y: 3 - hA}, {X: 0.15, Y: 3 + hA}})
	requireLine(t, "B's interval", d, p, r, color.Black, nil, plotter.XYs{{X: 1.15, Y: 0.6 - hB}, {X: 1.15, Y: 0.6 + hB}})
	requireExactLine(t, "the zero line", d, p, r, color.Black, []vg.Length{vg.Points(4), vg.Points(3)}, plotter.XYs{{X: -0.6, Y: 0}, {X: 2.6, Y: 0}})
}

// TestSavingsHistogramDrawsTheBins checks the bars, the mean and its
// interval on 1, 1.5, 2 and 5 in two bins: [1, 3) holds three, [3, 5] one.
// Mean 2.375; the squared deviations add up to 9.6875, sd² = 9.6875/3, so
// the interval is 2.375 ± t(3)·√(9.6875/12) = 3.182·0.898495 = 2.85901:
// [−0.48401, 5.23401]. The mean's line is solid, the interval's dashed,
// from 0 to 1.15 × the highest bar.
func TestSavingsHistogramDrawsTheBins(t *testing.T) {
	p, err := SavingsHistogram("Savings per day", []float64{1, 1.5, 2, 5}, 2)
	if err != nil {
		t.Fatal(err)
	}
	d := record(t, p)
	d.requireTexts(t, "Savings per day", "savings (bps)", "count")
	entries := d.legend(t, "mean 2.38 bps", "95% interval -0.48 to 5.23")
	for _, e := range entries {
		if !sameColor(e.thumb.color, Palette[1]) {
			t.Errorf("legend %q in %v, want %v", e.text.s, e.thumb.color, Palette[1])
		}
	}
	r := rectOf(Size(p))
	tx, ty := transforms(p, r)
	requireBars(t, "the bins", d, p, r, color.NRGBA{0, 158, 115, 110},
		rect(tx(1), ty(0), tx(3), ty(3)), rect(tx(3), ty(0), tx(5), ty(1)))
	half := 3.182 * math.Sqrt(9.6875/12)
	dash := []vg.Length{vg.Points(4), vg.Points(3)}
	if n, m := len(notThumbnails(d.series(Palette[1], nil, 2))), len(notThumbnails(d.series(Palette[1], dash, 2))); n != 1 || m != 2 {
		t.Errorf("%d solid and %d dashed lines, want the mean's and the interval's 2", n, m)
	}
	requireLine(t, "the mean", d, p, r, Palette[1], nil, plotter.XYs{{X: 2.375, Y: 0}, {X: 2.375, Y: 3.45}})
	requireLine(t, "the interval's low end", d, p, r, Palette[1], dash, plotter.XYs{{X: 2.375 - half, Y: 0}, {X: 2.375 - half, Y: 3.45}})
	requireLine(t, "the interval's high end", d, p, r, Palette[1], dash, plotter.XYs{{X: 2.375 + half, Y: 0}, {X: 2.375 + half, Y: 3.45}})
	if p.Y.Min != 0 || math.Abs(p.Y.Max-4.2) > 1e-12 {
		t.Errorf("y axis [%v, %v], want [0, 4.2] (room for the legend)", p.Y.Min, p.Y.Max)
	}
}

// drawnTexts draws p on a recording canvas and returns the texts written.
func drawnTexts(p *plot.Plot) []string {
	c := &recorder.Canvas{}
	p.Draw(draw.NewCanvas(c, Width, Height))
	var texts []string
	for _, a := range c.Actions {
		if fs, ok := a.(*recorder.FillString); ok {
			texts = append(texts, fs.String)
		}
	}
	return texts
}
