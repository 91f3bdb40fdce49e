package frame

import (
	"math"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/replay"
)

// queueRows is replay's ExampleRun: a limit buy of 200 at $100.00 behind 300.
func queueRows() []sor.Row {
	row := func(ts int64, action byte, price sor.Money, size int64, bid sor.Money, bidSz int64) sor.Row {
		return sor.Row{TsEvent: ts, PublisherID: 1, Action: action, Side: 'A', Price: price, Size: size,
			BidPx: bid, BidSz: bidSz, AskPx: 10001 * sor.Cent, AskSz: 500}
	}
	return []sor.Row{
		row(1, 'A', 10000*sor.Cent, 300, 10000*sor.Cent, 300),
		row(2, 'A', 10000*sor.Cent, 100, 10000*sor.Cent, 400),
		row(3, 'T', 10000*sor.Cent, 100, 10000*sor.Cent, 300),
		row(4, 'C', 10000*sor.Cent, 100, 10000*sor.Cent, 200),
		row(5, 'T', 10000*sor.Cent, 200, 9999*sor.Cent, 300),
		row(6, 'T', 9999*sor.Cent, 300, 9999*sor.Cent, 0),
	}
}

func TestQueueWalk(t *testing.T) {
	o := replay.Order{Kind: replay.Limit, Venue: 1, Shares: 200, Price: 10000 * sor.Cent}
	df, err := QueueWalk(queueRows(), o, replay.RiskAverseQueue{}, replay.ProbQueue{Prob: replay.PowerProb{N: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if df.Nrow() != 6 {
		t.Fatalf("%d rows, want 6", df.Nrow())
	}
	nan := math.NaN()
	// Hand-computed (see replay's ExampleRun): risk averse keeps 200 ahead
	// through the cancellation; proportional takes 2/3 of it from the front.
	wantAhead := map[string][]float64{
		"ahead_risk_averse": {nan, 300, 200, 200, 0, nan},
		"ahead_prob_power1": {nan, 300, 200, 200 - 200.0/3, 0, nan},
	}
	wantFilled := map[string][]int{
		"filled_risk_averse": {0, 0, 0, 0, 0, 200},
		"filled_prob_power1": {0, 0, 0, 0, 66, 200},
	}
	for col, want := range wantAhead {
		got := df.Col(col).Float()
		for i := range want {
			if math.IsNaN(want[i]) != math.IsNaN(got[i]) || (!math.IsNaN(want[i]) && math.Abs(got[i]-want[i]) > 1e-9) {
				t.Errorf("%s[%d] = %v, want %v", col, i, got[i], want[i])
			}
		}
	}
	for col, want := range wantFilled {
		got, err := df.Col(col).Int()
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s[%d] = %d, want %d", col, i, got[i], want[i])
			}
		}
	}
	if _, err := QueueWalk(nil, o, replay.RiskAverseQueue{}); err == nil {
		t.Error("QueueWalk without rows must fail")
	}
}

func TestReplayFrames(t *testing.T) {
	ms := int64(time.Millisecond)
	row := func(ts int64, ask sor.Money, size int64) sor.Row {
		return sor.Row{TsEvent: ts, PublisherID: 1, Action: 'A', Side: 'A', Price: ask, Size: size,
			BidPx: 10000 * sor.Cent, BidSz: 300, AskPx: ask, AskSz: size}
	}
	rows := []sor.Row{row(0, 10001*sor.Cent, 300), row(3*ms, 10002*sor.Cent, 500), row(10*ms, 10002*sor.Cent, 500)}
	cfg := replay.Config{OrderSize: 300, Latency: replay.ConstantLatency(5 * time.Millisecond)}
	res, err := replay.Backtest(rows, sor.Window{}, cfg, &replay.Baseline{S: sor.BestAsk{}})
	if err != nil {
		t.Fatal(err)
	}
	f := ReplayFills(res)
	if f.Nrow() != 1 {
		t.Fatalf("%d fills, want 1", f.Nrow())
	}
	if got := f.Col("slippage").Float()[0]; math.Abs(got-0.01) > 1e-12 {
		t.Errorf("slippage %v, want 0.01", got)
	}
	if got := f.Col("cash").Float()[0]; math.Abs(got-30006) > 1e-9 {
		t.Errorf("cash %v, want 30006", got)
	}
	if got := f.Col("kind").Records()[0]; got != "taker" {
		t.Errorf("kind %q", got)
	}

	st := replay.NewStream(rows, sor.Window{})
	stats, err := replay.Evaluate(st, cfg, []replay.Factory{func() replay.Strategy { return &replay.Baseline{S: sor.BestAsk{}} }}, []uint64{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	e := Evaluation(stats)
	if e.Nrow() != 1 || e.Col("strategy").Records()[0] != "best_ask" {
		t.Fatalf("Evaluation: %v", e)
	}
	if got := e.Col("cost_per_share").Float()[0]; math.Abs(got-100.02) > 1e-9 {
		t.Errorf("cost_per_share %v, want 100.02", got)
	}
	if got, _ := e.Col("runs").Int(); got[0] != 2 {
		t.Errorf("runs %v", got)
	}

	// A grid on a one-venue book: lambda_u = 0.001 is below h + f and is
	// refused (A2); 0.05 runs.
	g := sor.Grid{LambdaUnder: []sor.Money{sor.Cent / 10, 5 * sor.Cent}, LambdaOver: []sor.Money{5 * sor.Cent}, ThetaQueue: []sor.Money{0}}
	qcfg := replay.Config{OrderSize: 300, Fills: replay.Queue{}}
	points, best, err := replay.GridSearch(st, qcfg, &replay.CKRouter{Horizon: time.Millisecond}, g, []uint64{1})
	if err != nil {
		t.Fatal(err)
	}
	gf := ReplayGrid(points, best)
	if gf.Nrow() != 2 {
		t.Fatalf("ReplayGrid: %d rows", gf.Nrow())
	}
	refused := gf.Col("refused").Records()
	if refused[0] != "A2" || refused[1] != "" || best != 1 {
		t.Errorf("refused %q, best %d; point errors %v / %v", refused, best, points[0].Err, points[1].Err)
	}
	if !math.IsNaN(gf.Col("expected_cost").Float()[0]) || math.IsNaN(gf.Col("expected_cost").Float()[1]) {
		t.Errorf("expected_cost %v", gf.Col("expected_cost").Float())
	}
	if gf.Col("best").Records()[1] != "best" {
		t.Errorf("best column %v", gf.Col("best").Records())
	}
}
