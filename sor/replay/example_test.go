package replay_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/ck"
	"github.com/sorlab/sorlab/sor/replay"
	_ "github.com/sorlab/sorlab/sor/zstd"
)

// A limit buy of 200 at $100.00 joins behind 300 shares; trades and a
// cancellation move it up the queue, and a sell below its price fills the
// rest (queueRows). The risk-averse model only advances on trades; the proportional
// model also gives it part of the cancellation.
func ExampleRun() {
	rows := queueRows()
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

// queueRows are six rows of venue 1 (the ask stays at 100.01 x 500) in which
// a buy of 200 at 100.00 joins the bid:
func queueRows() []sor.Row {
	row := func(ts int64, action byte, price sor.Money, size int64, bid sor.Money, bidSz int64) sor.Row {
		return sor.Row{TsEvent: ts, PublisherID: 1, Action: action, Side: 'A', Price: price, Size: size,
			BidPx: bid, BidSz: bidSz, AskPx: 10001 * sor.Cent, AskSz: 500}
	}
	return []sor.Row{
		row(1, 'A', 10000*sor.Cent, 300, 10000*sor.Cent, 300), // we join: 300 ahead
		row(2, 'A', 10000*sor.Cent, 100, 10000*sor.Cent, 400), // 100 join behind us
		row(3, 'T', 10000*sor.Cent, 100, 10000*sor.Cent, 300), // a sell of 100: 200 ahead
		row(4, 'C', 10000*sor.Cent, 100, 10000*sor.Cent, 200), // 100 cancelled: from behind (risk averse) or 2/3 from ahead (133.3 left)
		row(5, 'T', 10000*sor.Cent, 200, 9999*sor.Cent, 300),  // a sell of 200 empties the level: 0 or 66 for us
		row(6, 'T', 9999*sor.Cent, 300, 9999*sor.Cent, 0),     // a sell of 300 below our price fills the rest
	}
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
// seeds (what a CLI or notebook would do), then search the router's
// penalties on expected cost over three seeds. Runs are seeded, so the
// figures are the same on every machine; grid points whose penalties break
// an assumption of the model somewhere in the data are refused.
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
		var ae *ck.AssumptionError
		if errors.As(p.Err, &ae) {
			fmt.Println("refused: breaks", ae.Name) // the whole p.Err says where and by how much
			continue
		}
		if p.Err != nil {
			panic(p.Err)
		}
		fmt.Printf("expected cost %.5f [%.5f, %.5f] best=%v\n", p.Stats.ExpectedCost, p.Stats.ExpectedLow, p.Stats.ExpectedHigh, i == best)
	}
	// Output:
	// ck_router  220.1283 [220.1283, 220.1283] $/share, fill rate 1.000, maker 0.95, slippage 0.00000
	// best_ask   220.0144 [220.0144, 220.0144] $/share, fill rate 1.000, maker 0.00, slippage 0.00000
	// twap       220.1157 [220.1157, 220.1157] $/share, fill rate 1.000, maker 0.00, slippage 0.00000
	// vwap       220.0146 [220.0146, 220.0146] $/share, fill rate 1.000, maker 0.00, slippage 0.00000
	// λu=0.01 λo=0.01 θ=0.0001: refused: breaks A2
	// λu=0.01 λo=0.01 θ=0.001: refused: breaks A2
	// λu=0.01 λo=0.01 θ=0.01: refused: breaks A2
	// λu=0.01 λo=0.05 θ=0.0001: refused: breaks A2
	// λu=0.01 λo=0.05 θ=0.001: refused: breaks A2
	// λu=0.01 λo=0.05 θ=0.01: refused: breaks A2
	// λu=0.01 λo=0.1 θ=0.0001: refused: breaks A2
	// λu=0.01 λo=0.1 θ=0.001: refused: breaks A2
	// λu=0.01 λo=0.1 θ=0.01: refused: breaks A2
	// λu=0.05 λo=0.01 θ=0.0001: refused: breaks A3
	// λu=0.05 λo=0.01 θ=0.001: refused: breaks A3
	// λu=0.05 λo=0.01 θ=0.01: refused: breaks A3
	// λu=0.05 λo=0.05 θ=0.0001: expected cost 220.12812 [220.12812, 220.12812] best=false
	// λu=0.05 λo=0.05 θ=0.001: expected cost 220.12835 [220.12835, 220.12835] best=false
	// λu=0.05 λo=0.05 θ=0.01: expected cost 220.12784 [220.12784, 220.12784] best=false
	// λu=0.05 λo=0.1 θ=0.0001: expected cost 220.12817 [220.12817, 220.12817] best=false
	// λu=0.05 λo=0.1 θ=0.001: expected cost 220.12832 [220.12832, 220.12832] best=false
	// λu=0.05 λo=0.1 θ=0.01: expected cost 220.12819 [220.12819, 220.12819] best=false
	// λu=0.1 λo=0.01 θ=0.0001: refused: breaks A3
	// λu=0.1 λo=0.01 θ=0.001: refused: breaks A3
	// λu=0.1 λo=0.01 θ=0.01: refused: breaks A3
	// λu=0.1 λo=0.05 θ=0.0001: expected cost 220.12788 [220.12788, 220.12788] best=false
	// λu=0.1 λo=0.05 θ=0.001: expected cost 220.12764 [220.12764, 220.12764] best=true
	// λu=0.1 λo=0.05 θ=0.01: expected cost 220.12768 [220.12768, 220.12768] best=false
	// λu=0.1 λo=0.1 θ=0.0001: expected cost 220.12794 [220.12794, 220.12794] best=false
	// λu=0.1 λo=0.1 θ=0.001: expected cost 220.12790 [220.12790, 220.12790] best=false
	// λu=0.1 λo=0.1 θ=0.01: expected cost 220.12817 [220.12817, 220.12817] best=false
}

// Follow one hypothetical buy of 200 at the bid from MBP-1 rows alone, with
// no strategy and no engine: the Feed turns each row into a queue event and
// MoveQueue applies it under a queue model. (The rows are ExampleRun's:
// queueRows.)
func ExampleMoveQueue() {
	rows := queueRows()
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

// The fill models of the command line's -fill flag.
func ExampleParseFill() {
	for _, name := range []string{"visible", "risk-averse", "prob-power1", "prob-power3", "prob-log", "prob-log2", "prob-func2-power2", "prob-func3-power3"} {
		f, err := replay.ParseFill(name)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-18s %v\n", name, f)
	}
	// Output:
	// visible            visible
	// risk-averse        queue_risk_averse
	// prob-power1        queue_prob_power1_sampled
	// prob-power3        queue_prob_power3_sampled
	// prob-log           queue_prob_log_sampled
	// prob-log2          queue_prob_log2_sampled
	// prob-func2-power2  queue_prob_func2_power2_sampled
	// prob-func3-power3  queue_prob_func3_power3_sampled
}

// Three ways to buy the same two slices of 100 shares on a hand-made
// market (one venue; a taker pays $0.003, a maker earns $0.002): market
// orders when each slice starts, the Cont-Kukanov split, and limit orders at
// the bid with a catch-up at the slice's end. The limit order of the first
// slice fills as the bid is traded through; the second does not, and its
// catch-up pays two cents more than the slice's opening ask. The split
// (solved by stochastic approximation for each slice) buys 99 shares of the
// first slice with a market order and 1 at the bid, then bets the whole
// second slice on the bid, which does not fill.
func ExamplePlacement() {
	row := func(ts int64, action byte, price sor.Money, size int64, bid sor.Money, bidSz int64, ask sor.Money) sor.Row {
		return sor.Row{TsEvent: ts, PublisherID: 1, Action: action, Side: 'A', Price: price, Size: size,
			BidPx: bid, BidSz: bidSz, AskPx: ask, AskSz: 500}
	}
	c := sor.Cent
	rows := []sor.Row{
		row(0, 'A', 10000*c, 300, 10000*c, 300, 10002*c),
		row(5, 'T', 10000*c, 300, 9999*c, 200, 10002*c), // a sell empties the bid
		row(7, 'T', 9999*c, 150, 9999*c, 50, 10002*c),   // and one trades through 100.00
		row(10, 'A', 10001*c, 500, 9999*c, 50, 10001*c),
		row(15, 'T', 9999*c, 30, 9999*c, 20, 10001*c),
		row(20, 'C', 10001*c, 500, 9999*c, 20, 10003*c), // the ask goes up; the schedule ends
	}
	cfg := replay.Config{OrderSize: 200, Venues: sor.Venues{1: {PublisherID: 1, Fee: c * 3 / 10, Rebate: c * 2 / 10}},
		Fills: replay.Queue{Model: replay.RiskAverseQueue{}}}
	p := replay.Placement{Slice: 10, Markouts: []time.Duration{0},
		Router: replay.CKRouter{LambdaUnder: 5 * c, LambdaOver: 5 * c, Theta: c / 10, Iterations: 200}}
	res, err := p.Run([]sor.Source{replay.NewStream(rows, sor.Window{})}, cfg, []uint64{1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range res.Variants {
		fmt.Printf("%-12s $%.4f a share, %+.2f bps, maker %3.0f%%, catch-up %3.0f%%, markout at fill %+.4f", v.Variant,
			v.Cost.Mean, v.Savings.Mean, 100*v.MakerShare.Mean, 100*v.CatchUpShare.Mean, v.Markouts[0].Mean)
		if v.CatchUpShare.Mean > 0 {
			fmt.Printf(", catch-up %+.3f a share", v.CatchUpCost.Mean)
		}
		fmt.Println()
	}
	// Output:
	// market_only  $100.0180 a share, +0.00 bps, maker   0%, catch-up   0%, markout at fill -0.0100
	// ck_split     $100.0279 a share, -0.99 bps, maker   0%, catch-up  50%, markout at fill -0.0149, catch-up +0.020 a share
	// limit_only   $100.0155 a share, +0.25 bps, maker  50%, catch-up  50%, markout at fill -0.0075, catch-up +0.020 a share
}

// The named queue models, as reports call them, with the probability that
// a cancellation at a queue of 300 shares came from the 100 in front of a
// buy of ours.
func ExampleQueueModels() {
	for _, m := range replay.QueueModels() {
		p := "-"
		if q, ok := m.(replay.ProbQueue); ok {
			p = fmt.Sprintf("%.3f", q.FrontProb(100, 200))
		}
		fmt.Printf("%-18s p_front %s\n", m, p)
	}
	// Output:
	// risk_averse        p_front -
	// prob_power1        p_front 0.333
	// prob_power2        p_front 0.200
	// prob_power3        p_front 0.111
	// prob_log           p_front 0.465
	// prob_log2          p_front 0.071
	// prob_func2_power2  p_front 0.556
	// prob_func2_power3  p_front 0.704
	// prob_func3_power2  p_front 0.111
	// prob_func3_power3  p_front 0.037
}

// The command line's protocol in a program: -router ck -fill prob-power
// -markets 20, then -experiment placement on the same settings.
func ExampleProtocol() {
	venues, err := sor.ReadVenuesFile("../../data/venues.csv")
	if err != nil {
		panic(err)
	}
	src, err := sor.OpenSource("../../data/sample.csv.zst", sor.SourceOptions{})
	if err != nil {
		panic(err)
	}
	fills, err := replay.ParseFill("prob-power")
	if err != nil {
		panic(err)
	}
	p := &replay.Protocol{
		Config:  replay.Config{OrderSize: 5000, Venues: venues, Fills: fills},
		Router:  replay.RouterCK,
		CK:      replay.CKRouter{Horizon: 10 * time.Second},
		Grid:    sor.DefaultGrid(),
		Seeds:   10,
		Markets: 20,
	}
	res, err := p.Run(src) // res.JSON() is the JSON section "replay"
	if err != nil {
		panic(err)
	}
	fmt.Println(res.JSON().BestParameters, res.Markets[0].VsReferenceBps)
	placement, err := p.RunPlacement(src) // the JSON section "placement"
	if err != nil {
		panic(err)
	}
	fmt.Println(placement.Variants[1].Savings)
}
