package chart

import (
	"image/color"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor/queuescore"
	"github.com/sorlab/sorlab/sor/replay"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// queueScores are two models scored on 100 orders of one simulated market.
func queueScores(t *testing.T) *queuescore.Result {
	t.Helper()
	ms, err := queuescore.SimulatedMarkets(1)
	if err != nil {
		t.Fatal(err)
	}
	res, err := queuescore.Score(ms, queuescore.Setup{Orders: 100, Seeds: 4, Models: []replay.QueueModel{
		replay.RiskAverseQueue{}, replay.ProbQueue{Prob: replay.PowerProb{N: 1}, Sampled: true}}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestQueueCharts(t *testing.T) {
	res := queueScores(t)
	cal, err := QueueCalibration(res)
	renderPNG(t, "queue_calibration", cal, err)
	d := record(t, cal)
	d.requireTexts(t, "Filled within 1s", "Filled within 10s", "Filled within 1m0s", "predicted probability", "observed frequency")
	d.legend(t, "risk_averse", "prob_power1_sampled")
	// The deterministic model has two points per panel (predicted 0 and 1).
	for _, s := range d.series(Palette[0], nil, 2) {
		if len(s.pts) != 2 {
			t.Errorf("risk_averse's calibration line has %d points, want 2", len(s.pts))
		}
	}
	if n := len(d.series(Palette[0], nil, 2)); n != 4 {
		t.Errorf("%d risk_averse lines, want one per horizon and the legend's", n)
	}
	// The legend keeps off the models' lines and points and the diagonal.
	entries := d.legend(t, "risk_averse", "prob_power1_sampled")
	box := d.legendBox(t, entries)
	requireStrokesClear(t, "risk_averse", box, notThumbnails(d.series(Palette[0], nil, 2)))
	requireStrokesClear(t, "prob_power1_sampled", box, notThumbnails(d.series(Palette[1], nil, 2)))
	diagDash := []vg.Length{vg.Points(4), vg.Points(3)}
	requireStrokesClear(t, "the diagonal", box, d.series(diagColor, diagDash, 2))
	d.requireFillsClear(t, box, entries)
	// The dashed diagonal is drawn over the deterministic model's line,
	// which runs from (0, 0) to (1, 1) too, in every panel.
	var model, diag []int
	for i, s := range d.strokes {
		switch {
		case sameColor(s.color, Palette[0]) && len(s.pts) == 2 && s.pts[0].Y != s.pts[1].Y:
			model = append(model, i)
		case sameColor(s.color, diagColor) && slices.Equal(s.dashes, diagDash):
			diag = append(diag, i)
		}
	}
	if len(model) != 3 || len(diag) != 3 {
		t.Fatalf("%d risk_averse lines and %d diagonals, want 3 of each", len(model), len(diag))
	}
	for h := range diag {
		if diag[h] < model[h] {
			t.Errorf("panel %d: the diagonal is drawn before (under) risk_averse's line", h+1)
		}
	}

	ttf, err := QueueTimeToFill(res, "prob_power1_sampled")
	renderPNG(t, "queue_time_to_fill", ttf, err)
	d = record(t, ttf)
	d.requireTexts(t, "exact FIFO queue")
	if !strings.Contains(strings.Join(d.allTexts(), "|"), "prob_power1_sampled (KS ") {
		t.Errorf("no legend with the KS distance: %q", d.allTexts())
	}
	if len(d.series(color.Black, nil, 600)) != 1 || len(d.series(Palette[0], nil, 600)) != 2 {
		t.Errorf("want the truth's curve in black and the model's and its difference in the first colour")
	}
	d.requireTexts(t, "model − exact queue", "seconds after joining (log scale)")
	if strings.Contains(strings.Join(d.allTexts(), "|"), "risk_averse") {
		t.Error("a model not named is drawn")
	}

	if _, err := QueueCalibration(res, "nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown model: %v", err)
	}
	if _, err := QueueTimeToFill(&queuescore.Result{}); err == nil {
		t.Error("empty scores were drawn")
	}
}

// handScores are hand-made scores of ten orders at horizons of 1 s and
// 10 s. The truth filled three, at 0.5 s, 2 s and 5 s. "det" (one run)
// predicted 0 for six orders of which two filled within 1 s, and 1 for
// four of which three did; within 10 s, 0 for two (none filled) and 1 for
// eight (all filled); it filled at 1.5 s and 3 s. "sampled" (four runs)
// put five orders in the bin [0.2, 0.3) with 5 of their 20 runs filled
// (0.25) and one filled in truth (0.2), five in [0.7, 0.8) with 15 of 20
// (0.75) and four filled (0.8), at both horizons; of its 40 runs two
// filled at 0.7 s and two at 4 s. KS: 1 of 10 for det, 6 of 40 for sampled.
func handScores() *queuescore.Result {
	s := time.Second
	bins := func(b ...[4]int64) (out [queuescore.NumBins]queuescore.Bin) {
		for _, x := range b {
			out[x[0]] = queuescore.Bin{Orders: x[1], Predicted: x[2], Observed: x[3]}
		}
		return out
	}
	sampled := []queuescore.HorizonScore{{T: s, Bins: bins([4]int64{2, 5, 5, 1}, [4]int64{7, 5, 15, 4})}, {T: 10 * s, Bins: bins([4]int64{2, 5, 5, 1}, [4]int64{7, 5, 15, 4})}}
	for i := range sampled {
		sampled[i].Runs, sampled[i].Orders = 4, 10
	}
	return &queuescore.Result{
		Orders:   10,
		Horizons: []time.Duration{s, 10 * s},
		Truth:    queuescore.Outcome{Name: "truth", Orders: 10, Runs: 1, Times: []time.Duration{s / 2, 2 * s, 5 * s}},
		Models: []queuescore.Outcome{
			{Name: "det", Orders: 10, Runs: 1, KSDiff: 1, Times: []time.Duration{3 * s / 2, 3 * s}, Horizons: []queuescore.HorizonScore{
				{T: s, Orders: 10, Runs: 1, Bins: bins([4]int64{0, 6, 0, 2}, [4]int64{9, 4, 4, 3})},
				{T: 10 * s, Orders: 10, Runs: 1, Bins: bins([4]int64{0, 2, 0, 0}, [4]int64{9, 8, 8, 8})},
			}},
			{Name: "sampled", Orders: 10, Runs: 4, KSDiff: 6, Times: []time.Duration{7 * s / 10, 7 * s / 10, 4 * s, 4 * s}, Horizons: sampled},
		},
	}
}

// TestQueueCalibrationDrawsEveryBin checks each panel's points on the
// hand-made scores: a point per bin with orders at (predicted, observed),
// joined by a line, in the model's colour; the dashed diagonal over them;
// the legend in the first panel only.
func TestQueueCalibrationDrawsEveryBin(t *testing.T) {
	fig, err := QueueCalibration(handScores())
	if err != nil {
		t.Fatal(err)
	}
	if w, h := Size(fig); w != 8*vg.Inch || h != Height {
		t.Errorf("size %v × %v, want 4 inches a panel by the default height", w, h)
	}
	d := record(t, fig)
	d.requireTexts(t, "Filled within 1s", "Filled within 10s", "predicted probability", "observed frequency")
	d.legend(t, "det", "sampled")
	if n := strings.Count("|"+strings.Join(d.allTexts(), "|")+"|", "|det|"); n != 1 {
		t.Errorf("the legend is drawn %d times, want once (the first panel)", n)
	}
	diagDash := []vg.Length{vg.Points(4), vg.Points(3)}
	for h, want := range [][2]plotter.XYs{
		{{{X: 0, Y: 1.0 / 3}, {X: 1, Y: 0.75}}, {{X: 0.25, Y: 0.2}, {X: 0.75, Y: 0.8}}},
		{{{X: 0, Y: 0}, {X: 1, Y: 1}}, {{X: 0.25, Y: 0.2}, {X: 0.75, Y: 0.8}}},
	} {
		p, r := fig.(sized).Figure.(Panels)[h].Fig.(*plot.Plot), panelRect(fig, h)
		legend := 1 - h // the thumbnails' dots
		requireExactLine(t, "det", d, p, r, Palette[0], nil, want[0])
		requireMarks(t, "det", d, p, r, Palette[0], legend, want[0])
		requireExactLine(t, "sampled", d, p, r, Palette[1], nil, want[1])
		requireMarks(t, "sampled", d, p, r, Palette[1], legend, want[1])
		requireExactLine(t, "the diagonal", d, p, r, diagColor, diagDash, plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
	}
}

// TestQueueTimeToFillDrawsTheDistributions checks the curves on the
// hand-made scores: each the fraction filled within t at 601 times from
// 10 ms to the longest horizon, 10 s, evenly on a log axis (a factor of
// 1000^(1/600) apart): the truth's steps of 0.1 at 0.5, 2 and 5 s in black,
// det's at 1.5 and 3 s, sampled's of 2/40 at 0.7 and 4 s; below, each
// model's minus the truth's, and the zero line.
func TestQueueTimeToFillDrawsTheDistributions(t *testing.T) {
	fig, err := QueueTimeToFill(handScores())
	if err != nil {
		t.Fatal(err)
	}
	d := record(t, fig)
	d.requireTexts(t, "Time to fill: the exact queue and the models", "fraction filled", "model − exact queue", "seconds after joining (log scale)")
	d.legend(t, "det (KS 0.1000)", "sampled (KS 0.1500)", "exact FIFO queue")
	step := func(per float64, at ...float64) func(float64) float64 {
		return func(x float64) float64 {
			n := 0
			for _, a := range at {
				if a <= x {
					n++
				}
			}
			return per * float64(n)
		}
	}
	truth, det, sampled := step(0.1, 0.5, 2, 5), step(0.1, 1.5, 3), step(0.05, 0.7, 4)
	curve := func(f func(float64) float64) plotter.XYs {
		xys := make(plotter.XYs, 601)
		for i := range xys {
			x := 0.01 * math.Pow(1000, float64(i)/600)
			xys[i] = plotter.XY{X: x, Y: f(x)}
		}
		return xys
	}
	minus := func(f func(float64) float64) func(float64) float64 {
		return func(x float64) float64 { return f(x) - truth(x) }
	}
	col := fig.(sized).Figure.(column)
	w, h := Size(fig)
	cs := plot.Align([][]*plot.Plot{{col[0]}, {col[1]}}, draw.Tiles{Rows: 2, Cols: 1, PadY: vg.Points(4)}, draw.NewCanvas(new(recorder.Canvas), w, h))
	top, diff := cs[0][0].Rectangle, cs[1][0].Rectangle
	requireExactLine(t, "the truth", d, col[0], top, color.Black, nil, curve(truth))
	requireExactLine(t, "det", d, col[0], top, Palette[0], nil, curve(det))
	requireExactLine(t, "sampled", d, col[0], top, Palette[1], nil, curve(sampled))
	requireExactLine(t, "det − truth", d, col[1], diff, Palette[0], nil, curve(minus(det)))
	requireExactLine(t, "sampled − truth", d, col[1], diff, Palette[1], nil, curve(minus(sampled)))
	requireExactLine(t, "zero", d, col[1], diff, color.Black, nil, plotter.XYs{{X: 0.01, Y: 0}, {X: 10, Y: 0}})
}
