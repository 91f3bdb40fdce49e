package frame_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/frame"
	"github.com/sorlab/sorlab/sor/replay"
)

func ExampleSplits() {
	// Venues 2 and 5 cost 10.01 all-in, venue 8 10.02 (and shows only 100):
	// three splits tie at 3,003 and the allocator's answer (rank 1) is the
	// first of them the enumeration meets.
	offers := []sor.Offer{
		{Venue: 2, Ask: 10 * sor.Dollar, Fee: sor.Cent, Available: 250},
		{Venue: 5, Ask: 10*sor.Dollar + sor.Cent, Available: 300},
		{Venue: 8, Ask: 10*sor.Dollar + 2*sor.Cent, Available: 100},
	}
	df, err := frame.Splits(300, offers, sor.Params{})
	if err != nil {
		panic(err)
	}
	fmt.Println(df)
	// Output:
	// [6x5] DataFrame
	//
	//     q_2   q_5   q_8   cost        rank
	//  0: 0     200   100   3004.000000 4
	//  1: 0     300   0     3003.000000 1
	//  2: 100   100   100   3004.000000 5
	//  3: 100   200   0     3003.000000 2
	//  4: 200   0     100   3004.000000 6
	//  5: 200   100   0     3003.000000 3
	//     <int> <int> <int> <float>     <int>
}

func TestFillsAndResults(t *testing.T) {
	r := &sor.Result{Strategy: "x", OrderSize: 300, Filled: 200, Cash: 2003 * sor.Dollar, Fills: []sor.Fill{
		{Time: 1, Venue: 2, Shares: 100, Price: 10 * sor.Dollar, Fee: sor.Cent},
		{Time: 2, Venue: 5, Shares: 100, Price: 10*sor.Dollar + 2*sor.Cent},
	}}
	df := frame.Fills(r)
	if got := df.Col("cum_cash").Float(); got[0] != 1001 || got[1] != 2003 {
		t.Errorf("cum_cash = %v", got)
	}
	res := frame.Results(r, &sor.Result{Strategy: "none", OrderSize: 300})
	avg := res.Col("avg_fill_px").Float()
	if avg[0] != 10.015 || !math.IsNaN(avg[1]) {
		t.Errorf("avg_fill_px = %v, want 10.015 and NaN", avg)
	}
	if got := strings.Join(res.Col("strategy").Records(), ","); got != "x,none" {
		t.Errorf("strategy = %s", got)
	}
}

func TestMarketsAndFillTimes(t *testing.T) {
	df := frame.Markets([]replay.MarketStats{{Strategy: "ck_router", Reference: "twap", Markets: 3, VsReferenceBps: -1.5, Low: -3, High: 0, Beats: 2, FillRate: 1}})
	if df.Nrow() != 1 || df.Col("vs_reference_bps").Float()[0] != -1.5 || df.Col("cheaper_in").Records()[0] != "2" {
		t.Errorf("markets frame:\n%v", df)
	}
	r := &sor.Result{Strategy: "x", Filled: 400, Fills: []sor.Fill{{Time: 2e9, Shares: 100}, {Time: 6e9, Shares: 300}}}
	ft := frame.FillTimes(1e9, r, &sor.Result{Strategy: "none"})
	// (100·0 + 300·4 s)/400 = 3 s after the first fill at 2 s: 4 s after from.
	if got := ft.Col("mean_fill_time_s").Float(); got[0] != 4 || !math.IsNaN(got[1]) {
		t.Errorf("fill times = %v", got)
	}
}

// handFills is a hand-made replay.Filler (and so a sor.Filler): the
// adapters read fills through the interfaces, not from a result type.
type handFills struct {
	name  string
	fills []replay.Fill
}

func (h handFills) Len() int                 { return len(h.fills) }
func (h handFills) Fill(i int) sor.Fill      { return h.fills[i].Fill }
func (h handFills) Detail(i int) replay.Fill { return h.fills[i] }
func (h handFills) Name() string             { return h.name }

// The results of both packages are what the adapters take.
var (
	_ sor.NamedFiller = (*sor.Result)(nil)
	_ replay.Filler   = (*replay.Result)(nil)
	_ sor.NamedFiller = (*replay.Result)(nil)
)

func TestAdaptersTakeAnyFiller(t *testing.T) {
	// A taker fill of 100 at $10.00 + 1¢ fee with 1¢ slippage at 2 s, and a
	// maker fill of 300 at $9.99 with a 0.2¢ rebate (fee −0.2¢) at 6 s:
	// cash 1,001 then 1,001 + 300·9.988 = 3,997.40; mean time
	// (100·0 + 300·4 s)/400 = 3 s after the first fill, 4 s after 1 s.
	h := handFills{"hand", []replay.Fill{
		{Fill: sor.Fill{Time: 2e9, Venue: 2, Shares: 100, Price: 10 * sor.Dollar, Fee: sor.Cent}, FillInfo: replay.FillInfo{Slippage: sor.Cent}},
		{Fill: sor.Fill{Time: 6e9, Venue: 5, Shares: 300, Price: 999 * sor.Cent, Fee: -sor.Cent / 5}, FillInfo: replay.FillInfo{Maker: true}},
	}}
	f := frame.Fills(h)
	if got := f.Col("cum_cash").Float(); len(got) != 2 || got[0] != 1001 || math.Abs(got[1]-3997.4) > 1e-9 {
		t.Errorf("Fills cum_cash = %v, want [1001 3997.4]", got)
	}
	r := frame.ReplayFills(h)
	if got := strings.Join(r.Col("kind").Records(), ","); got != "taker,maker" {
		t.Errorf("ReplayFills kind = %s, want taker,maker", got)
	}
	if got := r.Col("slippage").Float(); got[0] != 0.01 || got[1] != 0 {
		t.Errorf("ReplayFills slippage = %v, want [0.01 0]", got)
	}
	if got := r.Col("cash").Float(); got[0] != 1001 || math.Abs(got[1]-3997.4) > 1e-9 {
		t.Errorf("ReplayFills cash = %v, want [1001 3997.4]", got)
	}
	ft := frame.FillTimes(1e9, h, handFills{name: "none"})
	if got := ft.Col("mean_fill_time_s").Float(); got[0] != 4 || !math.IsNaN(got[1]) {
		t.Errorf("FillTimes = %v, want [4 NaN]", got)
	}
	if got := strings.Join(ft.Col("strategy").Records(), ","); got != "hand,none" {
		t.Errorf("FillTimes strategy = %s", got)
	}
}
