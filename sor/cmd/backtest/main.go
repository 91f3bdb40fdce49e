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
	"bytes"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sorlab/sorlab/data"
	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/chart"
	"github.com/sorlab/sorlab/sor/cmd/internal/interrupt"
	_ "github.com/sorlab/sorlab/sor/dbn"
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
		dataPath   = fs.String("data", "", "Databento MBP-1/MBP-10 data file: DBN or CSV, plain, .gz or .zst (default: the simulated sample in data/)")
		venuesPath = fs.String("venues", "", "venue table CSV publisher_id,name,fee,rebate (default: the sample's table with the sample; no fees otherwise)")
		orderSize  = fs.Int64("order-size", def.OrderSize, "shares to buy, a positive multiple of 100")
		start      = fs.String("start", "", "keep rows with ts_event >= this RFC 3339 time")
		end        = fs.String("end", "", "keep rows with ts_event < this RFC 3339 time")
		bucket     = fs.Duration("twap-bucket", def.TWAPBucket, "TWAP bucket length")
		lu         = fs.String("lambda-under", "0.01,0.05,0.1", "comma-separated lambda_under values ($/share)")
		lo         = fs.String("lambda-over", "0.01,0.05,0.1", "comma-separated lambda_over values ($/share)")
		theta      = fs.String("theta-queue", "0.0001,0.001,0.01", "comma-separated theta_queue values ($/share)")
		prices     = fs.String("prices", "auto", "price format: auto, decimal or fixed (Databento 1e-9 units)")
		symbol     = fs.String("symbol", "", "trade this symbol of a file that holds several instruments")
		instrument = fs.Uint64("instrument", 0, "trade this instrument_id of a file that holds several instruments")
		sortMode   = fs.String("sort", "auto", "how to put rows in ts_event order: auto (a reorder buffer as large as the file needs, up to -max-reorder rows, else an external sort), buffer (never sort externally) or external")
		maxReorder = fs.Int("max-reorder", sor.DefaultMaxReorder, "most rows a reorder buffer may hold")
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
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	// Every flag and the venue table are checked before the data is opened:
	// a mistake costs milliseconds, not a pass over a large file.
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
	if err := cfg.Check(); err != nil {
		return err
	}
	// Without a replay the exercise reads only the quotes of each row.
	opt := sor.SourceOptions{MaxReorder: *maxReorder, Read: sor.ReadOptions{QuotesOnly: !rf.enabled()}}
	if opt.Window.Start, err = parseTime(*start); err != nil {
		return fmt.Errorf("-start: %w", err)
	}
	if opt.Window.End, err = parseTime(*end); err != nil {
		return fmt.Errorf("-end: %w", err)
	}
	if opt.Window.End != 0 && opt.Window.End <= opt.Window.Start {
		return fmt.Errorf("-end %s is not after -start %s", *end, *start)
	}
	if opt.Read.Prices, err = sor.ParsePriceFormat(*prices); err != nil {
		return fmt.Errorf("-prices: %w", err)
	}
	switch *sortMode {
	case "auto":
	case "buffer":
		opt.Sort = sor.SortBuffer
	case "external":
		opt.Sort = sor.SortExternal
	default:
		return fmt.Errorf("-sort: want auto, buffer or external, got %q", *sortMode)
	}
	if *maxReorder < 1 || *maxReorder > 1<<24 {
		return fmt.Errorf("-max-reorder must be between 1 and %d rows, got %d", 1<<24, *maxReorder)
	}
	switch {
	case set["symbol"] && set["instrument"]:
		return errors.New("-symbol and -instrument both pick the instrument: give one")
	case set["symbol"] && *symbol == "":
		return errors.New("-symbol is empty")
	case set["instrument"] && *instrument > math.MaxUint32:
		return fmt.Errorf("-instrument %d is not an instrument_id (0-%d)", *instrument, uint32(math.MaxUint32))
	}
	opt.Symbol, opt.InstrumentID, opt.ByID = *symbol, uint32(*instrument), set["instrument"]
	if set["data"] && *dataPath == "" {
		return errors.New("-data is empty (an unset shell variable?); omit it to run the embedded sample")
	}
	if *dataPath == "" {
		for _, name := range []string{"prices", "symbol", "instrument"} {
			if set[name] {
				return fmt.Errorf("-%s applies to a -data file; the embedded sample is decimal, one instrument", name)
			}
		}
	}
	if err := rf.check(fs); err != nil {
		return err
	}
	proto, err := rf.protocol(cfg)
	if err != nil {
		return err
	}
	if err := checkOutDir(*outDir); err != nil {
		return err
	}
	switch {
	case *venuesPath != "":
		if cfg.Venues, err = sor.ReadVenuesFile(*venuesPath); err != nil {
			return err
		}
		cfg.VenueTable = *venuesPath
	case *dataPath == "":
		if cfg.Venues, err = data.SampleVenues(); err != nil {
			return err
		}
		cfg.VenueTable = "embedded sample"
	}
	proto.Config.Venues = cfg.Venues

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
	if err != nil {
		return err
	}
	prog.done()
	for _, w := range warnings(*dataPath, *venuesPath, cfg.Venues, src.Span().Publishers) {
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
	if rf.enabled() {
		if summary, fig, err = rf.run(proto, src, outcome.Summary(), outcome.Grid[outcome.Best].Params); err != nil {
			return err
		}
	}
	png, err := chart.Encode(fig)
	if err != nil {
		return err
	}
	return writeResults(*outDir, summary, png, stdout)
}

// warnings says what a user may not have meant: a venue table that names
// none of the data's publishers (no fee is charged), or some that are not in
// the data; the shipped sample passed by path without its venue table.
func warnings(dataPath, venuesPath string, venues sor.Venues, publishers []int) []string {
	var out []string
	if venuesPath != "" {
		var absent []string
		for _, id := range venues.IDs() {
			if _, ok := slices.BinarySearch(publishers, id); !ok {
				absent = append(absent, strconv.Itoa(id))
			}
		}
		switch {
		case len(absent) == len(venues) && len(venues) > 0:
			out = append(out, fmt.Sprintf("the venue table %s names none of the data's publishers (%s): no fee or rebate is charged", venuesPath, joinInts(publishers)))
		case len(absent) > 0:
			out = append(out, fmt.Sprintf("the venue table %s names publishers that are not in the data: %s", venuesPath, strings.Join(absent, ", ")))
		}
	}
	if dataPath != "" && venuesPath == "" && isSample(dataPath) {
		out = append(out, fmt.Sprintf("%s is the shipped sample, run without its venue table: no fee or rebate is charged (add -venues data/venues.csv, or omit -data)", dataPath))
	}
	return out
}

func joinInts(ids []int) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.Itoa(id)
	}
	return strings.Join(s, ", ")
}

// isSample reports whether the file at path is the shipped sample.
func isSample(path string) bool {
	info, err := os.Stat(path)
	if err != nil || info.Size() != int64(len(data.SampleCSVZst)) {
		return false
	}
	b, err := os.ReadFile(path)
	return err == nil && bytes.Equal(b, data.SampleCSVZst)
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
