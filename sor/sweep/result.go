package sweep

import (
	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/replay"
)

// Result is what one task produced, in exact numbers: tasks/NAME.json.
type Result struct {
	Manifest string `json:"manifest"` // the plan's hash
	Task     Task   `json:"task"`
	// The instrument traded, as the file names it: InstrumentID is nil
	// (null) for a CSV file without an instrument_id column, as in the
	// backtest's JSON (sor.Instrument.KnownID).
	InstrumentID *uint32 `json:"instrument_id"`
	Symbol       string  `json:"symbol"`
	Snapshots    int     `json:"snapshots"`
	// Times of the first and last snapshots, nanoseconds since the epoch
	// (0 with no snapshot).
	First     int64       `json:"first_snapshot"`
	Last      int64       `json:"last_snapshot"`
	OrderSize int64       `json:"order_size"`
	Grid      []PointFill `json:"grid"`
	Best      int         `json:"best"` // index into Grid
	BestAsk   Fill        `json:"best_ask"`
	TWAP      Fill        `json:"twap"`
	VWAP      Fill        `json:"vwap"`
	// Replay is the replay's report when the plan's flags ask for one.
	Replay *replay.Report `json:"replay,omitempty"`
	// Placement is the placement experiment's report with -experiment
	// placement (then Replay is nil).
	Placement *replay.PlacementReport `json:"placement,omitempty"`
}

// Fill is a strategy's shares bought and cash paid.
type Fill struct {
	Filled int64     `json:"filled"`
	Cash   sor.Money `json:"cash"`
}

// PointFill is the router's fill at one grid point.
type PointFill struct {
	LambdaUnder sor.Money `json:"lambda_under"`
	LambdaOver  sor.Money `json:"lambda_over"`
	ThetaQueue  sor.Money `json:"theta_queue"`
	Fill
}

// failure is what tasks/NAME.error.json and census/NAME.error.json hold.
type failure struct {
	Manifest string `json:"manifest"`
	Task     Task   `json:"task"`
	Error    string `json:"error"`
}

// census is what census/NAME.json holds: a file's instruments.
type census struct {
	Manifest    string           `json:"manifest"`
	File        string           `json:"file"`
	Instruments []sor.Instrument `json:"instruments"`
}

// instrumentID is the table's instrument_id: the id, nil when the file
// gives none.
func (r *Result) instrumentID() *int64 {
	if r.InstrumentID == nil {
		return nil
	}
	id := int64(*r.InstrumentID)
	return &id
}

func fillOf(r *sor.Result) Fill { return Fill{Filled: r.Filled, Cash: r.Cash} }

func newResult(hash string, t Task, o *sor.Outcome) *Result {
	r := &Result{
		Manifest:     hash,
		Task:         t,
		InstrumentID: o.Instrument.KnownID(),
		Symbol:       o.Instrument.Symbol,
		Snapshots:    o.Snapshots,
		OrderSize:    o.Config.OrderSize,
		Best:         o.Best,
		BestAsk:      fillOf(o.BestAsk),
		TWAP:         fillOf(o.TWAP),
		VWAP:         fillOf(o.VWAP),
	}
	if o.Snapshots > 0 {
		r.First, r.Last = o.First, o.Last
	}
	for _, g := range o.Grid {
		r.Grid = append(r.Grid, PointFill{g.Params.LambdaUnder, g.Params.LambdaOver, g.Params.ThetaQueue, fillOf(g.Result)})
	}
	return r
}

// result turns a fill back into a sor.Result, for sor's averages and
// savings.
func (f Fill) result(orderSize int64) *sor.Result {
	return &sor.Result{OrderSize: orderSize, Filled: f.Filled, Cash: f.Cash}
}
