package chart

import (
	"bytes"
	"fmt"
	"image/color"

	"github.com/sorlab/sorlab/sor"
	"gonum.org/v1/plot"
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
type insideLegend struct {
	plot.Legend
}

// Plot implements plot.Plotter.
func (l *insideLegend) Plot(c draw.Canvas, _ *plot.Plot) {
	pad := vg.Points(5)
	inner := draw.Crop(c, pad, -pad, pad, -pad)
	// Legend.Rectangle swaps left and right; only its size is used.
	r := l.Rectangle(inner)
	w := r.Max.X - r.Min.X
	if l.Left {
		r.Min.X, r.Max.X = inner.Min.X, inner.Min.X+w
	} else {
		r.Min.X, r.Max.X = inner.Max.X-w, inner.Max.X
	}
	r = r.Add(vg.Point{X: l.XOffs, Y: l.YOffs})
	box := vg.Rectangle{
		Min: vg.Point{X: r.Min.X - pad/2, Y: r.Min.Y - pad/2},
		Max: vg.Point{X: r.Max.X + pad/2, Y: r.Max.Y + pad/2},
	}
	c.SetColor(color.NRGBA{255, 255, 255, 220})
	c.Fill(box.Path())
	l.Legend.Draw(inner)
}

// legendInside moves the entries of p.Legend into the data area, at the
// top or bottom and left or right corner. Its XOffs and YOffs move it from
// there.
func legendInside(p *plot.Plot, top, left bool) *insideLegend {
	l := &insideLegend{p.Legend}
	l.Top, l.Left = top, left
	l.XOffs, l.YOffs = 0, 0
	l.TextStyle.Font.Size = vg.Points(10)
	p.Legend = plot.NewLegend()
	p.Add(l)
	return l
}
