package chart

import (
	"image/color"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/replay"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// market is a hand-made file: two venues at t = 1 s (300 @ 10.00 at
// venue 2, 200 @ 10.01 at venue 5), venue 8 joins at 2 s with 400 @ 10.00,
// venue 5 leaves at 3 s, venue 2 refreshes at 4 s. No fees.
const market = `ts_event,publisher_id,ask_px_00,ask_sz_00,bid_px_00,bid_sz_00
1000000000,2,10.00,300,9.99,100
1000000000,5,10.01,200,10.00,100
2000000000,8,10.00,400,9.98,100
3000000000,5,,0,,0
4000000000,2,10.00,300,9.99,100
`

// outcome runs the exercise on market for 500 shares. By hand:
//   - router at 1 s: the only split of 500 is 300 @ 10.00 + 200 @ 10.01,
//     $5,002, avg 10.004;
//   - Best Ask: 300 @ 10.00 at venue 2 at 1 s, then 200 @ 10.00 at venue 8
//     at 2 s (venue 2 is depleted), $5,000, avg 10.00;
//   - TWAP: one 60 s bucket (the file spans 3 s), so Best Ask's fills;
//   - VWAP at 1 s: 500·300/500 = 300 at venue 2, 200 at venue 5, as the
//     router.
func outcome(t *testing.T) (*sor.Outcome, []sor.Snapshot) {
	rows, err := sor.NewReader(strings.NewReader(market), "m.csv", sor.ReadOptions{}).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	snaps := sor.BuildSnapshots(rows, sor.Window{})
	cfg := sor.DefaultConfig()
	cfg.OrderSize = 500
	o, err := sor.Run(snaps, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return o, snaps
}

// TestResultsShowsEachStrategy checks results.png panel by panel: the
// whole run with one line per strategy through its cumulative cash, a
// legend naming them inside the axes, the zoom on the first seconds, and
// each average price against Best Ask's in basis points.
func TestResultsShowsEachStrategy(t *testing.T) {
	o, _ := outcome(t)
	fig, err := Results(o)
	renderPNG(t, "results", fig, err)
	panels, ok := fig.(Panels)
	if !ok || len(panels) != 3 {
		t.Fatalf("Results drew %T with %d panels, want Panels of 3 (whole run, first seconds, bps)", fig, len(panels))
	}
	d := record(t, fig)
	names := []string{"router", "best_ask", "twap", "vwap"}
	d.requireTexts(t, "Cumulative cash spent", "time (UTC)", "cash spent ($)",
		// ZoomEnd: everyone but the slowest is done at 2 s, 1 s after the
		// first snapshot; a quarter more is 1.25 s.
		"The first 1.25 s", "seconds after 00:00:01.000",
		"Average price against Best Ask's", "basis points of Best Ask's average price (positive: dearer)", "strategy",
		// (10.004 − 10.00)/10.00 · 10⁴ = 4 bps for the router and VWAP.
		"  +4.000 bps", "  0.000 bps")
	for _, n := range names {
		d.requireTexts(t, n) // the legend and the bps panel's rows
	}
	whole := panels[0].Fig.(*plot.Plot)
	r0 := panelRect(fig, 0)
	entries := d.legend(t, names...)
	requireLegendInside(t, whole, r0, entries)
	for i, r := range o.Results() {
		if i < len(entries) && !sameColor(entries[i].thumb.color, Palette[i]) {
			t.Errorf("legend %q has colour %v, want %v", names[i], entries[i].thumb.color, Palette[i])
		}
		requireLine(t, r.Strategy, d, whole, r0, Palette[i], dashes[i], cashSteps(o.First, o.Last, r, seconds))
	}
	// Exact steps of Best Ask: $3,000 at 1 s, $5,000 at 2 s, held to 4 s.
	want := plotter.XYs{{X: 1, Y: 0}, {X: 1, Y: 3000}, {X: 2, Y: 5000}, {X: 4, Y: 5000}}
	if got := cashSteps(o.First, o.Last, o.BestAsk, seconds); !equalXYs(got, want) {
		t.Errorf("Best Ask's cash steps = %v, want %v", got, want)
	}
	// The zoom panel cuts at ZoomEnd: the router's whole $5,002 at 1 s.
	zoom := panels[1].Fig.(*plot.Plot)
	if zoom.X.Max != 1.25 {
		t.Errorf("the zoom ends %v s after the first snapshot, want 1.25", zoom.X.Max)
	}
	requireLine(t, "router, first seconds", d, zoom, panelRect(fig, 1), Palette[0], dashes[0],
		plotter.XYs{{X: 0, Y: 0}, {X: 0, Y: 5002}, {X: 1.25, Y: 5002}})
	// The bps panel: one bar per strategy, the first on top (y = 3): the
	// router and VWAP 4 bps long, Best Ask and TWAP empty at 0.
	bps, r2 := panels[2].Fig.(*plot.Plot), panelRect(fig, 2)
	for i, v := range []float64{4, 0, 0, 4} {
		requireBars(t, names[i]+"'s bar", d, bps, r2, Palette[i], hbar(bps, r2, float64(3-i), v))
	}
}

// hbar is VsBestAsk's bar of v basis points in row y of p drawn on r: from
// 0 to v, 14 points high.
func hbar(p *plot.Plot, r vg.Rectangle, y, v float64) vg.Rectangle {
	tx, ty := transforms(p, r)
	return rect(tx(0), ty(y)-7, tx(v), ty(y)+7)
}

func equalXYs(a, b plotter.XYs) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// handFills is a hand-made sor.NamedFiller: the charts read fills through
// the interface, not from a *sor.Result.
type handFills struct {
	name  string
	fills []sor.Fill
}

func (h handFills) Len() int            { return len(h.fills) }
func (h handFills) Fill(i int) sor.Fill { return h.fills[i] }
func (h handFills) Name() string        { return h.name }

// TestZoomEnd covers the rule that picks the second panel of results.png.
func TestZoomEnd(t *testing.T) {
	fills := func(ts ...int64) sor.Filler {
		var h handFills
		for _, x := range ts {
			h.fills = append(h.fills, sor.Fill{Time: x})
		}
		return h
	}
	const s = int64(1e9)
	for _, tc := range []struct {
		name    string
		results []sor.Filler
		want    int64
	}{
		{"one result: nothing to zoom", []sor.Filler{fills(2 * s)}, 100 * s},
		{"second slowest at 4 s of 100: 1.25 × 4", []sor.Filler{fills(s, 2*s), fills(4 * s), fills(90 * s)}, 5 * s},
		{"at least one second", []sor.Filler{fills(100), fills(200), fills(90 * s)}, s},
		{"second slowest past half the run", []sor.Filler{fills(60 * s), fills(90 * s)}, 100 * s},
		{"no fills count as finishing last", []sor.Filler{fills(), fills(s), fills(2 * s)}, 2*s + s/2},
	} {
		if got := ZoomEnd(0, 100*s, tc.results...); got != tc.want {
			t.Errorf("%s: ZoomEnd = %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestVsBestAskDrawsEachBar checks the bars on hand-made fills against a
// Best Ask of 200 at $10.00: "dear" buys 100 at $10.00 and 100 at $10.02,
// avg $10.01, (10.01 − 10.00)/10.00 · 10⁴ = +10 bps; "cheap" 200 at $9.99,
// −10 bps; "idle" nothing: named, labelled "no fills", and no bar at 0.
// Rows from the top in the order given (y = 2, 1, 0); the x axis runs from
// −10 − 5% to 10 + 35% of the 20 bps between them (room for the labels).
func TestVsBestAskDrawsEachBar(t *testing.T) {
	best := handFills{"best", []sor.Fill{{Time: 1e9, Shares: 200, Price: 10 * sor.Dollar}}}
	dear := handFills{"dear", []sor.Fill{{Time: 1e9, Shares: 100, Price: 10 * sor.Dollar}, {Time: 2e9, Shares: 100, Price: 10*sor.Dollar + 2*sor.Cent}}}
	cheap := handFills{"cheap", []sor.Fill{{Time: 1e9, Shares: 200, Price: 10*sor.Dollar - sor.Cent}}}
	idle := handFills{name: "idle"}
	p, err := VsBestAsk(best, dear, cheap, idle)
	if err != nil {
		t.Fatal(err)
	}
	d := record(t, p)
	d.requireTexts(t, "Average price against Best Ask's", "basis points of Best Ask's average price (positive: dearer)", "strategy",
		"  +10.000 bps", "  -10.000 bps", " no fills")
	r := rectOf(Size(p))
	requireBars(t, "dear", d, p, r, Palette[0], hbar(p, r, 2, 10))
	requireBars(t, "cheap", d, p, r, Palette[1], hbar(p, r, 1, -10))
	requireBars(t, "idle", d, p, r, Palette[2])
	if p.X.Min != -11 || p.X.Max != 17 || p.Y.Min != -0.6 || p.Y.Max != 2.6 {
		t.Errorf("axes [%v, %v] × [%v, %v], want [-11, 17] × [-0.6, 2.6]", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	// Each row is named at its bar's height, and labelled at the bar's end
	// (at 0 for a bar to the left of it).
	tx, ty := transforms(p, r)
	for _, row := range []struct {
		name, label string
		x, y        float64
	}{{"dear", "  +10.000 bps", 10, 2}, {"cheap", "  -10.000 bps", 0, 1}, {"idle", " no fills", 0, 0}} {
		name, _ := d.text(row.name)
		label, _ := d.text(row.label)
		if name.at.X >= tx(-11) || math.Abs(float64(name.at.Y-ty(row.y))) > 6 {
			t.Errorf("%q is drawn at %v, want left of the axis at the height of row %v (%v)", row.name, name.at, row.y, ty(row.y))
		}
		if !near(label.at.X, tx(row.x)) || math.Abs(float64(label.at.Y-ty(row.y))) > 6 {
			t.Errorf("%q is drawn at %v, want at (%v, %v)", row.label, label.at, tx(row.x), ty(row.y))
		}
	}
	if _, err := VsBestAsk(nil, dear); err == nil {
		t.Error("VsBestAsk without Best Ask must fail")
	}
	if _, err := VsBestAsk(best); err == nil {
		t.Error("VsBestAsk without results must fail")
	}
}

// TestChartsTakeAnyFiller draws the cumulative cash and the bps panel from
// a hand-made sor.NamedFiller and a *replay.Result: 100 shares at $10.00 at
// 1 s and 100 at $10.02 at 2 s, $2,002, avg $10.01; against a Best Ask of
// 200 at $10.00, (10.01 − 10.00)/10.00 · 10⁴ = +10 bps.
func TestChartsTakeAnyFiller(t *testing.T) {
	hand := handFills{"hand", []sor.Fill{
		{Time: 1e9, Venue: 2, Shares: 100, Price: 10 * sor.Dollar},
		{Time: 2e9, Venue: 5, Shares: 100, Price: 10*sor.Dollar + 2*sor.Cent},
	}}
	rep := &replay.Result{Result: sor.Result{Strategy: "replayed", Fills: hand.fills}, Info: make([]replay.FillInfo, 2)}
	best := handFills{"best", []sor.Fill{{Time: 1e9, Shares: 200, Price: 10 * sor.Dollar}}}
	p, err := CumulativeCash(0, 3e9, hand, rep)
	if err != nil {
		t.Fatal(err)
	}
	d := record(t, p)
	r := rectOf(Size(p))
	steps := plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1000}, {X: 2, Y: 2002}, {X: 3, Y: 2002}}
	requireLine(t, "hand", d, p, r, Palette[0], dashes[0], steps)
	requireLine(t, "replayed", d, p, r, Palette[1], dashes[1], steps)
	requireLegendInside(t, p, r, d.legend(t, "hand", "replayed"))
	bps, err := VsBestAsk(best, hand, rep)
	if err != nil {
		t.Fatal(err)
	}
	record(t, bps).requireTexts(t, "hand", "replayed", "  +10.000 bps")
}

// TestVenueAsksGiveEachVenueItsColour checks that every venue has its own
// line style, that colours of equal dashes are far apart, and that each
// venue's line is drawn.
func TestVenueAsksGiveEachVenueItsColour(t *testing.T) {
	_, snaps := outcome(t)
	venues := sor.Venues{2: {Name: "XNAS", Fee: sor.Cent}, 5: {Name: "BATS"}, 8: {Name: "EDGX"}}
	p, err := VenueAsks(snaps, venues)
	renderPNG(t, "venue_asks", p, err)
	d := record(t, p)
	d.requireTexts(t, "Best ask + fee by venue, 00:00:01.000 to 00:00:04.000", "time (UTC)", "ask + fee ($/share)")
	names := []string{"consolidated best", "XNAS (2)", "BATS (5)", "EDGX (8)"}
	entries := d.legend(t, names...)
	w, h := Size(p)
	requireLegendInside(t, p, rectOf(w, h), entries)
	for i := 1; i < len(entries); i++ {
		for j := 1; j < i; j++ {
			a, b := entries[i].thumb, entries[j].thumb
			if deltaE(a.color, b.color) < 40 && equalDashes(a.dashes, b.dashes) {
				t.Errorf("%s and %s look alike: %v and %v", entries[i].text.s, entries[j].text.s, a.color, b.color)
			}
		}
	}
	// Each venue's ask + fee at the snapshots that show it, as steps: XNAS
	// 10.00 + 0.01 at 1-4 s, BATS 10.01 at 1-2 s (it leaves at 3 s), EDGX
	// 10.00 from 2 s; the consolidated best 10.01 at 1 s (XNAS and BATS
	// tie after the fee), then EDGX's 10.00.
	r := rectOf(w, h)
	for _, l := range []struct {
		name string
		c    color.Color
		xys  plotter.XYs
	}{
		{"XNAS", Palette[0], plotter.XYs{{X: 1, Y: 10.01}, {X: 2, Y: 10.01}, {X: 3, Y: 10.01}, {X: 4, Y: 10.01}}},
		{"BATS", Palette[1], plotter.XYs{{X: 1, Y: 10.01}, {X: 2, Y: 10.01}}},
		{"EDGX", Palette[2], plotter.XYs{{X: 2, Y: 10}, {X: 3, Y: 10}, {X: 4, Y: 10}}},
		{"consolidated best", color.Gray{Y: 200}, plotter.XYs{{X: 1, Y: 10.01}, {X: 2, Y: 10.01}, {X: 2, Y: 10}, {X: 4, Y: 10}}},
	} {
		requireLine(t, l.name, d, p, r, l.c, nil, l.xys)
		if n := len(notThumbnails(d.series(l.c, nil, 2))); n != 1 {
			t.Errorf("%s: %d lines, want 1", l.name, n)
		}
	}
}

func equalDashes(a, b []vg.Length) bool { return slices.Equal(a, b) }

func rgb(r, g, b uint8) color.Color { return color.RGBA{r, g, b, 255} }

func rectOf(w, h vg.Length) vg.Rectangle { return vg.Rectangle{Max: vg.Point{X: w, Y: h}} }

// TestPaletteColoursAreDistinct: every pair of palette colours is at least
// 45 apart in CIELAB (ΔE*76), so no two strategies or venues share a hue.
func TestPaletteColoursAreDistinct(t *testing.T) {
	for i := range Palette {
		for j := range i {
			if d := deltaE(Palette[i], Palette[j]); d < 45 {
				t.Errorf("Palette[%d] and Palette[%d] are only %.1f apart", j, i, d)
			}
		}
	}
	// The test's own measure: Okabe-Ito's blue and sky blue, the pair the
	// old palette gave XNAS and ARCX, are 26.4 apart.
	if d := deltaE(rgb(0, 114, 178), rgb(86, 180, 233)); d < 26 || d > 27 {
		t.Errorf("deltaE(blue, sky blue) = %.2f, want 26.4", d)
	}
}

func TestThousands(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -25000: "-25,000"} {
		if got := thousands(v); got != want {
			t.Errorf("thousands(%v) = %q, want %q", v, got, want)
		}
	}
}
