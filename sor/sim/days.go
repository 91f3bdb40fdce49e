package sim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"time"

	"github.com/sorlab/sorlab/sor"
)

// Many days of several symbols, so that a sweep can be tried without
// licensed data. Each day of each symbol is an independent run of the model
// with its own seed; days do not continue one another's prices.

// MaxDays and MaxSymbols bound a multi-day run.
const (
	MaxDays    = 10_000
	MaxSymbols = 1_000
)

// DaySeed is the seed of day d and symbol s (both from 0) of a multi-day
// run from seed: a SplitMix64 hash of the three, so that neighbouring days,
// symbols and seeds give unrelated markets.
func DaySeed(seed uint64, day, symbol int) uint64 {
	z := seed
	for _, v := range []uint64{uint64(day), uint64(symbol)} {
		z += 0x9e3779b97f4a7c15 ^ v*0xbf58476d1ce4e5b9
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		z ^= z >> 31
	}
	return z
}

// ForSymbol returns p for symbol s (from 0) of a multi-symbol run: symbol 0
// is p itself; symbol s > 0 is named p.Symbol followed by s+1 (SIMX2,
// SIMX3, ...), has instrument id p.InstrumentID + s and starts at
// p.StartPrice/(s+1), rounded to the cent, so that the symbols trade at
// different prices.
func (p Params) ForSymbol(s int) Params {
	if s == 0 {
		return p
	}
	p.Symbol += strconv.Itoa(s + 1)
	p.InstrumentID += uint32(s)
	p.StartPrice = math.Round(p.StartPrice*100/float64(s+1)) / 100
	return p
}

// TradingDays returns the first n weekdays from start's date on, each at
// start's time of day (UTC).
func TradingDays(start time.Time, n int) []time.Time {
	var days []time.Time
	for d := start.UTC(); len(days) < n; d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			days = append(days, d)
		}
	}
	return days
}

// WriteDays writes days days (TradingDays from p.Start) of symbols symbols
// (ForSymbol) into the folder dir: one file a day named 2006-01-02 plus ext
// (".csv", ".csv.gz" or ".csv.zst") holding every symbol, its rows in ts_recv
// order (ties: symbol order), as a Databento download of several symbols
// is; or, with split, one file a day and symbol named 2006-01-02.SYMBOL plus
// ext (Databento's split_symbols). Day d of symbol s is the market of
// p.ForSymbol(s) from that day's start, with seed DaySeed(seed, d, s). Each
// file is written atomically (sor.WriteFiles; when ctx ends, the file being
// written is removed and the ones before it stay); the paths are returned in
// day, then symbol order.
func WriteDays(ctx context.Context, dir, ext string, p Params, seed uint64, days, symbols int, split bool) ([]string, Stats, error) {
	switch {
	case days < 1 || days > MaxDays:
		return nil, Stats{}, fmt.Errorf("days must be between 1 and %d, got %d", MaxDays, days)
	case symbols < 1 || symbols > MaxSymbols:
		return nil, Stats{}, fmt.Errorf("symbols must be between 1 and %d, got %d", MaxSymbols, symbols)
	case ext != ".csv" && ext != ".csv.gz" && ext != ".csv.zst":
		return nil, Stats{}, fmt.Errorf("extension %q: want .csv, .csv.gz or .csv.zst", ext)
	}
	if err := p.Validate(); err != nil {
		return nil, Stats{}, err
	}
	var (
		paths []string
		total Stats
	)
	for d, start := range TradingDays(p.Start, days) {
		ps := make([]Params, symbols)
		seeds := make([]uint64, symbols)
		for s := range ps {
			ps[s] = p.ForSymbol(s)
			ps[s].Start = start
			seeds[s] = DaySeed(seed, d, s)
			if err := ps[s].Validate(); err != nil {
				return nil, total, fmt.Errorf("symbol %s: %w", ps[s].Symbol, err)
			}
		}
		date := start.Format(time.DateOnly)
		if split {
			for s := range ps {
				path := filepath.Join(dir, date+"."+ps[s].Symbol+ext)
				st, err := WriteFile(ctx, path, ps[s], seeds[s])
				if err != nil {
					return nil, total, err
				}
				total.add(st)
				paths = append(paths, path)
			}
			continue
		}
		path := filepath.Join(dir, date+ext)
		var st Stats
		err := sor.WriteFiles(ctx, nil, sor.File{Path: path, Write: func(w io.Writer) (err error) {
			st, err = encode(w, path, Params{}, 0, func(w io.Writer, _ Params, _ uint64) (Stats, error) {
				return GenerateSymbols(w, ps, seeds)
			})
			return err
		}})
		if err != nil {
			return nil, total, err
		}
		total.add(st)
		paths = append(paths, path)
	}
	return paths, total, nil
}

// GenerateSymbols runs the model once per symbol (ps[i] with seeds[i]) and
// writes all their rows to w as one MBP-1 CSV (header first), in ts_recv
// order, ties in the order of ps. Each run is the one Generate writes for
// the same parameters and seed. Symbols and instrument ids must differ.
func GenerateSymbols(w io.Writer, ps []Params, seeds []uint64) (Stats, error) {
	if len(ps) != len(seeds) {
		return Stats{}, errors.New("sim: one seed per symbol")
	}
	seen := map[string]bool{}
	for _, p := range ps {
		key := p.Symbol + "\x00" + strconv.FormatUint(uint64(p.InstrumentID), 10)
		if seen[p.Symbol] || seen[key] {
			return Stats{}, fmt.Errorf("sim: symbol %s given twice", p.Symbol)
		}
		seen[p.Symbol], seen[key] = true, true
	}
	// Each symbol's model runs on its own goroutine and hands its rows over
	// in batches; the merge takes the earliest head, so the bytes do not
	// depend on scheduling.
	type batch []Row
	done := make(chan struct{})
	defer close(done)
	errStop := errors.New("stopped")
	streams := make([]chan batch, len(ps))
	errs := make([]error, len(ps))
	stats := make([]Stats, len(ps))
	for i, p := range ps {
		s, err := New(p, seeds[i])
		if err != nil {
			return Stats{}, err
		}
		ch := make(chan batch, 4)
		streams[i] = ch
		go func() {
			defer close(ch)
			b := make(batch, 0, 1024)
			errs[i] = s.Run(func(r *Row) error {
				b = append(b, *r)
				if len(b) < cap(b) {
					return nil
				}
				select {
				case ch <- b:
				case <-done:
					return errStop
				}
				b = make(batch, 0, 1024)
				return nil
			})
			stats[i] = s.Stats()
			if errs[i] == nil && len(b) > 0 {
				select {
				case ch <- b:
				case <-done:
				}
			}
		}()
	}
	out := newCSVOut(w, Header, "", 0)
	fmts := make([]*Writer, len(ps))
	heads := make([]batch, len(ps))
	for i, p := range ps {
		fmts[i] = NewWriter(nil, p.Symbol, p.InstrumentID)
	}
	next := func(i int) bool {
		for len(heads[i]) == 0 {
			b, ok := <-streams[i]
			if !ok {
				return false
			}
			heads[i] = b
		}
		return true
	}
	live := make([]bool, len(ps))
	for i := range ps {
		live[i] = next(i)
	}
	for {
		k := -1
		for i := range ps {
			if live[i] && (k < 0 || heads[i][0].TsRecv < heads[k][0].TsRecv) {
				k = i
			}
		}
		if k < 0 {
			break
		}
		if out.begin() {
			out.buf = fmts[k].appendRow(out.buf, &heads[k][0])
		}
		if err := out.end(); err != nil {
			return Stats{}, err
		}
		heads[k] = heads[k][1:]
		live[k] = next(k)
	}
	var total Stats
	for i := range ps {
		if errs[i] != nil {
			return total, errs[i]
		}
		total.add(stats[i])
	}
	return total, out.flush()
}

// add adds the counts of o, whose venues are st's.
func (st *Stats) add(o Stats) {
	st.Events += o.Events
	st.Rows += o.Rows
	if st.Venues == nil {
		st.Venues = make([]VenueStats, len(o.Venues))
	}
	for i, v := range o.Venues {
		t := &st.Venues[i]
		t.Rows, t.Adds, t.Cancels, t.Trades, t.TradedShares = t.Rows+v.Rows, t.Adds+v.Adds, t.Cancels+v.Cancels, t.Trades+v.Trades, t.TradedShares+v.TradedShares
	}
}
