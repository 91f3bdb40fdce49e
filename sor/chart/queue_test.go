package chart

import (
	"image/color"
	"slices"
	"strings"
	"testing"

	"github.com/sorlab/sorlab/sor/queuescore"
	"github.com/sorlab/sorlab/sor/replay"
	"gonum.org/v1/plot/vg"
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
