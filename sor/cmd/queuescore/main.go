// Command queuescore scores the replay's queue models against the exact
// FIFO queue (package github.com/sorlab/sorlab/sor/queuescore): on many
// hypothetical limit buys joining the best bid at random times, the Brier
// score of "filled within T" for each horizon T, the Kolmogorov-Smirnov
// distance of the times to fill and a calibration table, for every model.
//
// Usage:
//
//	go run ./sor/cmd/queuescore [-markets N] [-orders N] [-seed N] [-seeds K] [-horizons 1s,10s,60s] [-keep-outbid]
//	go run ./sor/cmd/queuescore -data MBP1_FILE -mbo MBO_FILE [flags]
//
// By default it scores 500 orders on each of 20 simulated markets (the
// simulator's seeds 1..20; seed 1 is the shipped sample): 10,000 orders.
// With -data and -mbo it scores one market of the user's: the same
// instrument and session as Databento MBP-1 (CSV or DBN) and MBO (CSV or DBN).
// The JSON goes to standard output and nothing else does; bad flags or
// input print one line on standard error and exit with status 2.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/sorlab/sorlab/sor"
	_ "github.com/sorlab/sorlab/sor/dbn"
	"github.com/sorlab/sorlab/sor/queuescore"
	_ "github.com/sorlab/sorlab/sor/zstd"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "queuescore:", strings.ReplaceAll(err.Error(), "\n", " "))
		os.Exit(2)
	}
}

// Bounds of the flags: beyond them a run would take hours or the memory
// of the times to fill (orders × runs) would not fit.
const (
	maxMarkets = 1000
	maxOrders  = 100_000
	maxSeeds   = 1000
	maxHorizon = time.Hour
)

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("queuescore", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, on one line, by main
	var (
		markets    = fs.Int("markets", 20, "simulated markets to score on (sor/sim seeds 1..N); not with -data")
		dataPath   = fs.String("data", "", "your market's Databento MBP-1 file (CSV or DBN, plain, .gz or .zst); with -mbo")
		mboPath    = fs.String("mbo", "", "the same market's Databento MBO file (CSV or DBN, plain, .gz or .zst); with -data")
		orders     = fs.Int("orders", 500, "hypothetical orders per market")
		seed       = fs.Uint64("seed", 1, "seed of the orders' draws (join times, venues, sizes)")
		seeds      = fs.Int("seeds", 10, "runs of each sampled model (seeds 1..K): its probability of a fill is the fraction of runs that fill")
		horizons   = fs.String("horizons", "1s,10s,60s", "comma-separated horizons T of \"filled within T\"; orders rest for the longest")
		keepOutbid = fs.Bool("keep-outbid", false, "keep an order when a better bid shows at its venue (default: cancel it; wrong on simulated markets, whose MBO forgets the levels behind the best)")
		prices     = fs.String("prices", "auto", "price format of -data and -mbo: auto, decimal or fixed (Databento 1e-9 units)")
		symbol     = fs.String("symbol", "", "score this symbol of files that hold several instruments")
		instrument = fs.Uint64("instrument", 0, "score this instrument_id of files that hold several instruments")
	)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "usage: queuescore [flags]")
			fs.SetOutput(stderr)
			fs.PrintDefaults()
			return err
		}
		return errors.New(strings.SplitN(err.Error(), "\n", 2)[0])
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	setup := queuescore.Setup{Orders: *orders, Seed: *seed, Seeds: *seeds, KeepOutbid: *keepOutbid}
	var err error
	if setup.Horizons, err = parseHorizons(*horizons); err != nil {
		return err
	}
	switch {
	case *orders < 1 || *orders > maxOrders:
		return fmt.Errorf("-orders must be between 1 and %d, got %d", maxOrders, *orders)
	case *seeds < 1 || *seeds > maxSeeds:
		return fmt.Errorf("-seeds must be between 1 and %d, got %d", maxSeeds, *seeds)
	case (*dataPath == "") != (*mboPath == ""):
		return errors.New("-data and -mbo go together: the MBP-1 file the models read and the MBO file of the same market the truth comes from")
	case *dataPath != "" && set["markets"]:
		return errors.New("-markets is for simulated markets: not with -data and -mbo")
	case *dataPath == "" && (set["prices"] || set["symbol"] || set["instrument"]):
		return errors.New("-prices, -symbol and -instrument apply to -data and -mbo only")
	case *dataPath == "" && (*markets < 1 || *markets > maxMarkets):
		return fmt.Errorf("-markets must be between 1 and %d, got %d", maxMarkets, *markets)
	case set["symbol"] && set["instrument"]:
		return errors.New("-symbol and -instrument both pick the instrument: give one")
	case set["symbol"] && *symbol == "":
		return errors.New("-symbol is empty")
	}

	var ms []queuescore.Market
	var data string
	if *dataPath != "" {
		opt := sor.SourceOptions{Symbol: *symbol, InstrumentID: uint32(*instrument), ByID: set["instrument"]}
		if *instrument > math.MaxUint32 {
			return fmt.Errorf("-instrument %d is not an instrument_id (0-%d)", *instrument, uint32(math.MaxUint32))
		}
		if opt.Read.Prices, err = sor.ParsePriceFormat(*prices); err != nil {
			return fmt.Errorf("-prices: %w", err)
		}
		m, err := queuescore.OpenMarket(*dataPath, *mboPath, opt)
		if err != nil {
			return err
		}
		ms, data = []queuescore.Market{m}, fmt.Sprintf("%s (MBP-1) and %s (MBO)", *dataPath, *mboPath)
	} else {
		if ms, err = queuescore.SimulatedMarkets(*markets); err != nil {
			return err
		}
		data = fmt.Sprintf("%d simulated markets (sor/sim seeds 1-%d)", *markets, *markets)
	}
	res, err := queuescore.Score(ms, setup)
	if err != nil {
		return err
	}
	res.Data = data
	b, err := json.MarshalIndent(res.Report(), "", "  ")
	if err != nil {
		return err
	}
	_, err = stdout.Write(append(b, '\n'))
	return err
}

// parseHorizons reads a comma-separated list of positive durations of at
// most an hour.
func parseHorizons(s string) ([]time.Duration, error) {
	var hs []time.Duration
	for _, f := range strings.Split(s, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("-horizons: %q is not a duration such as 10s", f)
		}
		if d <= 0 || d > maxHorizon {
			return nil, fmt.Errorf("-horizons: %v must be positive and at most %v", d, maxHorizon)
		}
		hs = append(hs, d)
	}
	return hs, nil
}
