package queuescore_test

import (
	"fmt"

	"github.com/sorlab/sorlab/sor/queuescore"
	"github.com/sorlab/sorlab/sor/replay"
)

// Score two queue models on 1,000 hypothetical orders joining the best bid
// of the shipped sample's market (the simulator's seed 1) at random times,
// each resting even when outbid:
// how often each says an order fills within 1 s, 10 s and 60 s against how
// often it does in the exact FIFO queue, the Brier scores, and the
// Kolmogorov-Smirnov distance of the times to fill. The sampled model's
// probabilities are the fractions of its ten runs that filled.
func ExampleScore() {
	markets, err := queuescore.SimulatedMarkets(1)
	if err != nil {
		panic(err)
	}
	res, err := queuescore.Score(markets, queuescore.Setup{Orders: 1000, KeepOutbid: true, Models: []replay.QueueModel{
		replay.RiskAverseQueue{},
		replay.ProbQueue{Prob: replay.LogProb{}, Sampled: true},
	}})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d orders, filled within %v:", res.Orders, res.Horizons)
	for _, h := range res.Truth.Horizons {
		fmt.Printf(" %.3f", h.FillRate())
	}
	fmt.Println()
	for _, m := range res.Models {
		fmt.Printf("%-20s runs %2d, Brier", m.Name, m.Runs)
		for _, h := range m.Horizons {
			fmt.Printf(" %.4f", h.Brier())
		}
		fmt.Printf(", KS %.4f\n", m.KS())
	}
	fmt.Println("best:", res.Models[res.Best].Name)
	// Output:
	// 1000 orders, filled within [1s 10s 1m0s]: 0.542 0.840 0.942
	// risk_averse          runs  1, Brier 0.0100 0.0020 0.0010, KS 0.0110
	// prob_log_sampled     runs 10, Brier 0.0058 0.0004 0.0003, KS 0.0071
	// best: prob_log_sampled
}
