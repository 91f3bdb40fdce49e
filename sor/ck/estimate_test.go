package ck

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

const sec = int64(1_000_000_000)

// A hand-made two-venue sequence with a 10 s horizon; each line says what
// the rule adds to the window's outflow.
func TestEstimateOutflowsOnHandMadeSequence(t *testing.T) {
	ev := []BidEvent{
		// window 0: [0 s, 10 s)
		{Time: 0 * sec, Venue: 0, BidPx: 1000, BidSize: 500},                // init venue 0: +0
		{Time: 1 * sec, Venue: 1, BidPx: 1000, BidSize: 300},                // init venue 1: +0
		{Time: 2 * sec, Venue: 0, BidPx: 1000, BidSize: 450},                // cancel 50: v0 +50
		{Time: 3 * sec, Venue: 0, TradeSize: 100},                           // trade 100: v0 +100 (q=350)
		{Time: 3 * sec, Venue: 0, BidPx: 1000, BidSize: 350},                // quote confirms trade: +0
		{Time: 4 * sec, Venue: 0, BidPx: 1000, BidSize: 600},                // new orders join: +0
		{Time: 5 * sec, Venue: 1, TradeSize: 80, BidPx: 1000, BidSize: 200}, // trade 80 then size 200: v1 +80 +20
		{Time: 9 * sec, Venue: 0, BidPx: 999, BidSize: 700},                 // bid drops: v0 +600 (whole queue)
		// window 1: [10 s, 20 s)
		{Time: 11 * sec, Venue: 0, BidPx: 1000, BidSize: 100}, // bid improves: +0, new queue 100
		{Time: 12 * sec, Venue: 0, TradeSize: 150},            // trade larger than queue: v0 +100
		{Time: 12 * sec, Venue: 0, BidPx: 999, BidSize: 650},  // drop after depletion: +0
		{Time: 15 * sec, Venue: 1, BidPx: 1000, BidSize: 250}, // growth: +0
		// window 2: [20 s, 30 s) is incomplete (last event at 25 s)
		{Time: 25 * sec, Venue: 1, BidPx: 999, BidSize: 10}, // would add 250, but dropped
	}
	h, err := EstimateOutflows(ev, 10*sec)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{
		{50 + 100 + 600, 80 + 20},
		{100, 0},
	}
	if h.Rows() != len(want) {
		t.Fatalf("Rows() = %d, want %d", h.Rows(), len(want))
	}
	for i := range want {
		if got := h.Row(i); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("window %d: outflows %v, want %v", i, got, want[i])
		}
	}
	if m := h.Marginal(0).Mean(); m != (750+100)/2.0 {
		t.Errorf("venue 0 mean outflow %v, want 425", m)
	}
	// The history resamples whole rows, keeping the joint observation.
	r := rand.New(rand.NewPCG(1, 2))
	xi := make([]float64, 2)
	for i := 0; i < 20; i++ {
		h.Sample(r, xi)
		if !reflect.DeepEqual(xi, want[0]) && !reflect.DeepEqual(xi, want[1]) {
			t.Fatalf("sampled %v is not an observed row", xi)
		}
	}
}

func TestEstimateOutflowsRejectsBadInput(t *testing.T) {
	ok := []BidEvent{{Time: 0, BidPx: 1, BidSize: 1}, {Time: 20 * sec, BidPx: 1, BidSize: 1}}
	tests := []struct {
		name    string
		ev      []BidEvent
		horizon int64
		wantSub string
	}{
		{"no events", nil, sec, "no events"},
		{"zero horizon", ok, 0, "horizon"},
		{"out of order", []BidEvent{{Time: 5}, {Time: 4}}, 1, "time-ordered"},
		{"negative venue", []BidEvent{{Venue: -1}}, 1, "negative venue"},
		{"negative size", []BidEvent{{BidSize: -3}}, 1, "negative"},
		{"shorter than a window", ok, 30 * sec, "less than one complete window"},
		// 1 ns over 9 minutes would be 5.4e11 rows: refused, not allocated.
		{"1 ns horizon over 9 minutes", []BidEvent{{Time: 0, BidPx: 1, BidSize: 1}, {Time: 540 * sec, BidPx: 1, BidSize: 1}},
			1, "540000000000 windows of 1 ns in a span of 540000000000 ns exceed the limit of 1000000"},
		{"one window beyond the limit", []BidEvent{{Time: 0, BidPx: 1, BidSize: 1}, {Time: MaxWindows + 1, BidPx: 1, BidSize: 1}},
			1, "1000001 windows"},
		// last - t0 overflows int64; the span must still be measured right.
		{"span beyond int64", []BidEvent{{Time: math.MinInt64, BidPx: 1, BidSize: 1}, {Time: math.MaxInt64, BidPx: 1, BidSize: 1}},
			1 << 40, "16777215 windows"},
		{"too many windows x venues", []BidEvent{{Time: 0, Venue: 99, BidPx: 1, BidSize: 1}, {Time: MaxWindows, BidPx: 1, BidSize: 1}},
			1, "1000000 windows x 100 venues = 100000000 outflows exceed"},
		{"huge venue index", []BidEvent{{Venue: math.MaxInt, BidPx: 1, BidSize: 1}}, 1, "venue index"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := EstimateOutflows(tc.ev, tc.horizon)
			if err == nil || !strings.Contains(err.Error(), tc.wantSub) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.wantSub)
			}
		})
	}
}

// Up to MaxWindows windows are accepted, in few allocations.
func TestEstimateOutflowsAtTheWindowLimit(t *testing.T) {
	ev := []BidEvent{{Time: 0, BidPx: 10, BidSize: 5}, {Time: 3, BidPx: 10, BidSize: 2}, {Time: MaxWindows, BidPx: 9, BidSize: 1}}
	var h *History
	allocs := testing.AllocsPerRun(3, func() {
		var err error
		if h, err = EstimateOutflows(ev, 1); err != nil {
			t.Fatal(err)
		}
	})
	if h.Rows() != MaxWindows || h.Venues() != 1 {
		t.Fatalf("got %d rows x %d venues, want %d x 1", h.Rows(), h.Venues(), MaxWindows)
	}
	if got := h.Row(3)[0]; got != 3 {
		t.Errorf("window 3 outflow %v, want 3", got)
	}
	if allocs > 10 {
		t.Errorf("%v allocations, want a handful (rows in one block)", allocs)
	}
}

// Each traded share is counted once whether a trade's quote shows the book
// after the trade (sor/sim) or before it (Databento MBP rows, where the
// next row shows the decrease). One venue, horizon 10 ns; every sequence
// starts from a known bid and ends with an event at t = 10 that closes
// window 0, whose outflow is checked.
func TestEstimateOutflowsCountsTradesOnceUnderBothConventions(t *testing.T) {
	type ev struct{ px, size, trade int64 } // px 0 = no quote
	tests := []struct {
		name string
		init ev   // the initial quote
		seq  []ev // the events after it
		want float64
		why  string
	}{
		{"after: trade then its decrease in the same event", ev{100, 500, 0},
			[]ev{{100, 400, 100}}, 100, "trade 100; decrease 100 explained"},
		{"before: trade row shows the old book, next quote the decrease", ev{100, 500, 0},
			[]ev{{100, 500, 100}, {100, 400, 0}}, 100, "trade 100 (pend 100); decrease 100 explained"},
		{"before: decrease larger than the trade", ev{100, 500, 0},
			[]ev{{100, 500, 100}, {100, 380, 0}}, 120, "trade 100; decrease 120 = 100 explained + 20 cancelled"},
		{"after: trade and cancellation in one event", ev{100, 500, 0},
			[]ev{{100, 380, 100}}, 120, "trade 100; decrease 120 = 100 explained + 20 cancelled"},
		{"separate trade event, then its quote", ev{100, 500, 0},
			[]ev{{0, 0, 100}, {100, 400, 0}}, 100, "trade 100; decrease 100 explained"},
		{"before: trade, then the bid drops", ev{100, 500, 0},
			[]ev{{100, 500, 100}, {99, 700, 0}}, 500, "trade 100 + remaining queue 500 - 100"},
		{"after: trade depletes the bid in the same event", ev{100, 500, 0},
			[]ev{{99, 700, 500}}, 500, "trade 500 + remaining queue 500 - 500 = 0"},
		{"trade larger than the queue", ev{100, 100, 0},
			[]ev{{100, 100, 150}, {99, 650, 0}}, 100, "trade min(150, 100); nothing left at the drop"},
		{"second trade limited to the queue not yet traded", ev{100, 100, 0},
			[]ev{{100, 100, 60}, {100, 100, 60}, {100, 0, 0}}, 100, "60 + min(60, 100-60)"},
		{"pending cleared when the bid improves", ev{100, 500, 0},
			[]ev{{100, 500, 100}, {101, 300, 0}, {101, 200, 0}}, 200, "trade 100; new queue: 100 cancelled"},
		{"joins mask the trade's decrease", ev{100, 500, 0},
			[]ev{{100, 520, 100}, {100, 400, 0}}, 120, "trade 100 (pend 100); decrease 120 = 100 explained + 20"},
		{"growth keeps pending, later decrease explained", ev{100, 500, 0},
			[]ev{{100, 500, 100}, {100, 600, 0}, {100, 500, 0}}, 100, "trade 100; growth +0; decrease 100 explained"},
		// sor/testdata/l1_day_head.csv (AAPL, publisher 2, price in
		// cents): trades of 190, 10, 100, 121 at bid 222.81 on rows whose
		// bid_sz are 421, 231, 221, 121, then the bid drops to 222.80. All
		// 421 shares were traded, none cancelled.
		{"Databento head rows (book before each trade)", ev{22281, 421, 0},
			[]ev{{22281, 421, 190}, {22281, 231, 10}, {22281, 221, 100}, {22281, 121, 121}, {22280, 100, 0}},
			421, "190+10+100+121 traded; every decrease explained; nothing left at the drop"},
		{"same trades, book after each trade", ev{22281, 421, 0},
			[]ev{{22281, 231, 190}, {22281, 221, 10}, {22281, 121, 100}, {22280, 100, 121}},
			421, "190+10+100+121 traded"},
		// sor/replay recognises a trade only from the second row of a
		// publisher on: the first row initialises the bid and its trade of
		// 190 is not seen, so its decrease counts as cancellation.
		{"Databento head rows as sor/replay converts them", ev{22281, 421, 0},
			[]ev{{22281, 231, 10}, {22281, 221, 100}, {22281, 121, 121}, {22280, 100, 0}},
			421, "10+180 | 100 (10 explained, pend 90) | 121 (100 explained, pend 111) | drop 121-111"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			evs := []BidEvent{{Time: 0, BidPx: tc.init.px, BidSize: tc.init.size, TradeSize: tc.init.trade}}
			for i, e := range tc.seq {
				evs = append(evs, BidEvent{Time: int64(1 + i), BidPx: e.px, BidSize: e.size, TradeSize: e.trade})
			}
			evs = append(evs, BidEvent{Time: 10})
			h, err := EstimateOutflows(evs, 10)
			if err != nil {
				t.Fatal(err)
			}
			if got := h.Row(0)[0]; got != tc.want {
				t.Errorf("outflow %v, want %v (%s)", got, tc.want, tc.why)
			}
		})
	}
}
