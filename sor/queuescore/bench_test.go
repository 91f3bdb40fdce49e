package queuescore_test

import (
	"testing"

	"github.com/sorlab/sorlab/sor/queuescore"
	"github.com/sorlab/sorlab/sor/replay"
)

// BenchmarkScore is one market of the default run: 500 orders, every
// model (six with one run, five sampled with ten). BenchmarkTruthOnly
// scores one deterministic model, so that most of its time is the passes
// themselves (the simulator twice, the truth, one model): the difference
// is the cost of the models' runs.
func BenchmarkScore(b *testing.B) {
	ms := simulated(b, 1)
	for b.Loop() {
		if _, err := queuescore.Score(ms, queuescore.Setup{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTruthOnly(b *testing.B) {
	ms := simulated(b, 1)
	for b.Loop() {
		if _, err := queuescore.Score(ms, queuescore.Setup{Models: []replay.QueueModel{replay.RiskAverseQueue{}}}); err != nil {
			b.Fatal(err)
		}
	}
}
