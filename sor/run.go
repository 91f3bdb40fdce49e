package sor

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"
)

// Config describes one run of the exercise.
type Config struct {
	OrderSize  int64         // shares to buy; default 5,000
	Venues     Venues        // fees and rebates; nil means none
	TWAPBucket time.Duration // default 60 s
	Grid       Grid          // default DefaultGrid()
	// Workers is the number of goroutines Run shares the strategies
	// among when it replays snapshots built earlier; 0 means one per CPU.
	// A streamed run (RunSource) plays every strategy in one pass on one
	// goroutine: reading the data is the work there.
	Workers int
	// Allocator is the router's allocator; nil means Allocate. Set it to
	// AllocateBrute for the textbook enumeration (same answers, slower).
	Allocator func(rem int64, offers []Offer, p Params) ([]int64, Money, error)
	// VenueTable says where Venues came from, for the report: a path, or
	// "embedded sample"; "" with Venues nil reads "none: no fees".
	VenueTable string
}

// MaxGridPoints bounds the grid: each point is a router playing the whole
// data, and a line of the report.
const MaxGridPoints = 10_000

// Check refuses a configuration that cannot run, before any data is read:
// an order size that is not a positive multiple of 100, a TWAP bucket that
// is not positive, an empty grid or one of more than MaxGridPoints points, a
// negative penalty.
func (c Config) Check() error {
	if err := checkSize(c.OrderSize); err != nil {
		return err
	}
	if c.TWAPBucket <= 0 {
		return fmt.Errorf("TWAP bucket must be positive, got %v", c.TWAPBucket)
	}
	g := c.Grid
	n := int64(len(g.LambdaUnder)) * int64(len(g.LambdaOver)) * int64(len(g.ThetaQueue))
	switch {
	case n == 0:
		return errors.New("empty parameter grid")
	case n > MaxGridPoints:
		return fmt.Errorf("the grid has %d x %d x %d = %d points, more than %d", len(g.LambdaUnder), len(g.LambdaOver), len(g.ThetaQueue), n, MaxGridPoints)
	}
	for _, vs := range [][]Money{g.LambdaUnder, g.LambdaOver, g.ThetaQueue} {
		for _, v := range vs {
			if v < 0 {
				return fmt.Errorf("penalty %v is negative", v)
			}
		}
	}
	return nil
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
	// VenueIDs are the publishers seen, ascending: those with a row in the
	// window (RunSource, RunRows, the command line), or, for Run, which sees
	// only snapshots, those quoting an ask in one.
	VenueIDs []int

	Grid []GridPoint
	Best int // index into Grid

	Router, BestAsk, TWAP, VWAP *Result

	// What was read: the instrument (id 0 and symbol "" when the data does
	// not say) and the price format of the file (PriceAuto when unknown:
	// rows held in memory, or a file without a price).
	Instrument Instrument
	Prices     PriceFormat
}

// Results returns the router's best result and the three baselines, in the
// order reports and charts show them.
func (o *Outcome) Results() []*Result { return []*Result{o.Router, o.BestAsk, o.TWAP, o.VWAP} }

// exercise is the exercise's set of traders: one router per grid point,
// then Best Ask, TWAP and VWAP, all playing the same decision points.
type exercise struct {
	points  []Params
	traders []*Trader // len(points) routers, then the three baselines
}

// newExercise starts the traders for decision points from first to last:
// the routers of the grid, and the baselines too when baselines is set.
func newExercise(cfg Config, first, last int64, baselines bool) (*exercise, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	ex := &exercise{points: cfg.Grid.Points()}
	if len(ex.points) == 0 {
		return nil, errors.New("empty parameter grid")
	}
	for _, p := range ex.points {
		ex.traders = append(ex.traders, NewTrader(&Router{Params: p, Allocator: cfg.Allocator}, cfg.OrderSize))
	}
	if baselines {
		for _, s := range []Strategy{BestAsk{}, &TWAP{Bucket: cfg.TWAPBucket}, VWAP{}} {
			ex.traders = append(ex.traders, NewTrader(s, cfg.OrderSize))
		}
	}
	for i, tr := range ex.traders {
		if err := tr.Start(first, last); err != nil {
			return nil, ex.label(i, err)
		}
	}
	return ex, nil
}

// label names the grid point of a router's error.
func (ex *exercise) label(i int, err error) error {
	if i < len(ex.points) {
		return fmt.Errorf("grid point %d: %w", i, err)
	}
	return err
}

// groups shares the traders among n groups (round robin), each a list of
// players.
func (ex *exercise) groups(n int) [][]Player {
	n = max(1, min(n, len(ex.traders)))
	gs := make([][]Player, n)
	for i, tr := range ex.traders {
		gs[i%n] = append(gs[i%n], labeled{tr, ex, i})
	}
	return gs
}

// labeled names a router's grid point in its errors.
type labeled struct {
	*Trader
	ex *exercise
	i  int
}

func (l labeled) Decide(b *Book) (bool, error) {
	done, err := l.Trader.Decide(b)
	if err != nil {
		err = l.ex.label(l.i, err)
	}
	return done, err
}

// outcome fills in the results.
func (ex *exercise) outcome(o *Outcome) {
	n := len(ex.points)
	o.Grid = make([]GridPoint, n)
	for i, p := range ex.points {
		o.Grid[i] = GridPoint{Params: p, Result: ex.traders[i].Result()}
		if better(o.Grid[i].Result, o.Grid[o.Best].Result) {
			o.Best = i
		}
	}
	o.Router = o.Grid[o.Best].Result
	if len(ex.traders) > n {
		o.BestAsk, o.TWAP, o.VWAP = ex.traders[n].Result(), ex.traders[n+1].Result(), ex.traders[n+2].Result()
	}
}

// playSnapshots plays snapshots built earlier, the traders shared among
// cfg.Workers goroutines (each with its own book).
func (ex *exercise) playSnapshots(snaps []Snapshot, cfg Config) error {
	n := cfg.Workers
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	groups := ex.groups(n)
	errs := make([]error, len(groups))
	var wg sync.WaitGroup
	for i, g := range groups {
		wg.Go(func() { errs[i] = PlaySnapshots(snaps, cfg.Venues, cfg.OrderSize, g...) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Run searches the grid for the router's best parameters and runs the three
// baselines on snapshots built earlier (BuildSnapshots, CollectSnapshots),
// sharing the strategies among cfg.Workers goroutines. The result does not
// depend on scheduling, and is RunRows's on the same rows but for one
// figure: the venues reported (Outcome.VenueIDs) are those quoting an ask in
// some snapshot. A snapshot lists only the venues showing an ask (the
// exercise's rule), so a publisher whose rows never quoted one leaves no
// trace in snaps; RunRows and RunSource, which see the rows, report every
// publisher with a row in the window, as the command line does.
func Run(snaps []Snapshot, cfg Config) (*Outcome, error) {
	if err := checkSize(cfg.OrderSize); err != nil {
		return nil, err
	}
	if len(snaps) == 0 {
		return nil, errNoSnapshots
	}
	o := &Outcome{Config: cfg, Snapshots: len(snaps), First: snaps[0].Time, Last: snaps[len(snaps)-1].Time}
	var seen PublisherSet
	for i := range snaps {
		for _, q := range snaps[i].Quotes {
			seen.Add(q.Venue)
		}
	}
	o.VenueIDs = seen.IDs()
	ex, err := newExercise(cfg, o.First, o.Last, true)
	if err != nil {
		return nil, err
	}
	if err := ex.playSnapshots(snaps, cfg); err != nil {
		return nil, err
	}
	ex.outcome(o)
	return o, nil
}

var errNoSnapshots = errors.New("no snapshots: the data has no rows in the time window")

// RunSource plays the exercise on a source in one pass: the grid's routers
// and the three baselines decide at the same decision points of one Book,
// so nothing but the book and the strategies' fills is held, whatever the
// size of the data. The venues reported are the publishers with a row in
// the source.
func RunSource(src Source, cfg Config) (*Outcome, error) {
	if err := checkSize(cfg.OrderSize); err != nil {
		return nil, err
	}
	span := src.Span()
	if span.Rows == 0 {
		return nil, errNoSnapshots
	}
	ex, err := newExercise(cfg, span.First, span.Last, true)
	if err != nil {
		return nil, err
	}
	b := NewBook(cfg.Venues)
	b.Guard(cfg.OrderSize)
	n, err := Play(src, b, ex.groups(1)[0]...)
	if err != nil {
		return nil, err
	}
	o := &Outcome{Config: cfg, Snapshots: int(n), First: span.First, Last: span.Last, VenueIDs: slices.Clone(span.Publishers)}
	if d, ok := src.(interface {
		Instrument() Instrument
		Info() SourceInfo
	}); ok {
		o.Instrument, o.Prices = d.Instrument(), d.Info().Prices
	}
	ex.outcome(o)
	return o, nil
}

// RunRows runs the exercise on rows held in memory, cut to the window (see
// NewStream and RunSource): the venues reported are every publisher with a
// row in the window, even one that never quoted an ask.
func RunRows(rows []Row, w Window, cfg Config) (*Outcome, error) {
	return RunSource(NewStream(rows, w), cfg)
}

// Publishers returns the publisher ids of the rows in the window, ascending.
func Publishers(rows []Row, w Window) []int {
	var seen PublisherSet
	for i := range rows {
		if w.Contains(rows[i].TsEvent) {
			seen.Add(rows[i].PublisherID)
		}
	}
	return seen.IDs()
}
