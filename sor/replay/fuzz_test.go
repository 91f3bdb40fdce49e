package replay

import (
	"strings"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor"
)

// FuzzReplay runs arbitrary rows (trades, adds, cancels, books that lock or
// cross) through the engine with the queue model, latency and every
// strategy: no panic, fills within the order and the cash equal to the sum
// of the fills.
func FuzzReplay(f *testing.F) {
	f.Add("1,1,A,B,100.00,300,100.00,300,100.01,500\n2,1,T,A,100.00,100,100.00,200,100.01,500\n3,2,A,A,100.01,200,99.99,100,100.01,200\n", uint8(2), uint16(500))
	f.Add("1,1,A,B,10.00,100,10.00,100,10.00,100\n5,1,T,B,10.01,50,9.99,10,10.01,50\n", uint8(1), uint16(0))
	f.Fuzz(func(t *testing.T, body string, lots uint8, latencyMicros uint16) {
		const head = "ts_event,publisher_id,action,side,price,size,bid_px_00,bid_sz_00,ask_px_00,ask_sz_00\n"
		rows, err := sor.NewReader(strings.NewReader(head+body), "f.csv", sor.ReadOptions{}).ReadAll()
		if err != nil || len(rows) == 0 {
			return
		}
		cfg := Config{
			OrderSize: sor.Step * int64(1+lots%20),
			Venues:    sor.Venues{1: {PublisherID: 1, Fee: 3 * sor.Cent / 10, Rebate: 2 * sor.Cent / 10}},
			Fills:     Queue{Model: ProbQueue{Prob: PowerProb{N: 2}, Sampled: true}},
			Latency:   UniformLatency{Max: time.Duration(latencyMicros) * time.Microsecond},
			Seed:      7,
		}
		strategies := append(Baselines(), &CKRouter{Horizon: time.Nanosecond * 5, LambdaUnder: 5 * sor.Cent, LambdaOver: 5 * sor.Cent, Iterations: 50, AllowAssumptionViolations: true})
		for _, s := range strategies {
			res, err := Backtest(rows, sor.Window{}, cfg, s)
			if err != nil {
				continue
			}
			var cash sor.Money
			var filled int64
			for _, fl := range res.Fills {
				cash += fl.Cash()
				filled += fl.Shares
			}
			if res.Filled > cfg.OrderSize || filled != res.Filled || cash != res.Cash {
				t.Fatalf("%s: filled %d of %d, fills add to %d shares and %v cash (result %v)", res.Strategy, res.Filled, cfg.OrderSize, filled, cash, res.Cash)
			}
		}
	})
}
