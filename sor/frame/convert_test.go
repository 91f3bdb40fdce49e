package frame_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/frame"
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
