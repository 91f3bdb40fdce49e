package frame

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor/queuescore"
)

// queueResult is made-up scores: 4 orders, one horizon of 1 s, the truth
// filled 2 of them; model "a" has 2 runs per order, 3 of the 8 filled,
// Σ (k − 2·o)² = 4, KS numerator 1; its bins: k = 0 for 2 orders (one
// filled in truth), k = 1 (bin [0.5, 0.6)) for 1 order (filled), k = 2
// for 1 order (not filled).
func queueResult() *queuescore.Result {
	return &queuescore.Result{
		Orders: 4, Horizons: []time.Duration{time.Second},
		Truth: queuescore.Outcome{Name: "truth", Orders: 4, Runs: 1,
			Horizons: []queuescore.HorizonScore{{T: time.Second, Orders: 4, Runs: 1, Filled: 2}}},
		Models: []queuescore.Outcome{{Name: "a", Orders: 4, Runs: 2, KSDiff: 1,
			Horizons: []queuescore.HorizonScore{{T: time.Second, Orders: 4, Runs: 2, Filled: 3, SqErr: 4,
				Bins: [queuescore.NumBins]queuescore.Bin{0: {Orders: 2, Observed: 1}, 5: {Orders: 1, Predicted: 1, Observed: 1}, 9: {Orders: 1, Predicted: 2}}}}}},
	}
}

// By hand: the truth fills 2/4 = 0.5, base Brier 0.5·0.5 = 0.25; "a"
// predicts 3/8 = 0.375, Brier 4/(2²·4) = 0.25 (its mean over the one
// horizon), KS 1/(4·2) = 0.125.
func TestQueueScores(t *testing.T) {
	df := QueueScores(queueResult())
	if got := df.Names(); !slices.Equal(got, []string{"model", "runs", "brier_1s", "mean_brier", "ks", "fill_1s"}) {
		t.Fatalf("columns %v", got)
	}
	if got := df.Col("model").Records(); !slices.Equal(got, []string{"truth", "a"}) {
		t.Errorf("models %v", got)
	}
	want := map[string][]float64{"brier_1s": {0.25, 0.25}, "fill_1s": {0.5, 0.375}, "mean_brier": {math.NaN(), 0.25}, "ks": {math.NaN(), 0.125}}
	for col, w := range want {
		got := df.Col(col).Float()
		for i := range w {
			if got[i] != w[i] && !(math.IsNaN(got[i]) && math.IsNaN(w[i])) {
				t.Errorf("%s = %v, want %v", col, got, w)
			}
		}
	}
}

// The bins with orders: [0, 0.1) predicts 0 and sees 1 of 2 filled; [0.5,
// 0.6) predicts 1/2 and sees 1 of 1; [0.9, 1] predicts 1 and sees 0.
func TestQueueCalibration(t *testing.T) {
	df := QueueCalibration(queueResult(), 0)
	if df.Nrow() != 3 {
		t.Fatalf("%d rows, want the 3 bins with orders: %v", df.Nrow(), df)
	}
	for col, w := range map[string][]float64{"from": {0, 0.5, 0.9}, "to": {0.1, 0.6, 1}, "predicted": {0, 0.5, 1}, "observed": {0.5, 1, 0}} {
		if got := df.Col(col).Float(); !slices.Equal(got, w) {
			t.Errorf("%s = %v, want %v", col, got, w)
		}
	}
	if got, _ := df.Col("orders").Int(); !slices.Equal(got, []int{2, 1, 1}) {
		t.Errorf("orders %v", got)
	}
}

// Two markets: model a's Brier 0.1 and 0.3, the best model b's 0.1 and 0.1;
// a − b = 0 and 0.2: mean 0.1, t(1) = 12.706, sd 0.1414: half-width
// 12.706 · 0.1414 / √2 = 1.2706.
func TestQueueIntervals(t *testing.T) {
	hs := func(pm ...float64) []queuescore.HorizonScore {
		return []queuescore.HorizonScore{{T: time.Second, Orders: 2, Runs: 1, PerMarket: pm}}
	}
	res := &queuescore.Result{Orders: 2, Horizons: []time.Duration{time.Second}, Best: 1,
		Models: []queuescore.Outcome{{Name: "a", Horizons: hs(0.1, 0.3)}, {Name: "b", Horizons: hs(0.1, 0.1)}}}
	df := QueueIntervals(res)
	if got := df.Col("model").Records(); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("models %v", got)
	}
	d, lo, hi := df.Col("vs_best").Float(), df.Col("vs_best_ci95_low").Float(), df.Col("vs_best_ci95_high").Float()
	if math.Abs(d[0]-0.1) > 1e-12 || math.Abs(lo[0]-(0.1-1.2706)) > 1e-3 || math.Abs(hi[0]-(0.1+1.2706)) > 1e-3 {
		t.Errorf("a vs best %v [%v, %v], want 0.1 ± 1.2706", d[0], lo[0], hi[0])
	}
	if d[1] != 0 || lo[1] != 0 || hi[1] != 0 {
		t.Errorf("b vs itself %v [%v, %v], want 0", d[1], lo[1], hi[1])
	}
}
