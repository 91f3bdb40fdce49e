package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"time"

	"github.com/sorlab/sorlab/sor/queuescore"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// queueModels returns the indices in res.Models of the named models, all of
// them when names is empty.
func queueModels(res *queuescore.Result, names []string) ([]int, error) {
	if res == nil || len(res.Models) == 0 || res.Orders == 0 {
		return nil, errors.New("chart: no queue scores to show")
	}
	if len(names) == 0 {
		idx := make([]int, len(res.Models))
		for i := range idx {
			idx[i] = i
		}
		return idx, nil
	}
	var idx []int
	for _, n := range names {
		i := -1
		for j, m := range res.Models {
			if m.Name == n {
				i = j
			}
		}
		if i < 0 {
			return nil, fmt.Errorf("chart: no queue model %q in the scores", n)
		}
		idx = append(idx, i)
	}
	return idx, nil
}

// diagColor is the calibration chart's diagonal: dark, to show over the
// models' colours.
var diagColor = color.Gray{Y: 60}

// QueueCalibration shows how well the queue models' fill probabilities are
// calibrated against the exact FIFO queue (queuescore.Score): one panel per
// horizon T, and in each, for every model (those named, or all), a point
// per calibration bin at (mean predicted probability of filling within T,
// observed frequency), joined by a line. A calibrated model lies on the
// dashed diagonal; below it, the model is too optimistic. A deterministic
// model has two points, at 0 and 1.
func QueueCalibration(res *queuescore.Result, models ...string) (Figure, error) {
	idx, err := queueModels(res, models)
	if err != nil {
		return nil, err
	}
	n := len(res.Horizons)
	var panels Panels
	for h, T := range res.Horizons {
		p := newPlot("Filled within "+T.String(), "predicted probability", "observed frequency")
		p.Add(plotter.NewGrid())
		var lines []plotter.XYer
		for k, j := range idx {
			m := &res.Models[j].Horizons[h]
			var pts plotter.XYs
			for b := range m.Bins {
				if m.Bins[b].Orders > 0 {
					pts = append(pts, plotter.XY{X: m.Predicted(b), Y: m.Observed(b)})
				}
			}
			l, s, err := plotter.NewLinePoints(pts)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", res.Models[j].Name, err)
			}
			lineStyle(l, k)
			s.GlyphStyle.Color, s.GlyphStyle.Shape, s.GlyphStyle.Radius = l.Color, draw.CircleGlyph{}, vg.Points(2.5)
			p.Add(l, s)
			lines = append(lines, pts)
			if h == 0 {
				p.Legend.Add(res.Models[j].Name, l, s)
			}
		}
		// The diagonal on top: a deterministic model's two points, (0, 0)
		// and (1, 1), would hide it.
		diagXY := plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}}
		diag, err := plotter.NewLine(diagXY)
		if err != nil {
			return nil, err
		}
		diag.LineStyle.Color, diag.LineStyle.Dashes = diagColor, []vg.Length{vg.Points(4), vg.Points(3)}
		diag.LineStyle.Width = vg.Points(1.5) // its dashes cover the lines under it
		p.Add(diag)
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = -0.03, 1.03, -0.03, 1.03
		if h == 0 {
			// Where no model is drawn, the bottom right if it is free (the
			// models tend to lie above the diagonal).
			legendInside(p, false, false).Avoid(append(lines, diagXY)...)
		}
		panels = append(panels, Panel{Fig: p, X0: float64(h) / float64(n), X1: float64(h+1) / float64(n), Y0: 0, Y1: 1})
	}
	return sized{panels, vg.Length(n) * 4 * vg.Inch, Height}, nil
}

// QueueTimeToFill shows the distribution of the time to fill of the
// hypothetical orders over the longest horizon, on a log time axis from
// 10 ms. Above, the fraction filled within t for the exact FIFO queue
// (black) and for the models (those named, or all); the curves end below 1,
// at the fraction filled within the horizon. Below, each model's fraction
// minus the truth's: under zero the model fills later than the queue
// does; the largest distance from zero is its Kolmogorov-Smirnov distance
// (in the legend).
func QueueTimeToFill(res *queuescore.Result, models ...string) (Figure, error) {
	idx, err := queueModels(res, models)
	if err != nil {
		return nil, err
	}
	const from, steps = 0.01, 600 // seconds; points of each curve
	H := res.Horizons[len(res.Horizons)-1].Seconds()
	if H <= from {
		return nil, fmt.Errorf("chart: a horizon of %v is too short to draw from 10 ms", res.Horizons[len(res.Horizons)-1])
	}
	at := make([]float64, steps+1)
	for i := range at {
		at[i] = from * math.Pow(H/from, float64(i)/steps)
	}
	curve := func(o *queuescore.Outcome, minus *queuescore.Outcome) plotter.XYs {
		pts := make(plotter.XYs, len(at))
		for i, t := range at {
			d := time.Duration(t * 1e9)
			pts[i] = plotter.XY{X: t, Y: o.Within(d)}
			if minus != nil {
				pts[i].Y -= minus.Within(d)
			}
		}
		return pts
	}
	logX := func(p *plot.Plot) {
		p.Add(plotter.NewGrid())
		p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, plot.LogTicks{Prec: -1}
		p.X.Min, p.X.Max = from, H
	}
	top := newPlot("Time to fill: the exact queue and the models", "", "fraction filled")
	diff := newPlot("", "seconds after joining (log scale)", "model − exact queue")
	logX(top)
	logX(diff)
	for k, j := range idx {
		m := &res.Models[j]
		l, err := plotter.NewLine(curve(m, nil))
		if err != nil {
			return nil, err
		}
		d, err := plotter.NewLine(curve(m, &res.Truth))
		if err != nil {
			return nil, err
		}
		lineStyle(l, k)
		lineStyle(d, k)
		top.Add(l)
		diff.Add(d)
		top.Legend.Add(fmt.Sprintf("%s (KS %.4f)", m.Name, m.KS()), l)
	}
	truth, err := plotter.NewLine(curve(&res.Truth, nil))
	if err != nil {
		return nil, err
	}
	truth.LineStyle.Color, truth.LineStyle.Width = color.Black, vg.Points(2)
	top.Add(truth)
	top.Legend.Add("exact FIFO queue", truth)
	top.Legend.Top, top.Legend.Left = true, true
	top.Y.Min, top.Y.Max = 0, math.Max(top.Y.Max*1.3, 0.05) // room for the legend
	zero, err := plotter.NewLine(plotter.XYs{{X: from, Y: 0}, {X: H, Y: 0}})
	if err != nil {
		return nil, err
	}
	zero.LineStyle.Color, zero.LineStyle.Width = color.Black, vg.Points(1)
	diff.Add(zero)
	padY(diff, 0.1)
	return sized{column{top, diff}, Width, 7 * vg.Inch}, nil
}

// column is plots stacked in rows of equal height with their axes aligned
// (plot.Align), so that a time axis means the same place in every row.
type column []*plot.Plot

func (c column) Draw(dc draw.Canvas) {
	rows := make([][]*plot.Plot, len(c))
	for i, p := range c {
		rows[i] = []*plot.Plot{p}
	}
	for i, cs := range plot.Align(rows, draw.Tiles{Rows: len(c), Cols: 1, PadY: vg.Points(4)}, dc) {
		c[i].Draw(cs[0])
	}
}
