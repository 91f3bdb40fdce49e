package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sorlab/sorlab/data"
	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/cmd/internal/maintest"
	"github.com/sorlab/sorlab/sor/internal/shuffle"
)

const dbnData = "../../dbn/testdata/"

// A DBN file and Databento's CSV export of the same records give the same
// JSON, byte for byte: every DBN version, MBP-1 and MBP-10, plain and zstd,
// against the raw export (Databento's default: integer nanosecond
// timestamps, prices in 1e-9 units; sor/dbn/testdata/X.raw.csv, written
// from X.csv by that package's test without package sor). Against the
// pretty export (X.csv: RFC 3339 timestamps, decimal prices) the one
// difference is the price format the JSON records.
func TestDBNAndItsCSVExportGiveTheSameJSON(t *testing.T) {
	args := []string{"-order-size", "500", "-venues", "testdata/dbn-venues.csv"}
	run := func(t *testing.T, path string) string {
		out, stderr, code := maintest.Run(t, append(args, "-data", path, "-out", t.TempDir())...)
		if code != 0 || stderr != "" {
			t.Fatalf("%s: exit %d: %s", path, code, stderr)
		}
		return out
	}
	for _, schema := range []string{"mbp1", "mbp10"} {
		raw, pretty := run(t, dbnData+schema+".raw.csv"), run(t, dbnData+schema+".csv")
		const fixed, decimal = `"prices": "fixed-point",`, `"prices": "decimal",`
		if strings.Count(pretty, decimal) != 1 || strings.Replace(pretty, decimal, fixed, 1) != raw {
			t.Errorf("%s: the pretty CSV's JSON differs from the raw CSV's in more than the price format:\npretty %s\nraw %s", schema, pretty, raw)
		}
		var s struct {
			Input map[string]any `json:"input"`
		}
		if err := json.Unmarshal([]byte(raw), &s); err != nil || fmt.Sprint(s.Input) != "map[instrument_id:38 prices:fixed-point symbol:AAPL venue_table:testdata/dbn-venues.csv]" {
			t.Errorf("%s: input %v (%v)", schema, s.Input, err)
		}
		for _, v := range []string{"v1", "v2", "v3"} {
			for _, ext := range []string{".dbn", ".dbn.zst"} {
				name := schema + "." + v + ext
				t.Run(name, func(t *testing.T) {
					if got := run(t, dbnData+name); got != raw {
						t.Errorf("JSON differs:\nDBN %s\nraw CSV %s", got, raw)
					}
				})
			}
		}
	}
}

// A file with two instruments is refused, listing both; -symbol or
// -instrument picks one, with the same JSON as a file of that one alone.
func TestTwoInstruments(t *testing.T) {
	for _, path := range []string{dbnData + "two.csv", dbnData + "two.v3.dbn.zst"} {
		_, stderr, code := maintest.Run(t, "-data", path, "-out", t.TempDir())
		want := "the file holds 2 instruments: 38 AAPL (24 rows), 99 XYZ (24 rows); pick one with -symbol or -instrument"
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, stderr %q; want %q", path, code, stderr, want)
		}
	}
	b, err := os.ReadFile(dbnData + "two.csv")
	if err != nil {
		t.Fatal(err)
	}
	var aapl []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if !strings.HasSuffix(l, ",XYZ") {
			aapl = append(aapl, l)
		}
	}
	alone := filepath.Join(t.TempDir(), "aapl.csv")
	if err := os.WriteFile(alone, []byte(strings.Join(aapl, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-order-size", "500", "-out", t.TempDir()}
	want, stderr, code := maintest.Run(t, append(args, "-data", alone)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, pick := range [][]string{{"-symbol", "AAPL"}, {"-instrument", "38"}} {
		got, stderr, code := maintest.Run(t, append(append(args, "-data", dbnData+"two.csv"), pick...)...)
		if code != 0 || got != want {
			t.Errorf("%v: exit %d (%s), JSON\n%s\nwant\n%s", pick, code, stderr, got, want)
		}
	}
	// One instrument_id under two symbols is two books: refused, and
	// -symbol picks the rows of its symbol only.
	var xyz []string
	for i, l := range aapl {
		if i > 0 {
			l = strings.Replace(strings.TrimSuffix(l, ",AAPL"), ",221.", ",22.", -1) + ",XYZ"
		}
		xyz = append(xyz, l)
	}
	both := filepath.Join(t.TempDir(), "idsym.csv")
	if err := os.WriteFile(both, []byte(strings.Join(append(aapl, xyz[1:]...), "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "backtest: " + both + ": instruments: the file holds 1 instrument id and 2 symbols: 38 AAPL (24 rows), 38 XYZ (24 rows); pick one with -symbol\n"},
		{[]string{"-instrument", "38"}, "backtest: " + both + ": instruments: instrument 38 has 2 symbols in the file: 38 AAPL (24 rows), 38 XYZ (24 rows); pick one with -symbol\n"},
		{[]string{"-symbol", "ZZZ"}, "backtest: " + both + ": instruments: no rows of ZZZ in the file; the file holds 38 AAPL (24 rows), 38 XYZ (24 rows)\n"},
		{[]string{"-symbol", "ZZZ", "-start", "2000-01-01T00:00:00Z"}, "backtest: " + both + ": instruments: no rows of ZZZ in the window; the file holds 38 AAPL (24 rows), 38 XYZ (24 rows)\n"},
	} {
		out, stderr, code := maintest.Run(t, append(append(args, "-data", both), tc.args...)...)
		if code != 2 || stderr != tc.want || out != "" {
			t.Errorf("%v: exit %d, stderr\n %q\nwant\n %q", tc.args, code, stderr, tc.want)
		}
	}
	got, stderr, code := maintest.Run(t, append(args, "-data", both, "-symbol", "AAPL")...)
	if code != 0 || got != want {
		t.Errorf("-symbol AAPL of one id under two symbols: exit %d (%s), JSON\n%s\nwant\n%s", code, stderr, got, want)
	}
}

// Integer prices are fixed point only when the file says so: $0.001
// (1000000) and $0.50 (500000000) alone are refused with the option that
// settles it; beside a price of $1 or more, or in Databento's raw CSV
// layout (rtype, integer timestamps), they are read as fixed point.
func TestCheapFixedPointPrices(t *testing.T) {
	writeAs := func(header, body string) string {
		path := filepath.Join(t.TempDir(), "cheap.csv")
		if err := os.WriteFile(path, []byte(header+body), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	write := func(body string) string { return writeAs("ts_event,publisher_id,ask_px_00,ask_sz_00\n", body) }
	path := write("1,2,1000000,5000\n2,2,500000000,5000\n")
	_, stderr, code := maintest.Run(t, "-data", path, "-order-size", "100", "-out", t.TempDir())
	want := "backtest: " + path + ":2:3 (ask_px_00): cannot tell the price format: no price with a decimal point, none of 1e9 or more in the first 65536 rows, and not Databento's raw layout (rtype column, integer ts_event): integer price 1000000 is $0.001 in fixed point, $1000000 in dollars; set the format (-prices fixed or -prices decimal): \"1000000\"\n"
	if code != 2 || stderr != want {
		t.Errorf("ambiguous: exit %d, stderr\n %q\nwant\n %q", code, stderr, want)
	}
	const raw = "ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,depth,price,size,flags,ts_in_delta,sequence,bid_px_00,ask_px_00,bid_sz_00,ask_sz_00,bid_ct_00,ask_ct_00,symbol\n"
	for _, px := range []string{"1000000", "500000000"} {
		body := strings.ReplaceAll("1722519392000347446,1722519392000334599,1,2,38,A,A,0,PX,100,128,12847,21914795,PX,PX,200,500,2,1,CHEAP\n", "PX", px)
		out, stderr, code := maintest.Run(t, "-data", writeAs(raw, body), "-order-size", "100", "-out", t.TempDir())
		cash := map[string]string{"1000000": "0.1", "500000000": "50"}[px]
		if code != 0 || !strings.Contains(out, `"total_cash": `+cash+`,`) || !strings.Contains(out, `"prices": "fixed-point"`) {
			t.Errorf("raw layout at %s: exit %d, stderr %q\n%s", px, code, stderr, out)
		}
	}
	out, stderr, code := maintest.Run(t, "-data", write("1,2,1000000,5000\n2,2,500000000,5000\n3,2,1500000000,5000\n"), "-order-size", "100", "-out", t.TempDir())
	if code != 0 || !strings.Contains(out, `"total_cash": 0.1,`) || !strings.Contains(out, `"prices": "fixed-point"`) {
		t.Errorf("decided by a later price: exit %d, stderr %q\n%s", code, stderr, out)
	}
	out, _, code = maintest.Run(t, "-data", write("1,2,500000000,5000\n"), "-prices", "fixed", "-order-size", "100", "-out", t.TempDir())
	if code != 0 || !strings.Contains(out, `"total_cash": 50,`) {
		t.Errorf("forced: exit %d\n%s", code, out)
	}
}

// What was assumed is said: a warning on stderr when the venue table names
// no publisher of the data, or only some of them, or some that are absent, and when the shipped
// sample is passed by path without its table; stdout stays pure JSON.
func TestVenueTableWarnings(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other.csv")
	os.WriteFile(other, []byte("publisher_id,name,fee,rebate\n90,X,0.003,0.002\n91,Y,0.003,0.002\n"), 0o644)
	some := filepath.Join(dir, "some.csv")
	os.WriteFile(some, []byte("publisher_id,name,fee,rebate\n2,XNAS,0.01,0.002\n90,X,0.003,0.002\n"), 0o644)
	part := filepath.Join(dir, "part.csv")
	os.WriteFile(part, []byte("publisher_id,name,fee,rebate\n2,XNAS,0.01,0.002\n5,ARCX,0.003,0.002\n"), 0o644)
	empty := filepath.Join(dir, "empty.csv")
	os.WriteFile(empty, []byte("publisher_id,name,fee,rebate\n"), 0o644)
	// The sample decompressed, and gzipped: the same content.
	sample, err := sor.Open("../../../data/sample.csv.zst")
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(sample)
	sample.Close()
	if err != nil {
		t.Fatal(err)
	}
	plainPath, gzPath := filepath.Join(dir, "sample.csv"), filepath.Join(dir, "sample.csv.gz")
	os.WriteFile(plainPath, plain, 0o644)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()
	os.WriteFile(gzPath, gz.Bytes(), 0o644)
	// One row less is another file.
	cut := filepath.Join(dir, "cut.csv")
	os.WriteFile(cut, plain[:bytes.LastIndexByte(plain[:len(plain)-1], '\n')+1], 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-data", "testdata/market.csv", "-venues", other}, "backtest: warning: the venue table " + other + " names none of the data's publishers (2, 5, 8): no fee or rebate is charged\n"},
		{[]string{"-data", "testdata/market.csv", "-venues", some}, "backtest: warning: the venue table " + some + " does not name the data's publishers 5, 8: no fee or rebate is charged there\n" +
			"backtest: warning: the venue table " + some + " names publishers that are not in the data: 90\n"},
		{[]string{"-data", "testdata/market.csv", "-venues", part}, "backtest: warning: the venue table " + part + " does not name the data's publishers 8: no fee or rebate is charged there\n"},
		{[]string{"-data", "testdata/market.csv", "-venues", empty}, "backtest: warning: the venue table " + empty + " names no venue (a header only): no fee or rebate is charged\n"},
		{[]string{"-data", "../../../data/sample.csv.zst"}, "backtest: warning: ../../../data/sample.csv.zst is the shipped sample, run without its venue table: no fee or rebate is charged (add -venues data/venues.csv, or omit -data)\n"},
		{[]string{"-data", plainPath}, "backtest: warning: " + plainPath + " is the shipped sample, run without its venue table: no fee or rebate is charged (add -venues data/venues.csv, or omit -data)\n"},
		{[]string{"-data", gzPath}, "backtest: warning: " + gzPath + " is the shipped sample, run without its venue table: no fee or rebate is charged (add -venues data/venues.csv, or omit -data)\n"},
		{[]string{"-data", cut}, ""},
		{[]string{"-data", gzPath, "-venues", "../../../data/venues.csv"}, ""},
	} {
		out, stderr, code := maintest.Run(t, append(tc.args, "-out", t.TempDir())...)
		var v any
		if code != 0 || stderr != tc.want || json.Unmarshal([]byte(out), &v) != nil {
			t.Errorf("%v: exit %d, stderr %q; want %q and JSON on stdout", tc.args, code, stderr, tc.want)
		}
	}
}

// The sample fully shuffled (a fixed seed; rows of equal ts_event keep
// their file order, see shuffle.CSV): with -sort buffer the run stops with
// one line naming the first row out of the reorder buffer's reach and the
// options that handle it, exit 2; with the default -sort auto (an external
// sort) its JSON is byte for byte the sorted sample's.
func TestShuffledFile(t *testing.T) {
	rc, err := sor.Decompress(bytes.NewReader(data.SampleCSVZst), data.SampleName)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sorted, shuffled := filepath.Join(dir, "sorted.csv"), filepath.Join(dir, "shuffled.csv")
	if err := os.WriteFile(sorted, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(shuffled, []byte(shuffle.CSV(string(b), 8)), 0o644); err != nil {
		t.Fatal(err)
	}

	_, stderr, code := maintest.Run(t, "-data", shuffled, "-venues", "../../../data/venues.csv", "-sort", "buffer", "-out", t.TempDir())
	want := regexp.MustCompile(`^backtest: ` + regexp.QuoteMeta(shuffled) + `:\d+: ts_event 2024-\S+Z is older than 65537 or more rows before it: ` +
		`the file is too far out of time order for a reorder buffer of 65536 rows \(use -sort external, or a larger -max-reorder\)\n$`)
	if code != 2 || !want.MatchString(stderr) {
		t.Errorf("-sort buffer: exit %d, stderr %q; want 2 and one line matching %s", code, stderr, want)
	}

	var out [2]string
	for i, path := range []string{sorted, shuffled} {
		stdout, stderr, code := maintest.Run(t, "-data", path, "-venues", "../../../data/venues.csv", "-out", t.TempDir())
		if code != 0 || stderr != "" {
			t.Fatalf("%s: exit %d, stderr %q", path, code, stderr)
		}
		out[i] = stdout
	}
	if out[0] != out[1] {
		t.Errorf("the shuffled file's JSON differs from the sorted one's:\n%s\n%s", out[1], out[0])
	}
}

// Bad DBN input (the damaged files of sor/dbn/testdata/bad, made by that
// package's encoder) stops the command with one line on stderr that names
// the file and the byte offset, exit status 2, nothing on stdout, and no
// file left behind, in -out or in the temporary folder.
func TestBadDBNInput(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"cut.v3.dbn", "byte 760, record 6: truncated: the file ends after 30 of the record's 80 bytes"},
		{"cut.v3.dbn.zst", "byte 760, record 6: truncated: the file ends after 30 of the record's 80 bytes"},
		{"cutzstd.v3.dbn.zst", "byte 0: reading: zstd data cut short: it ends after 588 compressed bytes, inside a compressed block"},
		{"magic.dbn", `byte 6: neither DBN nor CSV text (a NUL byte, 0x00): it starts with "DBX\x03` + "`" + `\x01\x00\x00SORLAB.S"...`},
		{"trades.v3.dbn", "byte 24, metadata: unsupported schema trades: sorlab reads the mbp-1 and mbp-10 schemas"},
		{"mbo.v3.dbn", "byte 24, metadata: unsupported schema mbo: sorlab reads the mbp-1 and mbp-10 schemas"},
		{"lie.v3.dbn", "byte 520, record 3: record length does not match the schema: the length byte says 96 bytes (24 words), an mbp-1 record is 80"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			out, tmp := t.TempDir(), t.TempDir()
			t.Setenv("TMPDIR", tmp)
			path := dbnData + "bad/" + tc.file
			stdout, stderr, code := maintest.Run(t, "-data", path, "-venues", "testdata/venues.csv", "-out", out)
			want := "backtest: " + path + ": " + tc.want + "\n"
			if code != 2 || stderr != want || stdout != "" {
				t.Errorf("exit %d, stdout %q\nstderr %q\nwant   %q", code, stdout, stderr, want)
			}
			for _, dir := range []string{out, tmp} {
				if left, _ := os.ReadDir(dir); len(left) > 0 {
					t.Errorf("%s holds %d files, first %s", dir, len(left), left[0].Name())
				}
			}
		})
	}
}
