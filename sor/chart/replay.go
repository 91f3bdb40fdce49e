package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"github.com/sorlab/sorlab/sor/replay"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
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
	p := newPlot("Cost per share over seeds", "dots: one run per seed; bar: 95% interval of the mean", "cash / filled ($/share)")
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
		if err := addInterval(p, float64(i)+0.15, replay.Estimate{Mean: s.CostPerShare, Low: s.CostLow, High: s.CostHigh}); err != nil {
			return nil, fmt.Errorf("%s: %w", s.Strategy, err)
		}
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

// Markets shows a market comparison (replay.CompareMarkets): for each
// strategy but the reference, the mean difference from the reference in
// basis points of expected cost over the markets (negative: cheaper) with
// its 95% interval, labelled with how many markets it was cheaper in. A
// dashed line marks the reference at 0; a label that would run across it
// moves to the side of 0 its mean is on (offLineLabels).
func Markets(stats []replay.MarketStats) (*plot.Plot, error) {
	var rows []replay.MarketStats
	for _, m := range stats {
		if m.Strategy != m.Reference {
			rows = append(rows, m)
		}
	}
	if len(rows) == 0 {
		return nil, errors.New("chart: no strategy to compare with the reference")
	}
	ref := rows[0].Reference
	p := newPlot(fmt.Sprintf("Against %s over %d markets", ref, rows[0].Markets),
		fmt.Sprintf("mean and 95%% interval, bps vs %s (< 0: cheaper)", ref), "strategy")
	p.Add(plotter.NewGrid())
	n := len(rows)
	names := make([]string, n)
	lo, hi := 0.0, 0.0
	var labels plotter.XYLabels
	for i, m := range rows {
		y := float64(n - 1 - i)
		names[n-1-i] = m.Strategy
		pt := plotter.XYs{{X: m.VsReferenceBps, Y: y}}
		bars, err := plotter.NewXErrorBars(xErrPoints{pt, plotter.XErrors{{Low: m.VsReferenceBps - m.Low, High: m.High - m.VsReferenceBps}}})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.Strategy, err)
		}
		bars.LineStyle.Width = vg.Points(1.5)
		bars.LineStyle.Color = Palette[i%len(Palette)]
		p.Add(bars)
		sc, err := plotter.NewScatter(pt)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle.Color = Palette[i%len(Palette)]
		sc.GlyphStyle.Shape = draw.CircleGlyph{}
		sc.GlyphStyle.Radius = vg.Points(4)
		p.Add(sc)
		lo, hi = min(lo, m.Low), max(hi, m.High)
		labels.XYs = append(labels.XYs, plotter.XY{X: m.VsReferenceBps, Y: y + 0.22})
		labels.Labels = append(labels.Labels, fmt.Sprintf("%+.2f bps\ncheaper in %d of %d", m.VsReferenceBps, m.Beats, m.Markets))
	}
	zero, err := plotter.NewLine(plotter.XYs{{X: 0, Y: -0.6}, {X: 0, Y: float64(n) - 0.4}})
	if err != nil {
		return nil, err
	}
	zero.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(zero)
	lbl, err := plotter.NewLabels(labels)
	if err != nil {
		return nil, err
	}
	sty := lbl.TextStyle[0]
	sty.Font.Size = vg.Points(9)
	p.Add(&offLineLabels{XYLabels: labels, Style: sty})
	p.NominalY(names...)
	span := max(hi-lo, 1)
	p.X.Min, p.X.Max = lo-0.15*span, hi+0.15*span
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	return p, nil
}

// offLineLabels draws each label above its point, centred on it, unless it
// would run across the vertical line at X = 0: then it ends (or starts)
// offLineGap short of the line, on the side of 0 its point is on if it fits
// there, else on the other side. A dashed line through a label strikes it
// out (issue 11: the "cheaper in N of M" labels); a label that fits on
// neither side gets a white box that interrupts the line.
type offLineLabels struct {
	plotter.XYLabels
	Style text.Style
}

// offLineGap is the room kept between a label and the line at 0.
const offLineGap = vg.Length(4)

// Plot implements plot.Plotter.
func (l *offLineLabels) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	zero := tx(0)
	sty := l.Style
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YBottom
	for i, s := range l.Labels {
		x0, w := l.Place(c, p, i), sty.Width(s)
		at := vg.Point{X: x0, Y: ty(l.XYs[i].Y)}
		box := sty.Rectangle(s).Add(at)
		if box.Min.X < zero+offLineGap && zero-offLineGap < box.Min.X+w {
			c.SetColor(color.White)
			c.Fill(grow(box, 1).Path())
		}
		c.FillText(sty, at, s)
	}
}

// Place is where label i starts (its left edge) on the data canvas c of p.
func (l *offLineLabels) Place(c draw.Canvas, p *plot.Plot, i int) vg.Length {
	tx, _ := p.Transforms(&c)
	zero, w := tx(0), l.Style.Width(l.Labels[i])
	inside := func(x0 vg.Length) vg.Length { return max(c.Min.X, min(x0, c.Max.X-w)) }
	x0 := inside(tx(l.XYs[i].X) - w/2)
	if x0 >= zero+offLineGap || x0+w <= zero-offLineGap {
		return x0
	}
	right, left := zero+offLineGap, zero-offLineGap-w
	rightFits, leftFits := right+w <= c.Max.X, left >= c.Min.X
	switch {
	case l.XYs[i].X >= 0 && rightFits, !leftFits && rightFits:
		return right
	case leftFits:
		return left
	}
	return x0
}

// xErrPoints pairs points with their error bars for plotter.NewXErrorBars.
type xErrPoints struct {
	plotter.XYs
	plotter.XErrors
}

// ReplayRun is what a replay run produced, for ReplayResults: every
// strategy's statistics over the seeds (replay.Evaluate), and when they were
// run, the CK router's grid search (replay.GridSearch: points and the best
// index) and the comparison over simulated markets (replay.CompareMarkets).
type ReplayRun struct {
	Stats   []replay.Stats
	Grid    []replay.GridPoint
	Best    int
	Markets []replay.MarketStats
}

// ReplayResults is results.png for a replay run: each strategy's cost per
// share over the seeds (Intervals), beside the comparison over markets
// (Markets) when there is one, above the grid of expected costs (GridCosts)
// when the CK router searched one. With a grid the figure is taller than
// Width × Height (Size says how tall).
func ReplayResults(r ReplayRun) (Figure, error) {
	costs, err := Intervals(r.Stats)
	if err != nil {
		return nil, err
	}
	var top Figure = costs
	if len(r.Markets) > 0 {
		m, err := Markets(r.Markets)
		if err != nil {
			return nil, err
		}
		top = Panels{{costs, 0, 0, 0.55, 1}, {m, 0.55, 0, 1, 1}}
	}
	if len(r.Grid) == 0 {
		return top, nil
	}
	grid, err := GridCosts(r.Grid, r.Best)
	if err != nil {
		return nil, err
	}
	return sized{Panels{{top, 0, 0.5, 1, 1}, {grid, 0, 0, 1, 0.5}}, Width, 2 * Height}, nil
}
