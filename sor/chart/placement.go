package chart

import (
	"errors"
	"fmt"
	"math"

	"github.com/sorlab/sorlab/sor/replay"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PlacementSavings shows the placement experiment (replay.Placement): for
// the Cont-Kukanov split and for limit orders only, the savings against
// market orders of every unit (a dot per market, or per seed with one
// market, spread sideways) and their mean with its 95% interval (black
// bar), with the zero line: above it, the way beat market orders.
func PlacementSavings(res *replay.PlacementResult) (*plot.Plot, error) {
	if res == nil || len(res.Variants) < 2 {
		return nil, errors.New("chart: no placement variants to show")
	}
	p := newPlot("Savings against market orders, paired by "+unitName(res), "", "savings (bps, > 0: cheaper)")
	p.Add(plotter.NewGrid())
	var names []string
	for i, v := range res.Variants[1:] {
		names = append(names, v.Variant.String())
		var dots plotter.XYs
		for j, x := range v.Units {
			if math.IsNaN(x) {
				continue
			}
			dx := 0.0
			if len(v.Units) > 1 {
				dx = 0.2 * float64(j) / float64(len(v.Units)-1)
			}
			dots = append(dots, plotter.XY{X: float64(i) - 0.25 + dx, Y: x})
		}
		color := Palette[(i+1)%len(Palette)]
		if len(dots) > 0 {
			sc, err := plotter.NewScatter(dots)
			if err != nil {
				return nil, fmt.Errorf("%v: %w", v.Variant, err)
			}
			sc.GlyphStyle.Color, sc.GlyphStyle.Shape, sc.GlyphStyle.Radius = color, draw.CircleGlyph{}, vg.Points(2.5)
			p.Add(sc)
		}
		if err := addInterval(p, float64(i)+0.15, v.Savings); err != nil {
			return nil, fmt.Errorf("%v: %w", v.Variant, err)
		}
	}
	zero, err := plotter.NewLine(plotter.XYs{{X: -0.6, Y: 0}, {X: float64(len(names)) - 0.4, Y: 0}})
	if err != nil {
		return nil, err
	}
	zero.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(zero)
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(names))-0.4
	padY(p, 0.08)
	return p, nil
}

// PlacementMarkouts shows the markouts of the placement experiment: for
// each variant, the mean markout per share (mid after the fill − price, in
// cents) at each horizon with its 95% interval, over all fills or, with
// maker set, over the maker fills only (market orders have none). Below
// zero, the price fell after we bought: adverse selection.
func PlacementMarkouts(res *replay.PlacementResult, maker bool) (*plot.Plot, error) {
	if res == nil || len(res.Variants) == 0 || len(res.Markouts) == 0 {
		return nil, errors.New("chart: no placement markouts to show")
	}
	title := "Markouts: mid after each fill − price"
	if maker {
		title += " (maker fills)"
	}
	p := newPlot(title, "horizon", "cents per share")
	p.Add(plotter.NewGrid())
	var names []string
	for _, h := range res.Markouts {
		names = append(names, h.String())
	}
	for i, v := range res.Variants {
		est := v.Markouts
		if maker {
			est = v.Maker
		}
		var line plotter.XYs
		off := 0.08 * float64(i-1) // side by side at each horizon
		for k, e := range est {
			if math.IsNaN(e.Mean) {
				continue
			}
			line = append(line, plotter.XY{X: float64(k) + off, Y: 100 * e.Mean})
			lo, hi := e.Low, e.High
			if !math.IsNaN(lo) && !math.IsNaN(hi) && e.N > 1 {
				bars, err := plotter.NewYErrorBars(errPoints{plotter.XYs{{X: float64(k) + off, Y: 100 * e.Mean}}, plotter.YErrors{{Low: 100 * (e.Mean - lo), High: 100 * (hi - e.Mean)}}})
				if err != nil {
					return nil, err
				}
				bars.LineStyle.Color = Palette[i%len(Palette)]
				p.Add(bars)
			}
		}
		if len(line) == 0 {
			continue
		}
		l, pts, err := plotter.NewLinePoints(line)
		if err != nil {
			return nil, fmt.Errorf("%v: %w", v.Variant, err)
		}
		l.LineStyle.Color, pts.GlyphStyle.Color, pts.GlyphStyle.Shape = Palette[i%len(Palette)], Palette[i%len(Palette)], draw.CircleGlyph{}
		p.Add(l, pts)
		p.Legend.Add(v.Variant.String(), l, pts)
	}
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.5, float64(len(names))-0.5
	p.Legend.Top = true
	padY(p, 0.15)
	return p, nil
}

// addInterval draws a mean with its 95% interval as a black bar with a
// square at x (nothing when the mean does not exist).
func addInterval(p *plot.Plot, x float64, e replay.Estimate) error {
	if math.IsNaN(e.Mean) {
		return nil
	}
	mean := plotter.XYs{{X: x, Y: e.Mean}}
	bars, err := plotter.NewYErrorBars(errPoints{mean, plotter.YErrors{{Low: e.Mean - e.Low, High: e.High - e.Mean}}})
	if err != nil {
		return err
	}
	bars.LineStyle.Width, bars.CapWidth = vg.Points(1.5), vg.Points(8)
	m, err := plotter.NewScatter(mean)
	if err != nil {
		return err
	}
	m.GlyphStyle.Shape, m.GlyphStyle.Radius = draw.BoxGlyph{}, vg.Points(3)
	p.Add(bars, m)
	return nil
}

func unitName(res *replay.PlacementResult) string {
	if res.Over == "seeds" {
		return "seed (one market)"
	}
	return "market"
}
