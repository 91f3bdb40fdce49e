package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"github.com/sorlab/sorlab/sor/ck"
	"github.com/sorlab/sorlab/sor/replay"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Intervals shows, for each strategy of an evaluation (replay.Evaluate),
// the cost per share of every run (one dot per seed, spread sideways so that
// equal values stay visible) and the mean with its 95% interval (black bar).
// Strategies are on the x axis in the order of stats.
func Intervals(stats []replay.Stats) (*plot.Plot, error) {
	if len(stats) == 0 {
		return nil, errors.New("chart: no strategies to show")
	}
	p := newPlot("Cost per share over seeds: runs and 95% interval of the mean", "", "cash / filled ($/share)")
	p.Y.Tick.Marker = priceTicks
	p.Add(plotter.NewGrid())
	names := make([]string, len(stats))
	for i, s := range stats {
		names[i] = s.Strategy
		var runs plotter.XYs
		n := 0
		for _, r := range s.Results {
			c := r.CostPerShare()
			if math.IsNaN(c) {
				continue
			}
			n++
			runs = append(runs, plotter.XY{X: float64(i) - 0.25, Y: c})
		}
		for j := range runs { // spread the dots over [i-0.25, i-0.05]
			if n > 1 {
				runs[j].X += 0.2 * float64(j) / float64(n-1)
			}
		}
		if len(runs) > 0 {
			sc, err := plotter.NewScatter(runs)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s.Strategy, err)
			}
			sc.GlyphStyle.Color = Palette[i%len(Palette)]
			sc.GlyphStyle.Shape = draw.CircleGlyph{}
			sc.GlyphStyle.Radius = vg.Points(2.5)
			p.Add(sc)
		}
		if math.IsNaN(s.CostPerShare) {
			continue
		}
		mean := plotter.XYs{{X: float64(i) + 0.15, Y: s.CostPerShare}}
		bars, err := plotter.NewYErrorBars(errPoints{mean, plotter.YErrors{{Low: s.CostPerShare - s.CostLow, High: s.CostHigh - s.CostPerShare}}})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Strategy, err)
		}
		bars.LineStyle.Width = vg.Points(1.5)
		bars.CapWidth = vg.Points(8)
		p.Add(bars)
		m, err := plotter.NewScatter(mean)
		if err != nil {
			return nil, err
		}
		m.GlyphStyle.Shape = draw.BoxGlyph{}
		m.GlyphStyle.Radius = vg.Points(3)
		p.Add(m)
	}
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(stats))-0.4
	padY(p, 0.08)
	return p, nil
}

// errPoints pairs points with their error bars for plotter.NewYErrorBars.
type errPoints struct {
	plotter.XYs
	plotter.YErrors
}

// padY widens the y range by frac of its height on both sides (a flat range
// gets a small fixed height), so that dots do not sit on the frame.
func padY(p *plot.Plot, frac float64) {
	lo, hi := p.Y.Min, p.Y.Max
	d := hi - lo
	if d <= 0 {
		d = math.Max(math.Abs(hi)*1e-5, 1e-6)
	}
	p.Y.Min, p.Y.Max = lo-frac*d, hi+frac*d
}

// GridCosts shows the router's grid search (replay.GridSearch): for each
// grid point in grid order the mean expected cost per share with its 95%
// interval, the best point in a second colour, and the refused points as
// crosses on the bottom edge labelled with the assumption they break
// (ck.AssumptionError's name, "A2" or "A3"; "x" for another error).
func GridCosts(points []replay.GridPoint, best int) (*plot.Plot, error) {
	if len(points) == 0 {
		return nil, errors.New("chart: no grid points")
	}
	p := newPlot("CK router: expected cost per share at each grid point", "lambda_under / lambda_over / theta ($/share)", "expected cost ($/share)")
	p.Y.Tick.Marker = priceTicks
	p.Add(plotter.NewGrid())
	var ok, top errPoints
	var refused plotter.XYs
	var why []string
	names := make([]string, len(points))
	for i, pt := range points {
		names[i] = fmt.Sprintf("%v/%v/%v", pt.Params.LambdaUnder, pt.Params.LambdaOver, pt.Params.ThetaQueue)
		if pt.Err != nil {
			refused = append(refused, plotter.XY{X: float64(i)})
			var ae *ck.AssumptionError
			if errors.As(pt.Err, &ae) {
				why = append(why, ae.Name)
			} else {
				why = append(why, "x")
			}
			continue
		}
		s := pt.Stats
		dst := &ok
		if i == best {
			dst = &top
		}
		dst.XYs = append(dst.XYs, plotter.XY{X: float64(i), Y: s.ExpectedCost})
		dst.YErrors = append(dst.YErrors, struct{ Low, High float64 }{s.ExpectedCost - s.ExpectedLow, s.ExpectedHigh - s.ExpectedCost})
	}
	for j, set := range []errPoints{ok, top} {
		if len(set.XYs) == 0 {
			continue
		}
		bars, err := plotter.NewYErrorBars(set)
		if err != nil {
			return nil, err
		}
		bars.LineStyle.Color = Palette[j]
		bars.LineStyle.Width = vg.Points(1.2)
		p.Add(bars)
		sc, err := plotter.NewScatter(set.XYs)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle.Color = Palette[j]
		sc.GlyphStyle.Shape = draw.CircleGlyph{}
		sc.GlyphStyle.Radius = vg.Points(3)
		p.Add(sc)
		if j == 0 {
			p.Legend.Add("mean and 95% interval", sc)
		} else {
			p.Legend.Add("best (lowest mean)", sc)
		}
	}
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = math.Pi / 2
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.X.Min, p.X.Max = -0.7, float64(len(points))-0.3
	if len(ok.XYs)+len(top.XYs) == 0 {
		p.Y.Min, p.Y.Max = 0, 1
	}
	padY(p, 0.25)
	if len(refused) > 0 {
		y := p.Y.Min + 0.06*(p.Y.Max-p.Y.Min)
		for i := range refused {
			refused[i].Y = y
		}
		sc, err := plotter.NewScatter(refused)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle.Color = color.RGBA{200, 30, 30, 255}
		sc.GlyphStyle.Shape = draw.CrossGlyph{}
		sc.GlyphStyle.Radius = vg.Points(4)
		p.Add(sc)
		p.Legend.Add("refused: breaks assumption A2 / A3", sc)
		lbl, err := plotter.NewLabels(plotter.XYLabels{XYs: shift(refused, 0.05*(p.Y.Max-p.Y.Min)), Labels: why})
		if err != nil {
			return nil, err
		}
		for i := range lbl.TextStyle {
			lbl.TextStyle[i].XAlign = draw.XCenter
			lbl.TextStyle[i].Color = sc.GlyphStyle.Color
			lbl.TextStyle[i].Font.Size = vg.Points(8)
		}
		p.Add(lbl)
	}
	p.Legend.Top = true
	return p, nil
}

func shift(xys plotter.XYs, dy float64) plotter.XYs {
	out := make(plotter.XYs, len(xys))
	for i, xy := range xys {
		out[i] = plotter.XY{X: xy.X, Y: xy.Y + dy}
	}
	return out
}
