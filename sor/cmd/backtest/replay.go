package main

import (
	"encoding/json"
	"errors"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/chart"
	"github.com/sorlab/sorlab/sor/ck"
	"github.com/sorlab/sorlab/sor/internal/runflags"
	"github.com/sorlab/sorlab/sor/replay"
)

// exitCode is the exit status of a run that failed with err: 1 when a
// strategy of the replay failed while running (replay.StrategyError: a
// fault of the program, not of what the user gave it), 2 for bad flags or
// input. A strategy stopped because its penalties break the assumptions of
// the Cont-Kukanov model (ck.ErrAssumption) is the user's choice of
// penalties: 2.
func exitCode(err error) int {
	var se *replay.StrategyError
	if errors.As(err, &se) && !errors.Is(err, ck.ErrAssumption) {
		return 1
	}
	return 2
}

// runReplay runs the replay or the experiment and returns the summary with
// its section and the figure of results.png, which shows the replay (each
// strategy's cost with its interval, the markets, the grid) or the
// experiment (the paired savings) instead of the exercise.
func runReplay(r *runflags.Replay, src sor.Source, s sor.Summary, exercise sor.Params) ([]byte, chart.Figure, error) {
	if r.Experiment == runflags.ExperimentPlacement {
		res, err := r.RunPlacement(src, exercise)
		if err != nil {
			return nil, nil, err
		}
		fig, err := chart.PlacementSavings(res)
		return withSections(s, nil, res.JSON()), fig, err
	}
	res, err := r.Run(src, exercise)
	if err != nil {
		return nil, nil, err
	}
	fig, err := chart.ReplayResults(chart.ReplayRun{Stats: res.Stats, Grid: res.Grid, Best: res.Best, Markets: res.Markets})
	return withSections(s, res.JSON(), nil), fig, err
}

// withSections is the summary with the replay or the placement section
// after the exercise's fields.
func withSections(s sor.Summary, r *replay.Report, pl *replay.PlacementReport) []byte {
	b, err := json.MarshalIndent(struct {
		sor.Summary
		Replay    *replay.Report          `json:"replay,omitempty"`
		Placement *replay.PlacementReport `json:"placement,omitempty"`
	}{s, r, pl}, "", "  ")
	if err != nil {
		panic(err) // plain numbers and strings only
	}
	return append(b, '\n')
}
