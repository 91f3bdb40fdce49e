package replay

import (
	"math/big"
	"time"

	"github.com/sorlab/sorlab/sor"
)

// Report is the JSON section a replay adds to the exercise's summary: the
// set-up, each strategy's statistics over the seeds and, for the
// Cont-Kukanov router, its grid search on expected cost. Numbers are
// sor.Decimal: means are computed exactly and rounded to 1e-9 of their unit,
// interval bounds are the exact mean ∓ the float half-width, rounded the
// same way (see the package doc's "JSON report"). Numbers that do not exist
// (a cost per share over no fills) are null.
type Report struct {
	FillModel string   `json:"fill_model"`
	Latency   string   `json:"latency"`
	FeedDelay bool     `json:"feed_delay,omitempty"`
	Router    string   `json:"router"`
	Horizon   string   `json:"horizon,omitempty"`
	Seeds     []uint64 `json:"seeds"`
	// SelectionSeeds are the seeds the grid search chose the parameters
	// with, when they differ from Seeds (the ones the statistics come
	// from), so that the reported figures are not scored on the data that
	// picked them.
	SelectionSeeds []uint64        `json:"selection_seeds,omitempty"`
	BestParameters *ParamsJSON     `json:"best_parameters,omitempty"`
	Strategies     []StatsJSON     `json:"strategies"`
	Grid           []GridPointJSON `json:"grid,omitempty"`
	// Markets compares the strategies over simulated markets (CompareMarkets).
	Markets []MarketStatsJSON `json:"markets,omitempty"`
}

// MarketStatsJSON is MarketStats for the report.
type MarketStatsJSON struct {
	Strategy       string          `json:"strategy"`
	Reference      string          `json:"reference"`
	Markets        int             `json:"markets"`
	VsReferenceBps *sor.Decimal    `json:"vs_reference_bps"`
	CI95           [2]*sor.Decimal `json:"vs_reference_bps_ci95"`
	Beats          int             `json:"markets_cheaper_than_reference"`
	FillRate       *sor.Decimal    `json:"fill_rate"`
}

// JSON converts MarketStats for the report.
func (m MarketStats) JSON() MarketStatsJSON {
	j := MarketStatsJSON{Strategy: m.Strategy, Reference: m.Reference, Markets: m.Markets, Beats: m.Beats}
	if m.vsRef == nil { // not made by CompareMarkets: only the floats are known
		j.VsReferenceBps, j.CI95, j.FillRate = num(m.VsReferenceBps), [2]*sor.Decimal{num(m.Low), num(m.High)}, num(m.FillRate)
		return j
	}
	j.VsReferenceBps, j.CI95, j.FillRate = round(m.vsRef), interval(m.vsRef, m.half), round(m.fill)
	return j
}

// ParamsJSON names the penalties in dollars per share.
type ParamsJSON struct {
	LambdaUnder sor.Decimal `json:"lambda_under"`
	LambdaOver  sor.Decimal `json:"lambda_over"`
	ThetaQueue  sor.Decimal `json:"theta_queue"`
}

// StatsJSON is Stats for the report: means and 95% intervals over the seeds.
type StatsJSON struct {
	Strategy         string          `json:"strategy"`
	Runs             int             `json:"runs"`
	CostPerShare     *sor.Decimal    `json:"cost_per_share"`
	CostPerShareCI95 [2]*sor.Decimal `json:"cost_per_share_ci95"`
	ExpectedCost     *sor.Decimal    `json:"expected_cost_per_share"`
	ExpectedCostCI95 [2]*sor.Decimal `json:"expected_cost_ci95"`
	FillRate         *sor.Decimal    `json:"fill_rate"`
	MakerShare       *sor.Decimal    `json:"maker_share"`
	Slippage         *sor.Decimal    `json:"slippage_per_taker_share"`
}

// GridPointJSON is one grid point: its statistics, or why it was refused.
type GridPointJSON struct {
	ParamsJSON
	Refused string     `json:"refused,omitempty"`
	Stats   *StatsJSON `json:"stats,omitempty"`
}

// num is a float rounded for the report, nil (null) when NaN or infinite.
func num(x float64) *sor.Decimal {
	if d, ok := sor.FloatDecimal(x); ok {
		return &d
	}
	return nil
}

// round is x rounded for the report, nil (null) for nil.
func round(x *big.Rat) *sor.Decimal {
	if x == nil {
		return nil
	}
	d := sor.RoundDecimal(x)
	return &d
}

// interval is [m − half, m + half] rounded for the report: nulls when m is
// nil or half is not finite.
func interval(m *big.Rat, half float64) [2]*sor.Decimal {
	h := new(big.Rat).SetFloat64(half)
	if m == nil || h == nil {
		return [2]*sor.Decimal{}
	}
	return [2]*sor.Decimal{round(new(big.Rat).Sub(m, h)), round(new(big.Rat).Add(m, h))}
}

// JSON converts Stats for the report.
func (s Stats) JSON() StatsJSON {
	j := StatsJSON{Strategy: s.Strategy, Runs: s.Runs}
	e := s.exact
	if e.fill == nil { // not made by Evaluate or GridSearch: only the floats are known
		j.CostPerShare, j.CostPerShareCI95 = num(s.CostPerShare), [2]*sor.Decimal{num(s.CostLow), num(s.CostHigh)}
		j.ExpectedCost, j.ExpectedCostCI95 = num(s.ExpectedCost), [2]*sor.Decimal{num(s.ExpectedLow), num(s.ExpectedHigh)}
		j.FillRate, j.MakerShare, j.Slippage = num(s.FillRate), num(s.MakerRate), num(s.Slippage)
		return j
	}
	j.CostPerShare, j.CostPerShareCI95 = round(e.cost), interval(e.cost, e.costHalf)
	j.ExpectedCost, j.ExpectedCostCI95 = round(e.expected), interval(e.expected, e.expectedHalf)
	j.FillRate, j.MakerShare, j.Slippage = round(e.fill), round(e.maker), round(e.slippage)
	return j
}

// ParamsToJSON names p's penalties.
func ParamsToJSON(p sor.Params) ParamsJSON {
	return ParamsJSON{LambdaUnder: p.LambdaUnder.Decimal(), LambdaOver: p.LambdaOver.Decimal(), ThetaQueue: p.ThetaQueue.Decimal()}
}

// NewReport assembles a report; grid and best may be nil and -1 when no grid
// search ran.
func NewReport(cfg Config, router string, horizon time.Duration, seeds []uint64, stats []Stats, grid []GridPoint, best int) *Report {
	r := &Report{FillModel: fillName(cfg.Fills), Latency: latencyName(cfg.Latency), FeedDelay: cfg.FeedDelay, Router: router, Seeds: seeds}
	if horizon > 0 {
		r.Horizon = horizon.String()
	}
	for _, s := range stats {
		r.Strategies = append(r.Strategies, s.JSON())
	}
	for _, g := range grid {
		p := GridPointJSON{ParamsJSON: ParamsToJSON(g.Params)}
		if g.Err != nil {
			p.Refused = g.Err.Error()
		} else {
			s := g.Stats.JSON()
			p.Stats = &s
		}
		r.Grid = append(r.Grid, p)
	}
	if best >= 0 && best < len(grid) {
		p := ParamsToJSON(grid[best].Params)
		r.BestParameters = &p
	}
	return r
}

func fillName(f FillModel) string {
	if f == nil {
		return Visible{}.String()
	}
	return f.String()
}

func latencyName(l LatencyModel) string {
	if l == nil {
		return "none"
	}
	return l.String()
}
