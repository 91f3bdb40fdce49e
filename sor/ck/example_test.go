package ck_test

import (
	"fmt"

	"github.com/sorlab/sorlab/sor/ck"
)

// One venue: the closed form of Proposition 3 for Poisson outflows.
func ExampleSingleVenue() {
	p := ck.Params{
		Size: 1000, HalfSpread: 0.02, Fee: 0.003, Impact: 0.0005,
		Rebates: []float64{0.002}, Queues: []float64{2000},
		LambdaUnder: 0.05, LambdaOver: 0.05,
	}
	F := ck.MustPoisson(2200) // outflow of the bid queue over the horizon
	x, regime, err := ck.SingleVenue(p, F)
	if err != nil {
		panic(err)
	}
	pStar, _, _ := ck.SingleVenueThresholds(p, F)
	fmt.Printf("p* = %.4f\n", pStar)
	fmt.Println(x, "-", regime)
	fmt.Printf("expected cost %.3f\n", ck.ExpectedCost(p, x, F))
	// Output:
	// p* = 0.6207
	// M=786.0 L=[214.0] - market and limit orders
	// expected cost 15.295
}

// Two venues with correlated outflows: the stochastic approximation solver.
func ExampleSolve() {
	p := ck.Params{
		Size: 1000, HalfSpread: 0.02, Fee: 0.003, Impact: 0.0005,
		Rebates: []float64{0.002, 0.002}, Queues: []float64{2000, 2000},
		LambdaUnder: 0.05, LambdaOver: 0.05,
	}
	xi, err := ck.NewCorrelatedPoisson(0.6, 2200, 2200)
	if err != nil {
		panic(err)
	}
	x, err := ck.Solve(p, xi, ck.Options{Iterations: 20000, Seed: 1, Burnin: 0.5})
	if err != nil {
		panic(err)
	}
	fmt.Printf("M=%.0f L1=%.0f L2=%.0f total=%.0f\n", x.Market, x.Limit[0], x.Limit[1], x.Total())
	// Output:
	// M=568 L1=228 L2=229 total=1025
}

// From Level-1 bid events to a history of outflows over 10 s windows.
func ExampleEstimateOutflows() {
	const s = int64(1e9)
	events := []ck.BidEvent{
		{Time: 0, Venue: 0, BidPx: 10000, BidSize: 500},
		{Time: 2 * s, Venue: 0, TradeSize: 200},             // +200
		{Time: 4 * s, Venue: 0, BidPx: 10000, BidSize: 250}, // +50 (cancel)
		{Time: 12 * s, Venue: 0, BidPx: 9999, BidSize: 900}, // +250 (queue depleted)
		{Time: 20 * s, Venue: 0, BidPx: 9999, BidSize: 900},
	}
	h, err := ck.EstimateOutflows(events, 10*s)
	if err != nil {
		panic(err)
	}
	for i := 0; i < h.Rows(); i++ {
		fmt.Println(h.Row(i))
	}
	// Output:
	// [250]
	// [250]
}
