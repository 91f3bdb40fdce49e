package chart

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sorlab/sorlab/data"
	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/replay"
	"gonum.org/v1/plot"
)

// renderPNG renders p at the default size, checks that it decodes as
// 768 × 432 pixels, and writes it to $SORLAB_CHART_DIR/name.png when that is
// set (to look at the charts).
func renderPNG(t *testing.T, name string, p *plot.Plot, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	b, err := PNG(p, Width, Height)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if img.Bounds().Dx() != 768 || img.Bounds().Dy() != 432 {
		t.Errorf("%s: %v", name, img.Bounds())
	}
	if dir := os.Getenv("SORLAB_CHART_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name+".png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// sampleStream is the first two minutes of the shipped sample.
func sampleStream(t *testing.T) (*replay.Stream, sor.Venues) {
	t.Helper()
	rows, err := data.SampleRows()
	if err != nil {
		t.Fatal(err)
	}
	venues, err := data.SampleVenues()
	if err != nil {
		t.Fatal(err)
	}
	st := replay.NewStream(rows, sor.Window{})
	return replay.NewStream(rows, sor.Window{End: st.First() + int64(2*time.Minute)}), venues
}

func TestReplayChartsRender(t *testing.T) {
	st, venues := sampleStream(t)
	cfg := replay.Config{OrderSize: 2000, Venues: venues,
		Fills: replay.Queue{Model: replay.ProbQueue{Prob: replay.PowerProb{N: 2}, Sampled: true}}}
	router := &replay.CKRouter{Horizon: 10 * time.Second, LambdaUnder: 5 * sor.Cent, LambdaOver: 5 * sor.Cent, Theta: sor.Cent / 10}
	stats, err := replay.Evaluate(st, cfg, []replay.Factory{
		func() replay.Strategy { return router.Clone() },
		func() replay.Strategy { return &replay.Baseline{S: sor.BestAsk{}} },
	}, []uint64{1, 2, 3, 4})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Intervals(stats)
	renderPNG(t, "intervals", p, err)
	if _, err := Intervals(nil); err == nil {
		t.Error("Intervals(nil) must fail")
	}

	g := sor.Grid{LambdaUnder: []sor.Money{sor.Cent, 5 * sor.Cent}, LambdaOver: []sor.Money{5 * sor.Cent}, ThetaQueue: []sor.Money{sor.Cent / 10}}
	points, best, err := replay.GridSearch(st, cfg, &replay.CKRouter{Horizon: 10 * time.Second}, g, []uint64{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	if points[0].Err == nil || best != 1 {
		t.Fatalf("want the first point refused (A2) and the second best; got err %v, best %d", points[0].Err, best)
	}
	p, err = GridCosts(points, best)
	renderPNG(t, "grid_costs", p, err)
	if _, err := GridCosts(nil, -1); err == nil {
		t.Error("GridCosts(nil) must fail")
	}
	// Every point refused: still a chart.
	p, err = GridCosts(points[:1], -1)
	renderPNG(t, "grid_refused", p, err)
}
