package replay_test

import (
	"fmt"
	"time"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/replay"
	_ "github.com/sorlab/sorlab/sor/zstd"
)

// A limit buy of 200 at $100.00 joins behind 300 shares; trades and a
// cancellation move it up the queue, and a sell below its price fills the
// rest. The risk-averse model only advances on trades; the proportional
// model also gives it part of the cancellation.
func ExampleRun() {
	row := func(ts int64, action byte, price sor.Money, size int64, bid sor.Money, bidSz int64) sor.Row {
		return sor.Row{TsEvent: ts, PublisherID: 1, Action: action, Side: 'A', Price: price, Size: size,
			BidPx: bid, BidSz: bidSz, AskPx: 10001 * sor.Cent, AskSz: 500}
	}
	rows := []sor.Row{
		row(1, 'A', 10000*sor.Cent, 300, 10000*sor.Cent, 300), // we join: 300 ahead
		row(2, 'A', 10000*sor.Cent, 100, 10000*sor.Cent, 400), // 100 join behind us
		row(3, 'T', 10000*sor.Cent, 100, 10000*sor.Cent, 300), // a sell of 100: 200 ahead
		row(4, 'C', 10000*sor.Cent, 100, 10000*sor.Cent, 200), // 100 cancelled: from behind (risk averse) or 2/3 from ahead (133.3 left)
		row(5, 'T', 10000*sor.Cent, 200, 9999*sor.Cent, 300),  // a sell of 200 empties the level: 0 or 66 for us
		row(6, 'T', 9999*sor.Cent, 300, 9999*sor.Cent, 0),     // a sell of 300 below our price fills the rest
	}
	post := postOnce{replay.Order{Kind: replay.Limit, Venue: 1, Shares: 200, Price: 10000 * sor.Cent}}
	for _, m := range []replay.QueueModel{replay.RiskAverseQueue{}, replay.ProbQueue{Prob: replay.PowerProb{N: 1}}} {
		cfg := replay.Config{OrderSize: 200, Fills: replay.Queue{Model: m}}
		res, err := replay.Backtest(rows, sor.Window{}, cfg, &post)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s:", m)
		for _, f := range res.Details() {
			fmt.Printf(" t=%d %d@%v", f.Time, f.Shares, f.Price)
		}
		fmt.Println()
	}
	// Output:
	// risk_averse: t=6 200@100
	// prob_power1: t=5 66@100 t=6 134@100
}

// postOnce sends its order at the first decision point.
type postOnce struct{ o replay.Order }

func (p *postOnce) Name() string             { return "post_once" }
func (p *postOnce) Start(replay.Setup) error { return nil }
func (p *postOnce) Decide(v *replay.View) ([]replay.Order, error) {
	if v.Time == v.Rows[0].TsEvent {
		return []replay.Order{p.o}, nil
	}
	return nil, nil
}

// Compare the dynamic Cont-Kukanov router with the baselines on the shipped
// sample under a probabilistic queue model and 0-1 ms of latency, over ten
// seeds (what a CLI or notebook would do).
func ExampleEvaluate() {
	rows, err := sor.ReadFile("../../data/sample.csv.zst", sor.ReadOptions{})
	if err != nil {
		panic(err)
	}
	venues, err := sor.ReadVenuesFile("../../data/venues.csv")
	if err != nil {
		panic(err)
	}
	st := replay.NewStream(rows, sor.Window{})
	cfg := replay.Config{
		OrderSize: 5000,
		Venues:    venues,
		Fills:     replay.Queue{Model: replay.ProbQueue{Prob: replay.PowerProb{N: 2}, Sampled: true}},
		Latency:   replay.UniformLatency{Min: 0, Max: time.Millisecond},
	}
	strategies := []replay.Factory{
		func() replay.Strategy {
			return &replay.CKRouter{Horizon: 10 * time.Second, LambdaUnder: 5 * sor.Cent, LambdaOver: 5 * sor.Cent, Theta: sor.Cent / 10}
		},
		func() replay.Strategy { return &replay.Baseline{S: sor.BestAsk{}} },
		func() replay.Strategy { return &replay.Baseline{S: &sor.TWAP{Bucket: time.Minute}} },
		func() replay.Strategy { return &replay.Baseline{S: sor.VWAP{}} },
	}
	stats, err := replay.Evaluate(st, cfg, strategies, []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	if err != nil {
		panic(err)
	}
	for _, s := range stats {
		fmt.Printf("%-10s %.4f [%.4f, %.4f] $/share, fill rate %.3f, maker %.2f, slippage %.5f\n",
			s.Strategy, s.CostPerShare, s.CostLow, s.CostHigh, s.FillRate, s.MakerRate, s.Slippage)
	}
	points, best, err := replay.GridSearch(st, cfg, &replay.CKRouter{}, sor.DefaultGrid(), []uint64{1, 2, 3})
	if err != nil {
		panic(err)
	}
	for i, p := range points {
		fmt.Printf("λu=%v λo=%v θ=%v: ", p.Params.LambdaUnder, p.Params.LambdaOver, p.Params.ThetaQueue)
		if p.Err != nil {
			fmt.Println("refused:", p.Err) // errors.Is(p.Err, ck.ErrAssumption)
			continue
		}
		fmt.Printf("expected cost %.5f [%.5f, %.5f] best=%v\n", p.Stats.ExpectedCost, p.Stats.ExpectedLow, p.Stats.ExpectedHigh, i == best)
	}
}

// Follow one hypothetical buy of 200 at the bid from MBP-1 rows alone, with
// no strategy and no engine: the Feed turns each row into a queue event and
// MoveQueue applies it under a queue model. (The rows are ExampleRun's.)
func ExampleMoveQueue() {
	row := func(ts int64, action byte, price sor.Money, size int64, bid sor.Money, bidSz int64) sor.Row {
		return sor.Row{TsEvent: ts, PublisherID: 1, Action: action, Side: 'A', Price: price, Size: size,
			BidPx: bid, BidSz: bidSz, AskPx: 10001 * sor.Cent, AskSz: 500}
	}
	rows := []sor.Row{
		row(1, 'A', 10000*sor.Cent, 300, 10000*sor.Cent, 300),
		row(2, 'A', 10000*sor.Cent, 100, 10000*sor.Cent, 400),
		row(3, 'T', 10000*sor.Cent, 100, 10000*sor.Cent, 300),
		row(4, 'C', 10000*sor.Cent, 100, 10000*sor.Cent, 200),
		row(5, 'T', 10000*sor.Cent, 200, 9999*sor.Cent, 300),
		row(6, 'T', 9999*sor.Cent, 300, 9999*sor.Cent, 0),
	}
	var feed replay.Feed
	model := replay.ProbQueue{Prob: replay.PowerProb{N: 1}}
	feed.Step(&rows[0])
	q := &replay.QueuePos{Price: 10000 * sor.Cent, Left: 200}
	bid, live := feed.Bid(1)
	model.Join(q, bid, live) // the order joins after the first row
	fmt.Printf("t=1 joins: %.1f ahead\n", q.Ahead)
	for i := 1; i < len(rows); i++ {
		ev := feed.Step(&rows[i])
		var filled int64
		replay.MoveQueue(model, &ev, []*replay.QueuePos{q}, nil, func(_ int, x int64) int64 {
			filled += x
			return x
		})
		fmt.Printf("t=%d %c: %.1f ahead, %d filled, %d left\n", rows[i].TsEvent, rows[i].Action, q.Ahead, filled, q.Left)
	}
	// Output:
	// t=1 joins: 300.0 ahead
	// t=2 A: 300.0 ahead, 0 filled, 200 left
	// t=3 T: 200.0 ahead, 0 filled, 200 left
	// t=4 C: 133.3 ahead, 0 filled, 200 left
	// t=5 T: 0.0 ahead, 66 filled, 134 left
	// t=6 T: 0.0 ahead, 134 filled, 0 left
}
