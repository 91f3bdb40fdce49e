package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/sorlab/sorlab/sor/ck"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TraceRun is one traced solver run (ck.Trace) for Convergence and
// TraceLimit: where it started, its burn-in fraction and its checkpoints.
type TraceRun struct {
	Start  string  // a name for the starting point, e.g. "L = S"
	Burnin float64 // the run's Options.Burnin (0: the paper's plain average)
	Points []ck.TracePoint
}

func (r TraceRun) label() string {
	if r.Burnin == 0 {
		return "start " + r.Start + ", plain average"
	}
	return fmt.Sprintf("start %s, average of the last %.0f%%", r.Start, 100*(1-r.Burnin))
}

// style colours runs by starting point (first seen first) and draws plain
// averages dashed, burn-in averages solid.
func traceStyle(runs []TraceRun, i int, l *plotter.Line) {
	var starts []string
	for _, r := range runs[:i+1] {
		if !slices.Contains(starts, r.Start) {
			starts = append(starts, r.Start)
		}
	}
	l.Color = Palette[slices.Index(starts, runs[i].Start)%len(Palette)]
	l.Width = vg.Points(1.5)
	if runs[i].Burnin == 0 {
		l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	}
}

// Convergence plots, for one venue, the relative cost error of the solver's
// averaged iterate against the number of iterations n,
//
//	(V(Xbar_n) − V*) / |V*|,   V* = V(closed form),
//
// with V computed exactly (ck.ExpectedCost under F) and X* from
// ck.SingleVenue; both axes are logarithmic (errors below 1e-6 are drawn at
// 1e-6). A dotted line marks 2%.
func Convergence(p ck.Params, F ck.Discrete, runs ...TraceRun) (*plot.Plot, error) {
	if len(runs) == 0 {
		return nil, errors.New("chart: no runs")
	}
	star, _, err := ck.SingleVenue(p, F)
	if err != nil {
		return nil, err
	}
	vStar := ck.ExpectedCost(p, star, F)
	den := math.Abs(vStar)
	if den == 0 {
		den = 1
	}
	const floor = 1e-6
	pl := newPlot("Solver convergence: relative cost error of the averaged iterate", "iterations n", "(V(average) - V*) / |V*|")
	pl.X.Tick.Marker, pl.Y.Tick.Marker = powerTicks{}, powerTicks{} // both in log10 units
	pl.Add(plotter.NewGrid())
	maxN, maxE := 1, 0.0
	for i, r := range runs {
		xys := make(plotter.XYs, len(r.Points))
		for j, tp := range r.Points {
			e := (ck.ExpectedCost(p, tp.Average, F) - vStar) / den
			xys[j] = plotter.XY{X: lg(float64(tp.N)), Y: lg(math.Max(e, floor))}
			maxN, maxE = max(maxN, tp.N), max(maxE, e)
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, err
		}
		traceStyle(runs, i, l)
		pl.Add(l)
		pl.Legend.Add(r.label(), l)
	}
	two, err := plotter.NewLine(plotter.XYs{{X: 0, Y: lg(0.02)}, {X: lg(float64(maxN)), Y: lg(0.02)}})
	if err != nil {
		return nil, err
	}
	two.Color, two.Dashes = color.Gray{Y: 90}, []vg.Length{vg.Points(1), vg.Points(2)}
	pl.Add(two)
	pl.Legend.Add("2%", two)
	legendInside(pl, false, true)
	pl.Y.Min, pl.Y.Max = lg(floor), lg(math.Max(2*maxE, 0.1))
	return pl, nil
}

// TraceLimit plots the limit order L of the averaged iterate (venue 0)
// against the number of iterations for each run, with the closed form's L*
// as a thick grey line.
func TraceLimit(lStar float64, runs ...TraceRun) (*plot.Plot, error) {
	if len(runs) == 0 {
		return nil, errors.New("chart: no runs")
	}
	pl := newPlot("Limit order L of the averaged iterate", "iterations n", "L (shares)")
	pl.X.Tick.Marker = powerTicks{} // log10 units
	pl.Add(plotter.NewGrid())
	maxN := 1
	for _, r := range runs {
		for _, tp := range r.Points {
			maxN = max(maxN, tp.N)
		}
	}
	ref, err := plotter.NewLine(plotter.XYs{{X: 0, Y: lStar}, {X: lg(float64(maxN)), Y: lStar}})
	if err != nil {
		return nil, err
	}
	ref.Color, ref.Width = color.Gray{Y: 160}, vg.Points(5)
	pl.Add(ref)
	pl.Legend.Add(fmt.Sprintf("closed form L* = %.0f", lStar), ref)
	for i, r := range runs {
		xys := make(plotter.XYs, len(r.Points))
		for j, tp := range r.Points {
			if len(tp.Average.Limit) == 0 {
				return nil, errors.New("chart: a trace point has no limit order")
			}
			xys[j] = plotter.XY{X: lg(float64(tp.N)), Y: tp.Average.Limit[0]}
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, err
		}
		traceStyle(runs, i, l)
		pl.Add(l)
		pl.Legend.Add(r.label(), l)
	}
	legendInside(pl, true, false)
	pl.Y.Min = 0
	pl.Y.Max *= 1.45 // room for the legend
	return pl, nil
}

// Regimes plots the closed-form optimal limit order L* of one venue
// (ck.SingleVenue) against lambda_u on a logarithmic axis, for the given
// lambda_u values (> 0, ascending), with the two thresholds of Proposition 3
// (ck.SingleVenueThresholds) as vertical lines, the three regimes named, and
// p's own lambda_u marked on the curve.
// Values of lambda_u at or below h + f break assumption A2: that band is
// shaded, and computing it needs p.AllowAssumptionViolations (otherwise
// those points are left out).
func Regimes(p ck.Params, F ck.Distribution, lambdas []float64) (*plot.Plot, error) {
	if len(lambdas) == 0 {
		return nil, errors.New("chart: no lambda_u values")
	}
	pl := newPlot("One venue: optimal limit order L* against lambda_u (Proposition 3)", "lambda_u, penalty per share missing ($/share, log scale)", "L* (shares)")
	pl.X.Tick.Marker = powerTicks{} // log10 units
	pl.Add(plotter.NewGrid())
	var xys plotter.XYs
	for _, lu := range lambdas {
		q := p
		q.LambdaUnder = lu
		x, _, err := ck.SingleVenue(q, F)
		if errors.Is(err, ck.ErrAssumption) {
			continue
		}
		if err != nil {
			return nil, err
		}
		xys = append(xys, plotter.XY{X: lg(lu), Y: x.Limit[0]})
	}
	if len(xys) == 0 {
		return nil, errors.New("chart: every lambda_u breaks an assumption")
	}
	lo, hi := lambdas[0], lambdas[len(lambdas)-1]
	top := p.Size * 1.15
	a2 := p.HalfSpread + p.Fee
	// Drawn: the band, the curve, the thresholds' lines; the legend keeps
	// off them all (and off the labels and the marker).
	var areas, lines []plotter.XYer
	if a2 > lo {
		poly := plotter.XYs{{X: lg(lo), Y: 0}, {X: lg(math.Min(a2, hi)), Y: 0}, {X: lg(math.Min(a2, hi)), Y: top}, {X: lg(lo), Y: top}}
		band, err := plotter.NewPolygon(poly)
		if err != nil {
			return nil, err
		}
		band.Color, band.LineStyle.Width = color.Gray{Y: 225}, 0
		pl.Add(band)
		pl.Legend.Add(fmt.Sprintf("lambda_u <= h + f = %.3f: breaks A2", a2), band)
		areas = append(areas, poly)
	}
	line, err := plotter.NewLine(xys)
	if err != nil {
		return nil, err
	}
	lines = append(lines, xys)
	line.Color, line.Width = Palette[0], vg.Points(2)
	pl.Add(line)
	pl.Legend.Add("L* (closed form)", line)
	if lu := p.LambdaUnder; lu >= lo && lu <= hi {
		if x, _, err := ck.SingleVenue(p, F); err == nil {
			at, err := plotter.NewScatter(plotter.XYs{{X: lg(lu), Y: x.Limit[0]}})
			if err != nil {
				return nil, err
			}
			at.GlyphStyle.Shape, at.GlyphStyle.Radius, at.GlyphStyle.Color = draw.CircleGlyph{}, vg.Points(5), Palette[1]
			pl.Add(at)
			pl.Legend.Add(fmt.Sprintf("lambda_u = %.4g: L* = %.0f", lu, x.Limit[0]), at)
		}
	}
	q := p
	q.LambdaUnder = math.Sqrt(lo * hi) // p* is not used below, only the thresholds
	_, lLimit, lMarket := ck.SingleVenueThresholds(q, F)
	var names []string
	var at plotter.XYs
	left := lo
	for _, th := range []struct {
		v     float64
		name  string
		label string
		y     float64 // the label's height, as a fraction of S: apart, so that they never overlap
	}{{lLimit, "limit only", "lambda_limit", 0.6}, {lMarket, "market + limit", "lambda_market", 0.4}} {
		mid := (lg(left) + lg(math.Min(math.Max(th.v, lo), hi))) / 2
		if th.v > lo && th.v < hi*10 {
			names, at = append(names, th.name), append(at, plotter.XY{X: mid, Y: p.Size * 1.07})
		}
		if th.v > lo && th.v < hi {
			vl := plotter.XYs{{X: lg(th.v), Y: 0}, {X: lg(th.v), Y: top}}
			v, err := plotter.NewLine(vl)
			if err != nil {
				return nil, err
			}
			lines = append(lines, vl)
			v.Color, v.Dashes = color.Black, []vg.Length{vg.Points(4), vg.Points(3)}
			pl.Add(v)
			names, at = append(names, fmt.Sprintf(" %s = %.4g ", th.label, th.v)), append(at, plotter.XY{X: lg(th.v), Y: p.Size * th.y})
			left = th.v
		}
	}
	if lMarket < hi {
		// Right-aligned at the axis' end: centred in its narrow band it would
		// stick out, and gonum would shrink the whole plot to fit it.
		names, at = append(names, "market only "), append(at, plotter.XY{X: lg(hi), Y: p.Size * 1.07})
	}
	if len(names) > 0 {
		lbl, err := addLabels(pl, plotter.XYLabels{XYs: at, Labels: names}, draw.XCenter, draw.YBottom, vg.Points(10), 0)
		if err != nil {
			return nil, err
		}
		for i := range lbl.TextStyle {
			switch {
			case strings.HasPrefix(names[i], " lambda_limit"):
				lbl.TextStyle[i].XAlign = draw.XLeft // right of its line
			case strings.HasPrefix(names[i], " lambda_market"), names[i] == "market only ":
				lbl.TextStyle[i].XAlign = draw.XRight
			}
		}
	}
	pl.X.Min, pl.X.Max = lg(lo), lg(hi)
	pl.Y.Min, pl.Y.Max = 0, top
	// Where nothing is drawn, as near the top right as that allows: with
	// the example's values, in the "market + limit" band under its name.
	leg := legendInside(pl, true, false)
	leg.Avoid(lines...)
	for _, a := range areas {
		leg.AvoidArea(a)
	}
	return pl, nil
}

// Overbooking shows the solver's allocations against the target size S in
// two panels: what is posted (the market order M and each limit order L_k),
// and the over-booking M + sum_k L_k − S, each point labelled with its
// value. Where the over-booking is above zero the allocation posts more than
// it needs, counting on some limit orders not filling. (Drawn as totals
// against S, a gap of a few shares on a scale of a thousand would be a
// hairline.)
func Overbooking(sizes []float64, xs []ck.Allocation) (Figure, error) {
	if len(sizes) == 0 || len(sizes) != len(xs) {
		return nil, errors.New("chart: need one allocation per size")
	}
	posted := newPlot("What the solver posts", "target S (shares)", "shares")
	posted.Add(plotter.NewGrid())
	over := newPlot("Over-booking: M + sum L_k - S", "target S (shares)", "shares posted beyond S")
	over.Add(plotter.NewGrid())
	market, extra := make(plotter.XYs, len(sizes)), make(plotter.XYs, len(sizes))
	limits := make([]plotter.XYs, len(xs[0].Limit))
	var labels plotter.XYLabels
	for i, s := range sizes {
		if len(xs[i].Limit) != len(limits) {
			return nil, errors.New("chart: allocations have different numbers of venues")
		}
		market[i] = plotter.XY{X: s, Y: xs[i].Market}
		for k, l := range xs[i].Limit {
			limits[k] = append(limits[k], plotter.XY{X: s, Y: l})
		}
		extra[i] = plotter.XY{X: s, Y: xs[i].Total() - s}
		labels.XYs = append(labels.XYs, extra[i])
		labels.Labels = append(labels.Labels, fmt.Sprintf("%.1f", extra[i].Y))
	}
	add := func(pl *plot.Plot, xys plotter.XYs, name string, c color.Color, w vg.Length) error {
		l, pts, err := plotter.NewLinePoints(xys)
		if err != nil {
			return err
		}
		l.Color, l.Width, pts.Color = c, w, c
		pl.Add(l, pts)
		pl.Legend.Add(name, l, pts)
		return nil
	}
	if err := add(posted, market, "M (market order)", Palette[1], vg.Points(1.5)); err != nil {
		return nil, err
	}
	for k, l := range limits {
		if err := add(posted, l, fmt.Sprintf("L_%d (limit, venue %d)", k+1, k+1), Palette[(2+k)%len(Palette)], vg.Points(1.5)); err != nil {
			return nil, err
		}
	}
	legendInside(posted, true, true)
	posted.Y.Min = 0
	if err := add(over, extra, "M + sum L_k - S", Palette[0], vg.Points(2)); err != nil {
		return nil, err
	}
	over.Legend = plot.NewLegend() // the title says what the one line is
	if _, err := addLabels(over, labels, draw.XCenter, draw.YBottom, vg.Points(8), vg.Points(4)); err != nil {
		return nil, err
	}
	zero, err := plotter.NewLine(plotter.XYs{{X: sizes[0], Y: 0}, {X: sizes[len(sizes)-1], Y: 0}})
	if err != nil {
		return nil, err
	}
	zero.Color, zero.Dashes = color.Black, []vg.Length{vg.Points(4), vg.Points(3)}
	over.Add(zero)
	over.Y.Min = math.Min(over.Y.Min, 0)
	over.Y.Max *= 1.15 // room for the labels
	return Panels{{posted, 0, 0, 0.5, 1}, {over, 0.5, 0, 1, 1}}, nil
}

// Split draws one venue's optimal allocation for p (ck.SingleVenue) as two
// bars out of the order's S shares, the market order M and the limit order
// L, labelled with their sizes, beside Regimes for the lambdas with p's
// lambda_u marked: the figure 05-cont-kukanov redraws from its sliders.
func Split(p ck.Params, F ck.Distribution, lambdas []float64) (Figure, error) {
	x, regime, err := ck.SingleVenue(p, F)
	if err != nil {
		return nil, err
	}
	if len(x.Limit) != 1 {
		return nil, errors.New("chart: Split needs one venue")
	}
	bars := newPlot(fmt.Sprintf("S = %.0f: %s", p.Size, regime), "order", "shares")
	bars.Title.TextStyle.Font.Size = vg.Points(11)
	bars.Add(plotter.NewGrid())
	var labels plotter.XYLabels
	for i, v := range []float64{x.Market, x.Limit[0]} {
		b, err := plotter.NewBarChart(plotter.Values{v}, vg.Points(30))
		if err != nil {
			return nil, err
		}
		b.XMin, b.Color, b.LineStyle.Width = float64(i), Palette[1-i], 0
		bars.Add(b)
		labels.XYs = append(labels.XYs, plotter.XY{X: float64(i), Y: v})
		labels.Labels = append(labels.Labels, fmt.Sprintf("%.0f", v))
	}
	if _, err := addLabels(bars, labels, draw.XCenter, draw.YBottom, 0, vg.Points(3)); err != nil {
		return nil, err
	}
	bars.NominalX("M (market)", "L (limit)")
	bars.X.Min, bars.X.Max = -0.6, 1.6
	bars.Y.Min, bars.Y.Max = 0, p.Size*1.12
	reg, err := Regimes(p, F, lambdas)
	if err != nil {
		return nil, err
	}
	reg.Title.TextStyle.Font.Size = vg.Points(11)
	return Panels{{bars, 0, 0, 0.28, 1}, {reg, 0.28, 0, 1, 1}}, nil
}

// Logarithmic axes are drawn as linear axes of log10 values (lg) with
// powerTicks: gonum/plot v0.17's LogScale places the axis label's glyph box
// at the log of the arithmetic middle of the range, near the far end, and
// shrinks the plot by up to a fifth to make room for it.
func lg(v float64) float64 { return math.Log10(v) }

// powerTicks labels an axis of log10 values at the powers of ten, written
// plainly ("0.001", "1e-06" below that), with unlabelled minor ticks at 2 to
// 9 times each.
type powerTicks struct{}

func (powerTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	const eps = 1e-9
	for e := math.Floor(min); e <= math.Ceil(max); e++ {
		for m := 1; m <= 9; m++ {
			v := e + math.Log10(float64(m))
			if v < min-eps || v > max+eps {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 {
				t.Label = strconv.FormatFloat(math.Pow(10, e), 'g', -1, 64)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}
