package chart

import (
	"fmt"
	"image/color"
	"slices"

	"github.com/sorlab/sorlab/sor"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// VenueAsks plots each venue's best ask (plus fee when venues is given)
// against time, as steps, with the consolidated best ask as a wide grey band
// beneath: the picture of where a router would buy. Each venue has its own
// colour (its place in publisher id order in Palette); the title gives the
// time span.
func VenueAsks(snaps []sor.Snapshot, venues sor.Venues) (*plot.Plot, error) {
	p := newPlot("Best ask + fee by venue", "time (UTC)", "ask + fee ($/share)")
	if len(venues) == 0 {
		p.Title.Text, p.Y.Label.Text = "Best ask by venue", "ask ($/share)"
	}
	if n := len(snaps); n > 0 {
		p.Title.Text += fmt.Sprintf(", %s to %s", clock(snaps[0].Time), clock(snaps[n-1].Time))
	}
	p.X.Tick.Marker = timeTicks
	p.Y.Tick.Marker = priceTicks
	p.Add(plotter.NewGrid())
	series := map[int]plotter.XYs{}
	var best plotter.XYs
	for _, s := range snaps {
		x := seconds(s.Time)
		for _, q := range s.Quotes {
			series[q.Venue] = append(series[q.Venue], plotter.XY{X: x, Y: (q.Ask + venues.Get(q.Venue).Fee).Dollars()})
		}
		if px, n := sor.ConsolidatedAsk(s.Quotes, venues); n > 0 {
			best = append(best, plotter.XY{X: x, Y: px.Dollars()})
		}
	}
	if len(best) > 0 {
		l, err := newLongLine(best)
		if err != nil {
			return nil, err
		}
		l.StepStyle, l.Width, l.Color = plotter.PostStep, vg.Points(5), color.Gray{Y: 200}
		p.Add(l)
		p.Legend.Add("consolidated best", l)
	}
	ids := make([]int, 0, len(series))
	for id := range series {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for i, id := range ids {
		l, err := newLongLine(series[id])
		if err != nil {
			return nil, err
		}
		l.StepStyle, l.Width = plotter.PostStep, vg.Points(1)
		lineStyle(l.Line, i)
		p.Add(l)
		name := venues.Get(id).Name
		if name == "" {
			name = "venue"
		}
		p.Legend.Add(fmt.Sprintf("%s (%d)", name, id), l)
	}
	// Leave the top third free for the legend, which would hide lines.
	if span := p.Y.Max - p.Y.Min; span > 0 {
		p.Y.Max += span / 2
	}
	legendInside(p, true, false)
	return p, nil
}
