package sor

import (
	"cmp"
	"slices"
	"time"
)

// Grid lists the values of each penalty to try. Points are visited with
// LambdaUnder outermost, then LambdaOver, ThetaQueue innermost, each in
// ascending order (duplicates once), whatever order the lists are in.
type Grid struct {
	LambdaUnder []Money
	LambdaOver  []Money
	ThetaQueue  []Money
}

// DefaultGrid is the exercise's 27-point grid.
func DefaultGrid() Grid {
	return Grid{
		LambdaUnder: []Money{10_000_000, 50_000_000, 100_000_000}, // 0.01, 0.05, 0.1
		LambdaOver:  []Money{10_000_000, 50_000_000, 100_000_000},
		ThetaQueue:  []Money{100_000, 1_000_000, 10_000_000}, // 0.0001, 0.001, 0.01
	}
}

// Points returns the grid's parameter sets in grid order.
func (g Grid) Points() []Params {
	ascending := func(vs []Money) []Money { return slices.Compact(slices.Sorted(slices.Values(vs))) }
	var ps []Params
	for _, lu := range ascending(g.LambdaUnder) {
		for _, lo := range ascending(g.LambdaOver) {
			for _, th := range ascending(g.ThetaQueue) {
				ps = append(ps, Params{LambdaOver: lo, LambdaUnder: lu, ThetaQueue: th})
			}
		}
	}
	return ps
}

// GridPoint is the router's result with one parameter set.
type GridPoint struct {
	Params Params
	Result *Result
}

// better reports whether a beats b: fewer unfilled shares, then less cash.
func better(a, b *Result) bool {
	return cmp.Or(cmp.Compare(a.Unfilled(), b.Unfilled()), cmp.Compare(a.Cash, b.Cash)) < 0
}

// SearchGrid runs the router at every grid point over snapshots built
// earlier, the points shared among up to workers goroutines (0 means one per
// CPU), with the allocator alloc (nil means Allocate), and returns the
// points in grid order with the index of the best: fewest unfilled shares,
// then lowest cash, ties to the earliest point. The result does not depend
// on scheduling.
func SearchGrid(snaps []Snapshot, venues Venues, orderSize int64, g Grid, workers int, alloc func(int64, []Offer, Params) ([]int64, Money, error)) ([]GridPoint, int, error) {
	cfg := Config{OrderSize: orderSize, Venues: venues, TWAPBucket: time.Minute, Grid: g, Workers: workers, Allocator: alloc}
	var first, last int64
	if len(snaps) > 0 {
		first, last = snaps[0].Time, snaps[len(snaps)-1].Time
	}
	ex, err := newExercise(cfg, first, last, false)
	if err != nil {
		return nil, -1, err
	}
	if err := ex.playSnapshots(snaps, cfg); err != nil {
		return nil, -1, err
	}
	var o Outcome
	ex.outcome(&o)
	return o.Grid, o.Best, nil
}
