package chart

import (
	"image/color"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// This file records what a chart draws, with gonum's vg/recorder, so that
// tests check what is plotted (texts, line colours and points, where the
// legend is) rather than that some 768 × 432 picture came out.

// drawing is what a figure drew, in canvas coordinates (points, origin at
// the bottom left).
type drawing struct {
	texts   []drawnText
	strokes []stroke
	fills   []fill
	images  int // DrawImage calls (colour bars)
}

type drawnText struct {
	s       string
	at      vg.Point  // the left end of the baseline
	rotated bool      // drawn under a rotation (a y axis label)
	w       vg.Length // its width in its font
}

type stroke struct {
	color  color.Color
	width  vg.Length
	dashes []vg.Length
	pts    []vg.Point
}

type fill struct {
	color color.Color
	pts   []vg.Point
	at    vg.Point  // a glyph's centre: its circle's, else its bounding box's
	size  vg.Length // the larger side of its bounding box (a circle's diameter)
}

// record draws f on a recorder canvas of its size and replays the actions
// through a small state machine (colour, width, dashes, the push/pop stack).
func record(t *testing.T, f Figure) drawing {
	t.Helper()
	w, h := Size(f)
	var rec recorder.Canvas
	f.Draw(draw.NewCanvas(&rec, w, h))
	type state struct {
		color   color.Color
		width   vg.Length
		dashes  []vg.Length
		rotated bool
	}
	st := state{color: color.Black}
	var stack []state
	var d drawing
	for _, a := range rec.Actions {
		switch a := a.(type) {
		case *recorder.SetColor:
			st.color = a.Color
		case *recorder.SetLineWidth:
			st.width = a.Width
		case *recorder.SetLineDash:
			st.dashes = a.Dashes
		case *recorder.Rotate:
			st.rotated = st.rotated || a.Angle != 0
		case *recorder.Push:
			stack = append(stack, st)
		case *recorder.Pop:
			st = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
		case *recorder.Stroke:
			d.strokes = append(d.strokes, stroke{st.color, st.width, st.dashes, pathPoints(a.Path)})
		case *recorder.Fill:
			pts := pathPoints(a.Path)
			at, size := centre(pts)
			for _, c := range a.Path {
				if c.Type == vg.ArcComp { // a circle glyph: a move to its edge and one arc
					at, size = c.Pos, 2*c.Radius
				}
			}
			d.fills = append(d.fills, fill{st.color, pts, at, size})
		case *recorder.FillString:
			face := font.DefaultCache.Lookup(a.Font, a.Size)
			w := face.Width(a.String)
			d.texts = append(d.texts, drawnText{a.String, a.Point, st.rotated, w})
		case *recorder.DrawImage:
			d.images++
		}
	}
	return d
}

func pathPoints(p vg.Path) []vg.Point {
	var pts []vg.Point
	for _, c := range p {
		if c.Type == vg.MoveComp || c.Type == vg.LineComp {
			pts = append(pts, c.Pos)
		}
	}
	return pts
}

// text returns the first drawn text equal to s.
func (d drawing) text(s string) (drawnText, bool) {
	for _, t := range d.texts {
		if t.s == s {
			return t, true
		}
	}
	return drawnText{}, false
}

// requireTexts fails for every string in want that was not drawn.
func (d drawing) requireTexts(t *testing.T, want ...string) {
	t.Helper()
	for _, s := range want {
		if _, ok := d.text(s); !ok {
			t.Errorf("%q is not drawn; texts drawn: %q", s, d.allTexts())
		}
	}
}

func (d drawing) allTexts() []string {
	var out []string
	for _, t := range d.texts {
		out = append(out, t.s)
	}
	return out
}

// legendEntry is one legend line as drawn: its text, where, and the style
// of the line thumbnail beside it (if it has one).
type legendEntry struct {
	text  drawnText
	thumb stroke
}

// legend finds the legend entries with the given texts: each text and the
// short horizontal stroke drawn at its height (the thumbnail). It fails for
// a text that is not drawn or has no thumbnail.
func (d drawing) legend(t *testing.T, names ...string) []legendEntry {
	t.Helper()
	var out []legendEntry
	for _, n := range names {
		txt, ok := d.text(n)
		if !ok {
			t.Errorf("legend entry %q is not drawn; texts drawn: %q", n, d.allTexts())
			continue
		}
		best, found, score := stroke{}, false, math.Inf(1)
		for _, s := range d.strokes {
			if len(s.pts) != 2 || s.pts[0].Y != s.pts[1].Y || !near(s.pts[1].X-s.pts[0].X, vg.Points(20)) {
				continue // not a thumbnail: a horizontal line as wide as plot.Legend's ThumbnailWidth
			}
			dy := math.Abs(float64(s.pts[0].Y - txt.at.Y))
			dx := math.Min(math.Abs(float64(s.pts[0].X-txt.at.X)), math.Abs(float64(s.pts[1].X-txt.at.X)))
			if dy < 6 && dx < 400 && dy+0.01*dx < score {
				best, found, score = s, true, dy+0.01*dx
			}
		}
		if !found { // a glyph thumbnail (a scatter's) or a polygon's swatch: a small fill at the text's height
			for _, f := range d.fills {
				c, size := centre(f.pts)
				if near(size, vg.Points(20)) {
					size = 0 // a swatch as wide as plot.Legend's ThumbnailWidth
				}
				dy := math.Abs(float64(c.Y - txt.at.Y))
				dx := math.Abs(float64(c.X - txt.at.X))
				if size < vg.Points(12) && dy < 8 && dx < 400 && dy+0.01*dx < score {
					best, found, score = stroke{color: f.color, pts: []vg.Point{c}}, true, dy+0.01*dx
				}
			}
		}
		if !found {
			t.Errorf("legend entry %q has no thumbnail beside it", n)
			continue
		}
		out = append(out, legendEntry{txt, best})
	}
	return out
}

// centre is the middle of the points' bounding box and its larger side.
func centre(pts []vg.Point) (vg.Point, vg.Length) {
	if len(pts) == 0 {
		return vg.Point{}, vg.Length(math.Inf(1))
	}
	lo, hi := pts[0], pts[0]
	for _, p := range pts {
		lo.X, lo.Y = min(lo.X, p.X), min(lo.Y, p.Y)
		hi.X, hi.Y = max(hi.X, p.X), max(hi.Y, p.Y)
	}
	return vg.Point{X: (lo.X + hi.X) / 2, Y: (lo.Y + hi.Y) / 2}, max(hi.X-lo.X, hi.Y-lo.Y)
}

// series returns the strokes of at least minPoints points drawn in colour c
// with the given dashes: data lines, not ticks, frames or thumbnails.
func (d drawing) series(c color.Color, dashes []vg.Length, minPoints int) []stroke {
	var out []stroke
	for _, s := range d.strokes {
		if len(s.pts) >= minPoints && sameColor(s.color, c) && slices.Equal(s.dashes, dashes) {
			out = append(out, s)
		}
	}
	return out
}

func sameColor(a, b color.Color) bool {
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}

// dataArea is where p draws its data when it is drawn on the rectangle r of
// a canvas of the figure's size.
func dataArea(p *plot.Plot, r vg.Rectangle) vg.Rectangle {
	var rec recorder.Canvas
	c := draw.Canvas{Canvas: &rec, Rectangle: r}
	return p.DataCanvas(c).Rectangle
}

// panelRect is the rectangle of panel i of fig (Panels, or sized Panels)
// drawn at its size.
func panelRect(fig Figure, i int) vg.Rectangle {
	w, h := Size(fig)
	if s, ok := fig.(sized); ok {
		fig = s.Figure
	}
	p := fig.(Panels)[i]
	return vg.Rectangle{
		Min: vg.Point{X: w * vg.Length(p.X0), Y: h * vg.Length(p.Y0)},
		Max: vg.Point{X: w * vg.Length(p.X1), Y: h * vg.Length(p.Y1)},
	}
}

// requireLegendInside fails for every legend entry drawn outside the data
// area of p (drawn on r).
func requireLegendInside(t *testing.T, p *plot.Plot, r vg.Rectangle, entries []legendEntry) {
	t.Helper()
	area := dataArea(p, r)
	for _, e := range entries {
		if !inside(e.text.at, area) || !inside(e.thumb.pts[0], area) {
			t.Errorf("legend entry %q at %v is outside the axes %v", e.text.s, e.text.at, area)
		}
	}
}

// transforms maps data coordinates of p, drawn on r, to the canvas.
func transforms(p *plot.Plot, r vg.Rectangle) (tx, ty func(float64) vg.Length) {
	var rec recorder.Canvas
	dc := p.DataCanvas(draw.Canvas{Canvas: &rec, Rectangle: r})
	return p.Transforms(&dc)
}

// requireLine checks that some stroke in colour c and dashes passes through
// every data point of xys (in order), mapped through p drawn on r.
func requireLine(t *testing.T, name string, d drawing, p *plot.Plot, r vg.Rectangle, c color.Color, dashes []vg.Length, xys plotter.XYs) {
	t.Helper()
	tx, ty := transforms(p, r)
	for _, s := range d.series(c, dashes, len(xys)) {
		j := 0
		for _, pt := range s.pts {
			if j < len(xys) && near(pt.X, tx(xys[j].X)) && near(pt.Y, ty(xys[j].Y)) {
				j++
			}
		}
		if j == len(xys) {
			return
		}
	}
	t.Errorf("%s: no line in colour %v, dashes %v through its %d points", name, c, dashes, len(xys))
}

// requireExactLine checks that the data lines in colour c and dashes drawn
// in p's data area (on r) are exactly one, through the points of xys and no
// others: a series' point count and values. Legend thumbnails and error
// bars (vertical two-point strokes, and their caps: horizontal ones of at
// most 8 points) are not data lines.
func requireExactLine(t *testing.T, name string, d drawing, p *plot.Plot, r vg.Rectangle, c color.Color, dashes []vg.Length, xys plotter.XYs) {
	t.Helper()
	area := dataArea(p, r)
	var lines []stroke
	for _, s := range notThumbnails(d.series(c, dashes, 2)) {
		if len(s.pts) == 2 && (s.pts[0].X == s.pts[1].X || s.pts[0].Y == s.pts[1].Y && s.pts[1].X-s.pts[0].X <= vg.Points(8)) {
			continue
		}
		if inside(s.pts[0], grow(area, 1)) {
			lines = append(lines, s)
		}
	}
	if len(lines) != 1 {
		t.Errorf("%s: %d lines in colour %v, dashes %v, want 1", name, len(lines), c, dashes)
		return
	}
	tx, ty := transforms(p, r)
	got := lines[0].pts
	if len(got) != len(xys) {
		t.Errorf("%s: a line of %d points, want %d", name, len(got), len(xys))
		return
	}
	for i, xy := range xys {
		if !near(got[i].X, tx(xy.X)) || !near(got[i].Y, ty(xy.Y)) {
			t.Errorf("%s: point %d at %v, want (%v, %v) at %v", name, i, got[i], xy.X, xy.Y, vg.Point{X: tx(xy.X), Y: ty(xy.Y)})
		}
	}
}

// requireMarks checks that the glyphs (small fills: dots, squares) in
// colour c whose centres lie in p's data area (drawn on r) are at the data
// points of xys, in the order drawn, and that there are extra others (a
// legend's thumbnails).
func requireMarks(t *testing.T, name string, d drawing, p *plot.Plot, r vg.Rectangle, c color.Color, extra int, xys plotter.XYs) {
	t.Helper()
	area := dataArea(p, r)
	var got []vg.Point
	for _, f := range d.fills {
		if sameColor(f.color, c) && f.size < vg.Points(12) && inside(f.at, area) {
			got = append(got, f.at)
		}
	}
	if len(got) != len(xys)+extra {
		t.Errorf("%s: %d marks in %v, want %d", name, len(got), c, len(xys)+extra)
		return
	}
	tx, ty := transforms(p, r)
	for i, xy := range xys {
		if !near(got[i].X, tx(xy.X)) || !near(got[i].Y, ty(xy.Y)) {
			t.Errorf("%s: mark %d at %v, want (%v, %v) at %v", name, i, got[i], xy.X, xy.Y, vg.Point{X: tx(xy.X), Y: ty(xy.Y)})
		}
	}
}

// requireBars checks that the large fills (bars, areas) in colour c whose
// centres lie in p's data area (drawn on r) are exactly the rectangles want,
// in the order drawn. A legend's swatch (a fill as wide as plot.Legend's
// ThumbnailWidth) is not a bar.
func requireBars(t *testing.T, name string, d drawing, p *plot.Plot, r vg.Rectangle, c color.Color, want ...vg.Rectangle) {
	t.Helper()
	area := dataArea(p, r)
	var got []vg.Rectangle
	for _, f := range d.fills {
		if !sameColor(f.color, c) || len(f.pts) < 4 || f.size < vg.Points(12) || !inside(f.at, grow(area, 1)) {
			continue
		}
		if b := bounds(f.pts); !near(b.Max.X-b.Min.X, vg.Points(20)) {
			got = append(got, b)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d bars in %v, want %d", name, len(got), c, len(want))
		return
	}
	for i, w := range want {
		g := got[i]
		if !near(g.Min.X, w.Min.X) || !near(g.Min.Y, w.Min.Y) || !near(g.Max.X, w.Max.X) || !near(g.Max.Y, w.Max.Y) {
			t.Errorf("%s: bar %d is %v, want %v", name, i, g, w)
		}
	}
}

// rect is the rectangle between two corners given in any order.
func rect(x0, y0, x1, y1 vg.Length) vg.Rectangle {
	return vg.Rectangle{Min: vg.Point{X: min(x0, x1), Y: min(y0, y1)}, Max: vg.Point{X: max(x0, x1), Y: max(y0, y1)}}
}

func near(a, b vg.Length) bool { return math.Abs(float64(a-b)) < 0.01 }

// deltaE is the CIE76 colour difference of two colours in CIELAB (D65).
func deltaE(a, b color.Color) float64 {
	l1, a1, b1 := cieLab(a)
	l2, a2, b2 := cieLab(b)
	return math.Sqrt((l1-l2)*(l1-l2) + (a1-a2)*(a1-a2) + (b1-b2)*(b1-b2))
}

func cieLab(c color.Color) (l, a, b float64) {
	r16, g16, b16, _ := c.RGBA()
	lin := func(v uint32) float64 {
		x := float64(v) / 0xffff
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	r, g, bl := lin(r16), lin(g16), lin(b16)
	x := (0.4124*r + 0.3576*g + 0.1805*bl) / 0.95047
	y := 0.2126*r + 0.7152*g + 0.0722*bl
	z := (0.0193*r + 0.1192*g + 0.9505*bl) / 1.08883
	f := func(t float64) float64 {
		if t > 216.0/24389 {
			return math.Cbrt(t)
		}
		return (24389.0/27*t + 16) / 116
	}
	return 116*f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))
}

// legendBox is the white box drawn under the legend entries: the smallest
// white fill holding every entry's text, and smaller than a quarter of the
// background (the largest white fill).
func (d drawing) legendBox(t *testing.T, entries []legendEntry) vg.Rectangle {
	t.Helper()
	area := func(r vg.Rectangle) vg.Length { return r.Size().X * r.Size().Y }
	var background vg.Length
	for _, f := range d.fills {
		if sameColor(f.color, color.White) && len(f.pts) > 0 {
			background = max(background, area(bounds(f.pts)))
		}
	}
	best, found := vg.Rectangle{}, false
	for _, f := range d.fills {
		if !sameColor(f.color, color.White) || len(f.pts) < 4 || area(bounds(f.pts)) > background/4 {
			continue
		}
		r := bounds(f.pts)
		ok := true
		for _, e := range entries {
			ok = ok && inside(e.text.at, r)
		}
		if ok && (!found || area(r) < area(best)) {
			best, found = r, true
		}
	}
	if !found {
		t.Fatal("no white box under the legend")
	}
	return best
}

// requireStrokesClear fails when a stroke (a data line) passes through the
// rectangle r: every segment is checked at 200 points along it.
func requireStrokesClear(t *testing.T, what string, r vg.Rectangle, strokes []stroke) {
	t.Helper()
	for _, s := range strokes {
		for i := 1; i < len(s.pts); i++ {
			a, b := s.pts[i-1], s.pts[i]
			for k := range 201 {
				f := vg.Length(k) / 200
				if p := (vg.Point{X: a.X + f*(b.X-a.X), Y: a.Y + f*(b.Y-a.Y)}); inside(p, r) {
					t.Errorf("%s passes through the legend %v at %v", what, r, p)
					return
				}
			}
		}
	}
}

// requireTextsClear fails for every text, but those named, whose extent
// (its baseline, its width, 8 points up) meets r.
func (d drawing) requireTextsClear(t *testing.T, r vg.Rectangle, except ...string) {
	t.Helper()
	for _, x := range d.texts {
		if x.rotated || slices.Contains(except, x.s) {
			continue
		}
		if x.at.X < r.Max.X && r.Min.X < x.at.X+x.w && x.at.Y < r.Max.Y && r.Min.Y < x.at.Y+vg.Points(8) {
			t.Errorf("text %q at %v runs into the legend %v", x.s, x.at, r)
		}
	}
}

// notThumbnails leaves out the legend's line thumbnails (horizontal strokes
// as wide as plot.Legend's ThumbnailWidth).
func notThumbnails(ss []stroke) []stroke {
	var out []stroke
	for _, s := range ss {
		if len(s.pts) == 2 && s.pts[0].Y == s.pts[1].Y && near(s.pts[1].X-s.pts[0].X, vg.Points(20)) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// requireFillsClear fails for every coloured fill (not white: backgrounds
// and boxes) that overlaps r, but for the legend's own thumbnails: fills
// wholly inside r level with one of its entries.
func (d drawing) requireFillsClear(t *testing.T, r vg.Rectangle, entries []legendEntry) {
	t.Helper()
	for _, f := range d.fills {
		if sameColor(f.color, color.White) || len(f.pts) == 0 {
			continue
		}
		b := bounds(f.pts)
		if !(b.Min.X < r.Max.X && r.Min.X < b.Max.X && b.Min.Y < r.Max.Y && r.Min.Y < b.Max.Y) {
			continue
		}
		c, _ := centre(f.pts)
		thumb := false
		for _, e := range entries {
			thumb = thumb || inside(b.Min, r) && inside(b.Max, r) && math.Abs(float64(c.Y-e.text.at.Y)) < 8
		}
		if !thumb {
			t.Errorf("a fill in %v at %v lies under the legend %v", f.color, b, r)
		}
	}
}

// requireRegimesLegendClear checks that the legend of a Regimes chart with
// the paper's example sits where nothing is drawn: in the "market + limit"
// band, off the curve, the thresholds' lines, the grey band, the marker and
// every label.
func requireRegimesLegendClear(t *testing.T, d drawing) {
	t.Helper()
	names := []string{"lambda_u <= h + f = 0.023: breaks A2", "L* (closed form)", "lambda_u = 0.05: L* = 214"}
	entries := d.legend(t, names...)
	if len(entries) != len(names) {
		return
	}
	box := d.legendBox(t, entries)
	requireStrokesClear(t, "the curve", box, notThumbnails(d.series(Palette[0], nil, 2)))
	thresholds := d.series(color.Black, []vg.Length{vg.Points(4), vg.Points(3)}, 2)
	if len(thresholds) != 2 {
		t.Fatalf("%d dashed threshold lines, want 2", len(thresholds))
	}
	requireStrokesClear(t, "a threshold's line", box, thresholds)
	d.requireFillsClear(t, box, entries)
	d.requireTextsClear(t, box, names...)
	if limit, market := thresholds[0].pts[0].X, thresholds[1].pts[0].X; box.Min.X < limit || box.Max.X > market {
		t.Errorf("the legend %v is not between lambda_limit (x = %v) and lambda_market (x = %v)", box, limit, market)
	}
}
