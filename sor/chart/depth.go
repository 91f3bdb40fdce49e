package chart

import (
	"fmt"
	"image/color"
	"strings"

	"github.com/sorlab/sorlab/sor"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Depth plots, against time, the total ask size all venues show
// (sor.DisplayedSize) and the size at the consolidated best ask + fee
// (sor.ConsolidatedAsk), with a dashed line at the order size: whenever the
// curves are below it, no single sweep can fill the order.
func Depth(snaps []sor.Snapshot, venues sor.Venues, orderSize int64) (*plot.Plot, error) {
	p := newPlot("Displayed ask size", "time (UTC)", "shares")
	p.X.Tick.Marker = timeTicks
	p.Y.Tick.Marker = dollarTicks // thousands separators
	p.Add(plotter.NewGrid())
	all := make(plotter.XYs, 0, len(snaps))
	best := make(plotter.XYs, 0, len(snaps))
	for _, s := range snaps {
		x := seconds(s.Time)
		_, n := sor.ConsolidatedAsk(s.Quotes, venues)
		all = append(all, plotter.XY{X: x, Y: float64(sor.DisplayedSize(s.Quotes))})
		best = append(best, plotter.XY{X: x, Y: float64(n)})
	}
	for i, l := range []struct {
		name string
		xys  plotter.XYs
	}{{"all venues, all displayed prices", all}, {"at the consolidated best ask + fee", best}} {
		if len(l.xys) == 0 {
			continue
		}
		line, err := newLongLine(l.xys)
		if err != nil {
			return nil, err
		}
		line.StepStyle, line.Width = plotter.PostStep, vg.Points(1)
		lineStyle(line.Line, i)
		p.Add(line)
		p.Legend.Add(l.name, line)
	}
	if len(snaps) > 0 {
		order, err := plotter.NewLine(plotter.XYs{
			{X: seconds(snaps[0].Time), Y: float64(orderSize)},
			{X: seconds(snaps[len(snaps)-1].Time), Y: float64(orderSize)},
		})
		if err != nil {
			return nil, err
		}
		order.Width, order.Color = vg.Points(2), color.Black
		order.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		p.Add(order)
		p.Legend.Add(fmt.Sprintf("order: %s shares", thousands(float64(orderSize))), order)
	}
	legendInside(p, true, false)
	p.Y.Min = 0
	p.Y.Max *= 1.2 // room for the legend above the peaks
	return p, nil
}

func priceLabel(v float64) string {
	s := strings.TrimRight(fmt.Sprintf("%.4f", v), "0")
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i < 3 {
		s += strings.Repeat("0", 3-(len(s)-i))
	}
	return s
}
