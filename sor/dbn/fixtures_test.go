package dbn

// The fixtures in testdata/ and how they are made. `go test ./sor/dbn -update`
// rewrites them all:
//
//   - mbp1.csv: MBP-1 CSV in the layout of Databento's CSV export with
//     pretty_ts and pretty_px on (RFC 3339 timestamps, decimal prices, an
//     undefined price empty; the prices have the simulator's two decimals
//     where Databento writes nine, which reads the same), the first 40
//     events of the project's simulator (sor/sim) on three venues (XNAS 2,
//     BATS 5, IEXG 38) for instrument 38 "AAPL" near $221.60, then a book
//     clear at BATS whose prices are undefined.
//   - mbp10.csv: the same records as MBP-10: levels 01-09 added a cent
//     apart behind level 00.
//   - two.csv: two instruments interleaved by ts_recv: 38 "AAPL" near $221.60
//     and 99 "XYZ" near $22.16, 24 events each on the same venues.
//   - X.raw.csv: the same records as Databento's CSV export writes them by
//     default (pretty_ts and pretty_px off): integer nanosecond timestamps,
//     prices in 1e-9 units, an undefined price 9223372036854775807. Made
//     from X.csv by rawCSV below, which reads the text itself (not through
//     package sor), so that comparing a DBN file's JSON with its raw CSV's
//     is not comparing sor with itself.
//   - X.vN.dbn and X.vN.dbn.zst: the records of X.csv in DBN version N
//     (1, 2, 3), written by encode_test.go's encoder, with the metadata's
//     symbol mappings for every instrument; zstd by klauspost/compress.
//
//   - bad/*: damaged DBN files for the command's tests (sor/cmd/backtest
//     TestBadDBNInput), each the encoding of mbp1.csv spoilt as badFixtures
//     says.
//
// Without -update, TestFixturesAreTheirCSV checks that every DBN file is
// exactly the encoding of its CSV file, so the CSV is the one source of
// truth and nobody edits a DBN file by hand; TestBadFixtures does the same
// for bad/.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	dbngo "github.com/NimbleMarkets/dbn-go"
	"github.com/klauspost/compress/zstd"
	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/sim"
)

var update = flag.Bool("update", false, "rewrite testdata/ from the simulator")

// dbnFixture is one DBN file of testdata/ and the CSV file it encodes.
type dbnFixture struct {
	csv, name string
	version   uint8
	zstd      bool
}

func dbnFixtures() []dbnFixture {
	var fs []dbnFixture
	for _, base := range []string{"mbp1", "mbp10", "two"} {
		for v := uint8(1); v <= 3; v++ {
			for _, z := range []bool{false, true} {
				name := fmt.Sprintf("%s.v%d.dbn", base, v)
				if z {
					name += ".zst"
				}
				fs = append(fs, dbnFixture{csv: base + ".csv", name: name, version: v, zstd: z})
			}
		}
	}
	return fs
}

func TestUpdateFixtures(t *testing.T) {
	if !*update {
		t.Skip("-update not set")
	}
	mbp1 := simCSV(t, "AAPL", 38, 221.59, 1, 40, true)
	two := mergeByTsRecv(t, simCSV(t, "AAPL", 38, 221.59, 2, 24, false), simCSV(t, "XYZ", 99, 22.15, 3, 24, false))
	files := map[string][]byte{"mbp1.csv": mbp1, "mbp10.csv": toMBP10(t, mbp1), "two.csv": two}
	for name, data := range files {
		writeFixture(t, name, data)
		writeFixture(t, rawName(name), rawCSV(t, data))
	}
	for _, f := range dbnFixtures() {
		writeFixture(t, f.name, encodeFixture(t, files[f.csv], f))
	}
	if err := os.MkdirAll(filepath.Join("testdata", "bad"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range badFixtures(t, mbp1) {
		writeFixture(t, name, data)
	}
}

// badFixtures are the damaged files of testdata/bad, made from the MBP-1
// CSV fixture by the encoder:
//
//	cut.v3.dbn          the DBN file cut inside its sixth record
//	cut.v3.dbn.zst      the same cut file, compressed whole
//	cutzstd.v3.dbn.zst  the whole file compressed, the compressed data cut in half
//	magic.dbn           the DBN file with "DBX" for its magic "DBN"
//	trades.v3.dbn       a trades (mbp-0) file: the records without their book
//	mbo.v3.dbn          an mbo file: the records as orders
//	lie.v3.dbn          the third record's length byte says 24 words, not 20
func badFixtures(t testing.TB, mbp1 []byte) map[string][]byte {
	recs := parseFixtureCSV(t, mbp1)
	good := encodeFixture(t, mbp1, dbnFixture{version: 3})
	zst := func(b []byte) []byte {
		enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
		if err != nil {
			t.Fatal(err)
		}
		return enc.EncodeAll(b, nil)
	}
	h := len(encodeMetadata(fixtureMetadata(recs, 3, dbngo.Schema_Mbp1)))
	cut := good[:h+5*dbngo.Mbp1Msg_Size+30]
	trades := encodeMetadata(fixtureMetadata(recs, 3, dbngo.Schema_Trades))
	lie := encodeMetadata(fixtureMetadata(recs, 3, dbngo.Schema_Mbp1))
	var orders []sor.MBO
	for i, r := range recs {
		m := r.m
		m.Header.RType = dbngo.RType_Mbp0
		trades = appendMbp(trades, &m, nil)
		if i == 2 {
			m = r.m
			m.Header.Length = 24
			lie = appendMbp(lie, &m, r.levels[:1])
		} else {
			lie = appendMbp(lie, &r.m, r.levels[:1])
		}
		price := sor.Money(r.m.Price)
		if r.m.Price == undefPrice {
			price = sor.NoPrice
		}
		orders = append(orders, sor.MBO{TsRecv: int64(r.m.TsRecv), TsEvent: int64(r.m.Header.TsEvent), PublisherID: int(r.m.Header.PublisherID),
			InstrumentID: r.m.Header.InstrumentID, Action: 'A', Side: 'B', Price: price, Size: int64(r.m.Size), OrderID: uint64(i + 1), Symbol: r.symbol})
	}
	whole := zst(good)
	return map[string][]byte{
		"bad/cut.v3.dbn":         cut,
		"bad/cut.v3.dbn.zst":     zst(cut),
		"bad/cutzstd.v3.dbn.zst": whole[:len(whole)/2],
		"bad/magic.dbn":          append([]byte("DBX"), good[3:]...),
		"bad/trades.v3.dbn":      trades,
		"bad/mbo.v3.dbn":         mboDBNBytes(orders, 3),
		"bad/lie.v3.dbn":         lie,
	}
}

func writeFixture(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join("testdata", name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// rawName is the name of the raw form of a pretty CSV fixture.
func rawName(pretty string) string { return strings.TrimSuffix(pretty, ".csv") + ".raw.csv" }

// rawCSV rewrites pretty CSV as Databento's default (raw) CSV export:
// ts_recv and ts_event as integer nanoseconds, every price column (price,
// bid_px_NN, ask_px_NN) as an integer count of 1e-9 dollars, an empty
// price as UNDEF_PRICE (2^63 − 1); the other fields as they are.
func rawCSV(t testing.TB, pretty []byte) []byte {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(pretty)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	w.Write(recs[0])
	for _, rec := range recs[1:] {
		row := slices.Clone(rec)
		for i, name := range recs[0] {
			switch {
			case name == "ts_recv" || name == "ts_event":
				row[i] = strconv.FormatUint(nanos(t, rec[i]), 10)
			case name == "price" || strings.HasPrefix(name, "bid_px_") || strings.HasPrefix(name, "ask_px_"):
				row[i] = strconv.FormatInt(fixed(t, rec[i]), 10)
			}
		}
		w.Write(row)
	}
	w.Flush()
	return out.Bytes()
}

// simCSV runs the simulator on three venues and returns its first n events
// as Databento MBP-1 CSV; clear adds a book clear at BATS after them.
func simCSV(t *testing.T, symbol string, id uint32, bid float64, seed uint64, n int, clear bool) []byte {
	t.Helper()
	p := sim.DefaultParams()
	p.Symbol, p.InstrumentID, p.StartPrice = symbol, id, bid
	var vs []sim.Venue
	total := 0.0
	for _, v := range p.Venues {
		if v.PublisherID == 2 || v.PublisherID == 5 || v.PublisherID == 38 {
			vs = append(vs, v)
			total += v.Share
		}
	}
	for i := range vs {
		vs[i].Share /= total
	}
	p.Venues = vs
	s, err := sim.New(p, seed)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := sim.NewWriter(&buf, symbol, id)
	var last sim.Row
	enough := errors.New("enough rows")
	k := 0
	err = s.Run(func(r *sim.Row) error {
		last = *r
		if err := w.Write(r); err != nil {
			return err
		}
		if k++; k == n {
			return enough
		}
		return nil
	})
	if err != enough {
		t.Fatalf("simulator: %v after %d rows", err, k)
	}
	if clear {
		// Databento's clear ('R'): the venue's book is empty, every price undefined.
		w.Write(&sim.Row{TsRecv: last.TsRecv + 1000, TsEvent: last.TsEvent + 1000, Publisher: 5, Action: 'R', Side: 'N',
			Price: sim.UndefPrice, BidPx: sim.UndefPrice, AskPx: sim.UndefPrice, Flags: sim.FlagLast, Sequence: last.Sequence + 1})
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// mergeByTsRecv interleaves the rows of two CSV files with the same header
// in ts_recv order (the first file's row first on a tie). The timestamps
// are all RFC 3339 with nine fractional digits, so text order is time order.
func mergeByTsRecv(t *testing.T, a, b []byte) []byte {
	t.Helper()
	la, lb := strings.SplitAfter(string(a), "\n"), strings.SplitAfter(string(b), "\n")
	if la[0] != lb[0] {
		t.Fatal("different headers")
	}
	out := []string{la[0]}
	la, lb = la[1:len(la)-1], lb[1:len(lb)-1] // header and the empty string after the last newline
	for len(la) > 0 || len(lb) > 0 {
		if len(lb) == 0 || len(la) > 0 && la[0][:30] <= lb[0][:30] {
			out, la = append(out, la[0]), la[1:]
		} else {
			out, lb = append(out, lb[0]), lb[1:]
		}
	}
	return []byte(strings.Join(out, ""))
}

// toMBP10 turns MBP-1 CSV into MBP-10 CSV: rtype 10 and nine more levels
// per side, each a cent behind the previous one with 100 more shares and one
// more order.
func toMBP10(t *testing.T, mbp1 []byte) []byte {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(mbp1)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := recs[0]
	col := columns(head)
	first, last := col["bid_px_00"], col["ask_ct_00"]
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	for i, rec := range recs {
		var levels []string
		for k := range 10 {
			if i == 0 {
				for _, f := range []string{"bid_px", "ask_px", "bid_sz", "ask_sz", "bid_ct", "ask_ct"} {
					levels = append(levels, fmt.Sprintf("%s_%02d", f, k))
				}
				continue
			}
			if k == 0 {
				levels = append(levels, rec[first:last+1]...)
				continue
			}
			bid := shiftCents(t, rec[col["bid_px_00"]], -k)
			ask := shiftCents(t, rec[col["ask_px_00"]], +k)
			bsz, bct := deeper(rec[col["bid_sz_00"]], bid, k)
			asz, act := deeper(rec[col["ask_sz_00"]], ask, k)
			levels = append(levels, bid, ask, bsz, asz, bct, act)
		}
		row := slices.Concat(rec[:first], levels, rec[last+1:])
		if i > 0 {
			row[col["rtype"]] = "10"
		}
		w.Write(row)
	}
	w.Flush()
	return out.Bytes()
}

// shiftCents moves a two-decimal price by k cents; "" (undefined) stays.
func shiftCents(t *testing.T, px string, k int) string {
	if px == "" {
		return ""
	}
	dot := strings.IndexByte(px, '.')
	if dot < 0 || len(px)-dot != 3 {
		t.Fatalf("price %q: want two decimals", px)
	}
	cents, err := strconv.Atoi(px[:dot] + px[dot+1:])
	if err != nil {
		t.Fatal(err)
	}
	cents += k
	return fmt.Sprintf("%d.%02d", cents/100, cents%100)
}

// deeper is the size and order count at level k: level 0's size plus 100
// per level, and k+1 orders; nothing when the level has no price.
func deeper(sz0, px string, k int) (size, count string) {
	if px == "" {
		return "0", "0"
	}
	n, _ := strconv.Atoi(sz0)
	return strconv.Itoa(n + 100*k), strconv.Itoa(k + 1)
}

func columns(head []string) map[string]int {
	col := map[string]int{}
	for i, name := range head {
		col[name] = i
	}
	return col
}

// fixtureRecord is one CSV row as DBN fields, parsed independently of
// package sor so that the reader's mapping is checked against the text.
type fixtureRecord struct {
	m      dbngo.Mbp1Msg
	levels []dbngo.BidAskPair
	symbol string
}

func parseFixtureCSV(t testing.TB, data []byte) []fixtureRecord {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := columns(recs[0])
	var out []fixtureRecord
	for _, rec := range recs[1:] {
		f := func(name string) string {
			i, ok := col[name]
			if !ok {
				t.Fatalf("no column %s", name)
			}
			return rec[i]
		}
		u := func(name string) uint64 {
			v, err := strconv.ParseUint(f(name), 10, 64)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return v
		}
		var r fixtureRecord
		r.m.Header = dbngo.RHeader{RType: dbngo.RType(u("rtype")), PublisherID: uint16(u("publisher_id")),
			InstrumentID: uint32(u("instrument_id")), TsEvent: nanos(t, f("ts_event"))}
		r.m.Price, r.m.Size = fixed(t, f("price")), uint32(u("size"))
		r.m.Action, r.m.Side = f("action")[0], f("side")[0]
		r.m.Flags, r.m.Depth = uint8(u("flags")), uint8(u("depth"))
		r.m.TsRecv = nanos(t, f("ts_recv"))
		delta, err := strconv.ParseInt(f("ts_in_delta"), 10, 32)
		if err != nil {
			t.Fatal(err)
		}
		r.m.TsInDelta, r.m.Sequence = int32(delta), uint32(u("sequence"))
		for k := 0; ; k++ {
			if _, ok := col[fmt.Sprintf("bid_px_%02d", k)]; !ok {
				break
			}
			l := func(name string) string { return fmt.Sprintf("%s_%02d", name, k) }
			r.levels = append(r.levels, dbngo.BidAskPair{
				BidPx: fixed(t, f(l("bid_px"))), AskPx: fixed(t, f(l("ask_px"))),
				BidSz: uint32(u(l("bid_sz"))), AskSz: uint32(u(l("ask_sz"))),
				BidCt: uint32(u(l("bid_ct"))), AskCt: uint32(u(l("ask_ct"))),
			})
		}
		r.symbol = f("symbol")
		out = append(out, r)
	}
	return out
}

func nanos(t testing.TB, s string) uint64 {
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return uint64(tm.UnixNano())
}

// fixed reads a decimal price into 1e-9 units; "" is UNDEF_PRICE.
func fixed(t testing.TB, s string) int64 {
	if s == "" {
		return undefPrice
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 9 {
		t.Fatalf("price %q: more than nine decimals", s)
	}
	n, err := strconv.ParseInt(whole+frac+strings.Repeat("0", 9-len(frac)), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// fixtureMetadata is the metadata Databento would write for the records: a
// request for their symbols (stype_in raw_symbol) resolved to instrument ids,
// one mapping interval per symbol over the UTC dates of its ts_recv.
func fixtureMetadata(recs []fixtureRecord, version uint8, schema dbngo.Schema) *dbngo.Metadata {
	m := &dbngo.Metadata{
		VersionNum: version, Schema: schema, Dataset: "SORLAB.SIM",
		Start: recs[0].m.Header.TsEvent, End: recs[len(recs)-1].m.Header.TsEvent + 1,
		StypeIn: dbngo.SType_RawSymbol, StypeOut: dbngo.SType_InstrumentId,
	}
	ymd := func(ns uint64) uint32 { return dbngo.TimeToYMD(time.Unix(0, int64(ns)).UTC()) }
	index := map[string]int{}
	for _, r := range recs {
		d := ymd(r.m.TsRecv)
		i, seen := index[r.symbol]
		if !seen {
			i = len(m.Mappings)
			index[r.symbol] = i
			m.Symbols = append(m.Symbols, r.symbol)
			m.Mappings = append(m.Mappings, dbngo.SymbolMapping{RawSymbol: r.symbol, Intervals: []dbngo.MappingInterval{
				{StartDate: d, Symbol: strconv.FormatUint(uint64(r.m.Header.InstrumentID), 10)}}})
		}
		end := ymd(r.m.TsRecv + 86400e9)
		m.Mappings[i].Intervals[0].EndDate = max(m.Mappings[i].Intervals[0].EndDate, end)
	}
	return m
}

// encodeFixture writes the records of a CSV fixture as f asks.
func encodeFixture(t testing.TB, csvData []byte, f dbnFixture) []byte {
	t.Helper()
	recs := parseFixtureCSV(t, csvData)
	schema, rtype, depth := dbngo.Schema_Mbp1, dbngo.RType_Mbp1, 1
	if len(recs[0].levels) == 10 {
		schema, rtype, depth = dbngo.Schema_Mbp10, dbngo.RType_Mbp10, 10
	}
	b := encodeMetadata(fixtureMetadata(recs, f.version, schema))
	for _, r := range recs {
		if r.m.Header.RType != rtype {
			t.Fatalf("rtype %d in a %s file", r.m.Header.RType, schema)
		}
		b = appendMbp(b, &r.m, r.levels[:depth])
	}
	if f.zstd {
		enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
		if err != nil {
			t.Fatal(err)
		}
		b = enc.EncodeAll(b, nil)
	}
	return b
}
