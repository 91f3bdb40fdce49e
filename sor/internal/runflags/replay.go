package runflags

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/replay"
	"github.com/sorlab/sorlab/sor/sim"
)

// replayFlags are the options of the beyond-the-exercise backtest: fill
// model, latency, router, horizon and seeds. With their defaults nothing but
// the exercise runs.
type replayFlags struct {
	fill       *string
	power      *float64
	latency    *time.Duration
	latencyMax *time.Duration
	router     *string
	horizon    *time.Duration
	seeds      *int
	allow      *bool
	markets    *int
}

func addReplayFlags(fs *flag.FlagSet) *replayFlags {
	return &replayFlags{
		fill:       fs.String("fill", "visible", "fill model: visible (the exercise rule), risk-averse, prob-power or prob-log (queue position for limit orders)"),
		power:      fs.Float64("queue-power", 2, "exponent N of the prob-power queue model f(x) = x^N"),
		latency:    fs.Duration("latency", 0, "delay from decision to arrival at the venue"),
		latencyMax: fs.Duration("latency-max", 0, "with -latency, draw each delay uniformly from [latency, latency-max]"),
		router:     fs.String("router", "static", "router for the replay: static (the exercise's allocator, market orders) or ck (dynamic Cont-Kukanov with limit orders)"),
		horizon:    fs.Duration("horizon", 10*time.Second, "the ck router's horizon T: it re-solves every T"),
		seeds:      fs.Int("seeds", 10, "number of seeds (1..N) for the replay's random queue fills, latency and solver"),
		allow:      fs.Bool("allow-assumption-violations", false, "let the ck router run with penalties that break the model's assumptions A1-A3"),
		markets:    fs.Int("markets", 0, "also compare the strategies, against TWAP, over this many simulated markets (sor/sim seeds 1..N)"),
	}
}

// Replay is the set-up of a replay: the models and the protocol's numbers.
type Replay struct {
	Config  replay.Config
	Router  string        // "static" or "ck"
	Horizon time.Duration // the ck router's
	Seeds   int
	Allow   bool // the ck router may break A1-A3
	Markets int  // simulated markets to compare the strategies over
}

// setup refuses options that would be ignored silently (replay options
// without a replay, -queue-power without -fill prob-power, the ck router's
// options without -router ck) and returns the replay's set-up, nil when no
// replay option differs from the exercise.
func (f *replayFlags) setup(all *Flags, cfg sor.Config) (*Replay, error) {
	enabled := *f.fill != "visible" || *f.latency != 0 || *f.latencyMax != 0 || *f.router != "static" || *f.markets != 0
	if !enabled {
		var stray []string
		for _, name := range []string{"allow-assumption-violations", "horizon", "queue-power", "seeds"} {
			if all.Set(name) {
				stray = append(stray, "-"+name)
			}
		}
		if len(stray) > 0 {
			return nil, fmt.Errorf("%s only apply to a replay: add -fill, -latency, -router ck or -markets", strings.Join(stray, ", "))
		}
		return nil, nil
	}
	if all.Set("queue-power") && *f.fill != "prob-power" {
		return nil, fmt.Errorf("-queue-power applies to -fill prob-power only (got -fill %s)", *f.fill)
	}
	if *f.router != "ck" {
		for _, name := range []string{"horizon", "allow-assumption-violations"} {
			if all.Set(name) {
				return nil, fmt.Errorf("-%s applies to -router ck only", name)
			}
		}
	}
	r := &Replay{Router: *f.router, Seeds: *f.seeds, Allow: *f.allow, Markets: *f.markets}
	rc := replay.Config{OrderSize: cfg.OrderSize, Venues: cfg.Venues}
	switch *f.fill {
	case "visible":
		rc.Fills = replay.Visible{}
	case "risk-averse":
		rc.Fills = replay.Queue{Model: replay.RiskAverseQueue{}}
	case "prob-power":
		if !(*f.power > 0) {
			return nil, fmt.Errorf("-queue-power must be positive, got %v", *f.power)
		}
		rc.Fills = replay.Queue{Model: replay.ProbQueue{Prob: replay.PowerProb{N: *f.power}, Sampled: true}}
	case "prob-log":
		rc.Fills = replay.Queue{Model: replay.ProbQueue{Prob: replay.LogProb{}, Sampled: true}}
	default:
		return nil, fmt.Errorf("-fill: want visible, risk-averse, prob-power or prob-log, got %q", *f.fill)
	}
	switch {
	case *f.latency < 0 || *f.latencyMax < 0:
		return nil, errors.New("-latency and -latency-max must not be negative")
	case *f.latency > time.Hour || *f.latencyMax > time.Hour:
		return nil, errors.New("-latency and -latency-max must be at most 1h")
	case *f.latencyMax > 0 && *f.latencyMax < *f.latency:
		return nil, fmt.Errorf("-latency-max %v is below -latency %v", *f.latencyMax, *f.latency)
	case *f.latencyMax > 0:
		rc.Latency = replay.UniformLatency{Min: *f.latency, Max: *f.latencyMax}
	case *f.latency > 0:
		rc.Latency = replay.ConstantLatency(*f.latency)
	}
	if *f.router != "static" && *f.router != "ck" {
		return nil, fmt.Errorf("-router: want static or ck, got %q", *f.router)
	}
	if *f.router == "ck" && *f.fill == "visible" {
		return nil, errors.New("-router ck posts limit orders, which the visible fill model cannot fill: choose -fill risk-averse, prob-power or prob-log")
	}
	// Below 100 ms a horizon holds a handful of events and the outflow
	// estimate, rebuilt at every horizon, grows quadratically in their number.
	if *f.horizon < 100*time.Millisecond || *f.horizon > time.Hour {
		return nil, fmt.Errorf("-horizon must be between 100ms and 1h, got %v", *f.horizon)
	}
	if *f.router == "ck" {
		r.Horizon = *f.horizon
	}
	if *f.markets < 0 || *f.markets > 1000 {
		return nil, fmt.Errorf("-markets must be between 0 and 1000, got %d", *f.markets)
	}
	if *f.seeds < 1 || *f.seeds > 1000 {
		return nil, fmt.Errorf("-seeds must be between 1 and 1000, got %d", *f.seeds)
	}
	// Every grid point and seed is an engine playing the data at once.
	if n := len(cfg.Grid.Points()) * *f.seeds; *f.router == "ck" && n > maxEngines {
		return nil, fmt.Errorf("-router ck with %d grid points x %d seeds = %d runs, more than %d: use fewer penalty values or seeds", len(cfg.Grid.Points()), *f.seeds, n, maxEngines)
	}
	r.Config = rc
	return r, nil
}

// maxEngines bounds the ck router's grid search: grid points x seeds runs,
// each an engine with its own orders, played in one pass.
const maxEngines = 10_000

// Run runs the router and the baselines under the chosen fill model over
// the seeds; the ck router first searches the grid on expected cost.
// exercise is the static router's penalties (the exercise's best point).
func (r *Replay) Run(st sor.Source, cfg sor.Config, exercise sor.Params) (*replay.Report, error) {
	var err error
	seeds := make([]uint64, r.Seeds)
	for i := range seeds {
		seeds[i] = uint64(i + 1)
	}
	var (
		router replay.Factory
		grid   []replay.GridPoint
		best   = -1
	)
	switch r.Router {
	case "ck":
		base := &replay.CKRouter{Horizon: r.Horizon, AllowAssumptionViolations: r.Allow}
		if grid, best, err = replay.GridSearch(st, r.Config, base, cfg.Grid, seeds); err != nil {
			return nil, err
		}
		if best < 0 {
			return nil, fmt.Errorf("every grid point was refused; the first: %w", grid[0].Err)
		}
		ck := base.Clone()
		ck.LambdaUnder, ck.LambdaOver, ck.Theta = grid[best].Params.LambdaUnder, grid[best].Params.LambdaOver, grid[best].Params.ThetaQueue
		router = func() replay.Strategy { return ck.Clone() }
	default:
		router = func() replay.Strategy { return &replay.Baseline{S: &sor.Router{Params: exercise}} }
	}
	bucket := cfg.TWAPBucket
	strategies := []replay.Factory{
		router,
		func() replay.Strategy { return &replay.Baseline{S: sor.BestAsk{}} },
		func() replay.Strategy { return &replay.Baseline{S: &sor.TWAP{Bucket: bucket}} },
		func() replay.Strategy { return &replay.Baseline{S: sor.VWAP{}} },
	}
	// The grid picked the router's parameters on seeds 1..N; score every
	// strategy on fresh seeds N+1..2N so that the choice does not flatter it.
	selection := seeds
	if r.Router == "ck" {
		seeds = make([]uint64, len(selection))
		for i := range seeds {
			seeds[i] = uint64(len(selection) + i + 1)
		}
	}
	stats, err := replay.Evaluate(st, r.Config, strategies, seeds)
	if err != nil {
		return nil, err
	}
	report := replay.NewReport(r.Config, r.Router, r.Horizon, seeds, stats, grid, best)
	if r.Router == "ck" {
		report.SelectionSeeds = selection
	}
	if r.Markets > 0 {
		cmp, err := compareMarkets(r.Markets, r.Config, strategies, seeds)
		if err != nil {
			if best >= 0 {
				return nil, fmt.Errorf("-markets runs the ck router with the best grid point on the data (%v): %w", grid[best].Params, err)
			}
			return nil, fmt.Errorf("-markets: %w", err)
		}
		for _, m := range cmp {
			report.Markets = append(report.Markets, m.JSON())
		}
	}
	return report, nil
}

// compareMarkets runs the strategies on n simulated markets (the sample's
// model with seeds 1..n, its own venue table) against TWAP, the baseline
// that buys on the same schedule whatever the price does.
func compareMarkets(n int, rc replay.Config, strategies []replay.Factory, seeds []uint64) ([]replay.MarketStats, error) {
	p := sim.DefaultParams()
	var table bytes.Buffer // the venue table as the simulator writes it, read back exactly
	if err := sim.WriteVenues(&table, p.Venues); err != nil {
		return nil, err
	}
	venues, err := sor.ReadVenues(&table, "simulated venues")
	if err != nil {
		return nil, err
	}
	rc.Venues = venues
	markets := make([]sor.Source, n)
	for i := range markets {
		if markets[i], err = sim.NewSource(p, uint64(i+1)); err != nil {
			return nil, err
		}
	}
	return replay.CompareMarkets(markets, rc, strategies, seeds, 2)
}
