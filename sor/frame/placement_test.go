package frame

import (
	"math"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/replay"
)

// placementResult is the placement experiment on a hand-made market (the
// one of replay's TestPlacementByHand): two slices of 100 shares, one seed,
// markouts at 0 and 5 ns.
func placementResult(t *testing.T) *replay.PlacementResult {
	t.Helper()
	c := sor.Cent
	row := func(ts int64, action byte, price sor.Money, size int64, bid sor.Money, bidSz int64, ask sor.Money) sor.Row {
		return sor.Row{TsEvent: ts, PublisherID: 1, Action: action, Side: 'A', Price: price, Size: size,
			BidPx: bid, BidSz: bidSz, AskPx: ask, AskSz: 500}
	}
	rows := []sor.Row{
		row(0, 'A', 10000*c, 300, 10000*c, 300, 10002*c),
		row(5, 'T', 10000*c, 300, 9999*c, 200, 10002*c),
		row(7, 'T', 9999*c, 150, 9999*c, 50, 10002*c),
		row(10, 'A', 10001*c, 500, 9999*c, 50, 10001*c),
		row(15, 'T', 9999*c, 30, 9999*c, 20, 10001*c),
		row(20, 'C', 10001*c, 500, 9999*c, 20, 10003*c),
	}
	cfg := replay.Config{OrderSize: 200, Venues: sor.Venues{1: {PublisherID: 1, Name: "XNAS", Fee: c * 3 / 10, Rebate: c * 2 / 10}},
		Fills: replay.Queue{Model: replay.RiskAverseQueue{}}}
	p := replay.Placement{Slice: 10, Markouts: []time.Duration{0, 5},
		Router: replay.CKRouter{LambdaUnder: 5 * c, LambdaOver: 5 * c, Theta: c / 10, Iterations: 200}}
	res, err := p.Run([]sor.Source{replay.NewStream(rows, sor.Window{})}, cfg, []uint64{1})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestPlacementFrames(t *testing.T) {
	res := placementResult(t)
	df := Placement(res)
	if r, c := df.Dims(); r != 3 || c != 12 {
		t.Fatalf("placement: %d x %d", r, c)
	}
	// limit only (third line): (100.018 − 100.0155)/100.018·10⁴ bps, half
	// the shares as a maker, half caught up at 0.02 above the slice's ask.
	want := map[string]float64{"savings_bps": (100.018 - 100.0155) / 100.018 * 1e4, "maker_share": 0.5, "catch_up_share": 0.5, "catch_up_cost": 0.02, "cost_per_share": 100.0155}
	for col, w := range want {
		if got := df.Col(col).Elem(2).Float(); math.Abs(got-w) > 1e-9 {
			t.Errorf("limit only %s = %v, want %v", col, got, w)
		}
	}
	if got := df.Col("variant").Records(); got[0] != "market_only" || got[2] != "limit_only" {
		t.Errorf("variants %v", got)
	}
	mo := PlacementMarkouts(res)
	if r, _ := mo.Dims(); r != 6 {
		t.Fatalf("markouts: %d lines, want 3 variants x 2 horizons", r)
	}
	// limit only at 0: −0.0075 over all fills, +0.005 maker, −0.02 taker.
	if a, m, k := mo.Col("markout").Elem(4).Float(), mo.Col("maker").Elem(4).Float(), mo.Col("taker").Elem(4).Float(); math.Abs(a+0.0075) > 1e-9 || math.Abs(m-0.005) > 1e-9 || math.Abs(k+0.02) > 1e-9 {
		t.Errorf("limit only markouts at 0: %v %v %v", a, m, k)
	}
	vs := PlacementVenues(res)
	if r, c := vs.Dims(); r != 3 || c != 6 || vs.Col("venue").Records()[0] != "XNAS" || vs.Col("shares").Records()[0] != "200" {
		t.Errorf("venues:\n%v", vs)
	}
	if got := vs.Names(); got[4] != "markout_0s" || got[5] != "markout_5ns" {
		t.Errorf("venue columns %v", got)
	}
}
