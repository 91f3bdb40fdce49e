package sweep

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// PlacementRow is one row of placement.csv and placement.parquet: one
// task's placement experiment (-experiment placement), one way of buying
// the slices. Nulls are nil pointers.
type PlacementRow struct {
	Manifest     string   `parquet:"manifest,dict"`
	File         string   `parquet:"file,dict"`
	InstrumentID *int64   `parquet:"instrument_id,optional"`
	Symbol       string   `parquet:"symbol,dict"`
	Date         *int32   `parquet:"date,date,optional"` // days since 1970-01-01
	Setting      string   `parquet:"setting,dict"`
	SettingArgs  string   `parquet:"setting_args,dict"`
	Slices       int64    `parquet:"slices"`
	Seeds        int64    `parquet:"seeds"`
	Variant      string   `parquet:"variant,dict"`
	Cost         *float64 `parquet:"expected_cost_per_share,optional"`
	CostLow      *float64 `parquet:"cost_ci_low,optional"`
	CostHigh     *float64 `parquet:"cost_ci_high,optional"`
	Savings      *float64 `parquet:"savings_bps,optional"`
	SavingsLow   *float64 `parquet:"savings_ci_low,optional"`
	SavingsHigh  *float64 `parquet:"savings_ci_high,optional"`
	Cheaper      *int64   `parquet:"seeds_cheaper,optional"`
	FillRate     *float64 `parquet:"fill_rate,optional"`
	MakerShare   *float64 `parquet:"maker_share,optional"`
	CatchUpShare *float64 `parquet:"catch_up_share,optional"`
	CatchUpCost  *float64 `parquet:"catch_up_cost_per_share,optional"`
	Markout1s    *float64 `parquet:"markout_1s,optional"`
	Markout10s   *float64 `parquet:"markout_10s,optional"`
	Markout60s   *float64 `parquet:"markout_60s,optional"`
}

// PlacementColumns are the placement table's column names, in order.
func PlacementColumns() []string {
	var names []string
	for _, f := range parquet.SchemaOf(PlacementRow{}).Fields() {
		names = append(names, f.Name())
	}
	return names
}

// experiment is a setting's -experiment ("" for none), from the canonical
// flags (the last one given wins, as in a flag set).
func (p *Plan) experiment(setting string) string {
	exp := ""
	for _, a := range p.settingArgs(setting) {
		if v, ok := strings.CutPrefix(a, "-experiment="); ok {
			exp = v
		}
	}
	return exp
}

// markoutHorizons are the placement table's markout columns: the
// experiment's horizons (replay.DefaultMarkouts).
var markoutHorizons = []string{"1s", "10s", "1m0s"}

// placementRows is a result's placement rows, in the experiment's variant
// order (market_only, ck_split, limit_only); settingArgs are its setting's
// own args, space-separated.
func (r *Result) placementRows(settingArgs string) ([]PlacementRow, error) {
	pl := r.Placement
	if pl == nil {
		return nil, fmt.Errorf("no placement experiment in the result of %s", r.Task)
	}
	if !slices.Equal(pl.MarkoutHorizons, markoutHorizons) {
		return nil, fmt.Errorf("markout horizons %v, want %v", pl.MarkoutHorizons, markoutHorizons)
	}
	base := PlacementRow{
		Manifest:     r.Manifest,
		File:         r.Task.File,
		InstrumentID: r.instrumentID(),
		Symbol:       r.Symbol,
		Date:         r.date(),
		Setting:      r.Task.Setting,
		SettingArgs:  settingArgs,
		Slices:       pl.Slices,
		Seeds:        int64(len(pl.Seeds)),
	}
	var rows []PlacementRow
	for _, v := range pl.Variants {
		row := base
		row.Variant = v.Variant
		row.Cost, row.CostLow, row.CostHigh = float(v.Cost.Mean), float(v.Cost.CI95[0]), float(v.Cost.CI95[1])
		if v.Savings != nil {
			row.Savings, row.SavingsLow, row.SavingsHigh = float(v.Savings.Mean), float(v.Savings.CI95[0]), float(v.Savings.CI95[1])
		}
		if v.Cheaper != nil {
			n := int64(*v.Cheaper)
			row.Cheaper = &n
		}
		row.FillRate, row.MakerShare = float(v.FillRate.Mean), float(v.MakerShare.Mean)
		row.CatchUpShare, row.CatchUpCost = float(v.CatchUpShare.Mean), float(v.CatchUpCost.Mean)
		if len(v.Markouts) != len(markoutHorizons) {
			return nil, fmt.Errorf("%s: %d markouts, want %d", v.Variant, len(v.Markouts), len(markoutHorizons))
		}
		row.Markout1s, row.Markout10s, row.Markout60s = float(v.Markouts[0].All.Mean), float(v.Markouts[1].All.Mean), float(v.Markouts[2].All.Mean)
		rows = append(rows, row)
	}
	return rows, nil
}

// appendPlacementCSV appends a placement row as a CSV line, as appendCSV
// does for the main table.
func appendPlacementCSV(b []byte, r *PlacementRow) []byte {
	b = appendTaskCSV(b, r.Manifest, r.File, r.InstrumentID, r.Symbol, r.Date, r.Setting, r.SettingArgs)
	b = strconv.AppendInt(append(b, ','), r.Slices, 10)
	b = strconv.AppendInt(append(b, ','), r.Seeds, 10)
	b = appendCSVText(append(b, ','), r.Variant)
	b = appendFloatsCSV(b, r.Cost, r.CostLow, r.CostHigh, r.Savings, r.SavingsLow, r.SavingsHigh)
	b = append(b, ',')
	if r.Cheaper != nil {
		b = strconv.AppendInt(b, *r.Cheaper, 10)
	}
	b = appendFloatsCSV(b, r.FillRate, r.MakerShare, r.CatchUpShare, r.CatchUpCost, r.Markout1s, r.Markout10s, r.Markout60s)
	return append(b, '\n')
}

// ReadPlacementParquet reads a placement.parquet written by Merge.
func ReadPlacementParquet(path string) ([]PlacementRow, error) {
	rows, err := parquet.ReadFile[PlacementRow](path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rows, nil
}
