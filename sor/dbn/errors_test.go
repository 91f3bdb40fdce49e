package dbn

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	dbngo "github.com/NimbleMarkets/dbn-go"
	"github.com/klauspost/compress/zstd"
	"github.com/sorlab/sorlab/sor"
)

// count reads rows to the end: how many, and the error that ended them
// (nil at io.EOF).
func count(rr sor.RowReader) (int, error) {
	for n := 0; ; n++ {
		if _, err := rr.Read(); err != nil {
			if err == io.EOF {
				return n, nil
			}
			return n, err
		}
	}
}

// readAll reads a DBN stream to its end (see count).
func readAll(data []byte, name string) (int, error) {
	r, err := NewReader(bytes.NewReader(data), name)
	if err != nil {
		return 0, err
	}
	return count(r)
}

func TestBadInput(t *testing.T) {
	recs := parseFixtureCSV(t, readFixture(t, "mbp1.csv"))[:3]
	meta := func(edit func(*dbngo.Metadata)) []byte {
		m := fixtureMetadata(recs, 3, dbngo.Schema_Mbp1)
		if edit != nil {
			edit(m)
		}
		return encodeMetadata(m)
	}
	head := meta(nil)
	h := len(head)
	// rec encodes record i of the fixture after edit, as an MBP-1 record.
	rec := func(i int, edit func(*dbngo.Mbp1Msg, *dbngo.BidAskPair)) []byte {
		m, lv := recs[i].m, recs[i].levels[0]
		if edit != nil {
			edit(&m, &lv)
		}
		return appendMbp(nil, &m, []dbngo.BidAskPair{lv})
	}
	good := bytes.Join([][]byte{head, rec(0, nil), rec(1, nil), rec(2, nil)}, nil)
	zeroLength := rec(0, nil)
	zeroLength[0] = 0 // the encoder writes the true length for a Length of 0
	prefixWithLength := func(n uint32) []byte {
		return binary.LittleEndian.AppendUint32([]byte("DBN\x03"), n)
	}
	tests := []struct {
		name string
		data []byte
		is   error
		want string
	}{
		{"empty", nil, ErrNotDBN, `x.dbn: byte 0, metadata: not a DBN stream: starts with ""`},
		{"zip", []byte("PK\x03\x04\x14\x00\x00\x00"), ErrNotDBN, `x.dbn: byte 0, metadata: not a DBN stream: starts with "PK\x03\x04\x14\x00\x00\x00"`},
		{"version 4", append([]byte("DBN\x04"), good[4:]...), ErrVersion, "x.dbn: byte 3, metadata: unsupported DBN version 4: sorlab reads versions 1, 2 and 3"},
		{"version 0 (DBZ)", append([]byte("DBN\x00"), good[4:]...), ErrVersion, "x.dbn: byte 3, metadata: unsupported DBN version 0: sorlab reads versions 1, 2 and 3"},
		{"prefix cut", good[:6], ErrTruncated, "x.dbn: byte 0, metadata: truncated: the file ends after 6 of the metadata header's 8 bytes"},
		{"metadata cut", good[:50], ErrTruncated, fmt.Sprintf("x.dbn: byte 0, metadata: truncated: the file ends after 50 of the metadata header's %d bytes", h)},
		{"metadata length too long", append(prefixWithLength(1<<31), good[8:]...), ErrMetadata,
			"x.dbn: byte 4, metadata: bad metadata: 2147483648 bytes of metadata announced, more than sorlab reads (1073741824)"},
		{"metadata length lies, file short", append(prefixWithLength(1<<29), good[8:]...), ErrTruncated,
			fmt.Sprintf("x.dbn: byte 0, metadata: truncated: the file ends after %d of the metadata header's %d bytes", len(good), 8+1<<29)},
		{"metadata length too short", append(prefixWithLength(40), good[8:]...), ErrMetadata, "x.dbn: byte 4, metadata: bad metadata: 40 bytes of metadata announced, at least 120 needed"},
		{"schema trades", meta(func(m *dbngo.Metadata) { m.Schema = dbngo.Schema_Trades }), ErrSchema,
			"x.dbn: byte 24, metadata: unsupported schema trades: sorlab reads the mbp-1 and mbp-10 schemas"},
		{"schema mbo", meta(func(m *dbngo.Metadata) { m.Schema = dbngo.Schema_Mbo }), ErrSchema,
			"x.dbn: byte 24, metadata: unsupported schema mbo: sorlab reads the mbp-1 and mbp-10 schemas"},
		{"schema ohlcv-1m", meta(func(m *dbngo.Metadata) { m.Schema = dbngo.Schema_Ohlcv1M }), ErrSchema,
			"x.dbn: byte 24, metadata: unsupported schema ohlcv-1m: sorlab reads the mbp-1 and mbp-10 schemas"},
		{"schema tbbo", meta(func(m *dbngo.Metadata) { m.Schema = dbngo.Schema_Tbbo }), ErrSchema,
			"x.dbn: byte 24, metadata: unsupported schema tbbo: sorlab reads the mbp-1 and mbp-10 schemas"},
		{"schema mixed (live)", meta(func(m *dbngo.Metadata) { m.Schema = dbngo.Schema_Mixed }), ErrSchema,
			"x.dbn: byte 24, metadata: unsupported schema mixed: sorlab reads the mbp-1 and mbp-10 schemas"},
		{"schema unknown", meta(func(m *dbngo.Metadata) { m.Schema = 77 }), ErrSchema,
			"x.dbn: byte 24, metadata: unsupported schema 77: sorlab reads the mbp-1 and mbp-10 schemas"},
		{"schema definition", meta(func(m *dbngo.Metadata) { m.SchemaDefinition = []byte{1, 2, 3} }), ErrMetadata,
			"x.dbn: byte 108, metadata: bad metadata: a schema definition of 3 bytes (DBN reserves it, always empty)"},
		{"mapping to no number", meta(func(m *dbngo.Metadata) { m.Mappings[0].Intervals[0].Symbol = "AAPL.O" }), ErrMetadata,
			`x.dbn: byte 8, metadata: bad metadata: symbol mapping "AAPL": instrument id "AAPL.O" is not a number`},
		{"mapping to no date", meta(func(m *dbngo.Metadata) { m.Mappings[0].Intervals[0].EndDate = 20241301 }), ErrMetadata,
			`x.dbn: byte 8, metadata: bad metadata: symbol mapping "AAPL": end date 20241301 is not a YYYYMMDD date from 1970 on`},
		{"record cut", good[:h+80+37], ErrTruncated, fmt.Sprintf("x.dbn: byte %d, record 2: truncated: the file ends after 37 of the record's 80 bytes", h+80)},
		{"record cut after its header", good[:h+80+1], ErrTruncated, fmt.Sprintf("x.dbn: byte %d, record 2: truncated: the file ends after 1 of the record's 80 bytes", h+80)},
		{"record length lies", slicesConcat(head, rec(0, nil), rec(1, func(m *dbngo.Mbp1Msg, _ *dbngo.BidAskPair) { m.Header.Length = 21 })), ErrRecordLength,
			fmt.Sprintf("x.dbn: byte %d, record 2: record length does not match the schema: the length byte says 84 bytes (21 words), an mbp-1 record is 80", h+80)},
		{"record length 255", slicesConcat(head, rec(0, func(m *dbngo.Mbp1Msg, _ *dbngo.BidAskPair) { m.Header.Length = 0xff }), rec(1, nil)), ErrRecordLength,
			fmt.Sprintf("x.dbn: byte %d, record 1: record length does not match the schema: the length byte says 1020 bytes (255 words), an mbp-1 record is 80", h)},
		// dbn-go's scanner panics on this one.
		{"record length 0", slicesConcat(head, zeroLength), ErrRecordLength,
			fmt.Sprintf("x.dbn: byte %d, record 1: record length does not match the schema: the length byte says 0 bytes (0 words), an mbp-1 record is 80", h)},
		{"trade record", slicesConcat(head, rec(0, func(m *dbngo.Mbp1Msg, _ *dbngo.BidAskPair) { m.Header.RType = dbngo.RType_Mbp0 })), ErrRecordType,
			fmt.Sprintf("x.dbn: byte %d, record 1: unexpected record type 0x00 (mbp-0) in an mbp-1 file", h)},
		{"mbp-10 record", slicesConcat(head, rec(0, nil), rec(1, func(m *dbngo.Mbp1Msg, _ *dbngo.BidAskPair) { m.Header.RType = dbngo.RType_Mbp10 })), ErrRecordType,
			fmt.Sprintf("x.dbn: byte %d, record 2: unexpected record type 0x0A (mbp-10) in an mbp-1 file", h+80)},
		{"unknown record", slicesConcat(head, rec(0, func(m *dbngo.Mbp1Msg, _ *dbngo.BidAskPair) { m.Header.RType = 0x77 })), ErrRecordType,
			fmt.Sprintf("x.dbn: byte %d, record 1: unexpected record type 0x77 (unknown) in an mbp-1 file", h)},
		{"negative price", slicesConcat(head, rec(0, nil), rec(1, nil), rec(2, func(m *dbngo.Mbp1Msg, _ *dbngo.BidAskPair) { m.Price = -5 })), sor.ErrNegative,
			fmt.Sprintf("x.dbn: byte %d, record 3 (price): negative number: -5", h+160+16)},
		{"zero ask", slicesConcat(head, rec(0, func(_ *dbngo.Mbp1Msg, l *dbngo.BidAskPair) { l.AskPx = 0 })), sor.ErrNotPositive,
			fmt.Sprintf("x.dbn: byte %d, record 1 (ask_px_00): price must be > 0: 0", h+56)},
		{"negative bid", slicesConcat(head, rec(0, func(_ *dbngo.Mbp1Msg, l *dbngo.BidAskPair) { l.BidPx = math.MinInt64 })), sor.ErrNegative,
			fmt.Sprintf("x.dbn: byte %d, record 1 (bid_px_00): negative number: -9223372036854775808", h+48)},
		{"undefined ts_recv", slicesConcat(head, rec(0, func(m *dbngo.Mbp1Msg, _ *dbngo.BidAskPair) { m.TsRecv = math.MaxUint64 })), sor.ErrTimestamp,
			fmt.Sprintf("x.dbn: byte %d, record 1 (ts_recv): invalid timestamp: 18446744073709551615 is out of range (undefined?)", h+32)},
		{"ts_event past 2262", slicesConcat(head, rec(0, func(m *dbngo.Mbp1Msg, _ *dbngo.BidAskPair) { m.Header.TsEvent = 1 << 63 })), sor.ErrTimestamp,
			fmt.Sprintf("x.dbn: byte %d, record 1 (ts_event): invalid timestamp: 9223372036854775808 is out of range (undefined?)", h+8)},
	}
	for _, tc := range tests {
		n, err := readAll(tc.data, "x.dbn")
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, tc.is) || err.Error() != tc.want {
			t.Errorf("%s: after %d rows\n got  %v\n want %s (%v)", tc.name, n, err, tc.want, tc.is)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error of several lines", tc.name)
		}
	}
	if n, err := readAll(good, "x.dbn"); n != 3 || err != nil {
		t.Errorf("the unspoilt stream: %d rows, %v", n, err)
	}
}

func slicesConcat(bs ...[]byte) []byte { return bytes.Join(bs, nil) }

// Through sor.ReadFile, as the command line reads: compressed or not, the
// error names the file.
func TestBadFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	plain := readFixture(t, "mbp10.v3.dbn")
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
	if err != nil {
		t.Fatal(err)
	}
	trades := encodeMetadata(fixtureMetadata(parseFixtureCSV(t, readFixture(t, "mbp1.csv")), 2, dbngo.Schema_Trades))
	// A stream of zstd frames of 64 KiB each, like the output of a
	// streaming compressor: the decoder delivers the first frames before it
	// meets damage in the eleventh, so the reader is among the records when
	// it does, 10×64 KiB = 655360 bytes into the stream. That is within
	// record 1780: (655360 − 360)/368 = 1779.9 records after the 360 bytes
	// of metadata, and record 1780 starts at 360 + 1779×368 = 655032.
	const head, frame, damaged = 360, 1 << 16, 10
	big := bytes.Clone(plain)
	for len(big) < 1<<20 {
		big = append(big, plain[head:]...)
	}
	var zbig []byte
	var starts []int // where each frame starts in zbig
	for i := 0; i < len(big); i += frame {
		starts = append(starts, len(zbig))
		zbig = enc.EncodeAll(big[i:min(i+frame, len(big))], zbig)
	}
	mid := (starts[damaged] + starts[damaged+1]) / 2
	cut := zbig[:mid]
	spoilt := bytes.Clone(zbig)
	for i := mid; i < mid+64; i++ {
		spoilt[i] ^= 0x5a
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()
	gzCut := gz.Bytes()[:gz.Len()-30]
	early := enc.EncodeAll(plain, nil)[:100]
	tests := []struct {
		name string
		data []byte
		want string // the error; %s is the file's path, … any text (the compressor's or decoder's own)
	}{
		{"trades.dbn.zst", enc.EncodeAll(trades, nil), "%s: byte 24, metadata: unsupported schema trades: sorlab reads the mbp-1 and mbp-10 schemas"},
		{"v4.dbn", append([]byte("DBN\x04"), plain[4:]...), "%s: byte 3, metadata: unsupported DBN version 4: sorlab reads versions 1, 2 and 3"},
		{"cut.dbn", plain[:len(plain)-100], "%s: byte 15080, record 41: truncated: the file ends after 268 of the record's 368 bytes"},
		// Cut compressed data: where in the records, and where in the file.
		{"cut.dbn.zst", cut, fmt.Sprintf("%%s: byte 655032, record 1780: truncated: the file ends after 328 of the record's 368 bytes (zstd data cut short: it ends after %d compressed bytes, inside a compressed block)", len(cut))},
		{"cut.dbn.gz", gzCut, fmt.Sprintf("%%s: byte 15080, record 41: truncated: the file ends after … of the record's 368 bytes (gzip data cut short: it ends after %d compressed bytes, inside a compressed block)", len(gzCut))},
		{"spoilt.dbn.zst", spoilt, "%s: byte 655360, record 1780: reading: zstd data corrupt within its first … compressed bytes: …"},
		// Damage in the first block: nothing can be read, not even the
		// format; the offset is the decompressed byte 0, and the
		// compressed bytes read are said.
		{"cut-early.dbn.zst", early, "%s: byte 0: reading: zstd data cut short: it ends after 100 compressed bytes, inside a compressed block"},
		{"garbage.dbn.zst", []byte{0x28, 0xb5, 0x2f, 0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, "%s: byte 0: reading: zstd data corrupt within its first 5 compressed bytes: …"},
	}
	for _, tc := range tests {
		path := write(tc.name, tc.data)
		_, err := sor.ReadFile(path, sor.ReadOptions{})
		want := fmt.Sprintf(tc.want, path)
		ok := err != nil && matches(err.Error(), want) && !strings.Contains(err.Error(), "\n")
		var de *sor.DecompressError
		if strings.HasSuffix(tc.name, ".zst") && tc.name != "trades.dbn.zst" && !errors.As(err, &de) {
			ok = false
		}
		if !ok {
			t.Errorf("%s:\n got  %v\n want %s", tc.name, err, want)
		}
	}
}

// matches reports whether s is pattern, where each … in pattern stands for
// any text that holds no ": " (one clause of a message).
func matches(s, pattern string) bool {
	parts := strings.Split(pattern, "…")
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1:] {
		i := strings.Index(s, p)
		if p == "" {
			i = len(s)
		}
		if i < 0 || strings.Contains(s[:i], ": ") && p != "" {
			return false
		}
		s = s[i+len(p):]
	}
	return s == ""
}

func TestDecimalPricesAreRefused(t *testing.T) {
	_, err := sor.ReadFile("testdata/mbp1.v3.dbn", sor.ReadOptions{Prices: sor.PriceDecimal})
	want := "testdata/mbp1.v3.dbn: byte 0, metadata: decimal prices were asked for, and DBN prices are always fixed-point (units of 1e-9)"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	if _, err := sor.ReadFile("testdata/mbp1.v3.dbn", sor.ReadOptions{Prices: sor.PriceFixed}); err != nil {
		t.Errorf("fixed-point asked for: %v", err)
	}
}

// The damaged files of testdata/bad are what badFixtures makes (nobody
// edits them by hand), and each fails as the command's test expects.
func TestBadFixtures(t *testing.T) {
	want := badFixtures(t, readFixture(t, "mbp1.csv"))
	for name, data := range want {
		if got := readFixture(t, name); !bytes.Equal(got, data) {
			t.Errorf("%s is not what badFixtures makes: run go test ./sor/dbn -update", name)
		}
		if _, err := sor.ReadFile(filepath.Join("testdata", name), sor.ReadOptions{}); err == nil {
			t.Errorf("%s reads without an error", name)
		}
	}
}
