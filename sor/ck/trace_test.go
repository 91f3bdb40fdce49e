package ck

import (
	"slices"
	"testing"
)

func TestTraceEndsAtSolve(t *testing.T) {
	p := Params{Size: 1000, HalfSpread: 0.02, Fee: 0.003, Impact: 0.0005,
		Rebates: []float64{0.002}, Queues: []float64{2000}, LambdaUnder: 0.05, LambdaOver: 0.05}
	s, err := IndependentPoisson(2200)
	if err != nil {
		t.Fatal(err)
	}
	for _, burnin := range []float64{0, 0.5} {
		opt := Options{Iterations: 300, Seed: 7, Start: Allocation{Limit: []float64{1000}}, Burnin: burnin}
		tr, err := Trace(p, s, opt, []int{1, 10, 300})
		if err != nil {
			t.Fatal(err)
		}
		want, err := Solve(p, s, opt)
		if err != nil {
			t.Fatal(err)
		}
		last := tr[len(tr)-1]
		if last.N != 300 || last.Average.Market != want.Market || last.Average.Limit[0] != want.Limit[0] {
			t.Errorf("burnin %v: last checkpoint %v (n=%d), Solve %v", burnin, last.Average, last.N, want)
		}
		// After one step the average is the first iterate.
		if tr[0].Average.Market != tr[0].Iterate.Market || tr[0].Average.Limit[0] != tr[0].Iterate.Limit[0] {
			t.Errorf("burnin %v: after one step average %v != iterate %v", burnin, tr[0].Average, tr[0].Iterate)
		}
		// The state at n is the prefix of the full run: the iterate at 10
		// does not depend on the checkpoints asked for.
		tr2, err := Trace(p, s, opt, []int{10})
		if err != nil {
			t.Fatal(err)
		}
		if tr2[0].Iterate.Market != tr[1].Iterate.Market {
			t.Errorf("iterate at 10 depends on the checkpoints: %v vs %v", tr2[0].Iterate, tr[1].Iterate)
		}
	}
	if _, err := Trace(p, s, Options{Iterations: 10}, []int{5, 3}); err == nil {
		t.Error("descending checkpoints must fail")
	}
	if _, err := Trace(p, s, Options{Iterations: 10}, []int{11}); err == nil {
		t.Error("a checkpoint beyond Iterations must fail")
	}
	tr, err := Trace(p, s, Options{Iterations: 100}, nil)
	if err != nil || tr[len(tr)-1].N != 100 || tr[0].N != 1 {
		t.Errorf("default checkpoints: %v", err)
	}
}

func TestLogSpaced(t *testing.T) {
	if got, want := LogSpaced(100, 2), []int{1, 3, 10, 32, 100}; !slices.Equal(got, want) {
		t.Errorf("LogSpaced(100, 2) = %v, want %v", got, want)
	}
	if got, want := LogSpaced(5, 1), []int{1, 5}; !slices.Equal(got, want) {
		t.Errorf("LogSpaced(5, 1) = %v, want %v", got, want)
	}
	if LogSpaced(0, 3) != nil {
		t.Error("LogSpaced(0) must be nil")
	}
}

func TestSolveSizes(t *testing.T) {
	p := Params{HalfSpread: 0.02, Fee: 0.003, Rebates: []float64{0.002, 0.002}, Queues: []float64{2000, 2000},
		LambdaUnder: 0.05, LambdaOver: 0.05}
	s, err := NewCorrelatedPoisson(0.6, 2200, 2200)
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Iterations: 500, Seed: 3, Burnin: 0.5}
	xs, err := SolveSizes(p, s, []float64{100, 800}, opt)
	if err != nil {
		t.Fatal(err)
	}
	q := p
	q.Size = 800
	want, err := Solve(q, s, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(xs) != 2 || xs[1].Market != want.Market || xs[1].Limit[1] != want.Limit[1] {
		t.Errorf("SolveSizes[800] = %v, Solve = %v", xs[1], want)
	}
	if xs[0].Total() < 100 || xs[0].Total() > 200 {
		t.Errorf("S=100: total %v outside [S, K S]", xs[0].Total())
	}
	if _, err := SolveSizes(Params{HalfSpread: 0.02, Fee: 0.003, Rebates: []float64{0.002}, Queues: []float64{1}, LambdaUnder: 0.01, LambdaOver: 0.05}, s, []float64{100}, opt); err == nil {
		t.Error("SolveSizes must pass on the solver's errors")
	}
}
