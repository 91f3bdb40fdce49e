package ck

import (
	"errors"
	"math"
)

// TracePoint is the solver's state after the first N of a run's iterations.
type TracePoint struct {
	N       int
	Iterate Allocation // X_N, the last iterate
	Average Allocation // what Solve returns when stopped after N steps (Options.Burnin applied to those N)
}

// Trace follows a run of Solve with options opt through its iterations and
// returns its state at each checkpoint n (1 <= n <= opt.Iterations,
// ascending). Checkpoints nil means about ten per decade from 1 to
// opt.Iterations, logarithmically spaced.
//
// The state at n is that of the same run stopped after n steps: the step
// gamma is the full run's (opt.Step, or DefaultStep(opt.Iterations)) and the
// outflow draws come from opt.Seed, so the iterates X_1..X_n are those of the
// full run and the last checkpoint's Average is exactly Solve(p, s, opt).
// Each checkpoint reruns the first n steps, so a trace costs the sum of its
// checkpoints in iterations.
func Trace(p Params, s Sampler, opt Options, checkpoints []int) ([]TracePoint, error) {
	sv, err := NewSolver(p, s)
	if err != nil {
		return nil, err
	}
	if opt.Iterations <= 0 {
		opt.Iterations = 1000
	}
	if !(opt.Step > 0) {
		opt.Step = p.DefaultStep(opt.Iterations)
	}
	if checkpoints == nil {
		checkpoints = LogSpaced(opt.Iterations, 10)
	}
	out := make([]TracePoint, 0, len(checkpoints))
	prev := 0
	for _, n := range checkpoints {
		if n < 1 || n > opt.Iterations || n <= prev {
			return nil, errors.New("ck: checkpoints must be ascending within [1, Iterations]")
		}
		prev = n
		o := opt
		o.Iterations = n
		avg, err := sv.Run(o)
		if err != nil {
			return nil, err
		}
		out = append(out, TracePoint{N: n, Iterate: sv.x.Clone(), Average: avg.Clone()})
	}
	return out, nil
}

// LogSpaced returns about perDecade distinct integers per decade from 1 to
// n, logarithmically spaced, ascending, ending with n.
func LogSpaced(n, perDecade int) []int {
	if n < 1 {
		return nil
	}
	if perDecade < 1 {
		perDecade = 1
	}
	steps := int(math.Ceil(math.Log10(float64(n)) * float64(perDecade)))
	var out []int
	for i := 0; i <= steps; i++ {
		v := int(math.Round(math.Pow(10, float64(i)/float64(perDecade))))
		v = min(v, n)
		if len(out) == 0 || v > out[len(out)-1] {
			out = append(out, v)
		}
	}
	if out[len(out)-1] != n {
		out = append(out, n)
	}
	return out
}

// SolveSizes solves the problem p for each target size S in sizes (p.Size
// is replaced), with the same sampler and options, and returns the
// allocations in the order of sizes.
func SolveSizes(p Params, s Sampler, sizes []float64, opt Options) ([]Allocation, error) {
	out := make([]Allocation, 0, len(sizes))
	for _, size := range sizes {
		q := p
		q.Size = size
		x, err := Solve(q, s, opt)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}
