package chart

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// longLine is a line through a long time series (one point per snapshot: the
// sample has ~72,000), drawn as cheaply as a short one. gonum/plot strokes
// every point in one piece and keeps a glyph box for each, which costs
// seconds per chart; a chart 700 pixels wide cannot show more than a few
// points per pixel column anyway.
//
// At draw time, when the line has more than thinFactor points per column
// of the data area (binsPerPixel columns a pixel), each run of consecutive
// points that fall in one column is cut down to its first, lowest, highest
// and last point, in their order (M4 decimation: Jugel et al., "M4: a
// visualization-oriented time series data aggregation", VLDB 2014). Within
// a column the line, steps included, still covers every row from the lowest
// to the highest value; it enters the column at the first point and leaves
// from the last as before, so it lights the same pixels, but for the
// antialiased edges of strokes moved within their column. A thinned line is
// stroked in pieces (strokeRun). Shorter lines, and canvases without pixels
// (SVG, PDF, the tests' recorder), are drawn as they are.
//
// Its glyph boxes are those of the points that set the plot's padding: the
// leftmost, rightmost, lowest and highest inside the axes (gonum/plot pads
// the data area by the boxes at the extremes only, and a line's boxes are
// all the same size). So a longLine is no obstacle for insideLegend by its
// points: pass it to Avoid if the legend must keep off it.
type longLine struct {
	*plotter.Line
}

// binsPerPixel is how many columns longLine thins in per pixel column. M4
// over whole pixels draws the same pixels for a one-pixel line without
// antialiasing; gonum/plot's lines are antialiased and 1 point (1.3 pixels)
// wide, so a stroke moved within its pixel column shades its neighbours
// differently. On TestLongLineDrawsTheSamePicture's dense series, 3.0% of
// the pixels change by half their range or more with whole pixels, 1.2%
// with halves, 0.4% with quarters.
const binsPerPixel = 4

// thinFactor is how many points a column a line may have before longLine
// thins it: M4 keeps up to four, so fewer would not be fewer after.
const thinFactor = 4

// newLongLine is plotter.NewLine for a long time series (xys in time
// order). Style it as a plotter.Line.
func newLongLine(xys plotter.XYs) (*longLine, error) {
	l, err := plotter.NewLine(xys)
	if err != nil {
		return nil, err
	}
	return &longLine{l}, nil
}

// Plot implements plot.Plotter: it draws the points drawn (thinned or all).
func (s *longLine) Plot(c draw.Canvas, p *plot.Plot) {
	l := *s.Line
	l.XYs = s.drawn(c, p)
	if len(l.XYs) == len(s.XYs) || l.FillColor != nil || len(l.Dashes) > 0 {
		l.Plot(c, p)
		return
	}
	// The rasterizer keeps each row's cells in a list it walks for every
	// new cell: a dense line stroked in one piece costs the square of the
	// cells a row holds. In pieces of strokeRun points it costs little;
	// each piece repeats the last segment of the one before, so that the
	// corner between them is joined as in one piece.
	for i := 0; i < len(l.XYs)-1; i += strokeRun - 1 {
		part := l
		part.XYs = l.XYs[max(0, i-1):min(len(l.XYs), i+strokeRun)]
		part.Plot(c, p)
	}
}

// strokeRun is how many points longLine strokes at once.
const strokeRun = 256

// drawn is the points of s drawn on c: thinned per column (binsPerPixel
// a pixel) when there are more than thinFactor a column, else all.
func (s *longLine) drawn(c draw.Canvas, p *plot.Plot) plotter.XYs {
	dpi, ok := canvasDPI(c.Canvas)
	if !ok || float64(len(s.XYs)) <= thinFactor*binsPerPixel*(c.Max.X-c.Min.X).Dots(dpi) {
		return s.XYs
	}
	// Pixel column k covers canvas x from k to k+1 dots (vgimg scales
	// points to dots with no offset), so each lies on whole bins.
	tx, _ := p.Transforms(&c)
	return m4(s.XYs, func(x float64) int { return int(math.Floor(tx(x).Dots(dpi) * binsPerPixel)) })
}

// canvasDPI is the resolution of the image under c, if it has one: the
// plot's data area is a draw.Canvas around the draw.Canvas around it.
func canvasDPI(c vg.Canvas) (float64, bool) {
	for {
		switch v := c.(type) {
		case interface{ DPI() float64 }:
			return v.DPI(), true
		case draw.Canvas:
			c = v.Canvas
		case *draw.Canvas:
			c = v.Canvas
		default:
			return 0, false
		}
	}
}

// m4 keeps, of each run of consecutive points in the same column (col of
// their X), the first, lowest, highest and last point, in their order: up to
// four points a run, each once.
func m4(xys plotter.XYs, col func(float64) int) plotter.XYs {
	out := make(plotter.XYs, 0, 64)
	for i := 0; i < len(xys); {
		c := col(xys[i].X)
		j, lo, hi := i+1, i, i
		for ; j < len(xys) && col(xys[j].X) == c; j++ {
			if xys[j].Y < xys[lo].Y {
				lo = j
			}
			if xys[j].Y > xys[hi].Y {
				hi = j
			}
		}
		prev := -1
		for _, k := range [4]int{i, min(lo, hi), max(lo, hi), j - 1} {
			if k != prev { // in order, so a point kept twice is twice in a row
				out = append(out, xys[k])
				prev = k
			}
		}
		i = j
	}
	return out
}

// GlyphBoxes implements plot.GlyphBoxer with the boxes that count for the
// plot's padding (see longLine).
func (s *longLine) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	if len(s.XYs) == 0 {
		return nil
	}
	// gonum/plot pads by the leftmost box with X ≥ 0, the rightmost with
	// X ≤ 1, the lowest with Y ≥ 0 and the highest with Y ≤ 1 (in axis
	// fractions).
	pick := [4]int{-1, -1, -1, -1}
	best := [4]float64{}
	better := func(k, i int, v float64, ok, less bool) {
		if ok && (pick[k] < 0 || less && v < best[k] || !less && v > best[k]) {
			pick[k], best[k] = i, v
		}
	}
	for i, xy := range s.XYs {
		x, y := p.X.Norm(xy.X), p.Y.Norm(xy.Y)
		better(0, i, x, x >= 0, true)
		better(1, i, x, x <= 1, false)
		better(2, i, y, y >= 0, true)
		better(3, i, y, y <= 1, false)
	}
	var boxes []plot.GlyphBox
	for _, i := range pick {
		if i >= 0 {
			boxes = append(boxes, plot.GlyphBox{X: p.X.Norm(s.XYs[i].X), Y: p.Y.Norm(s.XYs[i].Y), Rectangle: s.box()})
		}
	}
	return boxes
}

// box is the glyph box of each of the line's points, as plotter.Line's:
// half the line's width around it.
func (s *longLine) box() vg.Rectangle {
	r := s.LineStyle.Width / 2
	return vg.Rectangle{Min: vg.Point{X: -r, Y: -r}, Max: vg.Point{X: r, Y: r}}
}
