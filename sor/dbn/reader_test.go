package dbn

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	dbngo "github.com/NimbleMarkets/dbn-go"
	"github.com/klauspost/compress/zstd"
	"github.com/sorlab/sorlab/sor"
	_ "github.com/sorlab/sorlab/sor/zstd"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFixturesAreTheirCSV(t *testing.T) {
	for _, f := range dbnFixtures() {
		got := readFixture(t, f.name)
		want := encodeFixture(t, readFixture(t, f.csv), dbnFixture{csv: f.csv, version: f.version})
		if f.zstd {
			d, err := zstd.NewReader(nil)
			if err != nil {
				t.Fatal(err)
			}
			if got, err = d.DecodeAll(got, nil); err != nil {
				t.Fatalf("%s: %v", f.name, err)
			}
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not the encoding of %s: run go test ./sor/dbn -update", f.name, f.csv)
		}
	}
	for _, name := range []string{"mbp1.csv", "mbp10.csv", "two.csv"} {
		if !bytes.Equal(readFixture(t, rawName(name)), rawCSV(t, readFixture(t, name))) {
			t.Errorf("%s is not the raw form of %s: run go test ./sor/dbn -update", rawName(name), name)
		}
	}
}

// The point of the package: a DBN file reads to exactly the rows of its CSV
// export, every field, and the exercise's JSON is the same byte for byte.
func TestDBNReadsAsItsCSV(t *testing.T) {
	cfg := sor.DefaultConfig()
	cfg.OrderSize = 1000
	for _, f := range dbnFixtures() {
		t.Run(f.name, func(t *testing.T) {
			want, err := sor.ReadFile(filepath.Join("testdata", f.csv), sor.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			raw, err := sor.ReadFile(filepath.Join("testdata", rawName(f.csv)), sor.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(raw, want) {
				t.Fatalf("%s and %s read differently", rawName(f.csv), f.csv)
			}
			got, err := sor.ReadFile(filepath.Join("testdata", f.name), sor.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d rows, CSV has %d", len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("row %d:\n dbn %+v\n csv %+v", i, got[i], want[i])
				}
			}
			jw, err := sor.RunRows(want, sor.Window{}, cfg)
			if err != nil {
				t.Fatal(err)
			}
			jg, err := sor.RunRows(got, sor.Window{}, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := jg.Summary().JSON(), jw.Summary().JSON(); !bytes.Equal(g, w) {
				t.Errorf("JSON differs:\n dbn %s\n csv %s", g, w)
			}
		})
	}
}

// The fixtures must hold what the comparison is meant to cover.
func TestFixturesCoverTheCases(t *testing.T) {
	rows, err := sor.ReadFile("testdata/mbp1.csv", sor.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	venues := map[int]bool{}
	var undefined, trades int
	for _, r := range rows {
		venues[r.PublisherID] = true
		if r.Price == sor.NoPrice && r.AskPx == sor.NoPrice && r.BidPx == sor.NoPrice {
			undefined++
		}
		if r.Action == 'T' {
			trades++
		}
	}
	if len(rows) != 41 || len(venues) != 3 || undefined != 1 {
		t.Errorf("mbp1.csv: %d rows, %d venues, %d rows without prices; want 41, 3, 1", len(rows), len(venues), undefined)
	}
	two, err := sor.ReadFile("testdata/two.csv", sor.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, r := range two {
		count[fmt.Sprint(r.InstrumentID, " ", r.Symbol)]++
	}
	if len(count) != 2 || count["38 AAPL"] != 24 || count["99 XYZ"] != 24 {
		t.Errorf("two.csv: instruments %v, want 24 rows of 38 AAPL and of 99 XYZ", count)
	}
}

// A record decoded by hand: the first of mbp1.v3.dbn, against the first
// line of mbp1.csv.
func TestFirstRecord(t *testing.T) {
	r, err := NewReader(bytes.NewReader(readFixture(t, "mbp1.v3.dbn")), "mbp1.v3.dbn")
	if err != nil {
		t.Fatal(err)
	}
	row, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	// mbp1.csv line 2: 2024-08-01T13:36:32.000347446Z,2024-08-01T13:36:32.000334599Z,
	// 1,2,38,C,B,0,221.59,75,128,12847,21914795,221.59,221.60,200,500,2,1,AAPL
	// and 2024-08-01T13:36:32Z is 1722519392 s after the epoch.
	want := sor.Row{Line: 2, TsRecv: 1722519392_000347446, TsEvent: 1722519392_000334599, PublisherID: 2, InstrumentID: 38,
		Action: 'C', Side: 'B', Price: 221_590_000_000, Size: 75, BidPx: 221_590_000_000, AskPx: 221_600_000_000,
		BidSz: 200, AskSz: 500, Symbol: "AAPL"}
	if row != want {
		t.Errorf("first row:\n got  %+v\n want %+v", row, want)
	}
	if info := r.Info(); info.Format != "dbn v3 mbp-1" || info.Prices != sor.PriceFixed || len(info.Symbols) != 1 || info.Symbols[38] != "AAPL" {
		t.Errorf("Info() = %+v", info)
	}
}

func TestInfo(t *testing.T) {
	tests := []struct {
		file, format string
		symbols      map[uint32]string
	}{
		{"mbp1.v1.dbn", "dbn v1 mbp-1", map[uint32]string{38: "AAPL"}},
		{"mbp10.v2.dbn.zst", "dbn v2 mbp-10", map[uint32]string{38: "AAPL"}},
		{"two.v3.dbn", "dbn v3 mbp-1", map[uint32]string{38: "AAPL", 99: "XYZ"}},
	}
	for _, tc := range tests {
		rr, err := sor.OpenRows(filepath.Join("testdata", tc.file), sor.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		info := rr.Info()
		rr.Close()
		if info.Format != tc.format || info.Prices != sor.PriceFixed || !mapsEqual(info.Symbols, tc.symbols) {
			t.Errorf("%s: Info() = %+v, want %s, fixed-point, %v", tc.file, info, tc.format, tc.symbols)
		}
	}
}

func mapsEqual(a, b map[uint32]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// The reader returns io.EOF again after the end, and keeps returning an
// error once it has returned one.
func TestReadAfterEnd(t *testing.T) {
	r, err := NewReader(bytes.NewReader(readFixture(t, "mbp1.v2.dbn")), "x")
	if err != nil {
		t.Fatal(err)
	}
	n, err := count(r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Read(); err != io.EOF || n != 41 {
		t.Errorf("%d rows, then %v; want 41 then EOF", n, err)
	}
}

func TestEncodeRecordRoundTrip(t *testing.T) {
	m := dbngo.Mbp1Msg{
		Header: dbngo.RHeader{RType: dbngo.RType_Mbp1, PublisherID: 5, InstrumentID: 38, TsEvent: 1722519392000000001},
		Price:  221600000000, Size: 300, Action: 'A', Side: 'B', Flags: 128, Depth: 0,
		TsRecv: 1722519392000012345, TsInDelta: -7, Sequence: 99,
	}
	lv := dbngo.BidAskPair{BidPx: 221590000000, AskPx: undefPrice, BidSz: 1, AskSz: 2, BidCt: 3, AskCt: 4}
	b := appendMbp(nil, &m, []dbngo.BidAskPair{lv})
	var got dbngo.Mbp1Msg
	if err := got.Fill_Raw(b); err != nil {
		t.Fatal(err)
	}
	m.Header.Length, m.Level = dbngo.Mbp1Msg_Size/4, lv
	if len(b) != dbngo.Mbp1Msg_Size || got != m {
		t.Errorf("mbp-1: %d bytes, decoded %+v\nwant %+v", len(b), got, m)
	}

	levels := make([]dbngo.BidAskPair, 10)
	for i := range levels {
		levels[i] = dbngo.BidAskPair{BidPx: int64(i), AskPx: int64(100 + i), BidSz: uint32(200 + i), AskSz: uint32(300 + i), BidCt: uint32(400 + i), AskCt: uint32(500 + i)}
	}
	m.Header.Length, m.Header.RType = 0, dbngo.RType_Mbp10
	b = appendMbp(nil, &m, levels)
	var got10 dbngo.Mbp10Msg
	if err := got10.Fill_Raw(b); err != nil {
		t.Fatal(err)
	}
	if len(b) != dbngo.Mbp10Msg_Size || got10.Header.Length != dbngo.Mbp10Msg_Size/4 || got10.TsRecv != m.TsRecv || !slices.Equal(got10.Levels[:], levels) {
		t.Errorf("mbp-10: %d bytes, decoded %+v", len(b), got10)
	}
}

func TestEncodeMetadataMatchesDbnGo(t *testing.T) {
	m := &dbngo.Metadata{
		VersionNum: 2, Schema: dbngo.Schema_Mbp10, Dataset: "XNAS.ITCH", Start: 1, End: 2,
		StypeIn: dbngo.SType_RawSymbol, StypeOut: dbngo.SType_InstrumentId,
		Symbols: []string{"AAPL", "XYZ"}, NotFound: []string{"NOPE"},
		Mappings: []dbngo.SymbolMapping{{RawSymbol: "AAPL", Intervals: []dbngo.MappingInterval{{StartDate: 20240801, EndDate: 20240802, Symbol: "38"}}}},
	}
	var want bytes.Buffer
	if err := m.Write(&want); err != nil {
		t.Fatal(err)
	}
	if got := appendMetadata(nil, m); !bytes.Equal(got, want.Bytes()) {
		t.Errorf("version 2 metadata differs from dbn-go's:\n got  %x\n want %x", got, want.Bytes())
	}
	m.VersionNum = 3
	v3 := appendMetadata(nil, m)
	back, err := dbngo.ReadMetadata(bytes.NewReader(v3))
	if err != nil {
		t.Fatal(err)
	}
	if len(v3)%8 != 0 || back.VersionNum != 3 || back.Dataset != "XNAS.ITCH" || !slices.Equal(back.Symbols, m.Symbols) || len(back.Mappings) != 1 || back.Mappings[0].Intervals[0] != m.Mappings[0].Intervals[0] {
		t.Errorf("version 3 metadata: %d bytes, read back as %+v", len(v3), back)
	}
}

// Reading streams: a record costs no allocation, so memory does not grow
// with the file.
func TestReadDoesNotAllocate(t *testing.T) {
	plain := readFixture(t, "mbp10.v3.dbn")
	const head = 360
	big := bytes.Clone(plain)
	for range 30 {
		big = append(big, plain[head:]...)
	}
	r, err := NewReader(bytes.NewReader(big), "big.dbn")
	if err != nil {
		t.Fatal(err)
	}
	if allocs := testing.AllocsPerRun(1000, func() {
		if _, err := r.Read(); err != nil {
			t.Fatal(err)
		}
	}); allocs != 0 {
		t.Errorf("%v allocations per record", allocs)
	}
}
