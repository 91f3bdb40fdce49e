// Package chart draws sorlab results with gonum/plot: the cumulative cash
// each strategy spent over time, and the grid search as a heatmap. It holds
// no model logic; it only turns sor values into plots and PNG bytes.
package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"time"

	"github.com/sorlab/sorlab/sor"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Default size of a chart written as PNG.
const (
	Width  = 8 * vg.Inch
	Height = 4.5 * vg.Inch
)

// Palette colours strategies consistently across charts (colour-blind safe,
// after Okabe and Ito), in the order of sor.Outcome.Results.
var Palette = []color.Color{
	color.RGBA{0, 114, 178, 255},   // blue: router
	color.RGBA{213, 94, 0, 255},    // vermillion: best ask
	color.RGBA{0, 158, 115, 255},   // green: TWAP
	color.RGBA{204, 121, 167, 255}, // purple: VWAP
	color.RGBA{230, 159, 0, 255},
	color.RGBA{86, 180, 233, 255},
}

// CumulativeCash plots, for each result, the cash spent so far against
// wall-clock time (UTC) from first to last (nanoseconds since the epoch), as
// steps that rise at each fill.
func CumulativeCash(first, last int64, results ...*sor.Result) (*plot.Plot, error) {
	p := newPlot("Cumulative cash spent", "time (UTC)", "cash spent ($)")
	p.X.Tick.Marker = timeTicks
	p.Y.Tick.Marker = dollarTicks
	// Cumulative cash rises to the top right; the bottom right stays empty.
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(8), vg.Points(8)
	p.Add(plotter.NewGrid())
	for i, r := range results {
		pts := plotter.XYs{{X: seconds(first), Y: 0}}
		var cash sor.Money
		for _, f := range r.Fills {
			cash += f.Cash()
			pts = append(pts, plotter.XY{X: seconds(f.Time), Y: cash.Dollars()})
		}
		pts = append(pts, plotter.XY{X: seconds(last), Y: cash.Dollars()})
		line, err := plotter.NewLine(pts)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.Strategy, err)
		}
		line.StepStyle = plotter.PostStep
		line.Color = Palette[i%len(Palette)]
		line.Width = vg.Points(1.5)
		line.Dashes = [][]vg.Length{nil, {vg.Points(6), vg.Points(3)}, {vg.Points(2), vg.Points(2)}, {vg.Points(8), vg.Points(2), vg.Points(2), vg.Points(2)}}[i%4]
		p.Add(line)
		p.Legend.Add(legendLabel(r), line)
	}
	p.Y.Min = 0
	p.Y.Max *= 1.05 // keep the top line off the frame
	return p, nil
}

func legendLabel(r *sor.Result) string {
	if avg, ok := r.AvgPrice(); ok {
		return fmt.Sprintf("%s: %d sh, avg $%.4f", r.Strategy, r.Filled, avg)
	}
	return r.Strategy + ": no fills"
}

// newPlot starts every chart the same way: the title in a larger font and the
// axis labels.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(14)
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	return p
}

// timeTicks labels an axis of seconds since the epoch with UTC clock times.
var timeTicks = plot.TimeTicks{Format: "15:04:05", Time: func(t float64) time.Time { return time.Unix(0, int64(t*1e9)).UTC() }}

func seconds(ns int64) float64 { return float64(ns) / 1e9 }

// labelTicks places gonum's default ticks and writes their labels with
// its function.
type labelTicks func(float64) string

func (f labelTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = f(ticks[i].Value)
		}
	}
	return ticks
}

var (
	// dollarTicks labels a money axis with thousands separators.
	dollarTicks = labelTicks(thousands)
	// priceTicks labels a price axis in dollars with two to four decimals
	// (the default labels of a one-cent range read "2.2e+02").
	priceTicks = labelTicks(priceLabel)
)

func thousands(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	var b []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	if neg {
		return "-" + string(b)
	}
	return string(b)
}

// PNG renders p as PNG bytes of the given size.
func PNG(p *plot.Plot, w, h vg.Length) ([]byte, error) {
	wt, err := p.WriterTo(w, h, "png")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// SavePNG writes p to path as a PNG of the default size, atomically.
func SavePNG(p *plot.Plot, path string) error {
	b, err := PNG(p, Width, Height)
	if err != nil {
		return err
	}
	return sor.WriteBytesAtomic(path, b)
}

// Results is the chart of results.png: the cumulative cash of the router and
// the three baselines of a run.
func Results(o *sor.Outcome) (*plot.Plot, error) {
	return CumulativeCash(o.First, o.Last, o.Results()...)
}
