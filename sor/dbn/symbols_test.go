package dbn

import (
	"testing"
	"time"

	dbngo "github.com/NimbleMarkets/dbn-go"
)

func TestSymbolsByDate(t *testing.T) {
	iv := func(start, end uint32, symbol string) dbngo.MappingInterval {
		return dbngo.MappingInterval{StartDate: start, EndDate: end, Symbol: symbol}
	}
	m := &dbngo.Metadata{StypeIn: dbngo.SType_RawSymbol, StypeOut: dbngo.SType_InstrumentId, Mappings: []dbngo.SymbolMapping{
		// AAPL is 38 on August 1 and 2, and 40 on August 3.
		{RawSymbol: "AAPL", Intervals: []dbngo.MappingInterval{iv(20240801, 20240803, "38"), iv(20240803, 20240804, "40")}},
		// 77 is renamed from FB to META overnight.
		{RawSymbol: "FB", Intervals: []dbngo.MappingInterval{iv(20240801, 20240802, "77")}},
		{RawSymbol: "META", Intervals: []dbngo.MappingInterval{iv(20240802, 20240804, "77")}},
		// Not resolved that day: no symbol, skipped.
		{RawSymbol: "GONE", Intervals: []dbngo.MappingInterval{iv(20240801, 20240802, "")}},
	}}
	tbl, symbols, err := newSymbolTable(m)
	if err != nil {
		t.Fatal(err)
	}
	if len(symbols) != 2 || symbols[38] != "AAPL" || symbols[40] != "AAPL" {
		t.Errorf("symbols for the whole file = %v, want 38 and 40 AAPL (77 has two)", symbols)
	}
	at := func(day int, hour int) int64 { return time.Date(2024, 8, day, hour, 0, 0, 0, time.UTC).UnixNano() }
	tests := []struct {
		id   uint32
		ts   int64
		want string
	}{
		{38, at(1, 0), "AAPL"},
		{38, at(2, 23), "AAPL"},
		{38, at(3, 0), ""}, // the end date is exclusive
		{40, at(3, 12), "AAPL"},
		{77, at(1, 23), "FB"},
		{77, at(2, 0), "META"},
		{38, at(2, 1), "AAPL"}, // the cache must not answer for another id
		{77, at(3, 5), "META"},
		{77, at(4, 0), ""},
		{99, at(1, 0), ""},
	}
	for _, tc := range tests {
		if got := tbl.lookup(tc.id, tc.ts); got != tc.want {
			t.Errorf("lookup(%d, %s) = %q, want %q", tc.id, time.Unix(0, tc.ts).UTC(), got, tc.want)
		}
	}
}

// With instrument ids as the request's input, the mapping runs the other
// way: the raw symbol is the id, the interval's symbol the ticker.
func TestSymbolsInverse(t *testing.T) {
	m := &dbngo.Metadata{StypeIn: dbngo.SType_InstrumentId, StypeOut: dbngo.SType_RawSymbol, Mappings: []dbngo.SymbolMapping{
		{RawSymbol: "38", Intervals: []dbngo.MappingInterval{{StartDate: 20240801, EndDate: 20240802, Symbol: "AAPL"}}},
	}}
	tbl, symbols, err := newSymbolTable(m)
	if err != nil {
		t.Fatal(err)
	}
	if got := tbl.lookup(38, time.Date(2024, 8, 1, 13, 0, 0, 0, time.UTC).UnixNano()); got != "AAPL" || symbols[38] != "AAPL" {
		t.Errorf("lookup = %q, symbols %v", got, symbols)
	}
}

// Mappings between two symbologies that are not instrument ids say nothing
// about the records' instruments.
func TestSymbolsWithoutInstrumentIDs(t *testing.T) {
	m := &dbngo.Metadata{StypeIn: dbngo.SType_Parent, StypeOut: dbngo.SType_RawSymbol, Mappings: []dbngo.SymbolMapping{
		{RawSymbol: "ES.FUT", Intervals: []dbngo.MappingInterval{{StartDate: 20240801, EndDate: 20240802, Symbol: "ESU4"}}},
	}}
	tbl, symbols, err := newSymbolTable(m)
	if err != nil || symbols != nil || tbl.lookup(1, 0) != "" {
		t.Errorf("got %v, %v", symbols, err)
	}
}

func TestDay(t *testing.T) {
	for ymd, want := range map[uint32]int64{19700101: 0, 20240801: 19936, 20240229: 19782} {
		if got, err := day(ymd); got != want || err != nil {
			t.Errorf("day(%d) = %d, %v; want %d", ymd, got, err, want)
		}
	}
	for _, bad := range []uint32{0, 20240230, 20241301, 20240100, 19691231, 99999999} {
		if _, err := day(bad); err == nil {
			t.Errorf("day(%d): no error", bad)
		}
	}
}
