package sor

import (
	"encoding/json"
	"math/big"
	"time"
)

// Summary is the JSON report of a run. Money is in dollars as JSON numbers
// with their exact digits; averages and basis points are exact ratios
// rounded to 1e-9 (see Decimal and the package doc's "JSON report"); an
// average price is null when nothing was filled.
type Summary struct {
	Input          InputJSON       `json:"input"`
	OrderSize      int64           `json:"order_size"`
	Snapshots      int             `json:"snapshots"`
	FirstSnapshot  string          `json:"first_snapshot"`
	LastSnapshot   string          `json:"last_snapshot"`
	Venues         []int           `json:"venues"`
	VenueNames     []string        `json:"venue_names"`
	BestParameters ParamsJSON      `json:"best_parameters"`
	Optimized      ResultJSON      `json:"optimized"`
	Baselines      Baselines       `json:"baselines"`
	SavingsBps     Savings         `json:"savings_vs_baselines_bps"`
	Grid           []GridPointJSON `json:"grid"`
}

// InputJSON says what a run read: the instrument traded (instrument_id
// null when the data has no instrument ids, a CSV file without that column;
// symbol "" when the data does not say), the price format of the file
// ("decimal", "fixed-point", or "unknown" for rows already in memory or a
// file without prices) and the venue table whose fees were charged (a path,
// "embedded sample", or "none: no fees").
type InputJSON struct {
	InstrumentID *uint32 `json:"instrument_id"`
	Symbol       string  `json:"symbol"`
	Prices       string  `json:"prices"`
	VenueTable   string  `json:"venue_table"`
}

// ParamsJSON is Params in dollars per share.
type ParamsJSON struct {
	LambdaOver  Decimal `json:"lambda_over"`
	LambdaUnder Decimal `json:"lambda_under"`
	ThetaQueue  Decimal `json:"theta_queue"`
}

// ResultJSON is the four figures reported for each strategy: the cash
// exactly, the average price Cash/Filled rounded to 1e-9 dollars.
type ResultJSON struct {
	TotalCash      Decimal  `json:"total_cash"`
	AvgFillPx      *Decimal `json:"avg_fill_px"`
	FilledShares   int64    `json:"filled_shares"`
	UnfilledShares int64    `json:"unfilled_shares"`
}

// Baselines holds the three baselines' results.
type Baselines struct {
	BestAsk ResultJSON `json:"best_ask"`
	TWAP    ResultJSON `json:"twap"`
	VWAP    ResultJSON `json:"vwap"`
}

// Savings are the router's savings in basis points of each baseline's
// average price: (baseline − router) / baseline · 10,000 of the exact
// averages, rounded to 1e-9 bps; null when either filled nothing (or, which
// Backtest prevents, the baseline's average is not positive).
type Savings struct {
	BestAsk *Decimal `json:"best_ask"`
	TWAP    *Decimal `json:"twap"`
	VWAP    *Decimal `json:"vwap"`
}

// GridPointJSON is one grid point and the router's result there.
type GridPointJSON struct {
	LambdaUnder Decimal `json:"lambda_under"`
	LambdaOver  Decimal `json:"lambda_over"`
	ThetaQueue  Decimal `json:"theta_queue"`
	ResultJSON
}

func paramsJSON(p Params) ParamsJSON {
	return ParamsJSON{LambdaOver: p.LambdaOver.Decimal(), LambdaUnder: p.LambdaUnder.Decimal(), ThetaQueue: p.ThetaQueue.Decimal()}
}

func resultJSON(r *Result) ResultJSON {
	j := ResultJSON{TotalCash: r.Cash.Decimal(), FilledShares: r.Filled, UnfilledShares: r.Unfilled()}
	if r.Filled > 0 {
		avg := RoundDecimal(new(big.Rat).Quo(r.Cash.Rat(), new(big.Rat).SetInt64(r.Filled)))
		j.AvgFillPx = &avg
	}
	return j
}

// SavingsBps is (baseline − router)/baseline in basis points of the average
// fill prices; ok is false when either filled nothing.
func SavingsBps(router, baseline *Result) (bps float64, ok bool) {
	x, ok := savingsRat(router, baseline)
	if !ok {
		return 0, false
	}
	bps, _ = x.Float64()
	return bps, true
}

// savingsRat is SavingsBps exactly: with the averages c_r/f_r and c_b/f_b,
// (1 − (c_r·f_b)/(f_r·c_b))·10⁴.
func savingsRat(router, baseline *Result) (*big.Rat, bool) {
	if router.Filled == 0 || baseline.Filled == 0 || baseline.Cash <= 0 {
		return nil, false
	}
	num := new(big.Int).Mul(big.NewInt(int64(router.Cash)), big.NewInt(baseline.Filled))
	den := new(big.Int).Mul(big.NewInt(router.Filled), big.NewInt(int64(baseline.Cash)))
	x := new(big.Rat).SetFrac(num, den)
	return x.Sub(big.NewRat(1, 1), x).Mul(x, big.NewRat(10_000, 1)), true
}

func savings(router, baseline *Result) *Decimal {
	if x, ok := savingsRat(router, baseline); ok {
		d := RoundDecimal(x)
		return &d
	}
	return nil
}

// RFC3339 formats nanoseconds since the Unix epoch as UTC RFC 3339.
func RFC3339(ns int64) string { return time.Unix(0, ns).UTC().Format(time.RFC3339Nano) }

// Summary builds the JSON report.
func (o *Outcome) Summary() Summary {
	s := Summary{
		Input:          o.input(),
		OrderSize:      o.Config.OrderSize,
		Snapshots:      o.Snapshots,
		FirstSnapshot:  RFC3339(o.First),
		LastSnapshot:   RFC3339(o.Last),
		Venues:         o.VenueIDs,
		BestParameters: paramsJSON(o.Grid[o.Best].Params),
		Optimized:      resultJSON(o.Router),
		Baselines:      Baselines{resultJSON(o.BestAsk), resultJSON(o.TWAP), resultJSON(o.VWAP)},
		SavingsBps:     Savings{savings(o.Router, o.BestAsk), savings(o.Router, o.TWAP), savings(o.Router, o.VWAP)},
	}
	if s.Venues == nil {
		s.Venues = []int{}
	}
	s.VenueNames = make([]string, len(s.Venues))
	for i, id := range s.Venues {
		s.VenueNames[i] = o.Config.Venues.Name(id)
	}
	for _, g := range o.Grid {
		p := paramsJSON(g.Params)
		s.Grid = append(s.Grid, GridPointJSON{LambdaUnder: p.LambdaUnder, LambdaOver: p.LambdaOver, ThetaQueue: p.ThetaQueue, ResultJSON: resultJSON(g.Result)})
	}
	return s
}

func (o *Outcome) input() InputJSON {
	in := InputJSON{Symbol: o.Instrument.Symbol, Prices: o.Prices.String(), VenueTable: o.Config.VenueTable}
	in.InstrumentID = o.Instrument.KnownID()
	if o.Prices == PriceAuto {
		in.Prices = "unknown"
	}
	switch {
	case in.VenueTable == "" && o.Config.Venues == nil:
		in.VenueTable = "none: no fees"
	case in.VenueTable == "":
		in.VenueTable = "given"
	}
	return in
}

// JSON is the summary as indented JSON with a final newline: the exact bytes
// the CLI prints and writes to results.json.
func (s Summary) JSON() []byte {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic(err) // only plain numbers, strings and slices: cannot fail
	}
	return append(b, '\n')
}
