package sweep

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/internal/runflags"
)

// Row is one row of the merged table: one task, grid point and strategy.
// The package documentation describes every column.
type Row struct {
	Manifest       string     `parquet:"manifest,dict"`
	File           string     `parquet:"file,dict"`
	InstrumentID   *int64     `parquet:"instrument_id,optional"`
	Symbol         string     `parquet:"symbol,dict"`
	Date           *int32     `parquet:"date,date,optional"` // days since 1970-01-01
	Setting        string     `parquet:"setting,dict"`
	SettingArgs    string     `parquet:"setting_args,dict"`
	FirstSnapshot  *time.Time `parquet:"first_snapshot,timestamp(nanosecond),optional"`
	LastSnapshot   *time.Time `parquet:"last_snapshot,timestamp(nanosecond),optional"`
	Snapshots      int64      `parquet:"snapshots"`
	OrderSize      int64      `parquet:"order_size"`
	GridPoint      int32      `parquet:"grid_point"`
	LambdaUnder    int64      `parquet:"lambda_under,decimal(9:18)"`
	LambdaOver     int64      `parquet:"lambda_over,decimal(9:18)"`
	ThetaQueue     int64      `parquet:"theta_queue,decimal(9:18)"`
	Best           bool       `parquet:"best"`
	Strategy       string     `parquet:"strategy,dict"`
	FilledShares   int64      `parquet:"filled_shares"`
	UnfilledShares int64      `parquet:"unfilled_shares"`
	TotalCash      Cash       `parquet:"total_cash,decimal(9:38)"`
	AvgFillPx      *float64   `parquet:"avg_fill_px,optional"`
	SavingsBps     *float64   `parquet:"savings_bps,optional"`
	ReplayCost     *float64   `parquet:"replay_cost_per_share,optional"`
	ReplayCostLow  *float64   `parquet:"replay_cost_ci_low,optional"`
	ReplayCostHigh *float64   `parquet:"replay_cost_ci_high,optional"`
	ReplayFillRate *float64   `parquet:"replay_fill_rate,optional"`
}

// ManifestKey is the key of the plan's hash in the file-level key-value
// metadata of results.parquet and placement.parquet.
const ManifestKey = "sorlab.sweep.manifest"

// Strategies are the strategies of the table, in row order.
var Strategies = []string{"router", "best_ask", "twap", "vwap"}

// maxDecimal is the largest magnitude of a DECIMAL(18,9) column, in
// nano-dollars: $999,999,999.999999999.
const maxDecimal = 999_999_999_999_999_999

// Cash is a total_cash value as its DECIMAL(38,9) Parquet column holds it:
// nano-dollars, a 16-byte big-endian two's complement integer. Every
// sor.Money fits (at most $9,223,372,036.854775807); DECIMAL(18,9), an
// int64 column, would stop at $999,999,999.999999999, which a large order's
// cash passes.
type Cash [16]byte

// CashOf is m as a Cash.
func CashOf(m sor.Money) Cash {
	var c Cash
	fill := byte(0)
	if m < 0 {
		fill = 0xff
	}
	for i := range 8 {
		c[i] = fill
	}
	binary.BigEndian.PutUint64(c[8:], uint64(m))
	return c
}

// Money is c as a sor.Money, false when it does not fit one (a value no
// merge writes).
func (c Cash) Money() (sor.Money, bool) {
	m := sor.Money(binary.BigEndian.Uint64(c[8:]))
	fill := byte(0)
	if m < 0 {
		fill = 0xff
	}
	for _, b := range c[:8] {
		if b != fill {
			return 0, false
		}
	}
	return m, true
}

// MergeReport says what a merge found.
type MergeReport struct {
	Tasks    int // tasks of the plan, as far as known
	Rows     int // rows written
	Failures []Failure
	// Files are the paths written: results.csv and results.parquet, and
	// placement.csv and placement.parquet with -experiment placement.
	Files []string
}

// ErrIncomplete is wrapped by the error of a merge of a sweep with tasks
// not run yet.
var ErrIncomplete = errors.New("the sweep is not complete")

// Merge gathers the results in dir into dir/results.csv and
// dir/results.parquet (see the package documentation for the table), and,
// when the plan runs -experiment placement, into dir/placement.csv and
// dir/placement.parquet too. It refuses a folder where some task has no
// result yet (ErrIncomplete), and one holding results of another plan
// (ErrOtherPlan), before writing anything. Failed tasks have no rows; the
// report lists them. The results stream through, one task at a time, into
// temporary files that are renamed into place (the Parquet files, then the
// CSV files) once all are complete.
func Merge(dir string) (*MergeReport, error) {
	p, err := sweepPlan(dir)
	if err != nil {
		return nil, err
	}
	// Each file is one pass over the task results: sor.WriteFiles writes
	// its files one after the other, under one lock of the folder. Every
	// pass after the first checks that it saw what the first did.
	var rep *MergeReport
	pass := func(yield func(*Result, []Row) error) error {
		got, err := eachResult(dir, p, yield)
		switch {
		case err != nil:
			return err
		case rep == nil:
			rep = got
		case got.Rows != rep.Rows || len(got.Failures) != len(rep.Failures):
			return fmt.Errorf("%s changed while it was merged", dir)
		}
		return nil
	}
	files := []sor.File{
		{Path: filepath.Join(dir, "results.parquet"), Write: func(w io.Writer) error {
			return writeParquet(w, p.Hash, pass, func(_ *Result, rows []Row) ([]Row, error) { return rows, nil })
		}},
	}
	// The placement table holds the tasks of the settings that run the
	// placement experiment.
	placement := false
	for _, name := range p.settingNames() {
		placement = placement || p.experiment(name) == runflags.ExperimentPlacement
	}
	placementRows := func(r *Result, _ []Row) ([]PlacementRow, error) {
		if p.experiment(r.Task.Setting) != runflags.ExperimentPlacement {
			return nil, nil
		}
		return r.placementRows(p.ownArgs(r.Task.Setting))
	}
	if placement {
		files = append(files, sor.File{Path: filepath.Join(dir, "placement.parquet"), Write: func(w io.Writer) error {
			return writeParquet(w, p.Hash, pass, placementRows)
		}})
	}
	files = append(files, sor.File{Path: filepath.Join(dir, "results.csv"), Write: func(w io.Writer) error {
		return writeCSV(w, pass, Columns(), func(_ *Result, rows []Row) ([]Row, error) { return rows, nil }, appendCSV)
	}})
	if placement {
		files = append(files, sor.File{Path: filepath.Join(dir, "placement.csv"), Write: func(w io.Writer) error {
			return writeCSV(w, pass, PlacementColumns(), placementRows, appendPlacementCSV)
		}})
	}
	if err = sor.WriteFilesAtomic(files...); err != nil {
		return rep, err
	}
	for _, f := range files {
		rep.Files = append(rep.Files, f.Path)
	}
	slices.Sort(rep.Files)
	return rep, nil
}

// writeParquet writes the rows that rowsOf makes of each result, in one
// pass, as Parquet.
func writeParquet[T any](w io.Writer, hash string, pass func(func(*Result, []Row) error) error, rowsOf func(*Result, []Row) ([]T, error)) error {
	pq := parquet.NewGenericWriter[T](w,
		parquet.CreatedBy("sorlab sweep", "1", ""),
		// The plan's hash in the file's metadata too, so that a reader
		// can tell the plan without reading a row (an empty table has
		// none).
		parquet.KeyValueMetadata(ManifestKey, hash),
		parquet.MaxRowsPerRowGroup(1<<18),
	)
	if err := pass(func(r *Result, rows []Row) error {
		out, err := rowsOf(r, rows)
		if err != nil {
			return err
		}
		_, err = pq.Write(out)
		return err
	}); err != nil {
		return err
	}
	return pq.Close()
}

// writeCSV writes the header and the rows that rowsOf makes of each result,
// in one pass, as CSV lines made by appendRow.
func writeCSV[T any](w io.Writer, pass func(func(*Result, []Row) error) error, header []string, rowsOf func(*Result, []Row) ([]T, error), appendRow func([]byte, *T) []byte) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString(strings.Join(header, ","))
	bw.WriteByte('\n')
	var b []byte
	if err := pass(func(r *Result, rows []Row) error {
		out, err := rowsOf(r, rows)
		if err != nil {
			return err
		}
		for i := range out {
			b = appendRow(b[:0], &out[i])
			bw.Write(b)
		}
		return nil
	}); err != nil {
		return err
	}
	return bw.Flush()
}

// Collect reads the results in dir as the table's rows, in table order, as
// Merge writes them.
func Collect(dir string) ([]Row, *MergeReport, error) {
	p, err := sweepPlan(dir)
	if err != nil {
		return nil, nil, err
	}
	var all []Row
	rep, err := eachResult(dir, p, func(_ *Result, rows []Row) error {
		all = append(all, rows...)
		return nil
	})
	if err != nil {
		return nil, rep, err
	}
	return all, rep, nil
}

// ErrNoSweep is wrapped by the error of a merge of a folder without a
// sweep.json: not a sweep's results folder.
var ErrNoSweep = errors.New("no sweep.json")

// sweepPlan reads the plan of the sweep in dir, saying so when there is
// none.
func sweepPlan(dir string) (*Plan, error) {
	p, err := readPlan(dir)
	if errors.Is(err, iofs.ErrNotExist) {
		return nil, fmt.Errorf("%s holds no sweep (%w)", dir, ErrNoSweep)
	}
	return p, err
}

// eachResult checks the folder of plan p (every task with a result or a
// failure, nothing of another plan) and then calls yield with the rows of
// each result, and the result, in task order.
func eachResult(dir string, p *Plan, yield func(*Result, []Row) error) (*MergeReport, error) {
	files := map[string]bool{} // the folder's result files, "tasks/NAME.json"
	for _, sub := range []string{"tasks", "census"} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil && !errors.Is(err, iofs.ErrNotExist) {
			return nil, err
		}
		for _, e := range entries {
			// Dot files are the temporary files of a run in progress or
			// killed.
			if !strings.HasPrefix(e.Name(), ".") && strings.HasSuffix(e.Name(), ".json") {
				files[sub+"/"+e.Name()] = false
			}
		}
	}
	has := func(name string) bool {
		_, ok := files[name]
		files[name] = true
		return ok
	}

	// The tasks, and which have results; nothing written yet.
	rep := &MergeReport{}
	var (
		done    []Task
		missing []string
	)
	for _, f := range p.Files {
		var ins []sor.Instrument
		if f.Instruments.All {
			name := "census/" + censusName(f.Path)
			switch {
			case has(name + ".json"):
				c, err := p.readCensus(dir, f.Path)
				if err != nil {
					return rep, err
				}
				ins = c.Instruments
			case has(name + ".error.json"):
				var fl failure
				if err := p.readFailure(filepath.Join(dir, name+".error.json"), &fl); err != nil {
					return rep, err
				}
				rep.Failures = append(rep.Failures, Failure{Task: Task{File: f.Path}, Census: true, Err: fl.Error})
				continue
			default:
				missing = append(missing, f.Path+" (its instruments)")
				continue
			}
		}
		for _, t := range p.fileTasks(f, ins) {
			rep.Tasks++
			name := "tasks/" + t.Name()
			switch {
			case has(name + ".json"):
				done = append(done, t)
			case has(name + ".error.json"):
				var fl failure
				if err := p.readFailure(filepath.Join(dir, name+".error.json"), &fl); err != nil {
					return rep, err
				}
				rep.Failures = append(rep.Failures, Failure{Task: t, Err: fl.Error})
			default:
				missing = append(missing, t.String())
			}
		}
	}
	// Files the plan does not name must not come from another plan.
	var stray []string
	for name, used := range files {
		if !used {
			stray = append(stray, name)
		}
	}
	slices.Sort(stray)
	for _, name := range stray {
		path := filepath.Join(dir, filepath.FromSlash(name))
		b, err := os.ReadFile(path)
		if err != nil {
			return rep, err
		}
		var head struct {
			Manifest string `json:"manifest"`
		}
		if err := json.Unmarshal(b, &head); err != nil {
			return rep, fmt.Errorf("%s: %w", path, jsonError(b, err))
		}
		if head.Manifest != p.Hash {
			return rep, fmt.Errorf("%s comes from plan %s, the folder's is %s: %w; results of different plans are never merged", path, short(head.Manifest), short(p.Hash), ErrOtherPlan)
		}
	}
	if len(missing) > 0 {
		return rep, fmt.Errorf("%w: %d of %d tasks have no result, the first: %s; run the sweep (every shard) first, a run resumes", ErrIncomplete, len(missing), rep.Tasks, missing[0])
	}

	for _, t := range done {
		var res Result
		path := p.resultPath(dir, t, false)
		if err := readJSON(path, &res); err != nil {
			return rep, err
		}
		if res.Manifest != p.Hash || res.Task != t {
			return rep, fmt.Errorf("%s: the result of %s under plan %s, not of %s under %s: %w", path, res.Task, short(res.Manifest), t, short(p.Hash), ErrOtherPlan)
		}
		rows, err := res.rows(p.ownArgs(t.Setting))
		if err != nil {
			return rep, fmt.Errorf("%s: %w", path, err)
		}
		if err := yield(&res, rows); err != nil {
			return rep, err
		}
		rep.Rows += len(rows)
	}
	return rep, nil
}

// readFailure reads a failure record of this plan.
func (p *Plan) readFailure(path string, fl *failure) error {
	if err := readJSON(path, fl); err != nil {
		return err
	}
	if fl.Manifest != p.Hash {
		return fmt.Errorf("%s comes from plan %s, the folder's is %s: %w", path, short(fl.Manifest), short(p.Hash), ErrOtherPlan)
	}
	return nil
}

// rows is a result's rows in table order; settingArgs are its setting's
// own args, space-separated.
func (r *Result) rows(settingArgs string) ([]Row, error) {
	base := Row{
		Manifest:     r.Manifest,
		File:         r.Task.File,
		InstrumentID: r.instrumentID(),
		Symbol:       r.Symbol,
		Setting:      r.Task.Setting,
		SettingArgs:  settingArgs,
		Snapshots:    int64(r.Snapshots),
		OrderSize:    r.OrderSize,
	}
	if r.Snapshots > 0 {
		first, last := time.Unix(0, r.First).UTC(), time.Unix(0, r.Last).UTC()
		base.Date, base.FirstSnapshot, base.LastSnapshot = r.date(), &first, &last
	}
	if r.Best < 0 || r.Best >= len(r.Grid) {
		return nil, fmt.Errorf("best grid point %d of %d", r.Best, len(r.Grid))
	}
	if r.Replay != nil && len(r.Replay.Strategies) != len(Strategies) {
		return nil, fmt.Errorf("replay of %d strategies, want %d", len(r.Replay.Strategies), len(Strategies))
	}
	var rows []Row
	for g, pt := range r.Grid {
		router := pt.result(r.OrderSize)
		for s, name := range Strategies {
			fill := pt.Fill
			switch name {
			case "best_ask":
				fill = r.BestAsk
			case "twap":
				fill = r.TWAP
			case "vwap":
				fill = r.VWAP
			}
			row := base
			row.GridPoint = int32(g)
			row.LambdaUnder, row.LambdaOver, row.ThetaQueue = int64(pt.LambdaUnder), int64(pt.LambdaOver), int64(pt.ThetaQueue)
			row.Best = g == r.Best
			row.Strategy = name
			row.FilledShares, row.UnfilledShares = fill.Filled, r.OrderSize-fill.Filled
			row.TotalCash = CashOf(fill.Cash)
			res := fill.result(r.OrderSize)
			if px, ok := res.AvgPrice(); ok {
				row.AvgFillPx = &px
			}
			if name != "router" {
				if bps, ok := sor.SavingsBps(router, res); ok {
					row.SavingsBps = &bps
				}
			}
			if r.Replay != nil && row.Best {
				st := r.Replay.Strategies[s]
				row.ReplayCost, row.ReplayCostLow, row.ReplayCostHigh, row.ReplayFillRate = float(st.CostPerShare), float(st.CostPerShareCI95[0]), float(st.CostPerShareCI95[1]), float(st.FillRate)
			}
			for _, m := range []int64{row.LambdaUnder, row.LambdaOver, row.ThetaQueue} {
				if m > maxDecimal || m < -maxDecimal {
					return nil, fmt.Errorf("a penalty of %s does not fit the table's DECIMAL(18,9) columns (at most $999,999,999.999999999)", sor.Money(m))
				}
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// float is d as the table's float column, nil (null) for nil.
func float(d *sor.Decimal) *float64 {
	if d == nil {
		return nil
	}
	f := d.Float64()
	return &f
}

// Columns are the table's column names, in order (the CSV header).
func Columns() []string {
	var names []string
	for _, f := range parquet.SchemaOf(Row{}).Fields() {
		names = append(names, f.Name())
	}
	return names
}

// appendCSV appends a row as a CSV line: money as exact decimals, times
// in RFC 3339 with nanoseconds, floats in their shortest exact form, nulls
// as empty fields.
func appendCSV(b []byte, r *Row) []byte {
	b = appendTaskCSV(b, r.Manifest, r.File, r.InstrumentID, r.Symbol, r.Date, r.Setting, r.SettingArgs)
	for _, t := range []*time.Time{r.FirstSnapshot, r.LastSnapshot} {
		b = append(b, ',')
		if t != nil {
			b = t.AppendFormat(b, time.RFC3339Nano)
		}
	}
	b = strconv.AppendInt(append(b, ','), r.Snapshots, 10)
	b = strconv.AppendInt(append(b, ','), r.OrderSize, 10)
	b = strconv.AppendInt(append(b, ','), int64(r.GridPoint), 10)
	for _, m := range []int64{r.LambdaUnder, r.LambdaOver, r.ThetaQueue} {
		b = sor.Money(m).AppendText(append(b, ','))
	}
	b = strconv.AppendBool(append(b, ','), r.Best)
	b = appendCSVText(append(b, ','), r.Strategy)
	b = strconv.AppendInt(append(b, ','), r.FilledShares, 10)
	b = strconv.AppendInt(append(b, ','), r.UnfilledShares, 10)
	cash, _ := r.TotalCash.Money() // made by CashOf
	b = cash.AppendText(append(b, ','))
	b = appendFloatsCSV(b, r.AvgFillPx, r.SavingsBps, r.ReplayCost, r.ReplayCostLow, r.ReplayCostHigh, r.ReplayFillRate)
	return append(b, '\n')
}

// appendTaskCSV appends the columns that name a row's task, the first of
// both tables: manifest, file, instrument_id, symbol, date, setting,
// setting_args.
func appendTaskCSV(b []byte, manifest, file string, id *int64, symbol string, date *int32, setting, settingArgs string) []byte {
	b = appendCSVText(b, manifest)
	b = appendCSVText(append(b, ','), file)
	b = append(b, ',')
	if id != nil {
		b = strconv.AppendInt(b, *id, 10)
	}
	b = appendCSVText(append(b, ','), symbol)
	b = append(b, ',')
	if date != nil {
		b = time.Unix(int64(*date)*86400, 0).UTC().AppendFormat(b, time.DateOnly)
	}
	b = appendCSVText(append(b, ','), setting)
	return appendCSVText(append(b, ','), settingArgs)
}

// appendFloatsCSV appends each float as a field, in its shortest exact
// form, or an empty field (null) for nil.
func appendFloatsCSV(b []byte, fs ...*float64) []byte {
	for _, f := range fs {
		b = append(b, ',')
		if f != nil {
			b = strconv.AppendFloat(b, *f, 'g', -1, 64)
		}
	}
	return b
}

// date is the UTC day of the result's first snapshot, days since 1970,
// nil with no snapshot.
func (r *Result) date() *int32 {
	if r.Snapshots == 0 {
		return nil
	}
	day := int32(time.Unix(0, r.First).UTC().Unix() / 86400)
	return &day
}

// appendCSVText appends s as a CSV field, quoted when it must be.
func appendCSVText(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\r\n") && strings.TrimSpace(s) == s {
		return append(b, s...)
	}
	return append(append(b, '"'), append([]byte(strings.ReplaceAll(s, `"`, `""`)), '"')...)
}

// ReadParquet reads a table Merge wrote.
func ReadParquet(path string) ([]Row, error) {
	rows, err := parquet.ReadFile[Row](path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rows, nil
}
