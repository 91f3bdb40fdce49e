package sweep_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/sim"
	"github.com/sorlab/sorlab/sor/sweep"
)

var (
	daysOnce sync.Once
	daysDir  string
	daysErr  error
)

// days is a folder of simulated data shared by the tests: 5 days of 3
// symbols, 20 seconds each, as one file a day holding all three
// (2024-08-0X.csv), and the first two days again as one file a day and
// symbol (split/2024-08-0X.SYM.csv.gz).
func days(t *testing.T) string {
	t.Helper()
	daysOnce.Do(func() {
		daysDir, daysErr = os.MkdirTemp("", "sweep-days-")
		if daysErr != nil {
			return
		}
		p := sim.DefaultParams()
		p.Duration = 20 * time.Second
		if _, _, daysErr = sim.WriteDays(context.Background(), daysDir, ".csv", p, 1, 5, 3, false); daysErr != nil {
			return
		}
		split := filepath.Join(daysDir, "split")
		if daysErr = os.Mkdir(split, 0o755); daysErr == nil {
			_, _, daysErr = sim.WriteDays(context.Background(), split, ".csv.gz", p, 1, 2, 3, true)
		}
	})
	if daysErr != nil {
		t.Fatal(daysErr)
	}
	return daysDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if daysDir != "" {
		os.RemoveAll(daysDir)
	}
	os.Exit(code)
}

// manifest is the tests' sweep: every instrument of the five daily files,
// and symbol SIMX2 of the split files, on a two-point grid with a 5 s TWAP
// bucket.
func manifest(t *testing.T) sweep.Manifest {
	dir := days(t)
	return sweep.Manifest{
		Inputs: []sweep.Input{
			{Data: filepath.Join(dir, "2024-*.csv"), AllInstruments: true},
			{Data: filepath.Join(dir, "split", "*.SIMX2.csv.gz")},
		},
		Args: []string{"-lambda-under", "0.01,0.1", "-lambda-over", "0.05", "-theta-queue", "0.001", "-twap-bucket", "5s", "-order-size", "2000"},
	}
}

func plan(t *testing.T, m sweep.Manifest) *sweep.Plan {
	t.Helper()
	p, err := sweep.NewPlan(m, "")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func runAll(t *testing.T, p *sweep.Plan, o sweep.Options) *sweep.Report {
	t.Helper()
	rep, err := p.Run(o)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failures) > 0 {
		t.Fatalf("failures: %v", rep.Failures)
	}
	return rep
}

// merged merges dir and returns the two files' bytes.
func merged(t *testing.T, dir string) (csv, pq []byte) {
	t.Helper()
	if _, err := sweep.Merge(dir); err != nil {
		t.Fatal(err)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "results.csv"))
	if err != nil {
		t.Fatal(err)
	}
	pq, err = os.ReadFile(filepath.Join(dir, "results.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	// The plan's hash is in the file's metadata as in its rows.
	f, err := parquet.OpenFile(bytes.NewReader(pq), int64(len(pq)))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := sweep.ReadParquet(filepath.Join(dir, "results.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if hash, ok := f.Lookup(sweep.ManifestKey); !ok || len(hash) != 64 || len(rows) == 0 || rows[0].Manifest != hash {
		t.Errorf("%s = %q, %v in the metadata; the rows' is %q", sweep.ManifestKey, hash, ok, rows[0].Manifest)
	}
	return csv, pq
}

// The sweep cut into 1, 3 or 7 shards, each run on its own, merges into
// the same bytes as the whole sweep run at once, whatever the number of
// workers: 5 files x 3 instruments + 2 split files = 17 tasks, 2 grid
// points, 4 strategies.
func TestShardsMergeToTheSameTable(t *testing.T) {
	p := plan(t, manifest(t))
	whole := t.TempDir()
	rep := runAll(t, p, sweep.Options{Dir: whole})
	if rep.Tasks != 17 || rep.Ran != 17 || rep.Skipped != 0 {
		t.Errorf("report %+v, want 17 tasks run", rep)
	}
	csv, pq := merged(t, whole)
	if n := strings.Count(string(csv), "\n"); n != 1+17*2*4 {
		t.Errorf("%d lines, want 1 + 17 tasks x 2 points x 4 strategies", n)
	}
	// The simulator's files give ids: every row carries its symbol's id,
	// one id a symbol, none null (a file without ids gives null:
	// TestTableValuesByHand).
	rows, _, err := sweep.Collect(whole)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, r := range rows {
		if r.InstrumentID == nil || *r.InstrumentID == 0 {
			t.Fatalf("row of %s %s: instrument_id %v, want the file's id", r.File, r.Symbol, r.InstrumentID)
		}
		if id, ok := ids[r.Symbol]; ok && id != *r.InstrumentID {
			t.Errorf("%s: ids %d and %d", r.Symbol, id, *r.InstrumentID)
		}
		ids[r.Symbol] = *r.InstrumentID
	}
	if len(ids) != 3 || ids["SIMX"] != 4242 {
		t.Errorf("ids by symbol %v, want 3 symbols, SIMX 4242", ids)
	}
	for _, n := range []int{1, 3, 7} {
		dir := t.TempDir()
		tasks := 0
		for i := range n {
			rep := runAll(t, p, sweep.Options{Dir: dir, Shard: i, Of: n, Workers: 1 + i%2})
			tasks += rep.Tasks
		}
		if tasks != 17 {
			t.Errorf("%d shards ran %d tasks in all, want 17", n, tasks)
		}
		c, q := merged(t, dir)
		if !bytes.Equal(c, csv) || !bytes.Equal(q, pq) {
			t.Errorf("%d shards: the merged table differs from the whole sweep's", n)
		}
	}
}

// A sweep stopped half way (here: the tasks of one shard done, as a killed
// run leaves them) and run again skips what is done and gives the same table.
func TestResumeGivesTheSameTable(t *testing.T) {
	p := plan(t, manifest(t))
	whole := t.TempDir()
	runAll(t, p, sweep.Options{Dir: whole, Workers: 2})
	want, wantPQ := merged(t, whole)

	dir := t.TempDir()
	first := runAll(t, p, sweep.Options{Dir: dir, Shard: 1, Of: 2})
	if _, err := sweep.Merge(dir); !errors.Is(err, sweep.ErrIncomplete) {
		t.Errorf("merge of half a sweep: %v, want ErrIncomplete", err)
	}
	// Debris of a killed run: a temporary file beside the results.
	if err := os.WriteFile(filepath.Join(dir, "tasks", ".x.json.tmp-123"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	var last sweep.Progress
	rep, err := p.Run(sweep.Options{Dir: dir, Progress: func(pr sweep.Progress) { last = pr }})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Skipped != first.Tasks || rep.Ran != 17-first.Tasks || rep.Tasks != 17 {
		t.Errorf("resumed: %+v after %d tasks done", rep, first.Tasks)
	}
	if last.Stage != "tasks" || last.Done != rep.Ran || last.Total != rep.Ran || last.Skipped != rep.Skipped {
		t.Errorf("last progress %+v", last)
	}
	got, gotPQ := merged(t, dir)
	if !bytes.Equal(got, want) || !bytes.Equal(gotPQ, wantPQ) {
		t.Error("the resumed sweep's table differs")
	}
	again := runAll(t, p, sweep.Options{Dir: dir})
	if again.Ran != 0 || again.Skipped != 17 {
		t.Errorf("a finished sweep run again: %+v", again)
	}
}

// A task that fails is recorded with its error; the others complete; the
// merge writes their rows and lists the failures; once the cause is gone, a
// new run retries the failed tasks only, and the table is the full one.
func TestAFailingTaskIsRecordedAndRetried(t *testing.T) {
	src := days(t)
	data := t.TempDir()
	for _, name := range []string{"2024-08-01.csv", "2024-08-02.csv", "2024-08-05.csv"} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(data, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m := sweep.Manifest{
		Inputs: []sweep.Input{{Data: filepath.Join(data, "*.csv"), Symbols: []string{"SIMX", "SIMX3"}}},
		Args:   []string{"-lambda-under", "0.01", "-lambda-over", "0.01", "-theta-queue", "0.01"},
	}
	p := plan(t, m)
	whole := t.TempDir()
	runAll(t, p, sweep.Options{Dir: whole})
	want, _ := merged(t, whole)

	// Break one price of SIMX3 on the second day, keeping the size.
	bad := filepath.Join(data, "2024-08-02.csv")
	good, _ := os.ReadFile(bad)
	lines := strings.Split(string(good), "\n")
	line := slices.IndexFunc(lines, func(l string) bool { return strings.HasSuffix(l, ",SIMX3") })
	fields := strings.Split(lines[line], ",")
	fields[14] = strings.Repeat("x", len(fields[14])) // ask_px_00
	lines[line] = strings.Join(fields, ",")
	if err := os.WriteFile(bad, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	rep, err := p.Run(sweep.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	// A bad row stops every task that reads the file (the scan checks every
	// row), here both of the second day; the other days complete.
	wantErr := fmt.Sprintf("%s:%d:15 (ask_px_00): invalid number: %q", bad, line+1, fields[14])
	wantFail := []sweep.Failure{{Task: sweep.Task{File: bad, Symbol: "SIMX"}, Err: wantErr}, {Task: sweep.Task{File: bad, Symbol: "SIMX3"}, Err: wantErr}}
	if rep.Ran != 6 || !slices.Equal(rep.Failures, wantFail) {
		t.Fatalf("report %+v, want the two tasks of %s failed: %s", rep, bad, wantErr)
	}
	mrep, err := sweep.Merge(dir)
	if err != nil {
		t.Fatal(err)
	}
	if mrep.Tasks != 6 || !slices.Equal(mrep.Failures, wantFail) || mrep.Rows != 4*4 {
		t.Errorf("merge report %+v", mrep)
	}

	if err := os.WriteFile(bad, good, 0o644); err != nil {
		t.Fatal(err)
	}
	rep = runAll(t, p, sweep.Options{Dir: dir})
	if rep.Ran != 2 || rep.Skipped != 4 {
		t.Errorf("the retry ran %d and skipped %d, want 2 and 4", rep.Ran, rep.Skipped)
	}
	if got, _ := merged(t, dir); !bytes.Equal(got, want) {
		t.Error("after the retry the table differs from a sweep that never failed")
	}
	errs, _ := filepath.Glob(filepath.Join(dir, "tasks", "*.error.json"))
	if len(errs) != 0 {
		t.Errorf("error files left after the retry: %v", errs)
	}
}

// A census that fails (a file that cannot be read) is a failure too; the
// other files' tasks complete.
func TestAFailingCensusIsRecorded(t *testing.T) {
	src := days(t)
	data := t.TempDir()
	b, err := os.ReadFile(filepath.Join(src, "2024-08-01.csv"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(data, "a.csv"), b, 0o644)
	os.WriteFile(filepath.Join(data, "b.csv"), []byte("not,a,databento,file\n1,2,3,4\n"), 0o644)
	p := plan(t, sweep.Manifest{Inputs: []sweep.Input{{Data: filepath.Join(data, "*.csv"), AllInstruments: true}}})
	dir := t.TempDir()
	rep, err := p.Run(sweep.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Tasks != 3 || rep.Ran != 3 || len(rep.Failures) != 1 || !rep.Failures[0].Census || !strings.Contains(rep.Failures[0].Err, "missing required column") {
		t.Fatalf("report %+v", rep)
	}
	mrep, err := sweep.Merge(dir)
	if err != nil || len(mrep.Failures) != 1 || mrep.Rows != 3*27*4 {
		t.Errorf("merge: %+v, %v", mrep, err)
	}
}

// A folder is tied to one plan: a run of another plan is refused before
// anything runs, and so is a merge that finds a result of another plan.
func TestPlansAreNeverMixed(t *testing.T) {
	m := manifest(t)
	p := plan(t, m)
	dir := t.TempDir()
	runAll(t, p, sweep.Options{Dir: dir, Shard: 0, Of: 5})

	m2 := m
	m2.Args = append(slices.Clone(m.Args), "-order-size", "1000")
	p2 := plan(t, m2)
	if p2.Hash == p.Hash {
		t.Fatal("another order size, the same hash")
	}
	_, err := p2.Run(sweep.Options{Dir: dir})
	if !errors.Is(err, sweep.ErrOtherPlan) || !strings.Contains(err.Error(), p.Hash[:12]) {
		t.Errorf("a run of another plan: %v", err)
	}
	other := t.TempDir()
	runAll(t, p2, sweep.Options{Dir: other, Shard: 1, Of: 5})
	runAll(t, p, sweep.Options{Dir: dir})
	stray, _ := filepath.Glob(filepath.Join(other, "tasks", "*.json"))
	b, _ := os.ReadFile(stray[0])
	os.WriteFile(filepath.Join(dir, "tasks", "copied.json"), b, 0o644)
	if _, err := sweep.Merge(dir); !errors.Is(err, sweep.ErrOtherPlan) || !strings.Contains(err.Error(), "copied.json") {
		t.Errorf("a merge with another plan's result: %v", err)
	}
	os.Remove(filepath.Join(dir, "tasks", "copied.json"))
	if _, err := sweep.Merge(dir); err != nil {
		t.Errorf("once the stray file is gone: %v", err)
	}
	// An edited sweep.json is refused.
	sj := filepath.Join(dir, "sweep.json")
	b, _ = os.ReadFile(sj)
	os.WriteFile(sj, bytes.Replace(b, []byte("2000"), []byte("3000"), 1), 0o644)
	if _, err := sweep.Merge(dir); err == nil || !strings.Contains(err.Error(), "the file was edited") {
		t.Errorf("an edited sweep.json: %v", err)
	}
}

// The table's values on a file worked out by hand (the backtest's
// testdata/market.csv, order 5,000, venue 2 charging 0.01 a share): the
// router pays 50,050 (avg 10.01), Best Ask 50,080 (10.016), TWAP 50,052.50
// (10.0105), VWAP 50,093.63 (10.018726); savings are (baseline − 10.01) /
// baseline · 10⁴ bps.
func TestTableValuesByHand(t *testing.T) {
	p, err := sweep.NewPlan(sweep.Manifest{
		Inputs: []sweep.Input{{Data: "market.csv"}},
		Args:   []string{"-venues", "venues.csv", "-lambda-under", "0.1,0.01", "-lambda-over", "0.05", "-theta-queue", "0.001"},
	}, "testdata")
	if err != nil {
		t.Fatal(err)
	}
	if p.Files[0].Path != filepath.Join("testdata", "market.csv") || !slices.Contains(p.Args, "-venues=testdata/venues.csv") {
		t.Errorf("paths not taken from the manifest's folder: %+v %v", p.Files, p.Args)
	}
	dir := t.TempDir()
	runAll(t, p, sweep.Options{Dir: dir})
	rows, rep, err := sweep.Collect(dir)
	if err != nil || rep.Tasks != 1 || len(rows) != 8 {
		t.Fatalf("%d rows, %+v, %v", len(rows), rep, err)
	}
	csv, _ := merged(t, dir)
	lines := strings.Split(strings.TrimSuffix(string(csv), "\n"), "\n")
	if lines[0] != strings.Join(sweep.Columns(), ",") {
		t.Errorf("header %s", lines[0])
	}
	// The file has no instrument_id column: the id is null (an empty field).
	prefix := p.Hash + ",testdata/market.csv,,,2024-08-01,,,2024-08-01T13:36:31Z,2024-08-01T13:39:59Z,5,5000,"
	// Savings are exact, (b - 10.01)/b * 1e4, as a float64.
	bps := func(b string) string {
		r, _ := new(big.Rat).SetString(b)
		r.Quo(new(big.Rat).Sub(r, big.NewRat(1001, 100)), r).Mul(r, big.NewRat(10000, 1))
		f, _ := r.Float64()
		return fmt.Sprint(f)
	}
	want := []string{
		"0,0.01,0.05,0.001,true,router,5000,0,50050,10.01,,,,,",
		"0,0.01,0.05,0.001,true,best_ask,5000,0,50080,10.016," + bps("10.016") + ",,,,",
		"0,0.01,0.05,0.001,true,twap,5000,0,50052.5,10.0105," + bps("10.0105") + ",,,,",
		"0,0.01,0.05,0.001,true,vwap,5000,0,50093.63,10.018726," + bps("10.018726") + ",,,,",
		"1,0.1,0.05,0.001,false,router,5000,0,50050,10.01,,,,,",
	}
	for i, w := range want {
		if lines[1+i] != prefix+w {
			t.Errorf("line %d:\n got  %s\n want %s", i+2, lines[1+i], prefix+w)
		}
	}
	back, err := sweep.ReadParquet(filepath.Join(dir, "results.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(rows) {
		t.Fatalf("parquet: %d rows, want %d", len(back), len(rows))
	}
	for i := range rows {
		if fmt.Sprint(deref(back[i])) != fmt.Sprint(deref(rows[i])) {
			t.Errorf("parquet row %d:\n got  %v\n want %v", i, deref(back[i]), deref(rows[i]))
		}
	}
	if rows[1].TotalCash != sweep.CashOf(50080*sor.Dollar) || rows[1].FirstSnapshot.UnixNano() != time.Date(2024, 8, 1, 13, 36, 31, 0, time.UTC).UnixNano() {
		t.Errorf("row 1: %+v", rows[1])
	}
}

// deref shows a row's pointers as values.
func deref(r sweep.Row) []any {
	out := []any{r.Manifest, r.File}
	if r.InstrumentID == nil {
		out = append(out, nil)
	} else {
		out = append(out, *r.InstrumentID)
	}
	out = append(out, r.Symbol)
	if r.Date == nil {
		out = append(out, nil)
	} else {
		out = append(out, *r.Date)
	}
	out = append(out, r.Setting, r.SettingArgs)
	for _, t := range []*time.Time{r.FirstSnapshot, r.LastSnapshot} {
		if t == nil {
			out = append(out, nil)
		} else {
			out = append(out, t.UTC().Format(time.RFC3339Nano))
		}
	}
	out = append(out, r.Snapshots, r.OrderSize, r.GridPoint, r.LambdaUnder, r.LambdaOver, r.ThetaQueue, r.Best, r.Strategy, r.FilledShares, r.UnfilledShares, r.TotalCash)
	for _, f := range []*float64{r.AvgFillPx, r.SavingsBps, r.ReplayCost, r.ReplayCostLow, r.ReplayCostHigh, r.ReplayFillRate} {
		if f == nil {
			out = append(out, nil)
		} else {
			out = append(out, *f)
		}
	}
	return out
}

// With replay flags, each task also runs the replay; its statistics fill
// the replay columns of the best grid point's rows, and only those.
func TestReplayColumns(t *testing.T) {
	p, err := sweep.NewPlan(sweep.Manifest{
		Inputs: []sweep.Input{{Data: "market.csv"}},
		Args:   []string{"-venues", "venues.csv", "-fill", "risk-averse", "-latency", "1ms", "-seeds", "2", "-lambda-under", "0.01,0.1", "-lambda-over", "0.05", "-theta-queue", "0.001"},
	}, "testdata")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	runAll(t, p, sweep.Options{Dir: dir})
	rows, _, err := sweep.Collect(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		has := r.ReplayCost != nil && r.ReplayCostLow != nil && r.ReplayCostHigh != nil && r.ReplayFillRate != nil
		if has != r.Best {
			t.Errorf("grid point %d %s: replay columns %v", r.GridPoint, r.Strategy, has)
		}
		if has && (*r.ReplayFillRate != 1 || *r.ReplayCostLow > *r.ReplayCost || *r.ReplayCost > *r.ReplayCostHigh || math.Abs(*r.ReplayCost-10.01) > 0.02) {
			t.Errorf("%s: replay %v [%v, %v], fill rate %v", r.Strategy, *r.ReplayCost, *r.ReplayCostLow, *r.ReplayCostHigh, *r.ReplayFillRate)
		}
	}
}

// Manifests and options are checked before any data is read, each mistake
// with its own message.
func TestBadManifests(t *testing.T) {
	dir := days(t)
	good := filepath.Join(dir, "2024-08-01.csv")
	for _, c := range []struct {
		m    sweep.Manifest
		want string
	}{
		{sweep.Manifest{}, "no inputs: give at least one data file or glob"},
		{sweep.Manifest{Inputs: []sweep.Input{{Data: filepath.Join(dir, "*.nothing")}}}, "input 1: no file matches " + filepath.Join(dir, "*.nothing")},
		{sweep.Manifest{Inputs: []sweep.Input{{Data: "[x"}}}, `input 1: "[x": syntax error in pattern`},
		{sweep.Manifest{Inputs: []sweep.Input{{Data: filepath.Join(dir, "spl*")}}}, "input 1: " + filepath.Join(dir, "split") + " is a folder, not a data file"},
		{sweep.Manifest{Inputs: []sweep.Input{{Data: good}, {Data: filepath.Join(dir, "*-01.csv")}}}, good + " is in inputs 1 and 2: give each file once"},
		{sweep.Manifest{Inputs: []sweep.Input{{Data: good, AllInstruments: true, Symbols: []string{"A"}}}}, "input 1 (" + good + "): give one of all_instruments, symbols and instrument_ids"},
		{sweep.Manifest{Inputs: []sweep.Input{{Data: good, Symbols: []string{""}}}}, "input 1 (" + good + "): an empty symbol"},
		{sweep.Manifest{Inputs: []sweep.Input{{}}}, "input 1 (): data is empty"},
		{sweep.Manifest{Inputs: []sweep.Input{{Data: good}}, Args: []string{"-symbol", "SIMX"}}, "args: -symbol: choose instruments per input (symbols, instrument_ids, all_instruments)"},
		{sweep.Manifest{Inputs: []sweep.Input{{Data: good}}, Args: []string{"-markets", "3"}}, "args: -markets compares simulated markets, not the sweep's data: run it once with the backtest command"},
		{sweep.Manifest{Inputs: []sweep.Input{{Data: good}}, Args: []string{"-order-size", "150"}}, "args: order size must be a positive multiple of 100, got 150"},
		{sweep.Manifest{Inputs: []sweep.Input{{Data: good}}, Args: []string{"-nope"}}, "args: flag provided but not defined: -nope"},
		{sweep.Manifest{Inputs: []sweep.Input{{Data: good}}, Args: []string{"extra"}}, `args: unexpected argument "extra"`},
		{sweep.Manifest{Inputs: []sweep.Input{{Data: good}}, Args: []string{"-venues", filepath.Join(dir, "none.csv")}}, "args: open " + filepath.Join(dir, "none.csv") + ": no such file or directory"},
		{sweep.Manifest{Inputs: []sweep.Input{{Data: good}}, Settings: []sweep.Setting{{Args: []string{"-order-size", "100"}}}}, "settings 1: no name"},
		{sweep.Manifest{Inputs: []sweep.Input{{Data: good}}, Settings: []sweep.Setting{{Name: "a", Args: []string{"-order-size", "100"}}, {Name: "a", Args: []string{"-fill", "queue"}}}}, "settings 2 (a): the name is given twice"},
		{sweep.Manifest{Inputs: []sweep.Input{{Data: good}}, Settings: []sweep.Setting{{Name: "a"}}}, "settings 1 (a): no args: a setting sets at least one flag"},
		{sweep.Manifest{Inputs: []sweep.Input{{Data: good}}, Settings: []sweep.Setting{{Name: "a", Args: []string{"-symbol", "SIMX"}}}}, "settings 1 (a): -symbol: choose instruments per input (symbols, instrument_ids, all_instruments)"},
		{sweep.Manifest{Inputs: []sweep.Input{{Data: good}}, Settings: []sweep.Setting{{Name: "a", Args: []string{"-order-size", "100"}}, {Name: "b", Args: []string{"-order-size", "150"}}}}, "settings 2 (b): order size must be a positive multiple of 100, got 150"},
		// A flag that only makes sense with the manifest's args is checked
		// with them.
		{sweep.Manifest{Inputs: []sweep.Input{{Data: good}}, Settings: []sweep.Setting{{Name: "a", Args: []string{"-seeds", "3"}}}}, "settings 1 (a): -seeds applies only to a replay: add -fill, -latency, -feed-delay, -router ck, -markets or -experiment"},
	} {
		if _, err := sweep.NewPlan(c.m, ""); err == nil || err.Error() != c.want {
			t.Errorf("%+v:\n got  %v\n want %s", c.m, err, c.want)
		}
	}
	for _, c := range []struct {
		o    sweep.Options
		want string
	}{
		{sweep.Options{}, "no results folder"},
		{sweep.Options{Dir: "x", Shard: 3, Of: 3}, "shard 3 is not in 0..2"},
		{sweep.Options{Dir: "x", Shard: -1}, "shard -1 is not in 0..0"},
		{sweep.Options{Dir: "x", Of: -2}, "the number of shards must be between 1 and 1000000, got -2"},
		{sweep.Options{Dir: "x", Workers: -1}, "workers must be between 1 and 1024, got -1"},
	} {
		if err := c.o.Check(); err == nil || err.Error() != c.want {
			t.Errorf("%+v: got %v, want %s", c.o, err, c.want)
		}
	}
}

// A manifest file: unknown fields are refused with their line and column.
func TestReadManifest(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.json")
	os.WriteFile(path, []byte("{\n  \"inputs\": [{\"data\": \"*.csv\", \"all_instruments\": true}],\n  \"args\": [\"-order-size\", \"1000\"]\n}\n"), 0o644)
	m, err := sweep.ReadManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Inputs) != 1 || !m.Inputs[0].AllInstruments || !slices.Equal(m.Args, []string{"-order-size", "1000"}) {
		t.Errorf("manifest %+v", m)
	}
	// The place is the key's, not that of the same word as a value before.
	os.WriteFile(path, []byte("{\n  \"inputs\": [{\"data\": \"symbol\", \"symbol\": \"X\"}]\n}\n"), 0o644)
	if _, err := sweep.ReadManifest(path); err == nil || err.Error() != path+`: line 2, column 33: json: unknown field "symbol"` {
		t.Errorf("unknown field: %v", err)
	}
	os.WriteFile(path, []byte("{\n  \"inputs\": [{\"data\": 3}]\n}\n"), 0o644)
	if _, err := sweep.ReadManifest(path); err == nil || !strings.HasPrefix(err.Error(), path+": line 2, column 24: json: cannot unmarshal number") {
		t.Errorf("a number for a string: %v", err)
	}
	// Endless or huge: refused after MaxManifest bytes, not read whole.
	if err := os.Truncate(path, 1<<30); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, "/dev/zero"} {
		if _, err := sweep.ReadManifest(p); err == nil || err.Error() != p+": larger than 16 MiB: not a sweep manifest" {
			t.Errorf("%s: %v", p, err)
		}
	}
}

// Task names are stable (they name files that a resumed run looks for) and
// tell apart files of the same name in different folders.
func TestTaskNames(t *testing.T) {
	for _, c := range []struct {
		t    sweep.Task
		want string
	}{
		{sweep.Task{File: "/data/2024-08-01.csv"}, "2024-08-01.csv.only."},
		{sweep.Task{File: "/data/2024-08-01.csv", ByID: true, InstrumentID: 38, Symbol: "AAPL"}, "2024-08-01.csv.id38."},
		{sweep.Task{File: "/data/x y/.hidden", Symbol: "BRK.B/1"}, "_hidden.sym-BRK.B_1."},
	} {
		if got := c.t.Name(); !strings.HasPrefix(got, c.want) || len(got) != len(c.want)+12 {
			t.Errorf("%+v: %s, want %s + 12 hex digits", c.t, got, c.want)
		}
	}
	a, b := sweep.Task{File: "/a/d.csv"}, sweep.Task{File: "/b/d.csv"}
	if a.Name() == b.Name() {
		t.Error("two folders, one name")
	}
	if got := (sweep.Task{File: "/data/d.csv", Symbol: "X"}).Name(); got != "d.csv.sym-X.084a92c9df03" {
		t.Errorf("name %s changed: resumed runs would redo every task", got)
	}
}
