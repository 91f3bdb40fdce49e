// Package chart draws sorlab results with gonum/plot: the exercise's
// results.png (cumulative cash, the first seconds, average price against
// Best Ask), the market (asks by venue, depth), the replay (costs over
// seeds, the grid of expected costs, a replay run's results), the
// Cont-Kukanov model (solver convergence, regimes, over-booking), and the
// queue models scored against the exact queue (calibration, time to fill).
//
// Every function returns a Figure: one *plot.Plot, or Panels of several.
// Legends sit inside the axes on a white box, off the data where the chart
// says what it draws (insideLegend); series keep one colour per strategy or
// venue across charts (Palette, chosen so that every pair is far apart in
// CIELAB).
// The package holds no model logic: every number comes from the model
// packages; it only turns their values into plots and PNG bytes.
package chart

import (
	"fmt"
	"image/color"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Default size of a chart written as PNG.
const (
	Width  = 8 * vg.Inch
	Height = 4.5 * vg.Inch
)

// Palette colours strategies (in the order of sor.Outcome.Results) and
// venues (in publisher id order) consistently across charts. The first four
// are Okabe and Ito's colour-blind safe blue, vermillion, green and purple;
// the last two replace their orange and sky blue, which sit too close to
// vermillion and blue (CIELAB distance 33 and 26): every pair here is at
// least 45 apart.
var Palette = []color.Color{
	color.RGBA{0, 114, 178, 255},   // blue: router
	color.RGBA{213, 94, 0, 255},    // vermillion: best ask
	color.RGBA{0, 158, 115, 255},   // green: TWAP
	color.RGBA{204, 121, 167, 255}, // pink: VWAP
	color.RGBA{153, 153, 51, 255},  // olive
	color.RGBA{102, 51, 153, 255},  // indigo
}

// dashes are the line patterns that tell apart series drawn on top of each
// other (Best Ask and VWAP often buy the same shares) and series beyond the
// palette's length.
var dashes = [][]vg.Length{nil, {vg.Points(6), vg.Points(3)}, {vg.Points(2), vg.Points(2)}, {vg.Points(8), vg.Points(2), vg.Points(2), vg.Points(2)}}

// lineStyle gives series i its palette colour; from the palette's length on
// the colours repeat with the next dash pattern, so that no two series look
// alike.
func lineStyle(l *plotter.Line, i int) {
	l.Color = Palette[i%len(Palette)]
	l.Dashes = dashes[(i/len(Palette))%len(dashes)]
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

// addLabels adds texts at data points to p, all aligned alike, in a font of
// the given size (0: gonum's default), raised by dy.
func addLabels(p *plot.Plot, l plotter.XYLabels, x draw.XAlignment, y draw.YAlignment, size, dy vg.Length) (*plotter.Labels, error) {
	lbl, err := plotter.NewLabels(l)
	if err != nil {
		return nil, err
	}
	for i := range lbl.TextStyle {
		lbl.TextStyle[i].XAlign, lbl.TextStyle[i].YAlign = x, y
		if size > 0 {
			lbl.TextStyle[i].Font.Size = size
		}
	}
	lbl.Offset = vg.Point{Y: dy}
	p.Add(lbl)
	return lbl, nil
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
