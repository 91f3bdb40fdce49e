package replay

import (
	"math"
	"time"

	"github.com/sorlab/sorlab/sor"
)

// Report is the JSON section a replay adds to the exercise's summary: the
// set-up, each strategy's statistics over the seeds and, for the
// Cont-Kukanov router, its grid search on expected cost. Numbers that do not
// exist (a cost per share over no fills) are null.
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
	Strategy       string      `json:"strategy"`
	Reference      string      `json:"reference"`
	Markets        int         `json:"markets"`
	VsReferenceBps *float64    `json:"vs_reference_bps"`
	CI95           [2]*float64 `json:"vs_reference_bps_ci95"`
	Beats          int         `json:"markets_cheaper_than_reference"`
	FillRate       *float64    `json:"fill_rate"`
}

// JSON converts MarketStats for the report.
func (m MarketStats) JSON() MarketStatsJSON {
	return MarketStatsJSON{Strategy: m.Strategy, Reference: m.Reference, Markets: m.Markets,
		VsReferenceBps: num(m.VsReferenceBps), CI95: [2]*float64{num(m.Low), num(m.High)}, Beats: m.Beats, FillRate: num(m.FillRate)}
}

// ParamsJSON names the penalties in dollars per share.
type ParamsJSON struct {
	LambdaUnder float64 `json:"lambda_under"`
	LambdaOver  float64 `json:"lambda_over"`
	ThetaQueue  float64 `json:"theta_queue"`
}

// StatsJSON is Stats for the report: means and 95% intervals over the seeds.
type StatsJSON struct {
	Strategy         string      `json:"strategy"`
	Runs             int         `json:"runs"`
	CostPerShare     *float64    `json:"cost_per_share"`
	CostPerShareCI95 [2]*float64 `json:"cost_per_share_ci95"`
	ExpectedCost     *float64    `json:"expected_cost_per_share"`
	ExpectedCostCI95 [2]*float64 `json:"expected_cost_ci95"`
	FillRate         *float64    `json:"fill_rate"`
	MakerShare       *float64    `json:"maker_share"`
	Slippage         *float64    `json:"slippage_per_taker_share"`
}

// GridPointJSON is one grid point: its statistics, or why it was refused.
type GridPointJSON struct {
	ParamsJSON
	Refused string     `json:"refused,omitempty"`
	Stats   *StatsJSON `json:"stats,omitempty"`
}

func num(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

// JSON converts Stats for the report.
func (s Stats) JSON() StatsJSON {
	return StatsJSON{
		Strategy: s.Strategy, Runs: s.Runs,
		CostPerShare: num(s.CostPerShare), CostPerShareCI95: [2]*float64{num(s.CostLow), num(s.CostHigh)},
		ExpectedCost: num(s.ExpectedCost), ExpectedCostCI95: [2]*float64{num(s.ExpectedLow), num(s.ExpectedHigh)},
		FillRate: num(s.FillRate), MakerShare: num(s.MakerRate), Slippage: num(s.Slippage),
	}
}

// ParamsToJSON names p's penalties.
func ParamsToJSON(p sor.Params) ParamsJSON {
	return ParamsJSON{LambdaUnder: p.LambdaUnder.Dollars(), LambdaOver: p.LambdaOver.Dollars(), ThetaQueue: p.ThetaQueue.Dollars()}
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
