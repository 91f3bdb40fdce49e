package replay

import (
	"testing"

	"github.com/sorlab/sorlab/sor"
)

// probe sends fixed orders at fixed decision times, like script, and
// remembers the open orders of the last decision.
type probe struct {
	script
	open []OpenOrder
}

func (p *probe) Decide(v *View) ([]Order, error) {
	p.open = append(p.open[:0], v.Open...)
	return p.script[v.Time], nil
}

// Trade rows in the two conventions. sor/sim writes a trade row with the
// book after the trade; Databento MBP writes it with the book before the
// trade, and the next row of the venue shows the decrease (see
// sor/testdata/l1_day_head.csv: trades of 190, 10, 100, 121 on rows
// whose bid sizes are 421, 231, 221, 121).
//
// tradeLagRows is the reviewer's case in the Databento convention: a buy of
// 100 at 100.00 joins 421 shares at t=1; sells of 190, 10, 100 and 50 hit the
// bid (350 in all) and the level ends at 71 with no cancellation. 71 shares
// are still ahead of us: nothing fills, under every queue model.
func tradeLagRows() []sor.Row {
	return []sor.Row{
		book(1, 'A', 'B', px(10000), 421, px(10000), 421, px(10002), 36),
		book(2, 'T', 'A', px(10000), 190, px(10000), 421, px(10002), 36),
		book(3, 'T', 'A', px(10000), 10, px(10000), 231, px(10002), 36),
		book(4, 'T', 'A', px(10000), 100, px(10000), 221, px(10002), 36),
		book(5, 'T', 'A', px(10000), 50, px(10000), 121, px(10002), 36),
		book(6, 'A', 'N', px(10002), 10, px(10000), 71, px(10002), 46),
	}
}

// The same events in both conventions, for a buy of 100 at 100.00 joining
// 300 shares at t=1:
//
//	t=2 add 100 behind us: 400                 ahead 300, back 100
//	t=3 sell 120 hits the bid: 280             ahead 180
//	t=4 sell 60 hits the bid: 220              ahead 120
//	t=5 cancel 100: 120                        the only cancellation
//	t=6 sell 100 hits the bid: 20
//
// At t=5 front = 120, back = 100, d = 100:
//
//	risk averse  ahead 120; t=6 leaves 20 ahead, no fill
//	power1       p = 120/220 = 0.54545, ahead 120 − 54.545 = 65.455; t=6 fills ⌊100 − 65.455⌋ = 34
//	power2       p = 14400/24400 = 0.59016, ahead 60.984; fills ⌊39.016⌋ = 39
//	log          p = ln121/(ln121 + ln101) = 0.50960, ahead 69.040; fills ⌊30.960⌋ = 30
//
// In the Databento rows the decrease of t=3 shows at t=4 and those of t=4 and
// t=5 together at t=5 (280 → 120: 60 traded, 100 cancelled); t=7 shows the
// decrease of t=6.
func afterRows() []sor.Row {
	return []sor.Row{
		book(1, 'A', 'B', px(10000), 300, px(10000), 300, px(10002), 36),
		book(2, 'A', 'B', px(10000), 100, px(10000), 400, px(10002), 36),
		book(3, 'T', 'A', px(10000), 120, px(10000), 280, px(10002), 36),
		book(4, 'T', 'A', px(10000), 60, px(10000), 220, px(10002), 36),
		book(5, 'C', 'B', px(10000), 100, px(10000), 120, px(10002), 36),
		book(6, 'T', 'A', px(10000), 100, px(10000), 20, px(10002), 36),
		book(7, 'A', 'A', px(10002), 10, px(10000), 20, px(10002), 46),
	}
}

func beforeRows() []sor.Row {
	return []sor.Row{
		book(1, 'A', 'B', px(10000), 300, px(10000), 300, px(10002), 36),
		book(2, 'A', 'B', px(10000), 100, px(10000), 400, px(10002), 36),
		book(3, 'T', 'A', px(10000), 120, px(10000), 400, px(10002), 36),
		book(4, 'T', 'A', px(10000), 60, px(10000), 280, px(10002), 36),
		book(5, 'C', 'B', px(10000), 100, px(10000), 120, px(10002), 36),
		book(6, 'T', 'A', px(10000), 100, px(10000), 120, px(10002), 36),
		book(7, 'A', 'A', px(10002), 10, px(10000), 20, px(10002), 46),
	}
}

// Joining after a trade whose decrease has not shown yet: the bid shows 300
// but 100 of them just traded, so 200 are ahead of us. At t=3 50 shares
// join behind us (the Databento row nets them with the trade's 100: 250);
// the sell of 230 at t=4 fills 30 of ours.
func joinAfterRows() []sor.Row {
	return []sor.Row{
		book(1, 'A', 'B', px(10000), 300, px(10000), 300, px(10002), 36),
		book(2, 'T', 'A', px(10000), 100, px(10000), 300, px(10002), 36),
		book(3, 'A', 'B', px(10000), 50, px(10000), 250, px(10002), 36),
		book(4, 'T', 'A', px(10000), 230, px(10000), 250, px(10002), 36),
		book(5, 'A', 'A', px(10002), 10, px(10000), 20, px(10002), 46),
	}
}

func joinAfterSimRows() []sor.Row {
	return []sor.Row{
		book(1, 'A', 'B', px(10000), 300, px(10000), 300, px(10002), 36),
		book(2, 'T', 'A', px(10000), 100, px(10000), 200, px(10002), 36),
		book(3, 'A', 'B', px(10000), 50, px(10000), 250, px(10002), 36),
		book(4, 'T', 'A', px(10000), 230, px(10000), 20, px(10002), 36),
		book(5, 'A', 'A', px(10002), 10, px(10000), 20, px(10002), 46),
	}
}

// TestTradesCountedOnce: each traded share moves the queue once, whether a
// trade row carries the book after the trade (sor/sim) or before it
// (Databento); only the decrease no trade explains is a cancellation.
func TestTradesCountedOnce(t *testing.T) {
	var (
		ra   = RiskAverseQueue{}
		pow1 = ProbQueue{Prob: PowerProb{1}}
		pow2 = ProbQueue{Prob: PowerProb{2}}
		logq = ProbQueue{Prob: LogProb{}}
	)
	at1 := script{1: {{Kind: Limit, Venue: 1, Shares: 100, Price: px(10000)}}}
	at2 := script{2: {{Kind: Limit, Venue: 1, Shares: 100, Price: px(10000)}}}
	fill := func(ts, n int64) []fillAt { return []fillAt{{ts, n, px(10000), true}} }
	cases := []struct {
		name  string
		rows  []sor.Row
		post  script
		m     QueueModel
		want  []fillAt
		ahead float64 // at the last decision
	}{
		{"databento 350 traded of 421: risk averse", tradeLagRows(), at1, ra, nil, 71},
		{"databento 350 traded of 421: power1", tradeLagRows(), at1, pow1, nil, 71},
		{"databento 350 traded of 421: power2", tradeLagRows(), at1, pow2, nil, 71},
		{"databento 350 traded of 421: log", tradeLagRows(), at1, logq, nil, 71},
		{"book after trade: risk averse", afterRows(), at1, ra, nil, 20},
		{"book before trade: risk averse", beforeRows(), at1, ra, nil, 20},
		{"book after trade: power1", afterRows(), at1, pow1, fill(6, 34), 0},
		{"book before trade: power1", beforeRows(), at1, pow1, fill(6, 34), 0},
		{"book after trade: power2", afterRows(), at1, pow2, fill(6, 39), 0},
		{"book before trade: power2", beforeRows(), at1, pow2, fill(6, 39), 0},
		{"book after trade: log", afterRows(), at1, logq, fill(6, 30), 0},
		{"book before trade: log", beforeRows(), at1, logq, fill(6, 30), 0},
		{"join after a trade, book after: risk averse", joinAfterSimRows(), at2, ra, fill(4, 30), 0},
		{"join after a trade, book before: risk averse", joinAfterRows(), at2, ra, fill(4, 30), 0},
		{"join after a trade, book before: power1", joinAfterRows(), at2, pow1, fill(4, 30), 0},
	}
	for _, c := range cases {
		p := &probe{script: c.post}
		res, err := Backtest(c.rows, sor.Window{}, Config{OrderSize: 100, Fills: Queue{c.m}}, p)
		if err != nil {
			t.Fatal(err)
		}
		sameFills(t, c.name, fillsOf(res), c.want)
		var ahead float64
		for _, o := range p.open {
			ahead = o.Ahead
		}
		if !near(ahead, c.ahead) {
			t.Errorf("%s: %v ahead at the end, want %v", c.name, ahead, c.ahead)
		}
	}
}
