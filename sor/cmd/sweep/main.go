// Command sweep runs the exercise over many data files and instruments —
// days, symbols, settings — in parallel, resumably and in independent
// shards, and merges the results into one table (package
// github.com/sorlab/sorlab/sor/sweep describes the tasks, the folder and the
// table).
//
// Usage:
//
//	sweep -data 'GLOB' -out DIR [-all-instruments | -symbol S | -instrument ID] [-shard I -of N] [-workers W] [backtest flags]
//	sweep -manifest FILE -out DIR [-shard I -of N] [-workers W]
//	sweep merge DIR
//
// The backtest flags (-order-size, -lambda-under, -venues, -start, -fill,
// ...) set every task; a manifest gives them as its "args", with its inputs.
// Every flag, the manifest and the venue table are checked before any data
// is read. Progress goes to standard error: a bar with an ETA on a terminal,
// a line every -progress-every otherwise (and at the end).
//
// Exit status: 0 when every task of the shard (or, for merge, of the sweep)
// has a result; 2 for bad flags, a bad manifest, a folder holding another
// plan's results, or a merge of a folder that holds no sweep, with one line
// on standard error and nothing run;
// 1 when the sweep cannot go on (a result cannot be written) or a merge
// finds tasks not run yet; 10 + k when k tasks failed (110 for 100 or more):
// their errors are in DIR/tasks/*.error.json and on standard error, the other
// tasks completed, and a new run retries them.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/sorlab/sorlab/sor/internal/runflags"
	"github.com/sorlab/sorlab/sor/sweep"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is bad input: exit status 2.
type usageError struct{ error }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// failedTasks is the exit status for k failed tasks.
func failedTasks(k int) int { return 10 + min(k, 100) }

func run(args []string, stdout, stderr io.Writer) int {
	var err error
	code := 0
	if len(args) > 0 && args[0] == "merge" {
		code, err = merge(args[1:], stderr)
	} else {
		code, err = sweepRun(args, stderr)
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		fmt.Fprintln(stderr, "sweep:", oneLine(err))
		var ue usageError
		if errors.As(err, &ue) || errors.Is(err, sweep.ErrOtherPlan) || errors.Is(err, sweep.ErrNoSweep) {
			return 2
		}
		return 1
	}
	return code
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", " ") }

func sweepRun(args []string, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, on one line
	var (
		data     = fs.String("data", "", "data files: a file or a glob such as 'days/*.csv.zst' (quote it)")
		manifest = fs.String("manifest", "", "a JSON manifest of inputs and settings, instead of -data and the backtest flags")
		out      = fs.String("out", "", "results folder (created if missing); a re-run skips the tasks done")
		all      = fs.Bool("all-instruments", false, "run every instrument of each file, one by one")
		shard    = fs.Int("shard", 0, "run part I (0-based) of -of parts: the tasks at positions k with k mod N = I (a file run with -all-instruments is one position)")
		of       = fs.Int("of", 1, "number of parts the sweep is cut into")
		workers  = fs.Int("workers", 0, "tasks run at once (default: one per core)")
		every    = fs.Duration("progress-every", 10*time.Second, "when standard error is not a terminal, print progress this often")
		quiet    = fs.Bool("q", false, "print no progress, only failures and errors")
		flags    = runflags.Add(fs)
	)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "usage: sweep -data 'GLOB' -out DIR [flags] | sweep -manifest FILE -out DIR [flags] | sweep merge DIR")
			// -markets compares simulated markets, not a sweep's data:
			// the flag is shared with the backtest, refused by the plan
			// with that reason, and not offered here.
			shown := flag.NewFlagSet("sweep", flag.ContinueOnError)
			fs.VisitAll(func(f *flag.Flag) {
				if f.Name != "markets" {
					shown.Var(f.Value, f.Name, f.Usage)
				}
			})
			shown.SetOutput(stderr)
			shown.PrintDefaults()
			return 0, err
		}
		return 0, usageError{err}
	}
	if fs.NArg() > 0 {
		return 0, usagef("unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case *out == "":
		return 0, usagef("-out: name a results folder")
	case set["data"] == set["manifest"]:
		return 0, usagef("give -data or -manifest (one of them)")
	case set["data"] && *data == "":
		return 0, usagef("-data is empty (an unset shell variable?)")
	case set["manifest"] && *manifest == "":
		return 0, usagef("-manifest is empty")
	case set["manifest"] && len(flags.Args()) > 0:
		return 0, usagef("%s: with -manifest, settings come from its args", flags.Args()[0])
	case set["manifest"] && *all:
		return 0, usagef("-all-instruments: with -manifest, instruments come from its inputs")
	case *all && (set["symbol"] || set["instrument"]):
		return 0, usagef("-all-instruments runs every instrument: not with -symbol or -instrument")
	case *every <= 0:
		return 0, usagef("-progress-every must be positive, got %v", *every)
	}
	opts := sweep.Options{Dir: *out, Shard: *shard, Of: *of, Workers: *workers}
	if err := opts.Check(); err != nil {
		return 0, usageError{err}
	}

	// The plan: files found, flags checked, venue table read, no data.
	var (
		m   sweep.Manifest
		dir string
	)
	if set["manifest"] {
		var err error
		if m, err = sweep.ReadManifest(*manifest); err != nil {
			return 0, usageError{err}
		}
		dir = filepath.Dir(*manifest)
	} else {
		r, err := flags.Run()
		if err != nil {
			return 0, usageError{err}
		}
		in := sweep.Input{Data: *data, AllInstruments: *all}
		switch {
		case r.Source.ByID:
			in.InstrumentIDs = []uint32{r.Source.InstrumentID}
		case r.Source.Symbol != "":
			in.Symbols = []string{r.Source.Symbol}
		}
		m = sweep.Manifest{Inputs: []sweep.Input{in}}
		for _, a := range flags.Args() {
			if !strings.HasPrefix(a, "-symbol=") && !strings.HasPrefix(a, "-instrument=") {
				m.Args = append(m.Args, a)
			}
		}
	}
	plan, err := sweep.NewPlan(m, dir)
	if err != nil {
		return 0, usageError{err}
	}

	began := time.Now()
	pr := newReporter(stderr, isTerminal(stderr), *every, *quiet)
	opts.Progress = pr.update
	rep, err := plan.Run(opts)
	pr.finish()
	if err != nil {
		return 0, err
	}
	for _, w := range rep.Warnings {
		fmt.Fprintln(stderr, "sweep: warning:", w)
	}
	for _, f := range rep.Failures {
		fmt.Fprintln(stderr, "sweep: failed:", firstLine(f.String()))
	}
	if !*quiet || len(rep.Failures) > 0 {
		el := time.Since(began)
		fmt.Fprintf(stderr, "sweep: shard %d of %d: %d tasks: %d run, %d done before, %d failed, in %v (%.1f tasks/s)\n",
			*shard, *of, rep.Tasks, rep.Ran, rep.Skipped, len(rep.Failures), el.Round(time.Millisecond), float64(rep.Ran)/el.Seconds())
	}
	if len(rep.Failures) > 0 {
		return failedTasks(len(rep.Failures)), nil
	}
	return 0, nil
}

func merge(args []string, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("sweep merge", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "usage: sweep merge DIR\n\nwrites DIR/results.csv and DIR/results.parquet (and, with -experiment placement,\nDIR/placement.csv and DIR/placement.parquet) from the results of a sweep into DIR")
			return 0, err
		}
		return 0, usageError{err}
	}
	if fs.NArg() != 1 {
		return 0, usagef("usage: sweep merge DIR")
	}
	dir := fs.Arg(0)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return 0, usagef("merge: %s is not a folder", dir)
	}
	rep, err := sweep.Merge(dir)
	if err != nil {
		return 0, err
	}
	for _, f := range rep.Failures {
		fmt.Fprintln(stderr, "sweep: merge: failed task, no rows:", firstLine(f.String()))
	}
	fmt.Fprintf(stderr, "sweep: merge: %d rows of %d tasks (%d failed) into %s\n", rep.Rows, rep.Tasks, len(rep.Failures), strings.Join(rep.Files, ", "))
	if len(rep.Failures) > 0 {
		return failedTasks(len(rep.Failures)), nil
	}
	return 0, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// reporter shows progress: a bar with an ETA on a terminal, plain lines
// every so often otherwise.
type reporter struct {
	w     io.Writer
	tty   bool
	quiet bool
	every time.Duration
	bar   *progressbar.ProgressBar
	stage string
	last  time.Time
}

// newReporter shows progress on w, as a bar when tty (w is a terminal).
func newReporter(w io.Writer, tty bool, every time.Duration, quiet bool) *reporter {
	return &reporter{w: w, tty: tty, quiet: quiet, every: every}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func (r *reporter) update(p sweep.Progress) {
	if r.quiet || p.Total == 0 {
		return
	}
	if p.Stage != r.stage {
		r.finish()
		r.stage, r.last = p.Stage, time.Now()
		if r.tty {
			r.bar = progressbar.NewOptions(p.Total,
				progressbar.OptionSetWriter(r.w),
				progressbar.OptionSetDescription(p.Stage),
				progressbar.OptionShowCount(),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionSetItsString("tasks"),
				progressbar.OptionShowIts(),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionOnCompletion(func() { fmt.Fprintln(r.w) }),
			)
		}
	}
	if r.bar != nil {
		r.bar.Set(p.Done)
		return
	}
	if p.Done == p.Total || time.Since(r.last) >= r.every {
		r.last = time.Now()
		line := fmt.Sprintf("sweep: %s %d/%d, %d failed", p.Stage, p.Done, p.Total, p.Failed)
		if p.Done > 0 && p.Elapsed > 0 {
			rate := float64(p.Done) / p.Elapsed.Seconds()
			eta := time.Duration(float64(p.Total-p.Done) / rate * float64(time.Second))
			line += fmt.Sprintf(", %.1f/s, ETA %v", rate, eta.Round(time.Second))
		}
		fmt.Fprintln(r.w, line)
	}
}

func (r *reporter) finish() {
	if r.bar != nil {
		r.bar.Finish()
		r.bar = nil
	}
}
