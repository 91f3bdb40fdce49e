package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"github.com/sorlab/sorlab/sor/replay"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SavingsByGroup shows savings in basis points (of a sweep, say) by group
// (a symbol, say): one dot per value, spread sideways so that equal values
// stay visible, and each group's mean with its 95% interval
// (replay.Interval95) as a black bar, beside the zero line. Groups are on
// the x axis in the order given.
func SavingsByGroup(title string, groups []string, bps [][]float64) (*plot.Plot, error) {
	if len(groups) == 0 || len(groups) != len(bps) {
		return nil, fmt.Errorf("chart: %d groups, %d lists of savings", len(groups), len(bps))
	}
	p := newPlot(title, "", "savings (bps)")
	p.Add(plotter.NewGrid())
	for i, xs := range bps {
		if len(xs) == 0 {
			continue
		}
		dots := make(plotter.XYs, len(xs))
		for j, x := range xs {
			dots[j] = plotter.XY{X: float64(i) - 0.3 + 0.25*float64(j)/float64(max(len(xs)-1, 1)), Y: x}
		}
		sc, err := plotter.NewScatter(dots)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", groups[i], err)
		}
		sc.GlyphStyle.Color = Palette[i%len(Palette)]
		sc.GlyphStyle.Shape = draw.CircleGlyph{}
		sc.GlyphStyle.Radius = vg.Points(2.5)
		p.Add(sc)
		mean, lo, hi := replay.Interval95(xs)
		if err := addInterval(p, float64(i)+0.15, replay.Estimate{Mean: mean, Low: lo, High: hi}); err != nil {
			return nil, fmt.Errorf("%s: %w", groups[i], err)
		}
	}
	p.NominalX(groups...)
	p.X.Min, p.X.Max = -0.6, float64(len(groups))-0.4
	if err := zeroLine(p); err != nil {
		return nil, err
	}
	padY(p, 0.08)
	return p, nil
}

// SavingsHistogram shows how savings in basis points are distributed, with
// their mean (solid line) and its 95% interval (dashed lines,
// replay.Interval95).
func SavingsHistogram(title string, bps []float64, bins int) (*plot.Plot, error) {
	if len(bps) == 0 {
		return nil, errors.New("chart: no savings to show")
	}
	p := newPlot(title, "savings (bps)", "count")
	p.Add(plotter.NewGrid())
	h, err := plotter.NewHist(plotter.Values(bps), bins)
	if err != nil {
		return nil, err
	}
	h.FillColor = color.NRGBA{0, 158, 115, 110} // the palette's green, light
	h.LineStyle.Color = color.White
	p.Add(h)
	top := 0.0
	for _, b := range h.Bins {
		top = math.Max(top, b.Weight)
	}
	mean, lo, hi := replay.Interval95(bps)
	for i, x := range []float64{mean, lo, hi} {
		l, err := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: top * 1.15}})
		if err != nil {
			return nil, err
		}
		l.Width = vg.Points(2)
		l.Color = Palette[1]
		if i > 0 {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		p.Add(l)
		if i < 2 {
			label := fmt.Sprintf("mean %.2f bps", mean)
			if i == 1 {
				label = fmt.Sprintf("95%% interval %.2f to %.2f", lo, hi)
			}
			p.Legend.Add(label, l)
		}
	}
	p.Y.Min, p.Y.Max = 0, top*1.4 // room for the legend above the bars
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(8), -vg.Points(4)
	return p, nil
}

// zeroLine draws a dashed horizontal line at 0 across the x range.
func zeroLine(p *plot.Plot) error {
	l, err := plotter.NewLine(plotter.XYs{{X: p.X.Min, Y: 0}, {X: p.X.Max, Y: 0}})
	if err != nil {
		return err
	}
	l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(l)
	p.Y.Min, p.Y.Max = math.Min(p.Y.Min, 0), math.Max(p.Y.Max, 0)
	return nil
}
