package replay

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/ck"
	"github.com/sorlab/sorlab/sor/sim"
)

// FillNames are the fill models ParseFill knows, as the command line names
// them.
const FillNames = "visible, queue (the default queue model), risk-averse, prob-power (N = 2), prob-powerN (prob-power1, prob-power3, …), prob-log, prob-log2, prob-func2-powerN or prob-func3-powerN"

// ParseFill returns the fill model of a name: visible (the exercise's
// rule), queue (Queue{}: DefaultQueueModel, the best scored), risk-averse,
// prob-powerN (PowerProb{N}, N > 0; prob-power alone is N = 2), prob-log
// (LogProb), prob-log2 (Log2Prob), prob-func2-powerN (PowerProb2{N}) or
// prob-func3-powerN (PowerProb3{N}). The probabilistic models draw
// (Sampled), as the command line runs them.
func ParseFill(name string) (FillModel, error) {
	prob := func(f ProbFunc) FillModel { return Queue{Model: ProbQueue{Prob: f, Sampled: true}} }
	switch name {
	case "visible":
		return Visible{}, nil
	case "queue":
		return Queue{}, nil
	case "risk-averse":
		return Queue{Model: RiskAverseQueue{}}, nil
	case "prob-log":
		return prob(LogProb{}), nil
	case "prob-log2":
		return prob(Log2Prob{}), nil
	case "prob-power":
		return prob(PowerProb{N: 2}), nil
	}
	for _, f := range []struct {
		prefix string
		prob   func(N float64) ProbFunc
	}{
		{"prob-func2-power", func(N float64) ProbFunc { return PowerProb2{N: N} }},
		{"prob-func3-power", func(N float64) ProbFunc { return PowerProb3{N: N} }},
		{"prob-power", func(N float64) ProbFunc { return PowerProb{N: N} }},
	} {
		if n, ok := strings.CutPrefix(name, f.prefix); ok {
			N, err := strconv.ParseFloat(n, 64)
			if err != nil || !(N > 0) || math.IsInf(N, 0) {
				return nil, fmt.Errorf("fill model %q: the power N must be a positive number", name)
			}
			return prob(f.prob(N)), nil
		}
	}
	return nil, fmt.Errorf("want a fill model %s; got %q", FillNames, name)
}

// ParseFillPower is the command line's -fill name with -queue-power power:
// ParseFill(name), except that prob-power takes its N from power (which
// must be positive) instead of the default 2. Its errors name the flags.
func ParseFillPower(name string, power float64) (FillModel, error) {
	if name == "prob-power" {
		if !(power > 0) {
			return nil, fmt.Errorf("-queue-power must be positive, got %v", power)
		}
		name += strconv.FormatFloat(power, 'g', -1, 64)
	}
	f, err := ParseFill(name)
	if err != nil {
		return nil, fmt.Errorf("-fill: %w", err)
	}
	return f, nil
}

// ParseLatency is the latency model of the command line's -latency and
// -latency-max: nil (none) when both are 0, ConstantLatency(latency)
// without a maximum, UniformLatency{latency, latencyMax} with one. Both
// must be within [0, 1h] and the maximum, when given, at least latency.
// Its errors name the flags.
func ParseLatency(latency, latencyMax time.Duration) (LatencyModel, error) {
	switch {
	case latency < 0 || latencyMax < 0:
		return nil, errors.New("-latency and -latency-max must not be negative")
	case latency > time.Hour || latencyMax > time.Hour:
		return nil, errors.New("-latency and -latency-max must be at most 1h")
	case latencyMax > 0 && latencyMax < latency:
		return nil, fmt.Errorf("-latency-max %v is below -latency %v", latencyMax, latency)
	case latencyMax > 0:
		return UniformLatency{Min: latency, Max: latencyMax}, nil
	case latency > 0:
		return ConstantLatency(latency), nil
	}
	return nil, nil
}

// Router names for Protocol.Router.
const (
	RouterStatic = "static" // the exercise's allocator, market orders only
	RouterCK     = "ck"     // the dynamic Cont-Kukanov router
)

// Protocol is the replay experiment of the command line in one place, so
// that a program or a notebook runs exactly what the command line runs. The
// router is compared with the exercise's baselines
// (best ask, TWAP, VWAP) over seeds 1..Seeds. With RouterCK, GridSearch
// first picks the router's penalties on seeds 1..N, and every strategy is
// then scored on fresh seeds N+1..2N (ScoreSeeds), so that the choice does
// not flatter the router. With Markets > 0 every strategy is also compared
// with TWAP over that many simulated markets (SimulatedMarkets).
//
// RunPlacement plays the placement experiment (Placement) with the same
// seeds: the split's penalties are picked the same way, on the data.
type Protocol struct {
	Config     Config        // order size, venues, fill model, latency, feed delay
	Router     string        // RouterStatic (the default) or RouterCK
	Exercise   sor.Params    // the static router's penalties
	CK         CKRouter      // the ck router's settings (Horizon, Iterations, AllowAssumptionViolations…); its penalties come from Grid
	Grid       sor.Grid      // the penalties GridSearch tries
	TWAPBucket time.Duration // the TWAP baseline's bucket; default 60 s
	Seeds      int           // N >= 1
	Markets    int           // simulated markets; 0: none
}

// seedRange is from, from+1, …, from+n−1.
func seedRange(from, n int) []uint64 {
	s := make([]uint64, n)
	for i := range s {
		s[i] = uint64(from + i)
	}
	return s
}

// SelectionSeeds are the seeds the penalties are chosen on: 1..N.
func (p *Protocol) SelectionSeeds() []uint64 { return seedRange(1, p.Seeds) }

// ScoreSeeds are the seeds the figures come from: N+1..2N with RouterCK
// (fresh seeds after the grid search), 1..N otherwise.
func (p *Protocol) ScoreSeeds() []uint64 {
	if p.Router == RouterCK {
		return seedRange(p.Seeds+1, p.Seeds)
	}
	return p.SelectionSeeds()
}

// MaxRuns bounds the runs of a grid search, grid points × seeds: each is an
// engine with its own orders, and all play the data at once.
const MaxRuns = 10_000

// Check refuses a protocol that Run cannot run: fewer than one seed,
// negative markets, an unknown router and, with RouterCK, which posts limit
// orders and searches the grid, the Visible fill model (it cannot fill
// them) or more than MaxRuns grid points × seeds. The last two errors are
// worded for the command line (-router ck, -fill), whose checks these are.
func (p *Protocol) Check() error {
	if err := p.check(); err != nil {
		return err
	}
	if p.Router == RouterCK {
		return p.checkSearch("-router ck")
	}
	return nil
}

// CheckPlacement is Check for RunPlacement, which always posts limit
// orders and searches the grid (Router is not used).
func (p *Protocol) CheckPlacement() error {
	if err := p.check(); err != nil {
		return err
	}
	return p.checkSearch("-experiment placement")
}

func (p *Protocol) check() error {
	if p.Seeds < 1 {
		return fmt.Errorf("protocol: %d seeds, want at least 1", p.Seeds)
	}
	if p.Markets < 0 {
		return fmt.Errorf("protocol: %d markets", p.Markets)
	}
	switch p.Router {
	case "", RouterStatic, RouterCK:
	default:
		return fmt.Errorf("protocol: router %q, want %s or %s", p.Router, RouterStatic, RouterCK)
	}
	return nil
}

// checkSearch checks what an experiment that posts limit orders and
// searches the grid needs; what names it.
func (p *Protocol) checkSearch(what string) error {
	if p.Config.Fills == nil || p.Config.Fills.queue() == nil {
		return fmt.Errorf("%s posts limit orders, which the visible fill model cannot fill: choose -fill queue, risk-averse, prob-power or prob-log", what)
	}
	if points := len(p.Grid.Points()); points*p.Seeds > MaxRuns {
		return fmt.Errorf("%s with %d grid points x %d seeds = %d runs, more than %d: use fewer penalty values or seeds", what, points, p.Seeds, points*p.Seeds, MaxRuns)
	}
	return nil
}

// SelectCK searches the grid for the ck router's penalties on src over the
// selection seeds and returns the grid, the best point's index and the
// router with its penalties.
func (p *Protocol) SelectCK(src sor.Source) ([]GridPoint, int, *CKRouter, error) {
	grid, best, err := GridSearch(src, p.Config, &p.CK, p.Grid, p.SelectionSeeds())
	if err != nil {
		return nil, -1, nil, err
	}
	if best < 0 {
		return grid, best, nil, fmt.Errorf("every grid point was refused; the first: %w", grid[0].Err)
	}
	r := p.CK.Clone()
	r.LambdaUnder, r.LambdaOver, r.Theta = grid[best].Params.LambdaUnder, grid[best].Params.LambdaOver, grid[best].Params.ThetaQueue
	return grid, best, r, nil
}

// ReplayResult is what Protocol.Run found: each strategy's statistics over
// the score seeds, the ck router's grid (Best is -1 without one) and the
// comparison over simulated markets (none without Markets). JSON is the
// report section "replay".
type ReplayResult struct {
	Stats   []Stats
	Grid    []GridPoint
	Best    int
	Markets []MarketStats
	report  *Report
}

// JSON is the result's report section.
func (r *ReplayResult) JSON() *Report { return r.report }

// Run compares the router with the baselines on src (see Protocol) and
// returns what it found (its JSON is the command line's replay section).
func (p *Protocol) Run(src sor.Source) (*ReplayResult, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	var (
		router  Factory
		grid    []GridPoint
		best    = -1
		horizon time.Duration
	)
	if p.Router == RouterCK {
		var r *CKRouter
		var err error
		if grid, best, r, err = p.SelectCK(src); err != nil {
			return nil, err
		}
		horizon = r.Horizon
		if horizon <= 0 {
			horizon = 10 * time.Second
		}
		router = func() Strategy { return r.Clone() }
	} else {
		exercise := p.Exercise
		router = func() Strategy { return &Baseline{S: &sor.Router{Params: exercise}} }
	}
	bucket := p.TWAPBucket
	if bucket <= 0 {
		bucket = time.Minute
	}
	strategies := []Factory{
		router,
		func() Strategy { return &Baseline{S: sor.BestAsk{}} },
		func() Strategy { return &Baseline{S: &sor.TWAP{Bucket: bucket}} },
		func() Strategy { return &Baseline{S: sor.VWAP{}} },
	}
	seeds := p.ScoreSeeds()
	stats, err := Evaluate(src, p.Config, strategies, seeds)
	if err != nil {
		return nil, err
	}
	name := p.Router
	if name == "" {
		name = RouterStatic
	}
	report := NewReport(p.Config, name, horizon, seeds, stats, grid, best)
	if p.Router == RouterCK {
		report.SelectionSeeds = p.SelectionSeeds()
	}
	res := &ReplayResult{Stats: stats, Grid: grid, Best: best, report: report}
	if p.Markets > 0 {
		markets, venues, err := SimulatedMarkets(p.Markets)
		if err != nil {
			return nil, err
		}
		cfg := p.Config
		cfg.Venues = venues
		cmp, err := CompareMarkets(markets, cfg, strategies, seeds, 2) // against TWAP, the schedule that ignores prices
		if err != nil {
			if best >= 0 {
				return nil, fmt.Errorf("markets: the ck router with the best grid point on the data (%v): %w", grid[best].Params, err)
			}
			return nil, fmt.Errorf("markets: %w", err)
		}
		res.Markets = cmp
		for _, m := range cmp {
			report.Markets = append(report.Markets, m.JSON())
		}
	}
	return res, nil
}

// RunPlacement plays the placement experiment with slices of T = CK.Horizon
// (default 10 s): the split's penalties are chosen by GridSearch on src
// over seeds 1..N (the grid of the dynamic router, whose horizon is the
// slice), and the experiment runs on fresh seeds N+1..2N, on src alone or,
// with Markets > 0, on that many simulated markets instead (one at a
// time). Router is not used.
func (p *Protocol) RunPlacement(src sor.Source) (*PlacementResult, error) {
	if err := p.CheckPlacement(); err != nil {
		return nil, err
	}
	grid, best, r, err := p.SelectCK(src)
	if err != nil {
		return nil, fmt.Errorf("placement: choosing the split's penalties: %w", err)
	}
	markets, cfg := []sor.Source{src}, p.Config
	data := "the data"
	if p.Markets > 0 {
		if markets, cfg.Venues, err = SimulatedMarkets(p.Markets); err != nil {
			return nil, err
		}
		data = fmt.Sprintf("%d simulated markets (sor/sim seeds 1-%d)", p.Markets, p.Markets)
	}
	// The penalties were chosen on the ck router's run over the whole
	// order; a slice of the experiment can meet a state where they break an
	// assumption (a wider spread at a slice's start, where λ_u ≤ h + f).
	// Then the next best point of the search is tried, in order of expected
	// cost, so that the split runs with the best penalties valid for it.
	var first error
	for _, k := range byExpectedCost(grid, best) {
		r.LambdaUnder, r.LambdaOver, r.Theta = grid[k].Params.LambdaUnder, grid[k].Params.LambdaOver, grid[k].Params.ThetaQueue
		pl := Placement{Slice: r.Horizon, Router: *r}
		res, err := pl.Run(markets, cfg, seedRange(p.Seeds+1, p.Seeds)) // fresh seeds, as for the ck router
		if err == nil {
			res.Data, res.SelectionSeeds = data, p.SelectionSeeds()
			return res, nil
		}
		if first == nil {
			first = err
		}
		if !errors.Is(err, ck.ErrAssumption) || r.AllowAssumptionViolations {
			break
		}
	}
	return nil, fmt.Errorf("placement: %w", first)
}

// byExpectedCost lists the grid points without error, best first, then by
// mean expected cost (ties in grid order).
func byExpectedCost(grid []GridPoint, best int) []int {
	order := []int{best}
	for k := range grid {
		if k != best && grid[k].Err == nil {
			order = append(order, k)
		}
	}
	slices.SortStableFunc(order[1:], func(a, b int) int {
		return cmp.Compare(grid[a].Stats.ExpectedCost, grid[b].Stats.ExpectedCost)
	})
	return order
}

// SimulatedMarkets are n markets of the sample's model (sim.DefaultParams)
// with seeds 1..n (seed 1 is the shipped sample), streamed, and their venue
// table as the simulator writes it, read back exactly. Nothing is simulated
// here: a market runs the model for its span when first asked for it (see
// simMarket), so that CompareMarkets and Placement, which play the markets
// in turn, build and score them one at a time.
func SimulatedMarkets(n int) ([]sor.Source, sor.Venues, error) {
	p := sim.DefaultParams()
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	var table bytes.Buffer
	if err := sim.WriteVenues(&table, p.Venues); err != nil {
		return nil, nil, err
	}
	venues, err := sor.ReadVenues(&table, "simulated venues")
	if err != nil {
		return nil, nil, err
	}
	markets := make([]sor.Source, n)
	for i := range markets {
		markets[i] = &simMarket{p: p, seed: uint64(i + 1)}
	}
	return markets, venues, nil
}

// simMarket is sim.NewSource(p, seed), made on first use: sim.NewSource
// runs the whole model once to learn the span of its rows.
type simMarket struct {
	p    sim.Params
	seed uint64
	once sync.Once
	src  *sim.Source
	err  error // of sim.NewSource; p is valid, so none is expected
}

func (m *simMarket) source() (*sim.Source, error) {
	m.once.Do(func() { m.src, m.err = sim.NewSource(m.p, m.seed) })
	return m.src, m.err
}

// Span is the market's span; empty if the model failed (Chunks says why).
func (m *simMarket) Span() sor.Span {
	if s, err := m.source(); err == nil {
		return s.Span()
	}
	return sor.Span{}
}

func (m *simMarket) Chunks(yield func([]sor.Row) bool) error {
	s, err := m.source()
	if err != nil {
		return err
	}
	return s.Chunks(yield)
}
