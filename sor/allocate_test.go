package sor

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestAllocateHandComputed(t *testing.T) {
	// Prices in dollars; the all-in price is ask + fee.
	offers := []Offer{
		{Venue: 2, Ask: 10 * Dollar, Fee: Cent, Available: 300},   // 10.01
		{Venue: 5, Ask: 10*Dollar + Cent, Available: 250},         // 10.01, caps at 200 in lots
		{Venue: 8, Ask: 10*Dollar + 2*Cent, Available: 1_000_000}, // 10.02
	}
	tests := []struct {
		name  string
		rem   int64
		split []int64
		cost  Money
	}{
		// 500 = all of the 10.01 group (300 + 200): 500 × 10.01 = 5005.
		{"cheapest group exactly full", 500, []int64{300, 200, 0}, 5005 * Dollar},
		// 400 within the 10.01 group: the first candidate the enumeration meets
		// gives venue 2 as little as venue 5 allows: 200/200. 400 × 10.01.
		{"tie goes to the lexicographically smallest split", 400, []int64{200, 200, 0}, 4004 * Dollar},
		// 700: 500 at 10.01 and 200 at 10.02 = 5005 + 2004.
		{"overflow to the next price", 700, []int64{300, 200, 200}, 7009 * Dollar},
		// 100: venue 2 gets 0 because venue 5 alone can take the lot.
		{"single lot goes to the later tied venue", 100, []int64{0, 100, 0}, 1001 * Dollar},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, alloc := range []func(int64, []Offer, Params) ([]int64, Money, error){Allocate, AllocateBrute} {
				split, cost, err := alloc(tc.rem, offers, Params{LambdaOver: Cent, LambdaUnder: Cent, ThetaQueue: Cent})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(split, tc.split) || cost != tc.cost {
					t.Errorf("got %v at %v, want %v at %v", split, cost, tc.split, tc.cost)
				}
			}
		})
	}
}

func TestAllocateNoCandidate(t *testing.T) {
	// 199 + 150 shares hold only 2 whole lots: 300 cannot be split.
	offers := []Offer{{Venue: 1, Ask: Dollar, Available: 199}, {Venue: 2, Ask: Dollar, Available: 150}}
	for _, alloc := range []func(int64, []Offer, Params) ([]int64, Money, error){Allocate, AllocateBrute} {
		split, cost, err := alloc(300, offers, Params{})
		if err != nil || split != nil || cost != 0 {
			t.Errorf("got %v, %v, %v; want no split", split, cost, err)
		}
	}
}

func TestAllocateRejectsOrderSize(t *testing.T) {
	for _, rem := range []int64{0, -100, 150, 5001} {
		for _, alloc := range []func(int64, []Offer, Params) ([]int64, Money, error){Allocate, AllocateBrute} {
			if _, _, err := alloc(rem, []Offer{{Venue: 1, Ask: Dollar, Available: 1000}}, Params{}); !errors.Is(err, ErrOrderSize) {
				t.Errorf("rem %d: got %v, want ErrOrderSize", rem, err)
			}
		}
	}
}

// TestAllocateMatchesOracle compares the fast allocator with the enumeration
// on random instances built to be hard: few distinct prices and fees (many
// ties), sizes that are not multiples of 100, often too little liquidity,
// and random penalties (which must not matter).
func TestAllocateMatchesOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	// Largest remainder (in lots) per venue count that keeps the oracle fast.
	maxLots := []int64{0, 40, 40, 30, 14, 9, 6}
	const n = 12_000
	var infeasible, tied int
	for i := range n {
		nv := 1 + rng.IntN(6)
		offers := make([]Offer, nv)
		prices := map[Money]int{}
		for v := range offers {
			offers[v] = Offer{
				Venue:     v + 1,
				Ask:       100*Dollar + Money(rng.IntN(3))*Cent,
				Fee:       Money(rng.IntN(3)-1) * Cent / 2,
				Rebate:    Money(rng.IntN(3)) * Cent / 10,
				Available: rng.Int64N(int64(Step) * (maxLots[nv] + 2)),
			}
			if rng.IntN(5) == 0 {
				offers[v].Available = rng.Int64N(3) * Step // exact lots, and empty venues
			}
			prices[offers[v].Price()]++
		}
		if len(prices) < nv {
			tied++
		}
		rem := Step * (1 + rng.Int64N(maxLots[nv]))
		p := Params{LambdaOver: Money(rng.IntN(1000)) * Cent, LambdaUnder: Money(rng.IntN(1000)) * Cent, ThetaQueue: Money(rng.IntN(100)) * Cent}
		want, wantCost, err1 := AllocateBrute(rem, offers, p)
		got, gotCost, err2 := Allocate(rem, offers, p)
		if err1 != nil || err2 != nil {
			t.Fatalf("instance %d: errors %v, %v", i, err1, err2)
		}
		if want == nil {
			infeasible++
		}
		if !slices.Equal(got, want) || gotCost != wantCost {
			t.Fatalf("instance %d: rem %d offers %+v\nfast  %v at %v\noracle %v at %v", i, rem, offers, got, gotCost, want, wantCost)
		}
	}
	// The generator must exercise ties and infeasibility, or the test proves little.
	t.Logf("%d infeasible, %d tied", infeasible, tied)
	if infeasible < n/20 || tied < n/4 {
		t.Errorf("weak instances: %d infeasible, %d with tied prices of %d", infeasible, tied, n)
	}
}

func TestEnumerateSplitsOrder(t *testing.T) {
	offers := []Offer{{Available: 200}, {Available: 150}, {Available: 300}}
	var got [][]int64
	if err := EnumerateSplits(200, offers, func(s []int64) bool { got = append(got, slices.Clone(s)); return true }); err != nil {
		t.Fatal(err)
	}
	want := [][]int64{{0, 0, 200}, {0, 100, 100}, {100, 0, 100}, {100, 100, 0}, {200, 0, 0}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestCostChargesPenaltiesAndRebates(t *testing.T) {
	// Split 300 to a venue with 200 available, rem 200: exe 200 at 10.01 =
	// 2002; 100 unexecuted earns the 0.002 rebate: −0.20; overfill 0.
	// Split 100 with rem 200 (underfill 100): θ 0.001 + λu 0.05 per share.
	o := []Offer{{Ask: 10 * Dollar, Fee: Cent, Rebate: 2 * Dollar / 1000, Available: 200}}
	p := Params{LambdaOver: Dollar / 10, LambdaUnder: Dollar / 20, ThetaQueue: Dollar / 1000}
	if got, want := Cost(200, o, []int64{300}, p), 2002*Dollar-20*Cent; got != want {
		t.Errorf("rebate case: got %v, want %v", got, want)
	}
	if got, want := Cost(200, o, []int64{100}, p), 1001*Dollar+100*(Dollar/1000+Dollar/20); got != want {
		t.Errorf("underfill case: got %v, want %v", got, want)
	}
	if got, want := Cost(100, o, []int64{200}, p), 2002*Dollar+100*(Dollar/1000+Dollar/10); got != want {
		t.Errorf("overfill case: got %v, want %v", got, want)
	}
}

func BenchmarkAllocate(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	offers := make([]Offer, 12)
	for v := range offers {
		offers[v] = Offer{Venue: v, Ask: 222*Dollar + Money(rng.IntN(4))*Cent, Fee: Money(rng.IntN(4)) * Cent / 10, Available: 200 + rng.Int64N(1500)}
	}
	for b.Loop() {
		if split, _, _ := Allocate(5000, offers, Params{}); split == nil {
			b.Fatal("no split")
		}
	}
}

// BenchmarkAllocateBrute is the baseline for BenchmarkAllocate's ratio, on an
// instance the enumeration can finish: 4 venues, 2,000 shares.
func BenchmarkAllocateBrute(b *testing.B) {
	offers := []Offer{{Venue: 1, Ask: 222 * Dollar, Available: 900}, {Venue: 2, Ask: 222*Dollar + Cent, Available: 800},
		{Venue: 3, Ask: 222 * Dollar, Available: 700}, {Venue: 4, Ask: 222*Dollar + 2*Cent, Available: 1200}}
	for _, name := range []string{"brute", "fast"} {
		b.Run(name, func(b *testing.B) {
			alloc := AllocateBrute
			if name == "fast" {
				alloc = Allocate
			}
			for b.Loop() {
				alloc(2000, offers, Params{})
			}
		})
	}
}

func TestParamsString(t *testing.T) {
	p := Params{LambdaOver: 5 * Cent, LambdaUnder: Cent, ThetaQueue: Dollar / 10000}
	if got, want := fmt.Sprintf("%+v", p), "lambda_under=0.01 lambda_over=0.05 theta_queue=0.0001"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestNegativeAvailableHasNoCandidate(t *testing.T) {
	// The pseudocode's range(0, available+1, 100) is empty for a negative
	// size, so the enumeration meets no split at all.
	offers := []Offer{{Venue: 1, Ask: Dollar, Available: 655}, {Venue: 2, Ask: Dollar, Available: -15}}
	for _, alloc := range []func(int64, []Offer, Params) ([]int64, Money, error){Allocate, AllocateBrute} {
		if split, _, err := alloc(100, offers, Params{}); split != nil || err != nil {
			t.Errorf("got %v, %v; want no split", split, err)
		}
	}
}
