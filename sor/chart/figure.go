package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"math"

	"github.com/sorlab/sorlab/sor"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Figure is what this package draws: one *plot.Plot, or Panels of several.
// PNG, Encode, SavePNG and sor/nb's Plot take any Figure.
type Figure interface {
	Draw(c draw.Canvas)
}

// Panel places a figure on part of a larger one: [X0, X1] × [Y0, Y1] as
// fractions of the larger figure's width and height, (0, 0) at the bottom
// left.
type Panel struct {
	Fig            Figure
	X0, Y0, X1, Y1 float64
}

// Panels is a figure made of several, each on its own part of the canvas.
type Panels []Panel

// Draw draws every panel in its part of c.
func (ps Panels) Draw(c draw.Canvas) {
	w, h := c.Max.X-c.Min.X, c.Max.Y-c.Min.Y
	for _, p := range ps {
		sub := c
		sub.Rectangle = vg.Rectangle{
			Min: vg.Point{X: c.Min.X + w*vg.Length(p.X0), Y: c.Min.Y + h*vg.Length(p.Y0)},
			Max: vg.Point{X: c.Min.X + w*vg.Length(p.X1), Y: c.Min.Y + h*vg.Length(p.Y1)},
		}
		p.Fig.Draw(sub)
	}
}

// sized is a figure that asks for a size other than Width × Height, such as
// a replay run's results with their grid of expected costs.
type sized struct {
	Figure
	w, h vg.Length
}

func (s sized) size() (vg.Length, vg.Length) { return s.w, s.h }

// Size is the size f is meant to be drawn at: Width × Height, unless the
// function that made f asked for more room.
func Size(f Figure) (w, h vg.Length) {
	if s, ok := f.(sized); ok {
		return s.size()
	}
	return Width, Height
}

// Encode renders f as PNG bytes at its size (Size).
func Encode(f Figure) ([]byte, error) {
	w, h := Size(f)
	return PNG(f, w, h)
}

// PNG renders f as PNG bytes of the given size (96 dots per inch). A panic
// inside gonum/plot's drawing becomes an error, so that a notebook cell or
// the command line reports it instead of dying.
func PNG(f Figure, w, h vg.Length) (b []byte, err error) {
	c, err := draw.NewFormattedCanvas(w, h, "png")
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("chart: drawing failed: %v", r)
		}
	}()
	f.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// SavePNG writes f to path as a PNG of its size (Size), atomically.
func SavePNG(f Figure, path string) error {
	b, err := Encode(f)
	if err != nil {
		return err
	}
	return sor.WriteBytesAtomic(path, b)
}

// insideLegend draws a legend inside the data area, on a white box that
// keeps lines from running through its text. gonum/plot places its own
// legend against the canvas edge, which lands outside the axes whenever
// labels widen the padding (issue 11).
//
// Without anything to avoid, the legend sits in the corner its Top and Left
// name, moved by XOffs and YOffs. Given the data it must not cover (Avoid,
// AvoidArea: lines and filled areas; then the plot's glyph boxes, its
// labels and markers, count too), it takes the place with the fewest of
// them under it, on a grid of places over the data area, the nearest to
// that corner among equals. A legend over the data hides what it names (issue 11: 05's
// regimes, 08's calibration).
type insideLegend struct {
	plot.Legend
	lines []plotter.XYer // polylines in data coordinates
	areas []plotter.XYer // filled polygons: their bounding boxes
}

// Avoid adds polylines (data coordinates) the legend must not cross.
func (l *insideLegend) Avoid(lines ...plotter.XYer) { l.lines = append(l.lines, lines...) }

// AvoidArea adds a filled polygon the legend must not overlap.
func (l *insideLegend) AvoidArea(poly plotter.XYer) { l.areas = append(l.areas, poly) }

// legendPad is the room between the legend's box and the axes, and between
// its entries and the box's edge.
const legendPad = vg.Length(5)

// legendGrid is the number of places tried along each axis.
const legendGrid = 9

// Plot implements plot.Plotter.
func (l *insideLegend) Plot(c draw.Canvas, p *plot.Plot) {
	box := l.Box(c, p)
	c.SetColor(color.White)
	c.Fill(box.Path())
	c.SetLineStyle(draw.LineStyle{Color: color.Gray{Y: 190}, Width: vg.Points(0.5)})
	c.Stroke(box.Path())
	in := c
	in.Rectangle = vg.Rectangle{
		Min: vg.Point{X: box.Min.X + legendPad/2, Y: box.Min.Y + legendPad/2},
		Max: vg.Point{X: box.Max.X - legendPad/2, Y: box.Max.Y - legendPad/2},
	}
	leg := l.Legend
	leg.XOffs, leg.YOffs = 0, 0
	leg.Draw(in)
}

// Box is the legend's box on the data canvas c of p: its entries plus
// legendPad/2 around them.
func (l *insideLegend) Box(c draw.Canvas, p *plot.Plot) vg.Rectangle {
	inner := draw.Crop(c, legendPad, -legendPad, legendPad, -legendPad)
	r := l.Rectangle(inner) // only its size: Legend.Rectangle swaps left and right
	w, h := r.Max.X-r.Min.X+legendPad, r.Max.Y-r.Min.Y+legendPad
	at := func(fx, fy float64) vg.Rectangle { // fx, fy: 0 left/bottom .. 1 right/top
		lo := vg.Point{
			X: inner.Min.X - legendPad/2 + vg.Length(fx)*(inner.Max.X-inner.Min.X-w+legendPad),
			Y: inner.Min.Y - legendPad/2 + vg.Length(fy)*(inner.Max.Y-inner.Min.Y-h+legendPad),
		}
		return vg.Rectangle{Min: lo, Max: vg.Point{X: lo.X + w, Y: lo.Y + h}}
	}
	fx, fy := 1.0, 0.0
	if l.Left {
		fx = 0
	}
	if l.Top {
		fy = 1
	}
	if len(l.lines) == 0 && len(l.areas) == 0 {
		return at(fx, fy).Add(vg.Point{X: l.XOffs, Y: l.YOffs})
	}
	obst := l.obstacles(c, p)
	best, bestHits, bestDist := vg.Rectangle{}, math.MaxInt, math.Inf(1)
	for i := range legendGrid {
		for j := range legendGrid {
			gx, gy := float64(i)/(legendGrid-1), float64(j)/(legendGrid-1)
			r := at(gx, gy)
			hits := obst.hits(grow(r, legendPad/2))
			dist := math.Hypot(gx-fx, gy-fy)
			if hits < bestHits || hits == bestHits && dist < bestDist {
				best, bestHits, bestDist = r, hits, dist
			}
		}
	}
	return best
}

// obstacles are what a legend should not cover, in canvas coordinates.
type obstacles struct {
	lines [][]vg.Point
	boxes []vg.Rectangle
}

func (l *insideLegend) obstacles(c draw.Canvas, p *plot.Plot) obstacles {
	tx, ty := p.Transforms(&c)
	var o obstacles
	canvas := func(xy plotter.XYer) []vg.Point {
		pts := make([]vg.Point, xy.Len())
		for i := range pts {
			x, y := xy.XY(i)
			pts[i] = vg.Point{X: tx(x), Y: ty(y)}
		}
		return pts
	}
	for _, xy := range l.lines {
		o.lines = append(o.lines, canvas(xy))
	}
	for _, xy := range l.areas {
		if xy.Len() > 0 {
			o.boxes = append(o.boxes, bounds(canvas(xy)))
		}
	}
	for _, b := range p.GlyphBoxes(p) {
		at := vg.Point{X: c.X(b.X), Y: c.Y(b.Y)}
		o.boxes = append(o.boxes, b.Rectangle.Add(at))
	}
	return o
}

// hits counts the line segments crossing r and the boxes overlapping it.
func (o obstacles) hits(r vg.Rectangle) int {
	n := 0
	for _, pts := range o.lines {
		for i := 1; i < len(pts); i++ {
			if segmentCrosses(pts[i-1], pts[i], r) {
				n++
			}
		}
		if len(pts) == 1 && inside(pts[0], r) {
			n++
		}
	}
	for _, b := range o.boxes {
		if b.Min.X < r.Max.X && r.Min.X < b.Max.X && b.Min.Y < r.Max.Y && r.Min.Y < b.Max.Y {
			n++
		}
	}
	return n
}

// segmentCrosses reports whether the segment from a to b has a point in r
// (Liang and Barsky's clipping: the part of the segment inside each of the
// four half-planes is an interval of its parameter; the segment meets r
// when the intervals meet).
func segmentCrosses(a, b vg.Point, r vg.Rectangle) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	for _, e := range [4][2]float64{
		{-dx, float64(a.X - r.Min.X)}, {dx, float64(r.Max.X - a.X)},
		{-dy, float64(a.Y - r.Min.Y)}, {dy, float64(r.Max.Y - a.Y)},
	} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return false // parallel to this edge and outside it
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = math.Max(t0, t)
		} else {
			t1 = math.Min(t1, t)
		}
		if t0 > t1 {
			return false
		}
	}
	return true
}

// bounds is the smallest rectangle holding pts (at least one).
func bounds(pts []vg.Point) vg.Rectangle {
	r := vg.Rectangle{Min: pts[0], Max: pts[0]}
	for _, p := range pts {
		r.Min.X, r.Min.Y = min(r.Min.X, p.X), min(r.Min.Y, p.Y)
		r.Max.X, r.Max.Y = max(r.Max.X, p.X), max(r.Max.Y, p.Y)
	}
	return r
}

// inside reports whether pt lies in r, edges included.
func inside(pt vg.Point, r vg.Rectangle) bool {
	return pt.X >= r.Min.X && pt.X <= r.Max.X && pt.Y >= r.Min.Y && pt.Y <= r.Max.Y
}

func grow(r vg.Rectangle, d vg.Length) vg.Rectangle {
	return vg.Rectangle{Min: vg.Point{X: r.Min.X - d, Y: r.Min.Y - d}, Max: vg.Point{X: r.Max.X + d, Y: r.Max.Y + d}}
}

// legendInside moves the entries of p.Legend into the data area, at the
// top or bottom and left or right corner (see insideLegend for how Avoid
// moves it elsewhere). Its XOffs and YOffs move it from there.
func legendInside(p *plot.Plot, top, left bool) *insideLegend {
	l := &insideLegend{Legend: p.Legend}
	l.Top, l.Left = top, left
	l.XOffs, l.YOffs = 0, 0
	l.TextStyle.Font.Size = vg.Points(10)
	p.Legend = plot.NewLegend()
	p.Add(l)
	return l
}
