// Command backtest runs the smart order routing exercise on Databento MBP-1
// or MBP-10 CSV data: it grid-searches the router's penalties, runs the Best
// Ask, TWAP and VWAP baselines, prints the JSON summary on stdout and writes
// results.json and results.png into the output folder.
//
// Usage:
//
//	go run ./sor/cmd/backtest [flags]
//
// With no -data it uses the simulated sample shipped in data/ and its venue
// table. Bad flags or input print one line on stderr and exit with code 2,
// leaving no output files behind; a strategy of the replay that fails while
// running (a fault of the program, not of the input) does the same with
// code 1.
package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sorlab/sorlab/data"
	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/chart"
	"github.com/sorlab/sorlab/sor/cmd/internal/interrupt"
	_ "github.com/sorlab/sorlab/sor/dbn"
	"github.com/sorlab/sorlab/sor/internal/runflags"
	_ "github.com/sorlab/sorlab/sor/zstd"
)

func main() {
	interrupts = interrupt.Handle()
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "backtest:", oneLine(err))
		os.Exit(exitCode(err))
	}
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", " ") }

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backtest", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, on one line, by main
	var (
		dataPath = fs.String("data", "", "Databento MBP-1/MBP-10 data file: DBN or CSV, plain, .gz or .zst (default: the simulated sample in data/)")
		outDir   = fs.String("out", ".", "folder for results.json and results.png")
		flags    = runflags.Add(fs)
	)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "usage: backtest [flags]")
			fs.SetOutput(stderr)
			fs.PrintDefaults()
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}

	// Every flag and the venue table are checked before the data is opened:
	// a mistake costs milliseconds, not a pass over a large file.
	if flags.Set("data") && *dataPath == "" {
		return errors.New("-data is empty (an unset shell variable?); omit it to run the embedded sample")
	}
	if *dataPath == "" {
		for _, o := range []struct{ name, why string }{
			{"prices", "the embedded sample's prices are decimal"},
			{"symbol", "the embedded sample holds one instrument"},
			{"instrument", "the embedded sample holds one instrument"},
		} {
			if flags.Set(o.name) {
				return fmt.Errorf("-%s applies to a -data file (%s)", o.name, o.why)
			}
		}
	}
	r, err := flags.Run()
	if err != nil {
		return err
	}
	if err := checkOutDir(*outDir); err != nil {
		return err
	}
	if *dataPath == "" && r.VenuesPath == "" {
		venues, err := data.SampleVenues()
		if err != nil {
			return err
		}
		r.SetVenues(venues, "embedded sample")
	}
	cfg, opt := r.Config, r.Source

	// The data: scanned once, then streamed.
	prog := newProgress(stderr, cmp.Or(*dataPath, data.SampleName))
	defer prog.done()
	opt.Progress = prog.update
	var src *sor.FileSource
	if *dataPath == "" {
		src, err = data.SampleSource(opt)
	} else {
		src, err = sor.OpenSource(*dataPath, opt)
	}
	if ie := (*sor.InstrumentsError)(nil); errors.As(err, &ie) {
		return errors.New(ie.Explain("-symbol", "-instrument"))
	}
	if err != nil {
		return err
	}
	prog.done()
	for _, w := range runflags.Warnings(*dataPath, r.VenuesPath, cfg.Venues, src.Span().Publishers) {
		fmt.Fprintln(stderr, "backtest: warning:", w)
	}
	outcome, err := sor.RunSource(src, cfg)
	if err != nil {
		return err
	}
	summary := outcome.Summary().JSON()
	fig, err := chart.Results(outcome)
	if err != nil {
		return err
	}
	if r.Replay != nil {
		if summary, fig, err = runReplay(r.Replay, src, outcome.Summary(), outcome.Grid[outcome.Best].Params); err != nil {
			return err
		}
	}
	png, err := chart.Encode(fig)
	if err != nil {
		return err
	}
	return writeResults(*outDir, summary, png, stdout)
}
