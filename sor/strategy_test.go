package sor

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func mustRows(t *testing.T, csv string) []Row {
	t.Helper()
	rows, err := NewReader(strings.NewReader(csv), "test.csv", ReadOptions{}).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func mustMoney(t *testing.T, s string) Money {
	t.Helper()
	m, err := ParseMoney(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// market is a three-venue file that exercises every rule at once:
//   - t=10 holds two rows of publisher 2; only the first (10.00) counts;
//   - the row at t=5 comes last in the file but sorts first;
//   - venue 8 improves to 10.00 at t=20 (a new quote: fresh size);
//   - venue 5 stops quoting at t=30 (empty ask);
//   - venue 2 gets a new row at t=40, which gives back what was taken.
//
// With venue 2's fee of 0.01, venues 2 and 5 tie at 10.01 all-in at t=10.
const market = `ts_event,publisher_id,ask_px_00,ask_sz_00
10,2,10.00,300
10,5,10.01,200
10,8,10.02,500
10,2,9.00,999
20,8,10.00,400
30,5,,0
40,2,10.00,300
5,5,10.05,100
`

var marketVenues = Venues{2: {PublisherID: 2, Name: "XNAS", Fee: Cent}}

func TestSnapshotsFollowTheRules(t *testing.T) {
	snaps := BuildSnapshots(mustRows(t, market), Window{})
	type q struct {
		venue int
		ask   string
		size  int64
	}
	want := []struct {
		time   int64
		quotes []q
	}{
		{5, []q{{5, "10.05", 100}}},
		{10, []q{{2, "10", 300}, {5, "10.01", 200}, {8, "10.02", 500}}},
		{20, []q{{2, "10", 300}, {5, "10.01", 200}, {8, "10", 400}}},
		{30, []q{{2, "10", 300}, {8, "10", 400}}},
		{40, []q{{2, "10", 300}, {8, "10", 400}}},
	}
	if len(snaps) != len(want) {
		t.Fatalf("got %d snapshots, want %d", len(snaps), len(want))
	}
	for i, w := range want {
		var got []q
		for _, x := range snaps[i].Quotes {
			got = append(got, q{x.Venue, x.Ask.String(), x.AskSize})
		}
		if snaps[i].Time != w.time || !slices.Equal(got, w.quotes) {
			t.Errorf("snapshot %d: got t=%d %v, want t=%d %v", i, snaps[i].Time, got, w.time, w.quotes)
		}
	}
	if snaps[1].Quotes[0].Seq != snaps[2].Quotes[0].Seq || snaps[3].Quotes[0].Seq == snaps[4].Quotes[0].Seq {
		t.Error("Seq must change exactly when a venue's quote is replaced")
	}
}

func TestStrategiesHandComputed(t *testing.T) {
	tests := []struct {
		name     string
		strategy Strategy
		size     int64
		window   Window
		fills    string // time venue shares@price+fee; ...
		cash     string
		filled   int64
	}{
		{
			// t5: only venue 5: 100 × 10.05 = 1005. t10: 2 and 5 tie at 10.01,
			// the lower id wins: 300 × 10.01 = 3003. t20: venue 2 is used up,
			// 8 is cheapest at 10.00: 400 = 4000. t30: 2 and 8 used up, 5 gone.
			// t40: venue 2's new row: 200 × 10.01 = 2002. Total 10010.
			name: "best ask: ties, depletion, refresh", strategy: BestAsk{}, size: 1000,
			fills: "5 5 100@10.05+0; 10 2 300@10+0.01; 20 8 400@10+0; 40 2 200@10+0.01",
			cash:  "10010", filled: 1000,
		},
		{
			// t5: 100 < 400 lots available: no candidate, wait. t10: 400 from
			// the 10.01 pair (the 10.02 venue stays out); the first cheapest
			// split in enumeration order is 200/200/0. 400 × 10.01 = 4004.
			name: "router: waits, then splits a tie", strategy: &Router{}, size: 400,
			fills: "10 2 200@10+0.01; 10 5 200@10.01+0",
			cash:  "4004", filled: 400,
		},
		{
			// Rows before t=20 are cut, so venues 2 and 5 have no quote until
			// venue 2's row at t=40. t20: 400 × 10.00 from venue 8; t30:
			// nothing left; t40: 300 × 10.01 from venue 2. 300 unfilled.
			name: "window cuts earlier rows", strategy: BestAsk{}, size: 1000, window: Window{Start: 20, End: 50},
			fills: "20 8 400@10+0; 40 2 300@10+0.01",
			cash:  "7003", filled: 700,
		},
		{
			// t0 = 5, tN = 40, B = 10 ns: n = 35/10 + 1 = 4 buckets with
			// targets 250, 500, 750, 1000. t5 (bucket 0): 100 from venue 5.
			// t10 (bucket 0): 150 more, from venue 2 (tie, lower id). t20
			// (bucket 1): 250 from venue 8. t30 (bucket 2): venue 8 has 150
			// left: buys 150, 100 short. t40 (bucket 3): the shortfall carries:
			// allowance 1000 − 650 = 350, but venue 2's new quote has 300 and
			// venue 8 is used up. 950 filled:
			// 1005 + 1501.50 + 2500 + 1500 + 3003 = 9509.50.
			name: "twap: buckets and carry-over", strategy: &TWAP{Bucket: 10}, size: 1000,
			fills: "5 5 100@10.05+0; 10 2 150@10+0.01; 20 8 250@10+0; 30 8 150@10+0; 40 2 300@10+0.01",
			cash:  "9509.5", filled: 950,
		},
		{
			// t5: q = 100, all from venue 5. t10: q = min(900, 1000) = 900:
			// 900·300/1000 = 270, 900·200/1000 = 180, 900·500/1000 = 450.
			// 1005 + 270·10.01 + 180·10.01 + 450·10.02 = 1005 + 9013.50.
			name: "vwap: proportional", strategy: VWAP{}, size: 1000,
			fills: "5 5 100@10.05+0; 10 2 270@10+0.01; 10 5 180@10.01+0; 10 8 450@10.02+0",
			cash:  "10018.5", filled: 1000,
		},
	}
	rows := mustRows(t, market)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Backtest(BuildSnapshots(rows, tc.window), marketVenues, tc.size, tc.strategy)
			if err != nil {
				t.Fatal(err)
			}
			var fills []string
			for _, f := range res.Fills {
				fills = append(fills, formatFill(f))
			}
			if got := strings.Join(fills, "; "); got != tc.fills {
				t.Errorf("fills:\n got %s\nwant %s", got, tc.fills)
			}
			if res.Cash != mustMoney(t, tc.cash) || res.Filled != tc.filled || res.Unfilled() != tc.size-tc.filled {
				t.Errorf("got cash %v filled %d, want %s and %d", res.Cash, res.Filled, tc.cash, tc.filled)
			}
		})
	}
}

func formatFill(f Fill) string {
	var b strings.Builder
	b.WriteString(strings.Join([]string{itoa(f.Time), itoa(int64(f.Venue)), itoa(f.Shares)}, " "))
	b.WriteString("@" + f.Price.String() + "+" + f.Fee.String())
	return b.String()
}

func itoa(n int64) string { return Money(n * int64(Dollar)).String() }

func TestTWAPTargets(t *testing.T) {
	// 5,000 shares over 8 min 42 s in 60 s buckets: n = 9 buckets,
	// T_k = ⌊5000(k+1)/9⌋ = 555, 1111, 1666, 2222, 2777, 3333, 3888, 4444, 5000.
	w := &TWAP{Bucket: time.Minute}
	if err := w.Start(0, int64(8*time.Minute+42*time.Second), 5000); err != nil {
		t.Fatal(err)
	}
	want := []int64{555, 1111, 1666, 2222, 2777, 3333, 3888, 4444, 5000}
	for k, tk := range want {
		if got := w.Target(int64(k)*int64(time.Minute) + 1); got != tk {
			t.Errorf("T_%d = %d, want %d", k, got, tk)
		}
	}
}

func TestBacktestRejectsBadStrategyOutput(t *testing.T) {
	snaps := BuildSnapshots(mustRows(t, market), Window{})
	_, err := Backtest(snaps, nil, 100, greedy{})
	if err == nil || !strings.Contains(err.Error(), "asked for 500 shares with 100 remaining") {
		t.Errorf("got %v", err)
	}
}

type greedy struct{}

func (greedy) Name() string              { return "greedy" }
func (greedy) Start(_, _, _ int64) error { return nil }
func (greedy) Decide(_ int64, o []Offer, _ int64) ([]int64, error) {
	return []int64{500}, nil
}

func TestRouterRejectsOddOrderSize(t *testing.T) {
	snaps := BuildSnapshots(mustRows(t, market), Window{})
	if _, err := Backtest(snaps, nil, 150, &Router{}); err == nil || !strings.Contains(err.Error(), "multiple of 100") {
		t.Errorf("got %v", err)
	}
}

// TestRouterOddLot: a remainder that is not a multiple of 100 (a market
// order of the replay filled in part under latency) is split as its whole
// lots plus an odd lot at the cheapest offers, never refused. Offers: venue
// 2 at 10.01 + fee 0.01 = 10.02 all-in x 250, venue 5 at 10.01 x 130,
// venue 8 at 10.00 x 100; the allocator fills lots cheapest first (8, 5, 2)
// up to ⌊available/100⌋ lots each (1, 1, 2).
//
//	213: lots 200 → 8: 100, 5: 100; odd 13 → 8 has nothing left, 5 has 30: 13
//	 13: no whole lot; odd 13 → 8
//	413: lots 400 → 8: 100, 5: 100, 2: 200; odd 13 → 5
//	390: lots 300 → 8: 100, 5: 100, 2: 100; odd 90 → 5: 30, then 2: 60
//	513: lots 500 > the 4 lots shown: the router waits for them; odd 13 → 8
func TestRouterOddLot(t *testing.T) {
	p := func(s string) Money { return mustMoney(t, s) }
	offers := []Offer{
		{Venue: 2, Ask: p("10.01"), Fee: Cent, Available: 250},
		{Venue: 5, Ask: p("10.01"), Available: 130},
		{Venue: 8, Ask: p("10.00"), Available: 100},
	}
	for _, c := range []struct {
		remaining int64
		want      []int64
	}{
		{213, []int64{0, 113, 100}},
		{13, []int64{0, 0, 13}},
		{413, []int64{200, 113, 100}},
		{390, []int64{160, 130, 100}},
		{513, []int64{0, 0, 13}},
	} {
		got, err := (&Router{}).Decide(0, offers, c.remaining)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("remaining %d: %v, %v; want %v", c.remaining, got, err, c.want)
		}
		if err := CheckTake(got, len(offers), c.remaining); err != nil {
			t.Errorf("remaining %d: %v", c.remaining, err)
		}
	}
}

func TestVWAPLeftovers(t *testing.T) {
	p := func(s string) Money { return mustMoney(t, s) }
	tests := []struct {
		name      string
		offers    []Offer
		remaining int64
		want      []int64
	}{{
		// q = 200 of 550: ⌊200·90/550⌋ = 32, ⌊200·60/550⌋ = 21,
		// ⌊200·400/550⌋ = 145; the 2 left go to venue 8 (10.00), then venue 2
		// (10.01, tied with venue 5 but a lower id).
		name:      "by price then id",
		offers:    []Offer{{Venue: 2, Ask: p("10"), Fee: p("0.01"), Available: 90}, {Venue: 5, Ask: p("10.01"), Available: 60}, {Venue: 8, Ask: p("10"), Available: 400}},
		remaining: 200, want: []int64{33, 21, 146},
	}, {
		// q = 4 of 5: ⌊8/5⌋ = 1, ⌊8/5⌋ = 1, ⌊4/5⌋ = 0; 2 left: venue 8 (cheapest)
		// takes its only share, then venue 2.
		name:      "never past a venue's size",
		offers:    []Offer{{Venue: 2, Ask: p("10.01"), Available: 2}, {Venue: 5, Ask: p("10.02"), Available: 2}, {Venue: 8, Ask: p("10"), Available: 1}},
		remaining: 4, want: []int64{2, 1, 1},
	}, {
		name:      "everything when the order is larger",
		offers:    []Offer{{Venue: 2, Ask: p("10.01"), Available: 7}, {Venue: 5, Ask: p("10.02"), Available: 3}},
		remaining: 500, want: []int64{7, 3},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := VWAP{}.Decide(0, tc.offers, tc.remaining)
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestQuoteStats(t *testing.T) {
	// Per snapshot (5 of them): venue 2 quotes at t10..t40 (4) at 10.01
	// all-in; venue 5 at t5..t20 (3); venue 8 at t10..t40 (4). Lowest all-in
	// price: t5 10.05 (5), t10 10.01 (2 and 5), t20 10.00 (8), t30 10.00 (8),
	// t40 10.00 (8).
	stats := QuoteStats(BuildSnapshots(mustRows(t, market), Window{}), marketVenues)
	want := []VenueStats{
		{Venue: 2, Quoting: 4, MeanAskSize: 300, AtBest: 1.0 / 5},
		{Venue: 5, Quoting: 3, MeanAskSize: 500.0 / 3, AtBest: 2.0 / 5},
		{Venue: 8, Quoting: 4, MeanAskSize: 1700.0 / 4, AtBest: 3.0 / 5},
	}
	if !slices.Equal(stats, want) {
		t.Errorf("got %+v\nwant %+v", stats, want)
	}
	snaps := BuildSnapshots(mustRows(t, market), Window{})
	if p, n := ConsolidatedAsk(snaps[1].Quotes, marketVenues); p != 1001*Cent || n != 500 {
		t.Errorf("best ask at t10 = %v x %d, want 10.01 x 500", p, n)
	}
}

func TestMeanFillTime(t *testing.T) {
	// 100 shares at t=10 and 300 at t=30: (100·10 + 300·30)/400 = 25.
	r := &Result{Filled: 400, Fills: []Fill{{Time: 10, Shares: 100}, {Time: 30, Shares: 300}}}
	if got, ok := r.MeanFillTime(); !ok || got != 25 {
		t.Errorf("got %d, %v; want 25", got, ok)
	}
	if _, ok := (&Result{}).MeanFillTime(); ok {
		t.Error("no fills must give ok = false")
	}
	r.Fills[0].Price, r.Fills[1].Price, r.Fills[1].Fee = 10*Dollar, 10*Dollar, Cent
	if shares, cash := Totals(r); shares != 400 || cash != 100*10*Dollar+300*(10*Dollar+Cent) {
		t.Errorf("Totals = %d, %v; want 400, 4003.00", shares, cash)
	}
}

func TestBacktestRefusesBrokenPrices(t *testing.T) {
	snaps := BuildSnapshots(mustRows(t, "ts_event,publisher_id,ask_px_00,ask_sz_00\n1,2,222.83,10000\n"), Window{})
	for _, tc := range []struct {
		fee  Money
		want string
	}{
		{-22283 * Cent, "venue 2: ask $222.83 plus fee $-222.83 is not a positive price"},
		{-1 << 62, "is not a positive price"},
	} {
		_, err := Backtest(snaps, Venues{2: {PublisherID: 2, Fee: tc.fee}}, 100, BestAsk{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("fee %v: got %v, want %q", tc.fee, err, tc.want)
		}
	}
	huge := BuildSnapshots(mustRows(t, "ts_event,publisher_id,ask_px_00,ask_sz_00\n1,2,9223372036000000000,10000\n"), Window{})
	if _, err := Backtest(huge, Venues{2: {Fee: 9 * Dollar}}, 100, BestAsk{}); err == nil || !strings.Contains(err.Error(), "overflows") {
		t.Errorf("overflowing all-in price: %v", err)
	}
}

func TestGridPointsAscend(t *testing.T) {
	g := Grid{LambdaUnder: []Money{10, 1, 10}, LambdaOver: []Money{5}, ThetaQueue: []Money{3, 2}}
	var got []string
	for _, p := range g.Points() {
		got = append(got, fmt.Sprint(int64(p.LambdaUnder), "/", int64(p.LambdaOver), "/", int64(p.ThetaQueue)))
	}
	if want := []string{"1/5/2", "1/5/3", "10/5/2", "10/5/3"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
