package chart

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// walk is a step series of n points, one every 10 ms, of sizes that jump
// at random between 0 and 10,000 shares as the sample's depth does.
func walk(n int) plotter.XYs {
	r := rand.New(rand.NewPCG(1, 2))
	xys := make(plotter.XYs, n)
	y := 5000.0
	for i := range xys {
		y = math.Max(0, math.Min(10000, y+r.NormFloat64()*800))
		xys[i] = plotter.XY{X: float64(i) / 100, Y: y}
	}
	return xys
}

// TestM4KeepsEachColumnsExtremes checks the thinning on a long series cut
// into columns of 0.37 s: the points kept are points of the series in
// their order, the first and the last of all are kept, and each column
// keeps its first, last, lowest and highest value, in at most four points.
func TestM4KeepsEachColumnsExtremes(t *testing.T) {
	xys := walk(20000)
	col := func(x float64) int { return int(math.Floor(x / 0.37)) }
	got := m4(xys, col)
	if len(got) >= len(xys)/4 {
		t.Fatalf("m4 kept %d of %d points, want fewer than a quarter", len(got), len(xys))
	}
	if got[0] != xys[0] || got[len(got)-1] != xys[len(xys)-1] {
		t.Errorf("m4 kept %v … %v, want the first and last points %v … %v", got[0], got[len(got)-1], xys[0], xys[len(xys)-1])
	}
	type column struct {
		first, last plotter.XY
		lo, hi      float64
		n           int
	}
	columns := func(xys plotter.XYs) map[int]*column {
		m := map[int]*column{}
		for _, p := range xys {
			c := m[col(p.X)]
			if c == nil {
				c = &column{first: p, lo: p.Y, hi: p.Y}
				m[col(p.X)] = c
			}
			c.last, c.lo, c.hi, c.n = p, min(c.lo, p.Y), max(c.hi, p.Y), c.n+1
		}
		return m
	}
	want, have := columns(xys), columns(got)
	if len(have) != len(want) {
		t.Fatalf("m4 kept points in %d columns, want %d", len(have), len(want))
	}
	for k, w := range want {
		h := have[k]
		if h.first != w.first || h.last != w.last || h.lo != w.lo || h.hi != w.hi || h.n > 4 {
			t.Errorf("column %d: kept %d points, first %v, last %v, range [%v, %v]; want at most 4, %v, %v, [%v, %v]",
				k, h.n, h.first, h.last, h.lo, h.hi, w.first, w.last, w.lo, w.hi)
		}
	}
	// A subsequence: each kept point is the next equal one of the series.
	i := 0
	for _, p := range got {
		for i < len(xys) && xys[i] != p {
			i++
		}
		if i == len(xys) {
			t.Fatalf("m4 kept %v out of the series' order", p)
		}
		i++
	}
}

// stepChart is a chart of xys as Depth draws them, through a longLine
// (returned) or a plain plotter.Line (nil), on a 4 × 3 inch PNG (288 pixels
// wide), and the data area of that PNG.
func stepChart(t *testing.T, xys plotter.XYs, long bool) (*plot.Plot, *longLine, image.Image, draw.Canvas) {
	t.Helper()
	p := newPlot("steps", "time", "shares")
	var ll *longLine
	line, err := plotter.NewLine(xys)
	if err != nil {
		t.Fatal(err)
	}
	if long {
		if ll, err = newLongLine(xys); err != nil {
			t.Fatal(err)
		}
		line = ll.Line
		p.Add(ll)
	} else {
		p.Add(line)
	}
	line.StepStyle, line.Width = plotter.PostStep, vg.Points(1)
	lineStyle(line, 0)
	w, h := 4*vg.Inch, 3*vg.Inch
	b, err := PNG(p, w, h)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return p, ll, img, p.DataCanvas(draw.New(vgimg.New(w, h)))
}

// diff counts the pixels of a and b (of one size) whose colours differ by
// half their range or more in a channel (far) and by less (shaded).
func diff(a, b image.Image) (far, shaded int) {
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			d := max(absDiff(r1, r2), absDiff(g1, g2), absDiff(b1, b2))
			switch {
			case d >= 0x8000:
				far++
			case d > 0:
				shaded++
			}
		}
	}
	return far, shaded
}

// TestLongLineDrawsTheSamePicture draws a series of 20,000 steps with and
// without thinning: the thinned line has a fraction of the points, the
// same data area, and the same pixels but for the antialiased edges of
// some strokes. A short series is not thinned at all.
func TestLongLineDrawsTheSamePicture(t *testing.T) {
	xys := walk(20000)
	p, l, thin, data := stepChart(t, xys, true)
	_, _, all, plainData := stepChart(t, xys, false)
	if n := len(l.drawn(data, p)); n > len(xys)/2 {
		t.Errorf("a longLine of %d points draws %d, want at most half", len(xys), n)
	}
	if data.Rectangle != plainData.Rectangle {
		t.Errorf("data area %v with a longLine, want %v as with a plotter.Line", data.Rectangle, plainData.Rectangle)
	}
	if thin.Bounds() != all.Bounds() {
		t.Fatalf("thinned chart %v, want %v", thin.Bounds(), all.Bounds())
	}
	far, shaded := diff(thin, all)
	px := thin.Bounds().Dx() * thin.Bounds().Dy()
	t.Logf("%d of %d pixels differ by half their range or more, %d by less", far, px, shaded)
	if far > px/200 {
		t.Errorf("%d of %d pixels differ by half their range or more, want at most 0.5%%", far, px)
	}

	short := xys[:1000] // fewer than thinFactor points a column
	p, l, small, data := stepChart(t, short, true)
	if n := len(l.drawn(data, p)); n != len(short) {
		t.Errorf("a longLine of %d points draws %d, want all", len(short), n)
	}
	_, _, smallAll, _ := stepChart(t, short, false)
	if far, shaded := diff(small, smallAll); far+shaded != 0 {
		t.Errorf("a short longLine changed %d pixels, want none", far+shaded)
	}
}
