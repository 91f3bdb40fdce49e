package replay

import (
	"time"

	"github.com/sorlab/sorlab/sor"
)

// PlacementReport is the JSON section of the placement experiment
// (Protocol.RunPlacement): the set-up and, per variant, its figures with
// their 95% intervals over the units (the intervals of fractions clipped to
// [0, 1]; the package doc's "Numbers in the report" gives every field's
// unit and rule). Numbers that do not exist (a markout with no fill, a
// catch-up cost with no catch-up) are null.
type PlacementReport struct {
	Data      string `json:"data,omitempty"`
	FillModel string `json:"fill_model"`
	Latency   string `json:"latency"`
	FeedDelay bool   `json:"feed_delay"`
	Slice     string `json:"slice"`
	Slices    int64  `json:"slices"`
	// Split are the penalties of the Cont-Kukanov split, chosen on
	// SelectionSeeds; the figures come from Seeds.
	Split          ParamsJSON `json:"split_parameters"`
	SelectionSeeds []uint64   `json:"selection_seeds,omitempty"`
	Seeds          []uint64   `json:"seeds"`
	Markets        int        `json:"markets"`
	// IntervalsOver says what the intervals are over: "markets" (each
	// market's seeds pooled) or "seeds" (one market).
	IntervalsOver   string        `json:"intervals_over"`
	MarkoutHorizons []string      `json:"markout_horizons"`
	Variants        []VariantJSON `json:"variants"`
}

// EstimateJSON is an Estimate for a report.
type EstimateJSON struct {
	Mean *sor.Decimal    `json:"mean"`
	CI95 [2]*sor.Decimal `json:"ci95"`
	N    int             `json:"n"`
}

// JSON converts an Estimate for a report.
func (e Estimate) JSON() EstimateJSON {
	return EstimateJSON{Mean: num(e.Mean), CI95: [2]*sor.Decimal{num(e.Low), num(e.High)}, N: e.N}
}

// VariantJSON is a VariantResult for a report. The savings are absent for
// market_only, the reference.
type VariantJSON struct {
	Variant      string         `json:"variant"`
	Cost         EstimateJSON   `json:"expected_cost_per_share"`
	Savings      *EstimateJSON  `json:"savings_vs_market_only_bps,omitempty"`
	Cheaper      *int           `json:"units_cheaper_than_market_only,omitempty"`
	UnitSavings  []*sor.Decimal `json:"savings_by_unit_bps,omitempty"`
	FillRate     EstimateJSON   `json:"fill_rate"`
	MakerShare   EstimateJSON   `json:"maker_share"`
	CatchUpShare EstimateJSON   `json:"catch_up_share"`
	CatchUpCost  EstimateJSON   `json:"catch_up_cost_per_share"`
	Markouts     []MarkoutJSON  `json:"markouts"`
	ByVenue      []VenueJSON    `json:"markouts_by_venue"`
}

// MarkoutJSON is the markout per share at one horizon: over all fills, the
// maker fills and the taker fills.
type MarkoutJSON struct {
	Horizon string       `json:"horizon"`
	All     EstimateJSON `json:"all"`
	Maker   EstimateJSON `json:"maker"`
	Taker   EstimateJSON `json:"taker"`
}

// VenueJSON is a variant's markouts at one venue.
type VenueJSON struct {
	Venue    int            `json:"venue"`
	Name     string         `json:"name,omitempty"`
	Shares   int64          `json:"shares"`
	Markouts []EstimateJSON `json:"markouts"`
}

// JSON converts the result for a report.
func (r *PlacementResult) JSON() *PlacementReport {
	cfg := r.Config
	rep := &PlacementReport{Data: r.Data, FillModel: fillName(cfg.Fills), Latency: latencyName(cfg.Latency), FeedDelay: cfg.FeedDelay,
		Slice: r.Slice.String(), Slices: r.Slices, Split: ParamsToJSON(r.Split), SelectionSeeds: r.SelectionSeeds, Seeds: r.Seeds,
		Markets: r.Markets, IntervalsOver: r.Over}
	for _, h := range r.Markouts {
		rep.MarkoutHorizons = append(rep.MarkoutHorizons, time.Duration(h).String())
	}
	for _, v := range r.Variants {
		j := VariantJSON{Variant: v.Variant.String(), Cost: v.Cost.JSON(), FillRate: v.FillRate.JSON(), MakerShare: v.MakerShare.JSON(),
			CatchUpShare: v.CatchUpShare.JSON(), CatchUpCost: v.CatchUpCost.JSON()}
		if v.Variant != MarketOnly {
			s, n := v.Savings.JSON(), v.Cheaper
			j.Savings, j.Cheaper = &s, &n
			for _, x := range v.Units {
				j.UnitSavings = append(j.UnitSavings, num(x))
			}
		}
		for k, h := range r.Markouts {
			j.Markouts = append(j.Markouts, MarkoutJSON{Horizon: h.String(), All: v.Markouts[k].JSON(), Maker: v.Maker[k].JSON(), Taker: v.Taker[k].JSON()})
		}
		for _, vm := range v.Venues {
			vj := VenueJSON{Venue: vm.Venue, Name: vm.Name, Shares: vm.Shares}
			for _, e := range vm.Markouts {
				vj.Markouts = append(vj.Markouts, e.JSON())
			}
			j.ByVenue = append(j.ByVenue, vj)
		}
		rep.Variants = append(rep.Variants, j)
	}
	return rep
}
