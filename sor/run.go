package sor

import (
	"fmt"
	"slices"
	"time"
)

// Config describes one run of the exercise.
type Config struct {
	OrderSize  int64         // shares to buy; default 5,000
	Venues     Venues        // fees and rebates; nil means none
	TWAPBucket time.Duration // default 60 s
	Grid       Grid          // default DefaultGrid()
	Workers    int           // grid-search goroutines; 0 means one per CPU
	// Allocator is the router's allocator; nil means Allocate. Set it to
	// AllocateBrute for the textbook enumeration (same answers, slower).
	Allocator func(rem int64, offers []Offer, p Params) ([]int64, Money, error)
}

// DefaultConfig is the exercise's setup.
func DefaultConfig() Config {
	return Config{OrderSize: 5000, TWAPBucket: time.Minute, Grid: DefaultGrid()}
}

// Outcome holds everything a run produced.
type Outcome struct {
	Config    Config
	Snapshots int
	First     int64 // time of the first snapshot
	Last      int64 // time of the last snapshot
	VenueIDs  []int // publishers seen (RunRows: in the window's rows; Run: quoting in the snapshots), ascending

	Grid []GridPoint
	Best int // index into Grid

	Router, BestAsk, TWAP, VWAP *Result
}

// Results returns the router's best result and the three baselines, in the
// order reports and charts show them.
func (o *Outcome) Results() []*Result { return []*Result{o.Router, o.BestAsk, o.TWAP, o.VWAP} }

// Run searches the grid for the router's best parameters and runs the three
// baselines on the same snapshots.
func Run(snaps []Snapshot, cfg Config) (*Outcome, error) {
	if err := checkSize(cfg.OrderSize); err != nil {
		return nil, err
	}
	if len(snaps) == 0 {
		return nil, fmt.Errorf("no snapshots: the data has no rows in the time window")
	}
	o := &Outcome{Config: cfg, Snapshots: len(snaps), First: snaps[0].Time, Last: snaps[len(snaps)-1].Time}
	for i := range snaps {
		for _, q := range snaps[i].Quotes {
			if j, found := slices.BinarySearch(o.VenueIDs, q.Venue); !found {
				o.VenueIDs = slices.Insert(o.VenueIDs, j, q.Venue)
			}
		}
	}
	var err error
	if o.Grid, o.Best, err = SearchGrid(snaps, cfg.Venues, cfg.OrderSize, cfg.Grid, cfg.Workers, cfg.Allocator); err != nil {
		return nil, err
	}
	o.Router = o.Grid[o.Best].Result
	for _, b := range []struct {
		dst **Result
		s   Strategy
	}{{&o.BestAsk, BestAsk{}}, {&o.TWAP, &TWAP{Bucket: cfg.TWAPBucket}}, {&o.VWAP, VWAP{}}} {
		if *b.dst, err = Backtest(snaps, cfg.Venues, cfg.OrderSize, b.s); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// RunRows builds the snapshots of rows in the window and runs them, like
// Run, and reports as venues every publisher with a row in the window, even
// one that never quoted an ask.
func RunRows(rows []Row, w Window, cfg Config) (*Outcome, error) {
	o, err := Run(BuildSnapshots(rows, w), cfg)
	if err != nil {
		return nil, err
	}
	o.VenueIDs = Publishers(rows, w)
	return o, nil
}

// Publishers returns the publisher ids of the rows in the window, ascending.
func Publishers(rows []Row, w Window) []int {
	var ids []int
	for i := range rows {
		if !w.Contains(rows[i].TsEvent) {
			continue
		}
		if j, found := slices.BinarySearch(ids, rows[i].PublisherID); !found {
			ids = slices.Insert(ids, j, rows[i].PublisherID)
		}
	}
	return ids
}
