package replay

import (
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor"
)

// BenchmarkGridSearch is the command line's -router ck -fill prob-power on
// the sample, with two seeds: 54 runs of the dynamic router in one pass.
func BenchmarkGridSearch(b *testing.B) {
	_, venues, st := loadSample(b)
	cfg := Config{OrderSize: 5000, Venues: venues, Fills: Queue{ProbQueue{Prob: PowerProb{N: 2}, Sampled: true}}}
	for b.Loop() {
		if _, _, err := GridSearch(st, cfg, &CKRouter{Horizon: 10 * time.Second}, sor.DefaultGrid(), []uint64{1, 2}); err != nil {
			b.Fatal(err)
		}
	}
}
