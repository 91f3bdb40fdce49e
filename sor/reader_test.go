package sor

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// realHead is the first five rows of the real exercise file (Databento
// MBP-10 CSV, AAPL on XNAS, 2024-08-01), copied into the repository so that
// the test runs on a clean clone.
const realHead = "testdata/l1_day_head.csv"

func TestReadsRealDatabentoHead(t *testing.T) {
	rows, err := ReadFile(realHead, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 {
		t.Fatalf("got %d rows, want 5", len(rows))
	}
	// First row: 2024-08-01T13:36:32.491911683Z, XNAS (2), trade of 190 at
	// 222.81 on the ask side, book 222.81 x 222.83, 421 x 36, AAPL.
	r := rows[0]
	wantTime := time.Date(2024, 8, 1, 13, 36, 32, 491911683, time.UTC).UnixNano()
	if r.TsEvent != wantTime || r.PublisherID != 2 || r.InstrumentID != 38 || r.Action != 'T' || r.Side != 'A' ||
		r.Price != 22281*Cent || r.Size != 190 || r.BidPx != 22281*Cent || r.AskPx != 22283*Cent ||
		r.BidSz != 421 || r.AskSz != 36 || r.Symbol != "AAPL" || r.Line != 2 {
		t.Errorf("row 1 = %+v", r)
	}
	if last := rows[4]; last.Action != 'A' || last.Side != 'N' || last.AskSz != 46 || last.BidPx != 22280*Cent {
		t.Errorf("row 5 = %+v", last)
	}
	snaps := BuildSnapshots(rows, Window{})
	// Two distinct ts_event values; at the first, only the first row counts.
	if len(snaps) != 2 || snaps[0].Quotes[0].AskSize != 36 || snaps[1].Quotes[0].AskSize != 46 {
		t.Errorf("snapshots = %+v", snaps)
	}
}

func TestReaderFormats(t *testing.T) {
	tests := []struct {
		name string
		opt  ReadOptions
		csv  string
		want Row
	}{
		{"integer nanoseconds and fixed-point prices", ReadOptions{},
			"ts_event,publisher_id,ask_px_00,ask_sz_00,bid_px_00\n1722519392491911683,2,222830000000,36,9223372036854775807\n",
			Row{Line: 2, TsEvent: 1722519392491911683, PublisherID: 2, AskPx: 22283 * Cent, AskSz: 36}},
		{"columns in any order, extra columns ignored", ReadOptions{},
			"foo,ask_sz_00,ask_px_00,publisher_id,ts_event\nx,5,1.5,7,2024-01-02T03:04:05Z\n",
			Row{Line: 2, TsEvent: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC).UnixNano(), PublisherID: 7, AskPx: 3 * Dollar / 2, AskSz: 5}},
		{"fractional digits, offsets, CRLF, quotes", ReadOptions{},
			"ts_event,publisher_id,ask_px_00,ask_sz_00,symbol\r\n2024-01-02T03:04:05.5+01:00,1,\"2.0\",3,\"A,\"\"B\"\r\n",
			Row{Line: 2, TsEvent: time.Date(2024, 1, 2, 2, 4, 5, 5e8, time.UTC).UnixNano(), PublisherID: 1, AskPx: 2 * Dollar, AskSz: 3, Symbol: `A,"B`}},
		{"small integer prices are dollars when forced", ReadOptions{Prices: PriceDecimal},
			"ts_event,publisher_id,ask_px_00,ask_sz_00\n1,1,222,3\n",
			Row{Line: 2, TsEvent: 1, PublisherID: 1, AskPx: 222 * Dollar, AskSz: 3}},
		{"forced fixed point", ReadOptions{Prices: PriceFixed},
			"ts_event,publisher_id,ask_px_00,ask_sz_00\n1,1,222,3\n",
			Row{Line: 2, TsEvent: 1, PublisherID: 1, AskPx: 222, AskSz: 3}},
		{"empty ask is no quote", ReadOptions{},
			"ts_event,publisher_id,ask_px_00,ask_sz_00\n\n1,1,,0\n",
			Row{Line: 3, TsEvent: 1, PublisherID: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := NewReader(strings.NewReader(tc.csv), "x.csv", tc.opt).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 || rows[0] != tc.want {
				t.Errorf("got %+v\nwant %+v", rows, tc.want)
			}
		})
	}
}

// Auto-detection decides only on evidence that cannot mislead, wherever it
// is in the file: a decimal point means dollars, an integer of 1e9 or more
// nano-dollars (fixed point); rows with smaller integers wait for it.
func TestPriceFormatEvidence(t *testing.T) {
	const head = "ts_event,publisher_id,bid_px_00,ask_px_00,ask_sz_00\n"
	tests := []struct {
		name, csv string
		want      []Money // ask prices
		format    PriceFormat
	}{
		{"whole dollars, then a decimal point", head + "1,1,,222,3\n2,1,221.5,223,3\n3,1,,224,3\n",
			[]Money{222 * Dollar, 223 * Dollar, 224 * Dollar}, PriceDecimal},
		{"the decimal point in the same row, after the integer", "ts_event,publisher_id,ask_px_00,bid_px_00,ask_sz_00\n1,1,222,221.99,3\n",
			[]Money{222 * Dollar}, PriceDecimal},
		// $0.001 (1000000) and $0.50 (500000000) are read as fixed point once
		// a price of $1 or more (1e9) shows the format.
		{"cheap fixed point, then a dollar", head + "1,1,,1000000,3\n2,1,,500000000,3\n3,1,,1500000000,3\n",
			[]Money{Dollar / 1000, Dollar / 2, 3 * Dollar / 2}, PriceFixed},
		{"no prices at all", head + "1,1,,,0\n", []Money{NoPrice}, PriceAuto},
		// Databento's raw layout (rtype, integer ts_event) is fixed point
		// whatever the prices: $0.001 and $0.50 alone.
		{"raw layout, cheap", "ts_event,rtype,publisher_id,price,ask_px_00,ask_sz_00\n1722519392000334599,1,1,1000000,1000000,3\n1722519392000334600,1,1,500000000,500000000,3\n",
			[]Money{Dollar / 1000, Dollar / 2}, PriceFixed},
		// The layout's timestamps need not come first.
		{"raw layout, prices first", "ask_px_00,ask_sz_00,rtype,publisher_id,ts_event\n1000000,3,1,1,1722519392000334599\n",
			[]Money{Dollar / 1000}, PriceFixed},
		// pretty_px with integer timestamps: the decimal point decides.
		{"raw timestamps, pretty prices", "ts_event,rtype,publisher_id,ask_px_00,ask_sz_00\n1722519392000334599,1,1,0.500000000,3\n",
			[]Money{Dollar / 2}, PriceDecimal},
		// Without rtype, or with RFC 3339 timestamps, it is no evidence.
		{"rtype, pretty timestamps, then a decimal", "ts_event,rtype,publisher_id,ask_px_00,ask_sz_00\n2024-08-01T13:36:32Z,1,1,500,3\n2024-08-01T13:36:33Z,1,1,1.5,3\n",
			[]Money{500 * Dollar, 3 * Dollar / 2}, PriceDecimal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader(strings.NewReader(tc.csv), "p.csv", ReadOptions{})
			rows, err := r.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var got []Money
			for _, row := range rows {
				got = append(got, row.AskPx)
			}
			if !slices.Equal(got, tc.want) || r.PriceFormat() != tc.format {
				t.Errorf("got %v (%v), want %v (%v)", got, r.PriceFormat(), tc.want, tc.format)
			}
		})
	}
	// Nothing decides: refused, naming the first ambiguous price and both readings.
	_, err := NewReader(strings.NewReader(head+"1,1,,500000000,3\n2,1,,600000000,3\n"), "p.csv", ReadOptions{}).ReadAll()
	want := `p.csv:2:4 (ask_px_00): cannot tell the price format: no price with a decimal point, none of 1e9 or more in the first 65536 rows, and not Databento's raw layout (rtype column, integer ts_event): integer price 500000000 is $0.5 in fixed point, $500000000 in dollars; set the format (-prices fixed or -prices decimal): "500000000"`
	if err == nil || err.Error() != want || !errors.Is(err, ErrPriceFormat) || !errors.Is(err, ErrPriceUnknown) {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	// The look-ahead is bounded: a file of ambiguous prices fails after
	// MaxPriceLookahead rows, without holding the rest.
	long := head + strings.Repeat("1,1,,222,3\n", MaxPriceLookahead+2) + "2,1,,1.5,3\n"
	if _, err := NewReader(strings.NewReader(long), "p.csv", ReadOptions{}).Read(); !errors.Is(err, ErrPriceFormat) {
		t.Errorf("beyond the look-ahead: %v", err)
	}
}

func TestLinesAreBounded(t *testing.T) {
	for name, in := range map[string]io.Reader{
		"no line breaks": io.LimitReader(zeros{}, 1<<30),
		"one huge field": strings.NewReader("ts_event,publisher_id,ask_px_00,ask_sz_00\n1,2," + strings.Repeat("9", MaxLine+10) + ",3\n"),
		"a huge header":  strings.NewReader(strings.Repeat("x", 3*MaxLine)),
	} {
		_, err := NewReader(in, "big.csv", ReadOptions{}).Read()
		var pe *ParseError
		if !errors.Is(err, ErrLineTooLong) || !errors.As(err, &pe) || pe.Column != 1 {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestReaderErrors(t *testing.T) {
	const head = "ts_event,publisher_id,ask_px_00,ask_sz_00\n"
	tests := []struct {
		name, csv string
		opt       ReadOptions
		want      string // the whole message
		is        error
	}{
		{"empty file", "", ReadOptions{}, "bad.csv:1:1: empty file: no header row", nil},
		{"missing column", "ts_event,publisher_id,ask_px_00\n", ReadOptions{},
			`bad.csv:1:4 (ask_sz_00): missing required column "ask_sz_00" (header has 3 columns): ""`, ErrMissingColumn},
		{"negative size", head + "1,2,10.5,-3\n", ReadOptions{}, `bad.csv:2:4 (ask_sz_00): negative number: "-3"`, ErrNegative},
		{"zero price", head + "1,2,0.00,3\n", ReadOptions{}, `bad.csv:2:3 (ask_px_00): price must be > 0: "0.00"`, ErrNotPositive},
		{"negative price", head + "1,2,-1.5,3\n", ReadOptions{}, `bad.csv:2:3 (ask_px_00): negative number: "-1.5"`, ErrNegative},
		{"garbage price", head + "1,2,1x,3\n", ReadOptions{}, `bad.csv:2:3 (ask_px_00): invalid number: "1x"`, ErrNumber},
		{"too many decimals", head + "1,2,1.0000000001,3\n", ReadOptions{},
			`bad.csv:2:3 (ask_px_00): invalid number: more than 9 fractional digits: "1.0000000001"`, ErrNumber},
		{"bad timestamp", head + "2024-13-01T00:00:00Z,2,1.5,3\n", ReadOptions{},
			`bad.csv:2:1 (ts_event): invalid timestamp: not RFC 3339: "2024-13-01T00:00:00Z"`, ErrTimestamp},
		{"short row", head + "1,2,1.5\n", ReadOptions{}, `bad.csv:2:4 (ask_sz_00): wrong number of fields: row has 3 fields, header has 4: ""`, ErrFieldCount},
		{"long row", head + "1,2,1.5,3,4\n", ReadOptions{}, `bad.csv:2:5: wrong number of fields: row has more fields than the header's 4`, ErrFieldCount},
		{"mixed formats", head + "1,2,222830000000,3\n2,2,222.83,3\n", ReadOptions{},
			`bad.csv:3:3 (ask_px_00): price format does not match the file's: decimal price in a fixed-point file: "222.83"`, ErrPriceFormat},
		{"fixed-point in a decimal file", head + "1,2,222.83,3\n2,2,222830000000,3\n", ReadOptions{},
			`bad.csv:3:3 (ask_px_00): price format does not match the file's: integer price of 1e9 or more in a decimal-price file (force fixed-point prices if the file is fixed-point): "222830000000"`, ErrPriceFormat},
		{"publisher out of range", head + "1,70000,1.5,3\n", ReadOptions{}, `bad.csv:2:2 (publisher_id): invalid number: larger than 65535: "70000"`, ErrNumber},
		{"unterminated quote", head + "1,2,\"1.5,3\n", ReadOptions{}, `bad.csv:2:3 (ask_px_00): unterminated quoted field: "\"1.5,3"`, nil},
		{"duplicate column", "ts_event,publisher_id,ask_px_00,ask_sz_00,ask_px_00\n", ReadOptions{},
			`bad.csv:1:5: duplicate column name (also column 3): "ask_px_00"`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewReader(strings.NewReader(tc.csv), "bad.csv", tc.opt).ReadAll()
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got  %v\nwant %s", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("errors.Is(%v) is false", tc.is)
			}
		})
	}
}

func TestOpenDecompressesGzip(t *testing.T) {
	path := writeGzip(t, "q.csv.gz", "ts_event,publisher_id,ask_px_00,ask_sz_00\n1,2,10.5,3\n")
	rows, err := ReadFile(path, ReadOptions{})
	if err != nil || len(rows) != 1 || rows[0].AskPx != 10*Dollar+50*Cent {
		t.Errorf("got %+v, %v", rows, err)
	}
}

func TestOpenExplainsMissingZstd(t *testing.T) {
	// External tests of this package import sor/zstd; act as if none did.
	formatsMu.Lock()
	saved := formats
	formats = formats[:1]
	formatsMu.Unlock()
	defer func() { formatsMu.Lock(); formats = saved; formatsMu.Unlock() }()
	_, err := Decompress(bytes.NewReader([]byte{0x28, 0xb5, 0x2f, 0xfd, 0}), "q.csv.zst")
	if err == nil || !strings.Contains(err.Error(), `import _ "github.com/sorlab/sorlab/sor/zstd"`) {
		t.Errorf("got %v", err)
	}
}

func TestFastTimestampMatchesTimeParse(t *testing.T) {
	for _, s := range []string{"1970-01-01T00:00:00Z", "2024-02-29T23:59:59.999999999Z", "2000-03-01T00:00:00.1Z", "2261-12-31T23:59:59Z", "2024-08-01T13:36:32.491911683Z"} {
		ref, _ := time.Parse(time.RFC3339Nano, s)
		got, err := parseTimestamp([]byte(s))
		if err != nil || got != ref.UnixNano() {
			t.Errorf("%s: got %d, %v; want %d", s, got, err, ref.UnixNano())
		}
	}
}

// FuzzReader feeds arbitrary bytes after a valid header: the reader must
// never panic, every error must be a *ParseError naming a line and a column,
// and every row it accepts must hold valid values.
func FuzzReader(f *testing.F) {
	for _, s := range []string{
		"1,2,222.83,36,222.81,421,T,A,AAPL\n",
		"2024-08-01T13:36:32.491911683Z,2,222830000000,36,9223372036854775807,0,A,N,\"X\"\n",
		"1,2,,0,,0,,,\n1,2,1,1,1,1,A,B,C\r\n",
		"2024-08-01T13:36:32+02:00,2,1.5,3,1.4,2,C,A,x\n",
	} {
		f.Add([]byte(s))
	}
	const header = "ts_event,publisher_id,ask_px_00,ask_sz_00,bid_px_00,bid_sz_00,action,side,symbol\n"
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(io.MultiReader(strings.NewReader(header), bytes.NewReader(data)), "fuzz.csv", ReadOptions{})
		for {
			row, err := r.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) || pe.Line < 2 || pe.Column < 1 || pe.File != "fuzz.csv" {
					t.Fatalf("error without position: %#v", err)
				}
				return
			}
			if row.AskPx < 0 || row.BidPx < 0 || row.AskSz < 0 || row.BidSz < 0 || row.TsEvent < 0 || row.Line < 2 {
				t.Fatalf("invalid row accepted: %+v", row)
			}
		}
	})
}

// FuzzTimestamp checks that every timestamp the reader accepts is one the
// standard library reads the same way.
func FuzzTimestamp(f *testing.F) {
	f.Add("2024-08-01T13:36:32.491911683Z")
	f.Add("2024-02-30T00:00:00Z")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseTimestamp([]byte(s))
		// The date cache, primed with the same date, reads the same.
		var c timeCache
		if len(s) >= 10 {
			c.parse([]byte(s[:10] + "T00:00:00Z"))
		}
		if cg, cerr := c.parse([]byte(s)); (cerr == nil) != (err == nil) || cg != got {
			t.Fatalf("%q: cached %d, %v; plain %d, %v", s, cg, cerr, got, err)
		}
		if len(s) < 20 || s[4] != '-' {
			return // the integer form
		}
		// RFC 3339 allows lower-case t and z, which time.Parse does not.
		ref, rerr := time.Parse(time.RFC3339Nano, strings.ToUpper(s))
		if err == nil && (rerr != nil || ref.UnixNano() != got) {
			t.Fatalf("%q: fast %d, stdlib %v %v", s, got, ref.UnixNano(), rerr)
		}
	})
}

// BenchmarkReadMBP10 reads an MBP-10 file with this package's Reader and,
// as the baseline of the ratio, with encoding/csv (which splits every field
// and parses nothing).
func BenchmarkReadMBP10(b *testing.B) {
	benchRead(b, syntheticMBP10(b, 20_000), 20_000, func(r io.Reader) func() (Row, error) {
		return NewReader(r, "bench.csv", ReadOptions{}).Read
	})
}

// benchRead measures a reader of data that should give want records
// ("sor") beside encoding/csv splitting the same bytes ("encoding-csv").
func benchRead[T any](b *testing.B, data []byte, want int, open func(io.Reader) func() (T, error)) {
	b.Run("encoding-csv", func(b *testing.B) {
		benchLoop(b, data, want+1, func(r io.Reader) func() ([]string, error) {
			c := csv.NewReader(r)
			c.ReuseRecord = true
			return c.Read
		})
	})
	b.Run("sor", func(b *testing.B) { benchLoop(b, data, want, open) })
}

func benchLoop[T any](b *testing.B, data []byte, want int, open func(io.Reader) func() (T, error)) {
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		read := open(bytes.NewReader(data))
		n := 0
		for {
			_, err := read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != want {
			b.Fatal(n)
		}
	}
}

// syntheticMBP10 repeats the real file's head with increasing timestamps and
// sizes.
func syntheticMBP10(tb testing.TB, n int) []byte {
	tb.Helper()
	head, err := os.ReadFile(realHead)
	if err != nil {
		tb.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(head)), "\n")
	var buf bytes.Buffer
	buf.WriteString(lines[0] + "\n")
	t0 := time.Date(2024, 8, 1, 13, 36, 32, 0, time.UTC)
	for i := range n {
		fields := strings.Split(lines[1+i%(len(lines)-1)], ",")
		ts := t0.Add(time.Duration(i) * 7919 * time.Microsecond).Format(time.RFC3339Nano)
		fields[0], fields[1] = ts, ts
		fields[16] = itoaPlain(int64(100 + i%900))
		buf.WriteString(strings.Join(fields, ",") + "\n")
	}
	return buf.Bytes()
}

func itoaPlain(n int64) string { return strings.TrimSuffix(Money(n*int64(Dollar)).String(), ".0") }

func TestTimestampEdgeCases(t *testing.T) {
	ok := map[string]int64{
		"2024-08-01t13:36:32.5z":              time.Date(2024, 8, 1, 13, 36, 32, 5e8, time.UTC).UnixNano(),
		"2024-08-01T13:36:32.25+05:30":        time.Date(2024, 8, 1, 8, 6, 32, 25e7, time.UTC).UnixNano(),
		"2024-08-01T13:36:32.123456789-23:59": time.Date(2024, 8, 2, 13, 35, 32, 123456789, time.UTC).UnixNano(),
	}
	for s, want := range ok {
		if got, err := parseTimestamp([]byte(s)); err != nil || got != want {
			t.Errorf("%s: got %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{
		"2024-08-01T13:36:32,123456789Z",       // comma: not RFC 3339
		"2024-08-01T13:36:32.1234567891+01:00", // ten digits
		"2024-08-01T13:36:32+24:00",            // no such offset
		"2300-01-01T00:00:00Z",                 // beyond int64 nanoseconds
	} {
		if _, err := parseTimestamp([]byte(s)); !errors.Is(err, ErrTimestamp) {
			t.Errorf("%s: got %v, want ErrTimestamp", s, err)
		}
	}
}

func TestSizesAndForcedDecimalBounds(t *testing.T) {
	const head = "ts_event,publisher_id,ask_px_00,ask_sz_00\n"
	_, err := NewReader(strings.NewReader(head+"1,2,10,1099511627777\n"), "s.csv", ReadOptions{}).ReadAll()
	if err == nil || !strings.Contains(err.Error(), `s.csv:2:4 (ask_sz_00): invalid number: larger than 1099511627776`) {
		t.Errorf("oversized size: %v", err)
	}
	// Forced decimal: a $2e9 price is a (silly but valid) decimal price, not a format clash.
	rows, err := NewReader(strings.NewReader(head+"1,2,2000000000,1\n"), "d.csv", ReadOptions{Prices: PriceDecimal}).ReadAll()
	if err != nil || rows[0].AskPx != 2_000_000_000*Dollar {
		t.Errorf("forced decimal: %+v, %v", rows, err)
	}
	if _, err := NewReader(strings.NewReader(head+"1,2,9300000000,1\n"), "d.csv", ReadOptions{Prices: PriceDecimal}).ReadAll(); !errors.Is(err, ErrNumber) {
		t.Errorf("forced decimal out of range: %v", err)
	}
}

// QuotesOnly reads the quote fields only: the event's own fields stay zero
// and are not checked.
func TestQuotesOnly(t *testing.T) {
	const csv = "ts_recv,ts_event,publisher_id,action,side,price,size,bid_px_00,ask_px_00,bid_sz_00,ask_sz_00,symbol\n" +
		"garbage,5,2,T,A,not-a-price,-1,9.99,10.01,100,200,X\n"
	rows, err := NewReader(strings.NewReader(csv), "q.csv", ReadOptions{QuotesOnly: true}).ReadAll()
	want := Row{Line: 2, TsEvent: 5, PublisherID: 2, BidPx: 999 * Cent, AskPx: 1001 * Cent, BidSz: 100, AskSz: 200, Symbol: "X"}
	if err != nil || len(rows) != 1 || rows[0] != want {
		t.Errorf("got %+v, %v; want %+v", rows, err, want)
	}
	if _, err := NewReader(strings.NewReader(csv), "q.csv", ReadOptions{}).ReadAll(); err == nil {
		t.Error("a full read must check ts_recv")
	}
}

// The eight-digit shortcut reads what the digit loop reads, and refuses
// what it refuses.
func TestEightDigits(t *testing.T) {
	for _, s := range []string{"00000000", "12345678", "99999999", "90000001", "1234567a", "1234:678", "/2345678", "12345678"} {
		got, ok := eightDigits([]byte(s))
		want, err := strconv.ParseUint(s, 10, 64)
		if ok != (err == nil) || (ok && got != want) {
			t.Errorf("%q: got %d, %v; want %d, %v", s, got, ok, want, err)
		}
	}
	for i := range 256 {
		b := []byte("12345678")
		b[i%8] = byte(i)
		got, ok := eightDigits(b)
		want, err := strconv.ParseUint(string(b), 10, 64)
		if ok != (err == nil) || (ok && got != want) {
			t.Errorf("%q: got %d, %v; want %d, %v", b, got, ok, want, err)
		}
	}
}
