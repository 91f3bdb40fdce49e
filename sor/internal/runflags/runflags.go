// Package runflags holds the flags of one run of the exercise, for every
// command that runs it (backtest, sweep) and for a sweep's manifest, whose
// settings are written as these flags: the order, the penalty grid, the
// window, the price format, the instrument, how rows are sorted, the venue
// table and the replay's models. Run checks them all, and reads the venue
// table, before any data is read: a mistake costs milliseconds, not a pass
// over a large file.
package runflags

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/sorlab/sorlab/sor"
)

// Flags are the flags of one run, defined on a flag.FlagSet by Add.
type Flags struct {
	fs         *flag.FlagSet
	venues     *string
	orderSize  *int64
	start, end *string
	bucket     *time.Duration
	lu, lo     *string
	theta      *string
	prices     *string
	symbol     *string
	instrument *uint64
	sortMode   *string
	maxReorder *int
	replay     *replayFlags
	own        map[string]bool // the names of these flags
}

// Add defines the run's flags on fs.
func Add(fs *flag.FlagSet) *Flags {
	before := map[string]bool{}
	fs.VisitAll(func(fl *flag.Flag) { before[fl.Name] = true })
	def := sor.DefaultConfig()
	f := &Flags{
		fs:         fs,
		venues:     fs.String("venues", "", "venue table CSV publisher_id,name,fee,rebate (default: the sample's table with the sample; no fees otherwise)"),
		orderSize:  fs.Int64("order-size", def.OrderSize, "shares to buy, a positive multiple of 100, at most 1000000000"),
		start:      fs.String("start", "", "keep rows with ts_event >= this RFC 3339 time"),
		end:        fs.String("end", "", "keep rows with ts_event < this RFC 3339 time"),
		bucket:     fs.Duration("twap-bucket", def.TWAPBucket, "TWAP bucket length"),
		lu:         fs.String("lambda-under", "0.01,0.05,0.1", "comma-separated lambda_under values ($/share)"),
		lo:         fs.String("lambda-over", "0.01,0.05,0.1", "comma-separated lambda_over values ($/share)"),
		theta:      fs.String("theta-queue", "0.0001,0.001,0.01", "comma-separated theta_queue values ($/share)"),
		prices:     fs.String("prices", "auto", "price format: auto, decimal or fixed (Databento 1e-9 units)"),
		symbol:     fs.String("symbol", "", "trade this symbol of a file that holds several instruments"),
		instrument: fs.Uint64("instrument", 0, "trade this instrument_id of a file that holds several instruments"),
		sortMode:   fs.String("sort", "auto", "how to put rows in ts_event order: auto (a reorder buffer as large as the file needs, up to -max-reorder rows, else an external sort), buffer (never sort externally) or external"),
		maxReorder: fs.Int("max-reorder", sor.DefaultMaxReorder, "most rows a reorder buffer may hold"),
		replay:     addReplayFlags(fs),
		own:        map[string]bool{},
	}
	fs.VisitAll(func(fl *flag.Flag) {
		if !before[fl.Name] {
			f.own[fl.Name] = true
		}
	})
	return f
}

// Args returns the run's flags that were given, in a canonical form: one
// -name=value each, by name, with each value as the flag prints it.
func (f *Flags) Args() []string {
	var args []string
	f.fs.Visit(func(fl *flag.Flag) {
		if f.own[fl.Name] {
			args = append(args, "-"+fl.Name+"="+fl.Value.String())
		}
	})
	return args
}

// Run is what the flags ask for.
type Run struct {
	Config sor.Config
	// Source says how to read the data: window, price format, sorting and,
	// with -symbol or -instrument, the instrument.
	Source sor.SourceOptions
	// VenuesPath is -venues; Config.Venues holds the table read from it.
	VenuesPath string
	// Replay is the replay's set-up, nil when no replay option is set.
	Replay *Replay
}

// Set reports whether the flag called name was given.
func (f *Flags) Set(name string) bool {
	set := false
	f.fs.Visit(func(fl *flag.Flag) { set = set || fl.Name == name })
	return set
}

// MaxOrderSize is the largest -order-size, 10⁹ shares: more than any
// stock trades in a day. Money is exact only while order size × price stays
// within about $2.3e9 (sor.CashGuard), so an order of 10⁹ shares can pay at
// most $2.30 a share; a larger one could pay almost nothing, and would be
// refused only once the data was read.
const MaxOrderSize = 1_000_000_000

// Run checks every flag and reads the venue table.
func (f *Flags) Run() (Run, error) {
	cfg := sor.DefaultConfig()
	cfg.OrderSize, cfg.TWAPBucket = *f.orderSize, *f.bucket
	if cfg.OrderSize > MaxOrderSize {
		return Run{}, fmt.Errorf("-order-size must be at most %d shares, got %d", MaxOrderSize, cfg.OrderSize)
	}
	var err error
	for _, g := range []struct {
		name string
		text string
		dst  *[]sor.Money
	}{{"-lambda-under", *f.lu, &cfg.Grid.LambdaUnder}, {"-lambda-over", *f.lo, &cfg.Grid.LambdaOver}, {"-theta-queue", *f.theta, &cfg.Grid.ThetaQueue}} {
		if *g.dst, err = parseGrid(g.text); err != nil {
			return Run{}, fmt.Errorf("%s: %w", g.name, err)
		}
	}
	if err := cfg.Check(); err != nil {
		return Run{}, err
	}
	opt := sor.SourceOptions{MaxReorder: *f.maxReorder}
	if opt.Window.Start, err = ParseTime(*f.start); err != nil {
		return Run{}, fmt.Errorf("-start: %w", err)
	}
	if opt.Window.End, err = ParseTime(*f.end); err != nil {
		return Run{}, fmt.Errorf("-end: %w", err)
	}
	if opt.Window.End != 0 && opt.Window.End <= opt.Window.Start {
		return Run{}, fmt.Errorf("-end %s is not after -start %s", *f.end, *f.start)
	}
	if opt.Read.Prices, err = sor.ParsePriceFormat(*f.prices); err != nil {
		return Run{}, fmt.Errorf("-prices: %w", err)
	}
	switch *f.sortMode {
	case "auto":
	case "buffer":
		opt.Sort = sor.SortBuffer
	case "external":
		opt.Sort = sor.SortExternal
	default:
		return Run{}, fmt.Errorf("-sort: want auto, buffer or external, got %q", *f.sortMode)
	}
	if *f.maxReorder < 1 || *f.maxReorder > 1<<24 {
		return Run{}, fmt.Errorf("-max-reorder must be between 1 and %d rows, got %d", 1<<24, *f.maxReorder)
	}
	switch {
	case f.Set("symbol") && f.Set("instrument"):
		return Run{}, errors.New("-symbol and -instrument both pick the instrument: give one")
	case f.Set("symbol") && *f.symbol == "":
		return Run{}, errors.New("-symbol is empty")
	case f.Set("instrument") && *f.instrument > math.MaxUint32:
		return Run{}, fmt.Errorf("-instrument %d is not an instrument_id (0-%d)", *f.instrument, uint32(math.MaxUint32))
	}
	opt.Symbol, opt.InstrumentID, opt.ByID = *f.symbol, uint32(*f.instrument), f.Set("instrument")
	r := Run{Config: cfg, Source: opt, VenuesPath: *f.venues}
	if r.Replay, err = f.replay.setup(f, cfg); err != nil {
		return Run{}, err
	}
	// Without a replay the exercise reads only the quotes of each row.
	r.Source.Read.QuotesOnly = r.Replay == nil
	if f.Set("venues") && *f.venues == "" {
		return Run{}, errors.New("-venues is empty (an unset shell variable?); omit it for the default venue table")
	}
	if *f.venues != "" {
		if r.Config.Venues, err = sor.ReadVenuesFile(*f.venues); err != nil {
			return Run{}, err
		}
		if err := checkFees(*f.venues, r.Config.Venues, cfg.OrderSize); err != nil {
			return Run{}, err
		}
		r.Config.VenueTable = *f.venues
	}
	r.SetVenues(r.Config.Venues, r.Config.VenueTable)
	return r, nil
}

// SetVenues sets the venue table of the exercise and of the replay.
func (r *Run) SetVenues(v sor.Venues, name string) {
	r.Config.Venues, r.Config.VenueTable = v, name
	if r.Replay != nil {
		r.Replay.Protocol.Config.Venues = v
	}
}

// checkFees refuses a venue table with a fee or rebate that the order could
// not pay exactly, by the rule the runs apply to every price (sor.CashGuard:
// |amount| × order size within MaxInt64/4 nano-dollars), now rather than
// after a pass over the data: an all-in price holds the fee or the rebate,
// and would fail the same check unless the quote nearly cancelled it.
func checkFees(path string, venues sor.Venues, orderSize int64) error {
	for _, id := range venues.IDs() {
		v := venues[id]
		for _, a := range []struct {
			name   string
			amount sor.Money
		}{{"fee", v.Fee}, {"rebate", v.Rebate}} {
			g := sor.CashGuard{OrderSize: orderSize}
			if err := g.Check(a.amount); err != nil {
				return fmt.Errorf("%s: publisher %d %s: %w", path, id, a.name, err)
			}
		}
	}
	return nil
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

// ParseTime parses an RFC 3339 time as nanoseconds since 1970; "" is 0,
// an open bound.
func ParseTime(s string) (int64, error) {
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
