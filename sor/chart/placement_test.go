package chart

import (
	"testing"
	"time"

	"github.com/sorlab/sorlab/data"
	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/replay"
)

func TestPlacementChartsRender(t *testing.T) {
	st, venues := sampleStream(t)
	cfg := replay.Config{OrderSize: 2000, Venues: venues, Fills: replay.Queue{Model: replay.RiskAverseQueue{}}}
	p := replay.Placement{Slice: 20 * time.Second, Router: replay.CKRouter{LambdaUnder: 10 * sor.Cent, LambdaOver: 5 * sor.Cent, Theta: sor.Cent / 10, Iterations: 200}}
	res, err := p.Run([]sor.Source{st}, cfg, []uint64{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	s, err := PlacementSavings(res)
	renderPNG(t, "placement_savings", s, err)
	m, err := PlacementMarkouts(res, false)
	renderPNG(t, "placement_markouts", m, err)
	mk, err := PlacementMarkouts(res, true)
	renderPNG(t, "placement_markouts_maker", mk, err)
	if _, err := PlacementSavings(&replay.PlacementResult{}); err == nil {
		t.Error("an empty result was drawn")
	}
	if _, err := PlacementMarkouts(nil, false); err == nil {
		t.Error("a nil result was drawn")
	}
}

// sampleStream is the first two minutes of the shipped sample and its venues.
func sampleStream(t *testing.T) (*sor.Stream, sor.Venues) {
	t.Helper()
	rows, err := data.SampleRows()
	if err != nil {
		t.Fatal(err)
	}
	venues, err := data.SampleVenues()
	if err != nil {
		t.Fatal(err)
	}
	st := sor.NewStream(rows, sor.Window{})
	return sor.NewStream(rows, sor.Window{End: st.First() + int64(2*time.Minute)}), venues
}
