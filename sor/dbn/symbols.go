package dbn

import (
	"fmt"
	"strconv"
	"time"

	dbngo "github.com/NimbleMarkets/dbn-go"
)

// symbolTable gives an instrument its symbol on a UTC date, from the
// metadata's symbol mappings: each mapping names a symbol and, for date
// intervals [start, end), the instrument id it resolved to (or the other way
// round when the request's input symbology was instrument ids). Dates are
// those of ts_recv, the timestamp Databento's own symbol maps index MBP
// records by.
type symbolTable struct {
	byID map[uint32][]interval

	// The last answer: consecutive rows are nearly always the same
	// instrument on the same day.
	id     uint32
	day    int64
	symbol string
}

// interval is one symbol of an instrument, for days [start, end) counted
// from 1970-01-01.
type interval struct {
	start, end int64
	symbol     string
}

const nsPerDay = 86400 * int64(time.Second)

// newSymbolTable indexes the mappings by instrument, and returns the
// instruments whose mappings give them one symbol over the whole file.
// Mappings without a symbol (old symbology files) are skipped; metadata
// whose symbologies are both other than instrument ids has no mappings to
// instruments, and every row's symbol is then "".
func newSymbolTable(m *dbngo.Metadata) (symbolTable, map[uint32]string, error) {
	t := symbolTable{byID: map[uint32][]interval{}, day: -1}
	inverse := m.StypeIn == dbngo.SType_InstrumentId
	if !inverse && m.StypeOut != dbngo.SType_InstrumentId {
		return t, nil, nil
	}
	for _, mp := range m.Mappings {
		for _, iv := range mp.Intervals {
			idText, symbol := iv.Symbol, mp.RawSymbol
			if inverse {
				idText, symbol = mp.RawSymbol, iv.Symbol
			}
			if idText == "" || symbol == "" {
				continue
			}
			id, err := strconv.ParseUint(idText, 10, 32)
			if err != nil {
				return t, nil, fmt.Errorf("symbol mapping %q: instrument id %q is not a number", mp.RawSymbol, idText)
			}
			start, err := day(iv.StartDate)
			if err != nil {
				return t, nil, fmt.Errorf("symbol mapping %q: start %w", mp.RawSymbol, err)
			}
			end, err := day(iv.EndDate)
			if err != nil {
				return t, nil, fmt.Errorf("symbol mapping %q: end %w", mp.RawSymbol, err)
			}
			t.byID[uint32(id)] = append(t.byID[uint32(id)], interval{start, end, symbol})
		}
	}
	symbols := map[uint32]string{}
	for id, ivs := range t.byID {
		symbols[id] = ivs[0].symbol
		for _, iv := range ivs[1:] {
			if iv.symbol != ivs[0].symbol {
				delete(symbols, id)
				break
			}
		}
	}
	return t, symbols, nil
}

// day converts a YYYYMMDD date to days since 1970-01-01.
func day(ymd uint32) (int64, error) {
	y, m, d := int(ymd/10000), time.Month(ymd/100%100), int(ymd%100)
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if y < 1970 || y > 2262 || t.Month() != m || t.Day() != d {
		return 0, fmt.Errorf("date %d is not a YYYYMMDD date from 1970 on", ymd)
	}
	return t.Unix() / 86400, nil
}

// lookup returns the symbol of instrument id at time ts (nanoseconds), or ""
// when no mapping covers it. When several mappings claim the instrument on
// one day, the last in the metadata wins.
func (t *symbolTable) lookup(id uint32, ts int64) string {
	d := ts / nsPerDay
	if id == t.id && d == t.day {
		return t.symbol
	}
	t.id, t.day, t.symbol = id, d, ""
	ivs := t.byID[id]
	for i := len(ivs) - 1; i >= 0; i-- {
		if iv := ivs[i]; d >= iv.start && d < iv.end {
			t.symbol = iv.symbol
			break
		}
	}
	return t.symbol
}
