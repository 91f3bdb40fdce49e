package replay

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/sorlab/sorlab/sor"
)

// Two one-venue markets: the ask is 10.00 then 10.10 in the first, 10.00 then
// 9.90 in the second. Best ask buys at the first snapshot (10.00 in both);
// a strategy that waits for the second snapshot pays 10.10 (+100 bps) and
// 9.90 (−100 bps): on average no better, and never in both.
func TestCompareMarketsPairsByMarket(t *testing.T) {
	market := func(second string) *Stream {
		rows, err := sor.NewReader(strings.NewReader("ts_event,publisher_id,ask_px_00,ask_sz_00\n1,2,10.00,1000\n2,2,"+second+",1000\n"), "m.csv", sor.ReadOptions{}).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return NewStream(rows, sor.Window{})
	}
	markets := []sor.Source{market("10.10"), market("9.90")}
	stats, err := CompareMarkets(markets, Config{OrderSize: 100}, []Factory{
		func() Strategy { return &Baseline{S: sor.BestAsk{}} },
		func() Strategy { return &Baseline{S: &waitOne{}} },
	}, []uint64{1}, 0)
	if err != nil {
		t.Fatal(err)
	}
	ref, wait := stats[0], stats[1]
	if ref.VsReferenceBps != 0 || ref.Beats != 0 || ref.Reference != "best_ask" {
		t.Errorf("reference against itself: %+v", ref)
	}
	// d = +100 and −100 bps: mean 0, sd 141.42, t(1) = 12.706:
	// half width 12.706·141.42/√2 = 1270.6.
	if math.Abs(wait.VsReferenceBps) > 1e-9 || wait.Beats != 1 || math.Abs(wait.High-1270.6) > 0.1 || wait.FillRate != 1 {
		t.Errorf("waiting strategy: %+v", wait)
	}
	// The report has the exact mean and the bounds rounded to 1e-9.
	b, err := json.Marshal(wait.JSON())
	if want := `{"strategy":"wait_one","reference":"best_ask","markets":2,"vs_reference_bps":0,"vs_reference_bps_ci95":[-1270.6,1270.6],"markets_cheaper_than_reference":1,"fill_rate":1}`; err != nil || string(b) != want {
		t.Errorf("report:\n got  %s\n want %s", b, want)
	}
}

// waitOne skips the first decision point, then buys like best ask.
type waitOne struct{ seen bool }

func (w *waitOne) Name() string              { return "wait_one" }
func (w *waitOne) Start(_, _, _ int64) error { return nil }
func (w *waitOne) Decide(t int64, o []sor.Offer, rem int64) ([]int64, error) {
	if !w.seen {
		w.seen = true
		return nil, nil
	}
	return sor.BestAsk{}.Decide(t, o, rem)
}

// TestCompareMarketsNoCost: where a strategy buys nothing and no ask is
// left at the end (nobody offers in "empty"; in "gone" the ask leaves before
// wait_one buys), its expected cost is 0 and the difference in basis points
// would be infinite (or NaN). CompareMarkets names the market instead of
// counting it.
func TestCompareMarketsNoCost(t *testing.T) {
	ok := NewStream([]sor.Row{{TsEvent: 1, PublisherID: 2, BidPx: px(999), BidSz: 100, AskPx: px(1000), AskSz: 1000}}, sor.Window{})
	empty := NewStream([]sor.Row{{TsEvent: 1, PublisherID: 2, BidPx: px(999), BidSz: 100}}, sor.Window{})
	gone := NewStream([]sor.Row{ // the ask leaves before wait_one buys
		{TsEvent: 1, PublisherID: 2, BidPx: px(999), BidSz: 100, AskPx: px(1000), AskSz: 1000},
		{TsEvent: 2, PublisherID: 2, BidPx: px(999), BidSz: 100},
	}, sor.Window{})
	strategies := []Factory{
		func() Strategy { return &Baseline{S: sor.BestAsk{}} },
		func() Strategy { return &Baseline{S: &waitOne{}} },
	}
	for _, c := range []struct {
		name    string
		markets []sor.Source
		ref     int
		want    string
	}{
		{"reference without a cost", []sor.Source{ok, empty}, 0, "market 2: best_ask"},
		{"other strategy without a cost", []sor.Source{ok, gone}, 0, "market 2: wait_one"},
	} {
		stats, err := CompareMarkets(c.markets, Config{OrderSize: 100}, strategies, []uint64{1}, c.ref)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: stats %+v err %v, want an error naming %q", c.name, stats, err, c.want)
		}
	}
}
