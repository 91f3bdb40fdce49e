// Command simulate writes a synthetic multi-venue Level-1 market for one
// stock as Databento MBP-1 CSV (see package github.com/sorlab/sorlab/sor/sim).
//
// Usage:
//
//	go run ./sor/cmd/simulate [-seed N] [-duration D] [-start T] [-out FILE] [-venues-out FILE] [-mbo-out FILE]
//
// The defaults are the settings of the shipped sample, so
//
//	go run ./sor/cmd/simulate -out data/sample.csv.zst
//
// regenerates data/sample.csv.zst byte for byte. The output and the venue
// table are compressed by their extension: .csv plain, .csv.gz gzip,
// .csv.zst zstd; any other name is refused, and so is a -duration under a
// second (a shorter market may have no rows; a market that has none anyway
// is refused too, and nothing is written). "-" (the default) is plain CSV on
// standard output. -mbo-out also writes the same market order by order, as
// Databento MBO CSV (compressed by its extension too).
//
// -out, -venues-out and -mbo-out are one set, written with sor.WriteFiles:
// they must be distinct files in one existing folder (checked before
// anything is simulated), each is written to a temporary file first, and
// only when all are complete do they replace the old ones, one rename
// each. An error, SIGINT or SIGTERM leaves the old files as they were, so
// the folder never holds the market of one run beside the MBO of another;
// only kill -9 during the renames (milliseconds) can. With -out - the
// market streams to standard output once the files are written and before
// they replace the old ones.
//
// With -days N or -symbols K, -out names a folder (created if missing) that
// receives N trading days (weekdays from -start) of K symbols, each day of
// each symbol a run with its own seed (sim.WriteDays): one file a day,
// 2006-01-02.csv.zst, holding every symbol, or with -split-symbols one a day
// and symbol, 2006-01-02.SIMX.csv.zst; -ext picks the compression;
// -venues-out, in an existing folder or in -out, writes the venue table
// first. Each file is written atomically, one after the other: an
// interrupted run leaves the files it finished, each whole, and nothing of
// the one it was writing; running it again rewrites them all with the same
// bytes. On error the command prints one line on standard error and exits
// with status 2.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/cmd/internal/interrupt"
	"github.com/sorlab/sorlab/sor/cmd/internal/outpath"
	"github.com/sorlab/sorlab/sor/sim"
)

// interrupts is replaced by main with a Guard that catches SIGINT and
// SIGTERM; tests that call run directly catch nothing.
var interrupts = &interrupt.Guard{}

func main() {
	interrupts = interrupt.Handle()
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "simulate:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported in one line by main
	seed := fs.Uint64("seed", sim.DefaultSeed, "random seed; the same seed and flags give the same bytes")
	duration := fs.Duration("duration", sim.DefaultDuration, "simulated time span")
	start := fs.String("start", sim.DefaultStart.Format(time.RFC3339Nano), "start time, RFC 3339")
	out := fs.String("out", "-", "output file (.csv, .csv.gz or .csv.zst), or - for CSV on standard output")
	venuesOut := fs.String("venues-out", "", "also write the venue table (publisher_id,name,fee,rebate) to this file (.csv, .csv.gz or .csv.zst)")
	venueCount := fs.Int("venue-count", len(sim.DefaultParams().Venues), "number of venues; beyond the sample's six, made-up venues (publisher ids 101, 102, ...) repeat their profiles")
	mboOut := fs.String("mbo-out", "", "also write the same market as Databento MBO CSV, order by order, to this file (.csv, .csv.gz or .csv.zst)")
	quiet := fs.Bool("q", false, "do not print a summary on standard error")
	days := fs.Int("days", 1, "with -days or -symbols, write this many trading days (weekdays from -start) into the folder -out")
	symbols := fs.Int("symbols", 1, "with -days or -symbols, write this many symbols (SIMX, SIMX2, ...; instrument ids 4242, 4243, ...) each day")
	split := fs.Bool("split-symbols", false, "with -days or -symbols, one file a day and symbol instead of one a day")
	ext := fs.String("ext", ".csv.zst", "with -days or -symbols, the files' extension: .csv, .csv.gz or .csv.zst")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "usage: simulate [flags]\n\nWrites a simulated multi-venue MBP-1 market as Databento CSV.\n\n")
			fs.SetOutput(stderr)
			fs.PrintDefaults()
			return err
		}
		return errors.New(firstLine(err.Error()))
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	p, err := sim.DefaultParams().WithVenues(*venueCount)
	if err != nil {
		return fmt.Errorf("-venue-count: %w", err)
	}
	t, err := time.Parse(time.RFC3339Nano, *start)
	if err != nil {
		return fmt.Errorf("-start: %q is not an RFC 3339 time", *start)
	}
	if t.Before(time.Unix(0, 0)) || t.Year() > 2200 {
		return fmt.Errorf("-start: %s is out of range (1970..2200)", *start)
	}
	p.Start = t.UTC()
	if *duration < minDuration {
		return fmt.Errorf("-duration must be at least %v, got %v: a shorter market may have no rows", minDuration, *duration)
	}
	p.Duration = *duration
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var venues *outpath.Flag
	if set["venues-out"] {
		venues = &outpath.Flag{Name: "-venues-out", Path: *venuesOut}
	}
	if set["days"] || set["symbols"] {
		return writeDays(stderr, p, *seed, *out, *ext, *days, *symbols, *split, *quiet, set["mbo-out"], venues)
	}
	for _, name := range []string{"split-symbols", "ext"} {
		if set[name] {
			return fmt.Errorf("-%s applies with -days or -symbols", name)
		}
	}
	var outs []outpath.Flag
	if *out != "-" {
		outs = append(outs, outpath.Flag{Name: "-out", Path: *out})
	}
	if venues != nil {
		outs = append(outs, *venues)
	}
	if set["mbo-out"] {
		outs = append(outs, outpath.Flag{Name: "-mbo-out", Path: *mboOut})
	}
	if err := checkOutputs(outs); err != nil {
		return err
	}

	began := time.Now()
	var st sim.Stats
	market := func(w io.Writer, encode func(io.Writer) (sim.Stats, error)) (err error) {
		if st, err = encode(w); err == nil && st.Rows == 0 {
			err = fmt.Errorf("the simulated market has no rows in %v: nothing written", p.Duration)
		}
		return err
	}
	// One set, in one folder (sor.WriteFiles): the market, the venue table
	// and the MBO are replaced together or not at all.
	var files []sor.File
	for _, o := range outs {
		path := o.Path
		f := sor.File{Path: path}
		switch o.Name {
		case "-out":
			f.Write = func(w io.Writer) error {
				return market(w, func(w io.Writer) (sim.Stats, error) { return sim.Encode(w, path, p, *seed) })
			}
		case "-venues-out":
			f.Write = func(w io.Writer) error { return sim.EncodeVenues(w, path, p.Venues) }
		case "-mbo-out":
			// The run is deterministic: a second one gives the same market.
			f.Write = func(w io.Writer) error {
				_, err := sim.EncodeMBO(w, path, p, *seed)
				return err
			}
		}
		files = append(files, f)
	}
	err = interrupts.Write(func(ctx context.Context) error {
		var toStdout func() error
		if *out == "-" {
			// Once the files are written and before they replace the old
			// ones: if standard output fails, the old files stay.
			toStdout = func() error {
				bw := bufio.NewWriterSize(sor.ContextWriter(ctx, stdout), 1<<20)
				return market(bw, func(w io.Writer) (sim.Stats, error) {
					st, err := sim.Generate(w, p, *seed)
					if err == nil {
						err = bw.Flush()
					}
					return st, err
				})
			}
		}
		if len(files) == 0 {
			return toStdout()
		}
		return sor.WriteFiles(ctx, toStdout, files...)
	})
	if err != nil {
		return err
	}
	if !*quiet {
		el := time.Since(began)
		fmt.Fprintf(stderr, "simulate: %d rows (%d events) over %v on %d venues, seed %d, in %v (%.2fM rows/s)\n",
			st.Rows, st.Events, p.Duration, len(p.Venues), *seed, el.Round(time.Millisecond), float64(st.Rows)/el.Seconds()/1e6)
	}
	return nil
}

// dataExt reports whether path ends like a data file: .csv, .csv.gz,
// .csv.zst, .dbn or .dbn.zst.
func dataExt(path string) bool {
	for _, ext := range []string{".csv", ".csv.gz", ".csv.zst", ".dbn", ".dbn.zst"} {
		if strings.HasSuffix(strings.ToLower(path), ext) {
			return true
		}
	}
	return false
}

// minDuration is the shortest -duration: at the sample's rates a second
// holds some 300 rows, while 10 ms can hold none (a header-only file, of no
// use). A variable only so that a test can reach the check on the rows.
var minDuration = time.Second

// checkOutputs checks the files of one market before anything is
// simulated: known extensions, existing folders, no file named twice, and
// one folder for all (they are written as one set), whose name each path
// is then given as the first spells it.
func checkOutputs(outs []outpath.Flag) error {
	for _, o := range outs {
		if err := outpath.File(o.Name, o.Path); err != nil {
			return err
		}
		if err := sim.CheckName(o.Path); err != nil {
			return fmt.Errorf("%s: %w", o.Name, err)
		}
	}
	if err := outpath.Distinct(outs...); err != nil {
		return err
	}
	for i := range outs {
		if !outpath.SameFolder(outs[0].Path, outs[i].Path) {
			return fmt.Errorf("%s %s is not in the folder of %s %s: the files are written as one set, into one folder", outs[i].Name, outs[i].Path, outs[0].Name, outs[0].Path)
		}
		outs[i].Path = filepath.Join(filepath.Dir(outs[0].Path), filepath.Base(outs[i].Path))
	}
	return nil
}

// writeDays writes many days and symbols into the folder out, and the venue
// table when venues is not nil.
func writeDays(stderr io.Writer, p sim.Params, seed uint64, out, ext string, days, symbols int, split, quiet, mbo bool, venues *outpath.Flag) error {
	switch {
	case out == "-":
		return errors.New("-out: with -days or -symbols, name a folder")
	case out == "":
		return errors.New("-out is empty (an unset shell variable?)")
	case mbo:
		return errors.New("-mbo-out writes one market: not with -days or -symbols")
	}
	// A file name here is a slip for the one-file form: refuse it rather
	// than make a folder called days.csv.
	if info, err := os.Stat(out); (err != nil || !info.IsDir()) && dataExt(out) {
		return fmt.Errorf("-out %s: with -days or -symbols, -out is a folder that receives a file per day (the files' extension is -ext): name a folder, not a file", out)
	}
	if venues != nil {
		// The venue table may go into the folder of the days, made below.
		if venues.Path == "" || !outpath.SameFolder(venues.Path, filepath.Join(out, "x")) {
			if err := outpath.File(venues.Name, venues.Path); err != nil {
				return err
			}
		}
		if err := sim.CheckName(venues.Path); err != nil {
			return fmt.Errorf("%s: %w", venues.Name, err)
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("-out: %w", err)
	}
	began := time.Now()
	var (
		paths []string
		st    sim.Stats
	)
	err := interrupts.Write(func(ctx context.Context) (err error) {
		if venues != nil {
			if err := sim.WriteVenuesFile(ctx, venues.Path, p.Venues); err != nil {
				return err
			}
		}
		paths, st, err = sim.WriteDays(ctx, out, ext, p, seed, days, symbols, split)
		return err
	})
	if err != nil {
		return err
	}
	if !quiet {
		el := time.Since(began)
		fmt.Fprintf(stderr, "simulate: %d files, %d rows (%d events) of %d days x %d symbols, %v each, on %d venues, seed %d, in %v\n",
			len(paths), st.Rows, st.Events, days, symbols, p.Duration, len(p.Venues), seed, el.Round(time.Millisecond))
	}
	return nil
}

func firstLine(s string) string {
	for i := range len(s) {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}
