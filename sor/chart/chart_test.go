package chart

import (
	"strings"
	"testing"

	"github.com/sorlab/sorlab/sor"
)

const market = `ts_event,publisher_id,ask_px_00,ask_sz_00,bid_px_00,bid_sz_00
1000000000,2,10.00,300,9.99,100
1000000000,5,10.01,200,10.00,100
2000000000,8,10.00,400,9.98,100
3000000000,5,,0,,0
4000000000,2,10.00,300,9.99,100
`

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

// TestChartsRender draws every chart and checks the PNG decodes at the
// default size (8 × 4.5 in at 96 dpi = 768 × 432 px).
func TestChartsRender(t *testing.T) {
	o, snaps := outcome(t)
	p, err := Results(o)
	renderPNG(t, "results", p, err)
	p, err = VenueAsks(snaps, sor.Venues{2: {Name: "XNAS", Fee: sor.Cent}})
	renderPNG(t, "venue_asks", p, err)
	p, err = GridHeatmap(o.Grid, o.Config.Grid.ThetaQueue[0])
	renderPNG(t, "heatmap", p, err)
	if _, err := GridHeatmap(o.Grid, 12345); err == nil {
		t.Error("heatmap of a missing theta must fail")
	}
}

func TestThousands(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -25000: "-25,000"} {
		if got := thousands(v); got != want {
			t.Errorf("thousands(%v) = %q, want %q", v, got, want)
		}
	}
}
