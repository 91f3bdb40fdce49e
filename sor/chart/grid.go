package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/ck"
	"github.com/sorlab/sorlab/sor/replay"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// refusedColor fills the cells of refused grid points: a grey that is on no
// colour scale, so that a refusal never reads as a cost.
var refusedColor = color.Gray{Y: 215}

// GridCosts shows the CK router's grid search (replay.GridSearch) as one
// heat map per θ, side by side: λ_over across, λ_under up, each cell
// coloured by the mean expected cost per share on one colour scale for all
// (the colour bar on the right, in $/share) and labelled with how much
// dearer it is than the cheapest point, in cents a share ("+0.21¢"): the
// differences are what the search decides on, and a full price does not fit
// a cell. Refused points are grey cells labelled with the assumption they
// break (ck.AssumptionError's name, "A2" or "A3"; "refused" for another
// error); the best point is framed and labelled "best".
func GridCosts(points []replay.GridPoint, best int) (Figure, error) {
	if len(points) == 0 {
		return nil, errors.New("chart: no grid points")
	}
	var thetas []sor.Money
	for _, pt := range points {
		if !slices.Contains(thetas, pt.Params.ThetaQueue) {
			thetas = append(thetas, pt.Params.ThetaQueue)
		}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, pt := range points {
		if pt.Err == nil && !math.IsNaN(pt.Stats.ExpectedCost) {
			lo, hi = min(lo, pt.Stats.ExpectedCost), max(hi, pt.Stats.ExpectedCost)
		}
	}
	if math.IsInf(lo, 1) { // every point refused: any scale will do
		lo, hi = 0, 1
	}
	cheapest := lo
	if hi-lo < 1e-9 {
		// One value: widen the range, or the heat map divides by zero and
		// the colour bar refuses to draw.
		lo, hi = lo-0.0005, hi+0.0005
	}
	cmap := moreland.SmoothBlueRed()
	cmap.SetMin(lo)
	cmap.SetMax(hi)
	pal := cmap.Palette(255)

	const barWidth = 0.2
	w := (1 - barWidth) / float64(len(thetas))
	var fig Panels
	for k, theta := range thetas {
		p, err := gridPanel(points, best, theta, pal, lo, hi, cheapest)
		if err != nil {
			return nil, err
		}
		if k > 0 {
			p.Y.Label.Text = "" // the first panel's label stands for the row
		}
		fig = append(fig, Panel{p, float64(k) * w, 0, float64(k+1) * w, 1})
	}
	bar := newPlot("", "", "expected cost ($/share)")
	bar.Title.Text = " "
	bar.Add(&plotter.ColorBar{ColorMap: cmap, Vertical: true})
	bar.HideX()
	bar.X.Label.Text = "grey: refused\ncells: ¢ above best"
	bar.Y.Tick.Marker = priceTicks
	fig = append(fig, Panel{bar, 1 - barWidth, 0, 1, 1})
	return fig, nil
}

// gridPanel is GridCosts' heat map of the points with θ = theta.
func gridPanel(points []replay.GridPoint, best int, theta sor.Money, pal palette.Palette, lo, hi, cheapest float64) (*plot.Plot, error) {
	g := &gridXYZ{}
	var labels plotter.XYLabels
	var bestCell []plotter.XY
	for i, pt := range points {
		if pt.Params.ThetaQueue != theta {
			continue
		}
		c, r := g.add(pt.Params.LambdaUnder, pt.Params.LambdaOver)
		xy := plotter.XY{X: float64(c), Y: float64(r)}
		switch {
		case pt.Err != nil:
			g.set(c, r, math.NaN())
			name := "refused"
			var ae *ck.AssumptionError
			if errors.As(pt.Err, &ae) {
				name = ae.Name
			}
			labels.XYs, labels.Labels = append(labels.XYs, xy), append(labels.Labels, name)
		case math.IsNaN(pt.Stats.ExpectedCost):
			g.set(c, r, math.NaN())
			labels.XYs, labels.Labels = append(labels.XYs, xy), append(labels.Labels, "no cost")
		default:
			v := pt.Stats.ExpectedCost
			g.set(c, r, v)
			text := fmt.Sprintf("+%.2f¢", 100*(v-cheapest))
			if i == best {
				text = "best"
				bestCell = append(bestCell, xy)
			}
			labels.XYs, labels.Labels = append(labels.XYs, xy), append(labels.Labels, text)
		}
	}
	h := plotter.NewHeatMap(g, pal)
	h.Min, h.Max, h.NaN = lo, hi, refusedColor
	p := newPlot(fmt.Sprintf("theta = %v", theta), "lambda_over ($/share)", "lambda_under ($/share)")
	p.Add(h)
	lbl, err := addLabels(p, labels, draw.XCenter, draw.YCenter, vg.Points(9), 0)
	if err != nil {
		return nil, err
	}
	for i := range lbl.TextStyle {
		v := g.Z(int(labels.XYs[i].X), int(labels.XYs[i].Y))
		if !math.IsNaN(v) && darkCell(pal, v, lo, hi) {
			lbl.TextStyle[i].Color = color.White
		}
	}
	for _, xy := range bestCell {
		frame, err := plotter.NewLine(plotter.XYs{
			{X: xy.X - 0.47, Y: xy.Y - 0.47}, {X: xy.X + 0.47, Y: xy.Y - 0.47},
			{X: xy.X + 0.47, Y: xy.Y + 0.47}, {X: xy.X - 0.47, Y: xy.Y + 0.47}, {X: xy.X - 0.47, Y: xy.Y - 0.47},
		})
		if err != nil {
			return nil, err
		}
		frame.Width, frame.Color = vg.Points(3), color.Black
		p.Add(frame)
	}
	p.X.Tick.Marker = indexTicks(g.xs)
	p.Y.Tick.Marker = indexTicks(g.ys)
	p.X.Min, p.X.Max = -0.5, float64(len(g.xs))-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(len(g.ys))-0.5
	return p, nil
}

// darkCell reports whether the palette colour of v is dark enough to need
// white text (relative luminance below 0.35).
func darkCell(pal palette.Palette, v, lo, hi float64) bool {
	cs := pal.Colors()
	i := int((v - lo) / (hi - lo) * float64(len(cs)-1))
	i = min(max(i, 0), len(cs)-1)
	r, g, b, _ := cs[i].RGBA()
	l := (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
	return l < 0.35
}

// gridXYZ lays grid points on integer cells so that uneven penalty values
// get square cells: λ_over across (columns), λ_under up (rows), in the order
// first seen.
type gridXYZ struct {
	xs, ys []sor.Money
	cell   map[[2]int]float64
}

func (g *gridXYZ) add(lu, lo sor.Money) (c, r int) {
	return indexOf(&g.xs, lo), indexOf(&g.ys, lu)
}

func (g *gridXYZ) set(c, r int, z float64) {
	if g.cell == nil {
		g.cell = map[[2]int]float64{}
	}
	g.cell[[2]int{c, r}] = z
}

func indexOf(vs *[]sor.Money, v sor.Money) int {
	if i := slices.Index(*vs, v); i >= 0 {
		return i
	}
	*vs = append(*vs, v)
	return len(*vs) - 1
}

func (g *gridXYZ) Dims() (c, r int) { return len(g.xs), len(g.ys) }

// Z is NaN for a cell no point filled, drawn like a refusal.
func (g *gridXYZ) Z(c, r int) float64 {
	if z, ok := g.cell[[2]int{c, r}]; ok {
		return z
	}
	return math.NaN()
}
func (g *gridXYZ) X(c int) float64 { return float64(c) }
func (g *gridXYZ) Y(r int) float64 { return float64(r) }

// indexTicks labels integer cell positions with the penalty values.
type indexTicks []sor.Money

func (t indexTicks) Ticks(min, max float64) []plot.Tick {
	ticks := make([]plot.Tick, len(t))
	for i, v := range t {
		ticks[i] = plot.Tick{Value: float64(i), Label: v.String()}
	}
	return ticks
}
