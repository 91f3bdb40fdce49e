package chart

import (
	"fmt"
	"image/color"
	"slices"

	"github.com/sorlab/sorlab/sor"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// VenueAsks plots each venue's best ask (plus fee when venues is given)
// against time, as steps, with the consolidated best ask in black beneath:
// the picture of where a router would buy.
func VenueAsks(snaps []sor.Snapshot, venues sor.Venues) (*plot.Plot, error) {
	p := newPlot("Best ask by venue", "time (UTC)", "ask + fee ($/share)")
	if len(venues) == 0 {
		p.Y.Label.Text = "ask ($/share)"
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
		l, err := plotter.NewLine(best)
		if err != nil {
			return nil, err
		}
		l.StepStyle, l.Width, l.Color = plotter.PostStep, vg.Points(3), color.Gray{Y: 60}
		p.Add(l)
		p.Legend.Add("consolidated best", l)
	}
	ids := make([]int, 0, len(series))
	for id := range series {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for i, id := range ids {
		l, err := plotter.NewLine(series[id])
		if err != nil {
			return nil, err
		}
		l.StepStyle, l.Width, l.Color = plotter.PostStep, vg.Points(1), Palette[i%len(Palette)]
		p.Add(l)
		name := venues.Get(id).Name
		if name == "" {
			name = "venue"
		}
		p.Legend.Add(fmt.Sprintf("%s (%d)", name, id), l)
	}
	p.Legend.Top = true
	// Leave the top third free for the legend, which would hide lines.
	if span := p.Y.Max - p.Y.Min; span > 0 {
		p.Y.Max += span / 2
	}
	return p, nil
}

// GridHeatmap shows the router's total cash over λ_under (rows) × λ_over
// (columns) at one θ_queue. Under the exercise's rules every cell is the
// same: the chart is the evidence.
func GridHeatmap(points []sor.GridPoint, theta sor.Money) (*plot.Plot, error) {
	g := &gridXYZ{}
	for _, pt := range points {
		if pt.Params.ThetaQueue != theta {
			continue
		}
		g.add(pt.Params.LambdaUnder, pt.Params.LambdaOver, pt.Result.Cash.Dollars())
	}
	if len(g.z) == 0 {
		return nil, fmt.Errorf("no grid point has theta_queue %v", theta)
	}
	lo, hi := g.z[0], g.z[0]
	for _, z := range g.z {
		lo, hi = min(lo, z), max(hi, z)
	}
	pal := moreland.SmoothBlueRed()
	if hi == lo {
		// One colour, the palette's middle, for a flat surface. The heat
		// map's own range must be widened too: with Min == Max it divides
		// by zero and draws no cell at all.
		lo, hi = lo-0.5, hi+0.5
	}
	pal.SetMin(lo)
	pal.SetMax(hi)
	h := plotter.NewHeatMap(g, pal.Palette(64))
	h.Min, h.Max = lo, hi
	p := newPlot(fmt.Sprintf("Router cash by penalty, theta_queue = %v", theta), "lambda_over ($/share)", "lambda_under ($/share)")
	p.Add(h)
	p.X.Tick.Marker = indexTicks(g.xs)
	p.Y.Tick.Marker = indexTicks(g.ys)
	for i := range g.xs {
		for j := range g.ys {
			lbl, err := plotter.NewLabels(plotter.XYLabels{
				XYs:    []plotter.XY{{X: float64(i), Y: float64(j)}},
				Labels: []string{fmt.Sprintf("%.2f", g.Z(i, j))},
			})
			if err != nil {
				return nil, err
			}
			lbl.TextStyle[0].XAlign, lbl.TextStyle[0].YAlign = -0.5, -0.5
			p.Add(lbl)
		}
	}
	return p, nil
}

// gridXYZ lays grid points on integer cells so that uneven penalty values
// get square cells.
type gridXYZ struct {
	xs, ys []sor.Money // λ_over (columns), λ_under (rows)
	cell   map[[2]int]float64
	z      []float64
}

func (g *gridXYZ) add(lu, lo sor.Money, z float64) {
	if g.cell == nil {
		g.cell = map[[2]int]float64{}
	}
	i := indexOf(&g.xs, lo)
	j := indexOf(&g.ys, lu)
	g.cell[[2]int{i, j}] = z
	g.z = append(g.z, z)
}

func indexOf(vs *[]sor.Money, v sor.Money) int {
	if i := slices.Index(*vs, v); i >= 0 {
		return i
	}
	*vs = append(*vs, v)
	return len(*vs) - 1
}

func (g *gridXYZ) Dims() (c, r int)   { return len(g.xs), len(g.ys) }
func (g *gridXYZ) Z(c, r int) float64 { return g.cell[[2]int{c, r}] }
func (g *gridXYZ) X(c int) float64    { return float64(c) }
func (g *gridXYZ) Y(r int) float64    { return float64(r) }

type indexTicks []sor.Money

func (t indexTicks) Ticks(min, max float64) []plot.Tick {
	ticks := make([]plot.Tick, len(t))
	for i, v := range t {
		ticks[i] = plot.Tick{Value: float64(i), Label: v.String()}
	}
	return ticks
}
