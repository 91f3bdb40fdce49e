package runflags

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/replay"
)

// ExperimentPlacement is -experiment placement.
const ExperimentPlacement = "placement"

// Replay is the set-up of a replay: the protocol (replay.Protocol, the
// command line's) and, with -experiment, the experiment run instead.
type Replay struct {
	Protocol   replay.Protocol
	Experiment string // "" or ExperimentPlacement
}

// Run runs the protocol on src with exercise, the exercise's best grid
// point, as the static router's penalties. It does not change r, so that
// tasks may run it at once.
func (r *Replay) Run(src sor.Source, exercise sor.Params) (*replay.ReplayResult, error) {
	p := r.Protocol
	p.Exercise = exercise
	return p.Run(src)
}

// RunPlacement runs the placement experiment on src, like Run.
func (r *Replay) RunPlacement(src sor.Source, exercise sor.Params) (*replay.PlacementResult, error) {
	p := r.Protocol
	p.Exercise = exercise
	return p.RunPlacement(src)
}

// setup checks the replay's flags and returns its set-up, nil when no
// replay option differs from the exercise.
func (f *replayFlags) setup(all *Flags, cfg sor.Config) (*Replay, error) {
	if err := f.check(all); err != nil {
		return nil, err
	}
	if !f.enabled() {
		return nil, nil
	}
	p, err := f.protocol(cfg)
	if err != nil {
		return nil, err
	}
	return &Replay{Protocol: *p, Experiment: *f.experiment}, nil
}

// replayFlags are the options of the beyond-the-exercise backtest: fill
// model, latency, router, horizon, seeds and the experiment. With their
// defaults nothing but the exercise runs. The protocol itself is
// replay.Protocol's.
type replayFlags struct {
	fill       *string
	power      *float64
	latency    *time.Duration
	latencyMax *time.Duration
	feedDelay  *bool
	router     *string
	horizon    *time.Duration
	seeds      *int
	allow      *bool
	markets    *int
	experiment *string
}

func addReplayFlags(fs *flag.FlagSet) *replayFlags {
	return &replayFlags{
		fill:       fs.String("fill", "visible", "fill model: visible (the exercise rule), queue (the best-scored queue model, see queuescore), risk-averse, prob-power, prob-power1/2/3, prob-log, prob-log2, prob-func2-powerN or prob-func3-powerN (queue position for limit orders)"),
		power:      fs.Float64("queue-power", 2, "exponent N of the prob-power queue model f(x) = x^N"),
		latency:    fs.Duration("latency", 0, "delay from decision to arrival at the venue"),
		latencyMax: fs.Duration("latency-max", 0, "with -latency, draw each delay uniformly from [latency, latency-max]"),
		feedDelay:  fs.Bool("feed-delay", false, "decide on ts_recv: a strategy sees a row only once its ts_recv has passed"),
		router:     fs.String("router", "static", "router for the replay: static (the exercise's allocator, market orders) or ck (dynamic Cont-Kukanov with limit orders)"),
		horizon:    fs.Duration("horizon", 10*time.Second, "the ck router's horizon T: it re-solves every T (with -experiment placement: the slice)"),
		seeds:      fs.Int("seeds", 10, "number of seeds (1..N) for the replay's random queue fills, latency and solver"),
		allow:      fs.Bool("allow-assumption-violations", false, "let the ck router run with penalties that break the model's assumptions A1-A3"),
		markets:    fs.Int("markets", 0, "also compare the strategies, against TWAP, over this many simulated markets (sor/sim seeds 1..N); with -experiment placement, run the experiment on them"),
		experiment: fs.String("experiment", "", "placement: one schedule, each slice bought with market orders only, the Cont-Kukanov split, and limit orders only (JSON section placement)"),
	}
}

// check refuses options that would be ignored silently: replay options
// without a replay, -queue-power without -fill prob-power, the ck router's
// options without -router ck or -experiment placement.
func (f *replayFlags) check(all *Flags) error {
	if !f.enabled() {
		var stray []string
		for _, name := range []string{"allow-assumption-violations", "horizon", "queue-power", "seeds"} {
			if all.Set(name) {
				stray = append(stray, "-"+name)
			}
		}
		switch n := len(stray); n {
		case 0:
		case 1:
			return fmt.Errorf("%s applies only to a replay: %s", stray[0], replayOptions)
		default:
			return fmt.Errorf("%s and %s apply only to a replay: %s", strings.Join(stray[:n-1], ", "), stray[n-1], replayOptions)
		}
		return nil
	}
	if all.Set("queue-power") && *f.fill != "prob-power" {
		return fmt.Errorf("-queue-power applies to -fill prob-power only (got -fill %s)", *f.fill)
	}
	switch *f.experiment {
	case "":
	case "placement":
		if all.Set("router") {
			return errors.New("-router does not apply to -experiment placement: the experiment compares its own three ways of buying each slice")
		}
		return nil
	default:
		return fmt.Errorf("-experiment: want placement, got %q", *f.experiment)
	}
	if *f.router != "ck" {
		for _, name := range []string{"horizon", "allow-assumption-violations"} {
			if all.Set(name) {
				return fmt.Errorf("-%s applies to -router ck or -experiment placement only", name)
			}
		}
	}
	return nil
}

// replayOptions says how to ask for a replay.
const replayOptions = "add -fill, -latency, -feed-delay, -router ck, -markets or -experiment"

// enabled reports whether any replay option differs from the exercise.
func (f *replayFlags) enabled() bool {
	return *f.fill != "visible" || *f.latency != 0 || *f.latencyMax != 0 || *f.feedDelay || *f.router != "static" || *f.markets != 0 || *f.experiment != ""
}

// protocol turns the flags into the replay's protocol: the models and the
// protocol's checks are replay's (ParseFillPower, ParseLatency,
// Protocol.Check); the bounds here are the command line's.
func (f *replayFlags) protocol(cfg sor.Config) (*replay.Protocol, error) {
	p := &replay.Protocol{Config: replay.Config{OrderSize: cfg.OrderSize, Venues: cfg.Venues, FeedDelay: *f.feedDelay},
		Router: *f.router, Grid: cfg.Grid, TWAPBucket: cfg.TWAPBucket, Seeds: *f.seeds, Markets: *f.markets,
		CK: replay.CKRouter{Horizon: *f.horizon, AllowAssumptionViolations: *f.allow}}
	var err error
	if p.Config.Fills, err = replay.ParseFillPower(*f.fill, *f.power); err != nil {
		return nil, err
	}
	if p.Config.Latency, err = replay.ParseLatency(*f.latency, *f.latencyMax); err != nil {
		return nil, err
	}
	if *f.router != replay.RouterStatic && *f.router != replay.RouterCK {
		return nil, fmt.Errorf("-router: want static or ck, got %q", *f.router)
	}
	// Below 100 ms a horizon holds a handful of events and the outflow
	// estimate, rebuilt at every horizon, grows quadratically in their number.
	if *f.horizon < 100*time.Millisecond || *f.horizon > time.Hour {
		return nil, fmt.Errorf("-horizon must be between 100ms and 1h, got %v", *f.horizon)
	}
	if *f.markets < 0 || *f.markets > 1000 {
		return nil, fmt.Errorf("-markets must be between 0 and 1000, got %d", *f.markets)
	}
	if *f.seeds < 1 || *f.seeds > 1000 {
		return nil, fmt.Errorf("-seeds must be between 1 and 1000, got %d", *f.seeds)
	}
	check := p.Check
	if *f.experiment == ExperimentPlacement {
		check = p.CheckPlacement
	}
	if err := check(); err != nil {
		return nil, err
	}
	return p, nil
}
