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
// leaving no output files behind.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/sorlab/sorlab/data"
	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/chart"
	"github.com/sorlab/sorlab/sor/cmd/internal/interrupt"
	_ "github.com/sorlab/sorlab/sor/zstd"
)

func main() {
	interrupts = interrupt.Handle()
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "backtest:", oneLine(err))
		os.Exit(2)
	}
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", " ") }

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backtest", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, on one line, by main
	def := sor.DefaultConfig()
	var (
		dataPath   = fs.String("data", "", "Databento MBP-1/MBP-10 CSV file, plain, .gz or .zst (default: the simulated sample in data/)")
		venuesPath = fs.String("venues", "", "venue table CSV publisher_id,name,fee,rebate (default: the sample's table with the sample; no fees otherwise)")
		orderSize  = fs.Int64("order-size", def.OrderSize, "shares to buy, a positive multiple of 100")
		start      = fs.String("start", "", "keep rows with ts_event >= this RFC 3339 time")
		end        = fs.String("end", "", "keep rows with ts_event < this RFC 3339 time")
		bucket     = fs.Duration("twap-bucket", def.TWAPBucket, "TWAP bucket length")
		lu         = fs.String("lambda-under", "0.01,0.05,0.1", "comma-separated lambda_under values ($/share)")
		lo         = fs.String("lambda-over", "0.01,0.05,0.1", "comma-separated lambda_over values ($/share)")
		theta      = fs.String("theta-queue", "0.0001,0.001,0.01", "comma-separated theta_queue values ($/share)")
		prices     = fs.String("prices", "auto", "price format: auto, decimal or fixed (Databento 1e-9 units)")
		outDir     = fs.String("out", ".", "folder for results.json and results.png")
		rf         = addReplayFlags(fs)
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
	if err := rf.check(fs); err != nil {
		return err
	}
	cfg := def
	cfg.OrderSize, cfg.TWAPBucket = *orderSize, *bucket
	var err error
	for _, g := range []struct {
		name string
		text string
		dst  *[]sor.Money
	}{{"-lambda-under", *lu, &cfg.Grid.LambdaUnder}, {"-lambda-over", *lo, &cfg.Grid.LambdaOver}, {"-theta-queue", *theta, &cfg.Grid.ThetaQueue}} {
		if *g.dst, err = parseGrid(g.text); err != nil {
			return fmt.Errorf("%s: %w", g.name, err)
		}
	}
	var window sor.Window
	if window.Start, err = parseTime(*start); err != nil {
		return fmt.Errorf("-start: %w", err)
	}
	if window.End, err = parseTime(*end); err != nil {
		return fmt.Errorf("-end: %w", err)
	}
	if window.End != 0 && window.End <= window.Start {
		return fmt.Errorf("-end %s is not after -start %s", *end, *start)
	}
	opt := sor.ReadOptions{}
	switch *prices {
	case "auto":
	case "decimal":
		opt.Prices = sor.PriceDecimal
	case "fixed":
		opt.Prices = sor.PriceFixed
	default:
		return fmt.Errorf("-prices: want auto, decimal or fixed, got %q", *prices)
	}
	if err := checkOutDir(*outDir); err != nil {
		return err
	}

	var rows []sor.Row
	if *dataPath == "" {
		rows, err = data.SampleRows()
		if err == nil && *venuesPath == "" {
			cfg.Venues, err = data.SampleVenues()
		}
	} else {
		rows, err = sor.ReadFile(*dataPath, opt)
	}
	if err != nil {
		return err
	}
	if *venuesPath != "" {
		if cfg.Venues, err = sor.ReadVenuesFile(*venuesPath); err != nil {
			return err
		}
	}
	outcome, err := sor.RunRows(rows, window, cfg)
	if err != nil {
		return err
	}
	summary := outcome.Summary().JSON()
	if rf.enabled() {
		report, err := rf.run(rows, window, cfg, outcome.Grid[outcome.Best].Params)
		if err != nil {
			return err
		}
		summary = withReplay(outcome.Summary(), report)
	}
	p, err := chart.Results(outcome)
	if err != nil {
		return err
	}
	png, err := chart.PNG(p, chart.Width, chart.Height)
	if err != nil {
		return err
	}
	return writeResults(*outDir, summary, png, stdout)
}

func parseGrid(s string) ([]sor.Money, error) {
	var vs []sor.Money
	for _, f := range strings.Split(s, ",") {
		v, err := sor.ParseMoney(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		if v < 0 {
			return nil, fmt.Errorf("penalty %s is negative", f)
		}
		vs = append(vs, v)
	}
	return vs, nil
}

func parseTime(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, fmt.Errorf("want RFC 3339 like 2024-08-01T13:36:32Z, got %q", s)
	}
	// Nanoseconds since 1970 in an int64 reach to 2262; 0 means "open".
	if !t.After(time.Unix(0, 0)) || t.Year() > 2261 {
		return 0, fmt.Errorf("%s is outside 1970-2261", s)
	}
	return t.UnixNano(), nil
}
