package sweep_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/sorlab/sorlab/sor/sim"
	"github.com/sorlab/sorlab/sor/sweep"
)

var (
	benchDays string
	benchErr  error
)

// BenchmarkSweep runs a sweep of 6 tasks on one-day files like the shipped
// sample (2 days x 3 symbols of 4 minutes, ~74,000 rows each, zstd), with
// one task per GOMAXPROCS at a time: run it with -cpu 1,2 for the scaling.
// Each op is a fresh results folder; tasks/s is reported.
func BenchmarkSweep(b *testing.B) {
	if benchDays == "" && benchErr == nil {
		benchDays, benchErr = os.MkdirTemp("", "sweep-bench-")
		if benchErr == nil {
			_, _, benchErr = sim.WriteDays(context.Background(), benchDays, ".csv.zst", sim.DefaultParams(), 1, 2, 3, true)
		}
	}
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	p, err := sweep.NewPlan(sweep.Manifest{Inputs: []sweep.Input{{Data: filepath.Join(benchDays, "*.csv.zst")}}}, "")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		dir := b.TempDir()
		rep, err := p.Run(sweep.Options{Dir: dir})
		if err != nil || rep.Ran != 6 || len(rep.Failures) > 0 {
			b.Fatalf("%+v, %v", rep, err)
		}
	}
	b.ReportMetric(float64(6*b.N)/b.Elapsed().Seconds(), "tasks/s")
}
