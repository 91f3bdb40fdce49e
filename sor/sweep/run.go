package sweep

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sorlab/sorlab/sor"
	// A sweep reads what Databento delivers: DBN and zstd as well as CSV.
	_ "github.com/sorlab/sorlab/sor/dbn"
	"github.com/sorlab/sorlab/sor/internal/runflags"
	_ "github.com/sorlab/sorlab/sor/zstd"
)

// ErrOtherPlan is wrapped by the error of a run or merge in a folder that
// holds the results of another plan.
var ErrOtherPlan = errors.New("results of another plan")

// Options say where and how a plan runs.
type Options struct {
	Dir string // the results folder; created if missing
	// Shard and Of pick part Shard (0-based) of Of parts; Of 0 means 1.
	Shard, Of int
	// Workers is how many tasks run at once; 0 means GOMAXPROCS. A task
	// keeps about one core busy: it plays the data on one goroutine while
	// blocks of CSV are parsed beside it, so one task per core fills the
	// machine, and more only add memory (tens of MB each).
	Workers int
	// Progress, if set, is called after each census and task, one call at
	// a time.
	Progress func(Progress)
}

// Progress counts a shard's work so far.
type Progress struct {
	Stage string // "census" while files are scanned for instruments, then "tasks"
	// Total is the number of censuses or tasks to run in this stage (not
	// those done before); Done counts those finished, Failed those that
	// failed among them.
	Total, Done, Failed int
	// Skipped is the number of tasks with a result already (resume).
	Skipped int
	Elapsed time.Duration // since the stage began
}

// Report says what a run did.
type Report struct {
	Tasks    int       // the shard's tasks, as far as known (not those of failed censuses)
	Ran      int       // tasks run now, failed or not
	Skipped  int       // tasks with a result before the run
	Failures []Failure // in task order: censuses, then tasks
	// Warnings are what the tasks run now found a user may not have meant
	// (the backtest's warnings: the shipped sample without its venue table,
	// a venue table that names none or only some of the data's
	// publishers), each once, in task order.
	Warnings []string
}

// Failure is a task, or a census of a file, that failed.
type Failure struct {
	Task   Task
	Census bool // the file could not be scanned for its instruments
	Err    string
}

func (f Failure) String() string {
	if f.Census {
		return f.Task.File + ": census: " + f.Err
	}
	return f.Task.String() + ": " + f.Err
}

// Check refuses options a run cannot use.
func (o Options) Check() error {
	of := max(o.Of, 1)
	switch {
	case o.Dir == "":
		return errors.New("no results folder")
	case o.Of < 0 || o.Of > 1_000_000:
		return fmt.Errorf("the number of shards must be between 1 and 1000000, got %d", o.Of)
	case o.Shard < 0 || o.Shard >= of:
		return fmt.Errorf("shard %d is not in 0..%d", o.Shard, of-1)
	case o.Workers < 0 || o.Workers > 1024:
		return fmt.Errorf("workers must be between 1 and 1024, got %d", o.Workers)
	}
	return nil
}

// Prepare creates the results folder and records the plan in sweep.json,
// or checks that the one recorded there is this one.
func (p *Plan) Prepare(dir string) error {
	for _, d := range []string{dir, filepath.Join(dir, "tasks"), filepath.Join(dir, "census")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	path := filepath.Join(dir, "sweep.json")
	// Shards start together: each links a complete file of its own into
	// place, which fails when one is there, so the first one's plan is the
	// folder's and no shard ever reads half a file.
	mine := filepath.Join(dir, fmt.Sprintf(".sweep.json.%d-%d", os.Getpid(), time.Now().UnixNano()))
	if err := sor.WriteOwnedBytes(mine, p.JSON()); err != nil {
		return err
	}
	defer os.Remove(mine)
	if err := os.Link(mine, path); err != nil && !errors.Is(err, iofs.ErrExist) {
		return err
	}
	old, err := readPlan(dir)
	if err != nil {
		return err
	}
	if old.Hash != p.Hash {
		return fmt.Errorf("%s holds the %w %s (this one is %s): use another folder", dir, ErrOtherPlan, short(old.Hash), short(p.Hash))
	}
	return nil
}

func short(hash string) string { return hash[:min(len(hash), 12)] }

// readPlan reads sweep.json and checks its hash.
func readPlan(dir string) (*Plan, error) {
	path := filepath.Join(dir, "sweep.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", path, jsonError(b, err))
	}
	want := p.Hash
	p.Hash = ""
	raw, err := json.Marshal(&p)
	if err != nil {
		return nil, err
	}
	if got := hashOf(raw); got != want {
		return nil, fmt.Errorf("%s: its hash %s does not match its contents (%s): the file was edited", path, short(want), short(got))
	}
	p.Hash = want
	return &p, nil
}

// Run runs the plan's tasks of one shard into o.Dir, skipping those with a
// result. It returns an error only when it cannot run (bad options, a
// folder it cannot write, another plan's results); failed tasks are in the
// report.
func (p *Plan) Run(o Options) (*Report, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	workers := o.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if err := p.Prepare(o.Dir); err != nil {
		return nil, err
	}
	removeStaleTemps(o.Dir, time.Now().Add(-staleTemp))
	rep := &Report{}
	known, files := p.shard(o.Shard, max(o.Of, 1))

	// Census: files whose input asks for all instruments are scanned for
	// them once; the census is kept, so that a resumed run knows the tasks.
	lists := make([][]Task, len(files))
	var scan []int
	for i, f := range files {
		c, err := p.readCensus(o.Dir, f.Path)
		switch {
		case err == nil:
			lists[i] = p.fileTasks(f, c.Instruments)
		case errors.Is(err, iofs.ErrNotExist):
			scan = append(scan, i)
		default:
			return nil, err
		}
	}
	// The instruments a file holds do not depend on the setting.
	scanOpt := p.runs[p.settingNames()[0]].Source
	censusFails := make([]*Failure, len(files))
	prog := newProgress(o.Progress, "census", len(scan), 0)
	err := parallel(workers, len(scan), func(k int) error {
		f := files[scan[k]]
		ins, err := protect(func() ([]sor.Instrument, error) { return sor.ScanInstruments(f.Path, scanOpt) })
		name := filepath.Join(o.Dir, "census", censusName(f.Path))
		if err != nil {
			msg := errorText(f.Path, err)
			censusFails[scan[k]] = &Failure{Task: Task{File: f.Path}, Census: true, Err: msg}
			prog.step(true)
			return writeJSON(name+".error.json", failure{Manifest: p.Hash, Task: Task{File: f.Path}, Error: msg})
		}
		lists[scan[k]] = p.fileTasks(f, ins)
		prog.step(false)
		if err := writeJSON(name+".json", census{Manifest: p.Hash, File: f.Path, Instruments: ins}); err != nil {
			return err
		}
		return removeIfThere(name + ".error.json")
	})
	if err != nil {
		return nil, err
	}
	for _, f := range censusFails {
		if f != nil {
			rep.Failures = append(rep.Failures, *f)
		}
	}

	var todo []Task
	for _, ts := range append([][]Task{known}, lists...) {
		for _, t := range ts {
			rep.Tasks++
			if _, err := os.Stat(p.resultPath(o.Dir, t, false)); err == nil {
				rep.Skipped++
				continue
			}
			todo = append(todo, t)
		}
	}
	fails := make([]*Failure, len(todo))
	warns := make([][]string, len(todo))
	prog = newProgress(o.Progress, "tasks", len(todo), rep.Skipped)
	err = parallel(workers, len(todo), func(k int) error {
		t := todo[k]
		res, err := protect(func() (*Result, error) {
			res, w, err := p.runTask(t)
			warns[k] = w
			return res, err
		})
		if err != nil {
			msg := errorText(t.File, err)
			if errors.Is(err, sor.ErrInstruments) && !t.ByID && t.Symbol == "" {
				msg += ", or run every one in turn with -all-instruments (in a manifest: all_instruments, or symbols or instrument_ids)"
			}
			fails[k] = &Failure{Task: t, Err: msg}
			prog.step(true)
			return writeJSON(p.resultPath(o.Dir, t, true), failure{Manifest: p.Hash, Task: t, Error: msg})
		}
		if err := writeJSON(p.resultPath(o.Dir, t, false), res); err != nil {
			return err
		}
		prog.step(false)
		return removeIfThere(p.resultPath(o.Dir, t, true))
	})
	rep.Ran = len(todo)
	for _, ws := range warns {
		for _, w := range ws {
			if !slices.Contains(rep.Warnings, w) {
				rep.Warnings = append(rep.Warnings, w)
			}
		}
	}
	for _, f := range fails {
		if f != nil {
			rep.Failures = append(rep.Failures, *f)
		}
	}
	return rep, err
}

// errorText is a failure's error as recorded: without the data file's name
// in front, which the failure's task names already.
func errorText(file string, err error) string {
	if ie := (*sor.InstrumentsError)(nil); errors.As(err, &ie) {
		// In the sweep's words: its flags (and, in a manifest, symbols or
		// instrument_ids) choose an instrument.
		return strings.TrimPrefix(ie.Explain("-symbol", "-instrument"), file+": ")
	}
	return strings.TrimPrefix(err.Error(), file+": ")
}

// runTask runs one task: a scan and one pass of the exercise, and the
// replay when the flags ask for one. It also returns the backtest's
// warnings about the task's data and venue table.
func (p *Plan) runTask(t Task) (*Result, []string, error) {
	run, ok := p.runs[t.Setting]
	if !ok {
		return nil, nil, fmt.Errorf("no setting %q in the plan", t.Setting)
	}
	opt := run.Source
	// By id, the symbol the scan found with it (if any) picks the pair, so
	// that an id seen under two symbols makes two tasks that each open.
	opt.ByID, opt.InstrumentID, opt.Symbol = t.ByID, t.InstrumentID, t.Symbol
	src, err := sor.OpenSource(t.File, opt)
	if err != nil {
		return nil, nil, err
	}
	warnings := runflags.Warnings(t.File, run.VenuesPath, run.Config.Venues, src.Span().Publishers)
	o, err := sor.RunSource(src, run.Config)
	if err != nil {
		return nil, warnings, err
	}
	res := newResult(p.Hash, t, o)
	if run.Replay != nil {
		if run.Replay.Experiment == runflags.ExperimentPlacement {
			pr, err := run.Replay.RunPlacement(src, o.Grid[o.Best].Params)
			if err != nil {
				return nil, warnings, fmt.Errorf("placement experiment: %w", err)
			}
			res.Placement = pr.JSON()
			return res, warnings, nil
		}
		rr, err := run.Replay.Run(src, o.Grid[o.Best].Params)
		if err != nil {
			return nil, warnings, fmt.Errorf("replay: %w", err)
		}
		res.Replay = rr.JSON()
	}
	return res, warnings, nil
}

func (p *Plan) resultPath(dir string, t Task, failed bool) string {
	ext := ".json"
	if failed {
		ext = ".error.json"
	}
	return filepath.Join(dir, "tasks", t.Name()+ext)
}

func (p *Plan) readCensus(dir, path string) (*census, error) {
	name := filepath.Join(dir, "census", censusName(path)+".json")
	var c census
	if err := readJSON(name, &c); err != nil {
		return nil, err
	}
	if c.Manifest != p.Hash || c.File != path {
		return nil, fmt.Errorf("%s: the census of %s under plan %s, not of %s under %s: %w", name, c.File, short(c.Manifest), path, short(p.Hash), ErrOtherPlan)
	}
	return &c, nil
}

// protect runs f, turning a panic into an error, so that a bug met by one
// task is recorded as its failure and the others go on.
func protect[T any](f func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return f()
}

// parallel calls f(0..n-1) on up to workers goroutines and returns the
// first error (the others still finish; no new call starts after it).
func parallel(workers, n int, f func(int) error) error {
	var (
		mu    sync.Mutex
		next  int
		first error
		wg    sync.WaitGroup
	)
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				k := next
				next++
				stop := first != nil
				mu.Unlock()
				if stop || k >= n {
					return
				}
				if err := f(k); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// progress counts steps and reports them one at a time.
type progress struct {
	mu    sync.Mutex
	p     Progress
	began time.Time
	f     func(Progress)
}

func newProgress(f func(Progress), stage string, total, skipped int) *progress {
	pr := &progress{p: Progress{Stage: stage, Total: total, Skipped: skipped}, began: time.Now(), f: f}
	if f != nil {
		f(pr.p)
	}
	return pr
}

func (pr *progress) step(failed bool) {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	pr.p.Done++
	if failed {
		pr.p.Failed++
	}
	pr.p.Elapsed = time.Since(pr.began)
	if pr.f != nil {
		pr.f(pr.p)
	}
}

func hashOf(b []byte) string {
	return hashString(string(b))
}

// writeJSON writes a result, failure or census file. Each has one writer
// (the shard that runs its task or file), so the write takes no lock of
// the folder and does not list it: its cost does not grow with the
// results already there.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return sor.WriteOwnedBytes(path, append(b, '\n'))
}

// staleTemp is how old a temporary file in tasks/ or census/ must be for a
// run to remove it. A writer creates, writes (kilobytes), syncs and renames
// its temporary file in one go, so one untouched for this long belongs to a
// writer that was killed, whether it ran here or in another shard sharing
// the folder; younger ones may be a running shard's and are left (the
// merge ignores them).
const staleTemp = 10 * time.Minute

// removeStaleTemps removes the temporary files in the results folder last
// modified before the time given: once per run, not per write.
func removeStaleTemps(dir string, before time.Time) {
	for _, sub := range []string{"tasks", "census"} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			continue // the run will report a folder it cannot use
		}
		for _, e := range entries {
			if !sor.IsTempName(e.Name()) {
				continue
			}
			if info, err := e.Info(); err == nil && info.ModTime().Before(before) {
				os.Remove(filepath.Join(dir, sub, e.Name()))
			}
		}
	}
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", path, jsonError(b, err))
	}
	return nil
}

func removeIfThere(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, iofs.ErrNotExist) {
		return err
	}
	return nil
}
