package chart

import (
	"errors"
	"fmt"
	"slices"

	"github.com/sorlab/sorlab/sor"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Results is the chart of results.png, in three panels:
//
//   - the cumulative cash each strategy spent over the whole run (the
//     exercise's chart);
//   - the same over the first seconds, up to a quarter beyond the moment
//     every strategy but the slowest had finished (ZoomEnd): the router, Best
//     Ask and VWAP finish within a second or two of a four-minute run, so on
//     the whole run their lines are one vertical stroke at t = 0;
//   - each strategy's average price against Best Ask's, in basis points
//     (minus sor.SavingsBps against Best Ask), labelled with its value: on
//     the sample the router's difference is 0.009 bps, a bar no eye can see.
func Results(o *sor.Outcome) (Figure, error) {
	var rs []sor.NamedFiller
	var fs []sor.Filler
	for _, r := range o.Results() {
		rs, fs = append(rs, r), append(fs, r)
	}
	whole, err := CumulativeCash(o.First, o.Last, rs...)
	if err != nil {
		return nil, err
	}
	var best sor.Filler // nil, not a nil *sor.Result, when there is none
	if o.BestAsk != nil {
		best = o.BestAsk
	}
	bps, err := VsBestAsk(best, rs...)
	if err != nil {
		return nil, err
	}
	end := ZoomEnd(o.First, o.Last, fs...)
	if end >= o.Last {
		return Panels{{whole, 0, 0.42, 1, 1}, {bps, 0, 0, 1, 0.42}}, nil
	}
	first, err := cashPlot(o.First, end, true, rs...)
	if err != nil {
		return nil, err
	}
	first.Legend = plot.NewLegend() // the first panel's legend serves both
	first.Title.Text = fmt.Sprintf("The first %s", secondsLabel(end-o.First))
	first.X.Label.Text = "seconds after " + clock(o.First)
	return Panels{
		{whole, 0, 0.42, 0.6, 1},
		{first, 0.6, 0.42, 1, 1},
		{bps, 0, 0, 1, 0.42},
	}, nil
}

// CumulativeCash plots, for each result (a *sor.Result, a *replay.Result or
// any sor.NamedFiller), the cash spent so far against wall-clock time (UTC)
// from first to last (nanoseconds since the epoch), as steps that rise at
// each fill. Lines that coincide stay visible through their dash patterns.
func CumulativeCash(first, last int64, results ...sor.NamedFiller) (*plot.Plot, error) {
	p, err := cashPlot(first, last, false, results...)
	if err != nil {
		return nil, err
	}
	legendInside(p, false, false) // cash rises to the top left
	return p, nil
}

// cashPlot draws the cumulative cash from first to last: against clock time,
// or (relative) against seconds after first. Fills after last are cut.
func cashPlot(first, last int64, relative bool, results ...sor.NamedFiller) (*plot.Plot, error) {
	p := newPlot("Cumulative cash spent", "time (UTC)", "cash spent ($)")
	x := seconds
	if relative {
		x = func(ns int64) float64 { return float64(ns-first) / 1e9 }
	} else {
		p.X.Tick.Marker = timeTicks
	}
	p.Y.Tick.Marker = dollarTicks
	p.Add(plotter.NewGrid())
	for i, r := range results {
		line, err := newLongLine(cashSteps(first, last, r, x))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.Name(), err)
		}
		line.StepStyle = plotter.PostStep
		line.Width = vg.Points(1.5)
		line.Color = Palette[i%len(Palette)]
		line.Dashes = dashes[i%len(dashes)]
		p.Add(line)
		p.Legend.Add(r.Name(), line)
	}
	p.Y.Min = 0
	p.Y.Max *= 1.05 // keep the top line off the frame
	p.X.Min, p.X.Max = x(first), x(last)
	return p, nil
}

// cashSteps is the cumulative cash of r as step points: 0 at first, the
// running total at each fill up to last, the total so far at last.
func cashSteps(first, last int64, r sor.Filler, x func(int64) float64) plotter.XYs {
	pts := plotter.XYs{{X: x(first), Y: 0}}
	var cash sor.Money
	for i := range r.Len() {
		f := r.Fill(i)
		if f.Time > last {
			break
		}
		cash += f.Cash()
		pts = append(pts, plotter.XY{X: x(f.Time), Y: cash.Dollars()})
	}
	return append(pts, plotter.XY{X: x(last), Y: cash.Dollars()})
}

// ZoomEnd is where Results' second panel ends: a quarter beyond the time at
// which every result but the slowest had made its last fill, measured from
// first, and at least one second after first. It is last when that leaves
// nothing to zoom into (fewer than two results, or the second slowest
// finishing in the second half of the run).
func ZoomEnd(first, last int64, results ...sor.Filler) int64 {
	if len(results) < 2 {
		return last
	}
	done := make([]int64, len(results))
	for i, r := range results {
		done[i] = last
		if n := r.Len(); n > 0 {
			done[i] = r.Fill(n - 1).Time
		}
	}
	slices.Sort(done)
	span := done[len(done)-2] - first
	if span > (last-first)/2 {
		return last
	}
	end := first + max(span+span/4, 1e9)
	return min(end, last)
}

// VsBestAsk plots each result's average price (sor.Totals of its fills)
// against best's in basis points, (avg − best avg)/best avg · 10⁴
// (sor.SavingsBps), as horizontal bars labelled with their values: positive
// means dearer than Best Ask. Results without fills are labelled "no fills".
func VsBestAsk(best sor.Filler, results ...sor.NamedFiller) (*plot.Plot, error) {
	if best == nil || len(results) == 0 {
		return nil, errors.New("chart: nothing to compare with Best Ask")
	}
	p := newPlot("Average price against Best Ask's", "basis points of Best Ask's average price (positive: dearer)", "strategy")
	p.Add(plotter.NewGrid())
	var names []string
	var labels plotter.XYLabels
	lo, hi := 0.0, 0.0
	n := len(results)
	vs := totals(best)
	for i, r := range results {
		y := float64(n - 1 - i) // the first result on top
		names = append([]string{r.Name()}, names...)
		saved, ok := sor.SavingsBps(totals(r), vs)
		if !ok {
			labels.XYs = append(labels.XYs, plotter.XY{X: 0, Y: y})
			labels.Labels = append(labels.Labels, " no fills")
			continue
		}
		v := -saved
		lo, hi = min(lo, v), max(hi, v)
		bar, err := plotter.NewBarChart(plotter.Values{v}, vg.Points(14))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.Name(), err)
		}
		bar.Horizontal = true
		bar.XMin = y
		bar.Color = Palette[i%len(Palette)]
		bar.LineStyle.Width = 0
		p.Add(bar)
		labels.XYs = append(labels.XYs, plotter.XY{X: max(v, 0), Y: y})
		labels.Labels = append(labels.Labels, fmt.Sprintf("  %s bps", bpsLabel(v)))
	}
	if _, err := addLabels(p, labels, draw.XLeft, draw.YCenter, 0, 0); err != nil {
		return nil, err
	}
	p.NominalY(names...)
	span := max(hi-lo, 1)
	p.X.Min, p.X.Max = lo-0.05*span, hi+0.35*span // room for the labels
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	return p, nil
}

// totals is a Result with only what f's fills add up to, for the rules of
// package sor that read a Result's totals.
func totals(f sor.Filler) *sor.Result {
	r := &sor.Result{}
	r.Filled, r.Cash = sor.Totals(f)
	return r
}

// bpsLabel writes basis points with three decimals and a sign, so that the
// router's 0.009 bps is not rounded away and 0 reads as a tie.
func bpsLabel(v float64) string {
	s := fmt.Sprintf("%+.3f", v)
	if s == "+0.000" || s == "-0.000" {
		return "0.000"
	}
	return s
}

// secondsLabel writes a duration in nanoseconds as seconds, "1.75 s".
func secondsLabel(ns int64) string {
	return fmt.Sprintf("%.3g s", float64(ns)/1e9)
}

// clock writes nanoseconds since the epoch as a UTC time of day with
// milliseconds.
func clock(ns int64) string {
	return timeTicks.Time(seconds(ns)).Format("15:04:05.000")
}
