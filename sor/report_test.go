package sor

import (
	"strings"
	"testing"
)

// The summary writes every number with exactly its digits: cash as it is,
// averages and savings as exact ratios rounded to 1e-9. Float arithmetic
// printed these as 1234567890.1234567 (cash of 19 digits),
// 220.1419113620006, 5.990415335463486 and 9545.293309299037.
func TestSummaryNumbersAreExact(t *testing.T) {
	res := func(name string, cash Money, filled int64) *Result {
		return &Result{Strategy: name, OrderSize: 5000, Filled: filled, Cash: cash}
	}
	o := &Outcome{
		Config: Config{OrderSize: 5000},
		Grid:   []GridPoint{{Params: Params{LambdaUnder: Cent, LambdaOver: 5 * Cent, ThetaQueue: Dollar / 10_000}}},
		// Router: 5,000 at 10.01. Best Ask: 5,000 at 10.016, so the router
		// saves (10.016 − 10.01)/10.016 · 10⁴ = 60/10.016 = 5.9904153354…
		// bps. TWAP bought nothing. VWAP: $1,100,709.556810003 for 5,000, an
		// average of 220.1419113620006, rounded to 220.141911362; the router
		// saves (1 − 10.01·5000/1100709.556810003)·10⁴ = 9545.2933092990…
		// bps. The grid point's 3 shares cost a Money of 19 digits.
		Router:  res("router", 50050*Dollar, 5000),
		BestAsk: res("best_ask", 50080*Dollar, 5000),
		TWAP:    res("twap", 0, 0),
		VWAP:    res("vwap", 1_100_709_556_810_003, 5000),
	}
	o.Grid[0].Result = res("router", 1_234_567_890_123_456_789, 3)
	got := string(o.Summary().JSON())
	for _, want := range []string{
		`"lambda_over": 0.05`,
		`"theta_queue": 0.0001`,
		`"total_cash": 50050,`,
		`"avg_fill_px": 10.01,`,
		`"avg_fill_px": 10.016,`,
		`"total_cash": 1100709.556810003,`,
		`"avg_fill_px": 220.141911362,`,
		`"avg_fill_px": null,`,
		`"best_ask": 5.990415335,`,
		`"twap": null,`,
		`"vwap": 9545.293309299` + "\n",
		`"total_cash": 1234567890.123456789,`,
		`"avg_fill_px": 411522630.041152263,`, // 1234567890.123456789/3 = 411522630.041152263
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %s:\n%s", want, got)
		}
	}
}
