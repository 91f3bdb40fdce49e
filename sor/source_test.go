package sor_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/sorlab/sorlab/data"
	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/internal/shuffle"
)

// sampleLines is the embedded sample as CSV lines (header first).
func sampleLines(t testing.TB) []string {
	t.Helper()
	rc, err := sor.Decompress(bytes.NewReader(data.SampleCSVZst), data.SampleName)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func writeLines(t testing.TB, name string, lines []string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// summaryOf is the exercise's JSON for a source, without its input section
// (a file says its price format, rows in memory do not).
func summaryOf(t testing.TB, src sor.Source, venues sor.Venues) string {
	t.Helper()
	cfg := sor.DefaultConfig()
	cfg.Venues = venues
	o, err := sor.RunSource(src, cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := o.Summary()
	s.Input = sor.InputJSON{}
	return string(s.JSON())
}

// inMemory is the exercise's JSON from every row of a file held in memory:
// the reference the streamed file must match.
func inMemory(t testing.TB, path string, w sor.Window, venues sor.Venues) string {
	t.Helper()
	rows, err := sor.ReadFile(path, sor.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return summaryOf(t, sor.NewStream(rows, w), venues)
}

// A streamed file gives the same result as the same file held in memory,
// whatever its order: sorted (nothing held), slightly out of order (the
// exact number of rows the scan finds necessary held), fully shuffled
// (sorted externally), or externally sorted on request.
func TestFileSourceMatchesMemory(t *testing.T) {
	venues, _ := data.SampleVenues()
	lines := sampleLines(t)
	head, body := lines[0], lines[1:]
	rng := rand.New(rand.NewPCG(1, 2))

	slightly := slices.Clone(body)
	for i := 0; i+3 < len(slightly); i += 50 { // swap neighbours every 50 rows
		j := i + 1 + rng.IntN(3)
		slightly[i], slightly[j] = slightly[j], slightly[i]
	}
	shuffled := slices.Clone(body)
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })

	w := sor.Window{Start: 1722519420_000000000, End: 1722519660_000000000} // 13:37:00 to 13:41:00
	for _, tc := range []struct {
		name     string
		body     []string
		opt      sor.SourceOptions
		hold     func(int) bool
		external bool
	}{
		{"sorted", body, sor.SourceOptions{}, func(n int) bool { return n == 0 }, false},
		{"slightly out of order", slightly, sor.SourceOptions{}, func(n int) bool { return n > 0 && n <= 3 }, false},
		{"shuffled", shuffled, sor.SourceOptions{MaxReorder: 1000}, func(n int) bool { return n == 0 }, true},
		{"external on request", slightly, sor.SourceOptions{Sort: sor.SortExternal}, func(n int) bool { return n == 0 }, true},
		{"window", shuffled, sor.SourceOptions{Window: w, MaxReorder: 1000}, func(n int) bool { return n == 0 }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeLines(t, "q.csv", append([]string{head}, tc.body...))
			opt := tc.opt
			opt.TempDir = t.TempDir()
			src, err := sor.OpenSource(path, opt)
			if err != nil {
				t.Fatal(err)
			}
			if n, ext := src.Reorder(); !tc.hold(n) || ext != tc.external {
				t.Errorf("reorder buffer %d rows, external %v", n, ext)
			}
			got, want := summaryOf(t, src, venues), inMemory(t, path, opt.Window, venues)
			if got != want {
				t.Errorf("streamed and in-memory results differ:\n%s\n%s", got, want)
			}
			if again := summaryOf(t, src, venues); again != got {
				t.Error("a second play differs")
			}
			if left, _ := os.ReadDir(opt.TempDir); len(left) != 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
	// The external sort goes to disk when the rows exceed one in-memory run:
	// with runs of 1,000 rows the sample makes dozens of run files to merge.
	t.Run("merged runs", func(t *testing.T) {
		defer sor.SetRunRows(1000)()
		path := writeLines(t, "q.csv", append([]string{head}, shuffled...))
		src, err := sor.OpenSource(path, sor.SourceOptions{Sort: sor.SortExternal, TempDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := summaryOf(t, src, venues), inMemory(t, path, sor.Window{}, venues); got != want {
			t.Errorf("streamed and in-memory results differ")
		}
	})
}

// shuffledSample writes the sample's rows fully shuffled (a fixed seed;
// rows of equal ts_event in file order, see shuffle.CSV) and returns its
// path and its lines (header first).
func shuffledSample(t testing.TB) (path string, lines []string) {
	t.Helper()
	text := shuffle.CSV(strings.Join(sampleLines(t), "\n")+"\n", 8)
	lines = strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	return writeLines(t, "shuffled.csv", lines), lines
}

// firstLate finds, by counting (a Fenwick tree over the ranks of the times),
// the first line whose ts_event is older than more than maxReorder earlier
// rows, and its ts_event as written.
func firstLate(t testing.TB, lines []string, maxReorder int) (line int, ts string) {
	t.Helper()
	col := slices.Index(strings.Split(lines[0], ","), "ts_event")
	times := make([]string, len(lines)-1)
	for i, l := range lines[1:] {
		times[i] = strings.Split(l, ",")[col] // RFC 3339 with nine digits: sorts as text
	}
	ranks := slices.Clone(times)
	slices.Sort(ranks)
	ranks = slices.Compact(ranks)
	tree := make([]int, len(ranks)+1) // tree counts earlier rows by rank
	for i, ts := range times {
		r, _ := slices.BinarySearch(ranks, ts)
		notAfter := 0 // earlier rows with ts_event <= ts
		for k := r + 1; k > 0; k -= k & -k {
			notAfter += tree[k]
		}
		if i-notAfter > maxReorder {
			return i + 2, ts
		}
		for k := r + 1; k < len(tree); k += k & -k {
			tree[k]++
		}
	}
	t.Fatal("no row beyond the reorder buffer")
	return 0, ""
}

// The sample fully shuffled: the reorder buffer alone (SortBuffer) refuses
// it with one line naming the first row out of its reach and the options
// that handle it; the automatic choice and the external sort give exactly
// the sorted sample's result.
func TestShuffledSample(t *testing.T) {
	venues, _ := data.SampleVenues()
	path, lines := shuffledSample(t)
	line, ts := firstLate(t, lines, sor.DefaultMaxReorder)
	_, err := sor.OpenSource(path, sor.SourceOptions{Sort: sor.SortBuffer})
	want := fmt.Sprintf("%s:%d: ts_event %s is older than 65537 or more rows before it: the file is too far out of time order for a reorder buffer of 65536 rows (use -sort external, or a larger -max-reorder)", path, line, ts)
	if err == nil || err.Error() != want {
		t.Errorf("-sort buffer:\n got  %v\n want %s", err, want)
	}
	sorted, err := sor.OpenSource(writeLines(t, "sorted.csv", sampleLines(t)), sor.SourceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n, ext := sorted.Reorder(); n != 0 || ext {
		t.Fatalf("the sample holds %d rows, external %v: not sorted", n, ext)
	}
	wantJSON := summaryOf(t, sorted, venues)
	for _, mode := range []sor.SortMode{sor.SortAuto, sor.SortExternal} {
		src, err := sor.OpenSource(path, sor.SourceOptions{Sort: mode, TempDir: t.TempDir()})
		if err != nil {
			t.Fatalf("mode %d: %v", mode, err)
		}
		if _, ext := src.Reorder(); !ext {
			t.Errorf("mode %d: not sorted externally", mode)
		}
		if got := summaryOf(t, src, venues); got != wantJSON {
			t.Errorf("mode %d: the shuffled sample's result differs from the sorted one's:\n%s\n%s", mode, got, wantJSON)
		}
	}
}

// A file too far out of order for the reorder buffer is refused with one
// line naming the row and the options that handle it, when asked not to
// sort externally.
func TestFileSourceRefusesDisorderBeyondTheBuffer(t *testing.T) {
	path := writeLines(t, "late.csv", []string{
		"ts_event,publisher_id,ask_px_00,ask_sz_00",
		"5,2,10.00,100", "6,2,10.00,100", "7,2,10.00,100", "3,2,10.00,100", "8,2,10.00,100",
	})
	_, err := sor.OpenSource(path, sor.SourceOptions{Sort: sor.SortBuffer, MaxReorder: 2})
	want := path + ":5: ts_event 1970-01-01T00:00:00.000000003Z is older than 3 or more rows before it: the file is too far out of time order for a reorder buffer of 2 rows (use -sort external, or a larger -max-reorder)"
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	src, err := sor.OpenSource(path, sor.SourceOptions{Sort: sor.SortBuffer, MaxReorder: 3})
	if err != nil {
		t.Fatal(err)
	}
	if n, ext := src.Reorder(); n != 3 || ext {
		t.Errorf("hold %d, external %v; want 3 rows", n, ext)
	}
}

const twoInstruments = `ts_event,publisher_id,instrument_id,ask_px_00,ask_sz_00,symbol
1,2,38,221.60,3000,AAPL
1,2,99,22.16,3000,XYZ
2,5,38,221.61,3000,AAPL
2,5,99,22.17,3000,XYZ
3,2,99,22.15,9000,XYZ
4,2,38,221.59,9000,AAPL
`

// A file holding two instruments is refused with both listed, unless one is
// picked, by symbol or id, which gives the same result as a file of that
// instrument alone.
func TestFileSourceOneInstrument(t *testing.T) {
	path := writeLines(t, "two.csv", strings.Split(strings.TrimSpace(twoInstruments), "\n"))
	_, err := sor.OpenSource(path, sor.SourceOptions{})
	want := path + ": instruments: the file holds 2 instruments: 38 AAPL (3 rows), 99 XYZ (3 rows); pick one with SourceOptions.Symbol or SourceOptions.InstrumentID (with ByID)"
	var ie *sor.InstrumentsError
	if err == nil || err.Error() != want || !errors.Is(err, sor.ErrInstruments) || !errors.As(err, &ie) {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
	if got, want := ie.Explain("-symbol", "-instrument"), path+": instruments: the file holds 2 instruments: 38 AAPL (3 rows), 99 XYZ (3 rows); pick one with -symbol or -instrument"; got != want {
		t.Errorf("for the command line:\n got  %s\n want %s", got, want)
	}
	var aaplOnly []string
	for _, l := range strings.Split(strings.TrimSpace(twoInstruments), "\n") {
		if !strings.Contains(l, "XYZ") {
			aaplOnly = append(aaplOnly, l)
		}
	}
	alone, err := sor.OpenSource(writeLines(t, "aapl.csv", aaplOnly), sor.SourceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want = summaryOf(t, alone, nil)
	for _, opt := range []sor.SourceOptions{{Symbol: "AAPL"}, {InstrumentID: 38, ByID: true}} {
		src, err := sor.OpenSource(path, opt)
		if err != nil {
			t.Fatal(err)
		}
		if in := src.Instrument(); in.ID != 38 || in.Symbol != "AAPL" || in.Rows != 3 {
			t.Errorf("%+v: instrument %+v", opt, in)
		}
		o, err := sor.RunSource(src, sor.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		if in := o.Summary().Input; in.InstrumentID == nil || *in.InstrumentID != 38 || in.Symbol != "AAPL" || in.Prices != "decimal" || in.VenueTable != "none: no fees" {
			t.Errorf("%+v: input %+v", opt, in)
		}
		if got := summaryOf(t, src, nil); got != want {
			t.Errorf("%+v: got\n%s\nwant\n%s", opt, got, want)
		}
	}
	_, err = sor.OpenSource(path, sor.SourceOptions{Symbol: "MSFT"})
	want = path + ": instruments: no rows of MSFT in the file; the file holds 38 AAPL (3 rows), 99 XYZ (3 rows)"
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	_, err = sor.OpenSource(path, sor.SourceOptions{Symbol: "MSFT", Window: sor.Window{Start: 2}})
	want = path + ": instruments: no rows of MSFT in the window; the file holds 38 AAPL (2 rows), 99 XYZ (2 rows)"
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

// The census counts pairs of instrument_id and symbol: one id under two
// symbols (two books that a file's ids do not tell apart) is refused as
// two symbols under ids are; the symbol picks its rows, and an id alone does
// not. A symbol under two ids (one per publisher's dataset) is one
// instrument once picked. Rows without a symbol do not count as one.
func TestCensusCountsIDAndSymbol(t *testing.T) {
	const head = "ts_event,publisher_id,instrument_id,ask_px_00,ask_sz_00,symbol\n"
	oneID := writeLines(t, "idsym.csv", strings.Split(head+"1,2,38,221.60,5000,AAPL\n2,2,38,22.16,5000,XYZ\n3,5,38,221.61,5000,AAPL", "\n"))
	for _, tc := range []struct {
		opt  sor.SourceOptions
		want string
	}{
		{sor.SourceOptions{}, "the file holds 1 instrument id and 2 symbols: 38 AAPL (2 rows), 38 XYZ (1 row); pick one with SourceOptions.Symbol"},
		{sor.SourceOptions{ByID: true, InstrumentID: 38}, "instrument 38 has 2 symbols in the file: 38 AAPL (2 rows), 38 XYZ (1 row); pick one with SourceOptions.Symbol"},
		{sor.SourceOptions{ByID: true, InstrumentID: 38, Symbol: "XYZ", Window: sor.Window{Start: 3}}, "no rows of XYZ instrument 38 in the window; the file holds 38 AAPL (1 row)"},
	} {
		_, err := sor.OpenSource(oneID, tc.opt)
		if want := oneID + ": instruments: " + tc.want; err == nil || err.Error() != want || !errors.Is(err, sor.ErrInstruments) {
			t.Errorf("%+v:\n got  %v\n want %s", tc.opt, err, want)
		}
	}
	for _, opt := range []sor.SourceOptions{{Symbol: "AAPL"}, {Symbol: "AAPL", ByID: true, InstrumentID: 38}} {
		src, err := sor.OpenSource(oneID, opt)
		if err != nil {
			t.Fatal(err)
		}
		if in := src.Instrument(); in != (sor.Instrument{ID: 38, HasID: true, Symbol: "AAPL", Rows: 2}) {
			t.Errorf("%+v: %+v", opt, in)
		}
		var asks []sor.Money
		src.Chunks(func(rows []sor.Row) bool {
			for _, r := range rows {
				asks = append(asks, r.AskPx)
			}
			return true
		})
		if fmt.Sprint(asks) != "[221.6 221.61]" {
			t.Errorf("%+v: the rows kept have asks %v, want AAPL's alone", opt, asks)
		}
	}
	// One symbol under two ids: two instruments until picked; picked, one.
	twoIDs := writeLines(t, "ids.csv", strings.Split(head+"1,2,38,221.60,5000,AAPL\n2,5,1038,221.61,5000,AAPL", "\n"))
	_, err := sor.OpenSource(twoIDs, sor.SourceOptions{})
	if want := twoIDs + ": instruments: the file holds 2 instrument ids and 1 symbol: 38 AAPL (1 row), 1038 AAPL (1 row); pick one with SourceOptions.InstrumentID (with ByID)"; err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	if src, err := sor.OpenSource(twoIDs, sor.SourceOptions{Symbol: "AAPL"}); err != nil || src.Instrument().Rows != 2 {
		t.Errorf("AAPL under two ids: %v", err)
	}
	// Rows without a symbol beside rows with one: one instrument.
	partly := writeLines(t, "partly.csv", strings.Split(head+"1,2,38,221.60,5000,AAPL\n2,5,38,221.61,5000,", "\n"))
	if src, err := sor.OpenSource(partly, sor.SourceOptions{}); err != nil || src.Instrument() != (sor.Instrument{ID: 38, HasID: true, Symbol: "AAPL", Rows: 2}) {
		t.Errorf("partly without symbols: %v", err)
	}
	// Without an instrument_id column there is no id to list, and the
	// JSON's instrument_id is null; with one, id 0 is listed.
	noID := writeLines(t, "noid.csv", strings.Split("ts_event,publisher_id,ask_px_00,ask_sz_00,symbol\n1,2,221.60,5000,AAPL\n2,2,22.16,5000,XYZ", "\n"))
	if _, err := sor.OpenSource(noID, sor.SourceOptions{}); err == nil || !strings.HasSuffix(err.Error(), ": the file holds 2 instruments: AAPL (1 row), XYZ (1 row); pick one with SourceOptions.Symbol") {
		t.Errorf("no id column: %v", err)
	}
	zero := writeLines(t, "zero.csv", strings.Split(head+"1,2,0,221.60,5000,AAPL\n2,2,99,22.16,5000,XYZ", "\n"))
	if _, err := sor.OpenSource(zero, sor.SourceOptions{}); err == nil || !strings.HasSuffix(err.Error(), ": the file holds 2 instruments: 0 AAPL (1 row), 99 XYZ (1 row); pick one with SourceOptions.Symbol or SourceOptions.InstrumentID (with ByID)") {
		t.Errorf("id 0: %v", err)
	}
	for _, tc := range []struct {
		path string
		want string
	}{{noID, `"instrument_id": null,`}, {zero, `"instrument_id": 0,`}} {
		src, err := sor.OpenSource(tc.path, sor.SourceOptions{Symbol: "AAPL"})
		if err != nil {
			t.Fatal(err)
		}
		o, err := sor.RunSource(src, sor.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		if got := string(o.Summary().JSON()); !strings.Contains(got, tc.want) {
			t.Errorf("%s: want %s in\n%s", tc.path, tc.want, got)
		}
	}
}

// ScanInstruments lists every instrument of a file, choosing none, with its
// rows in the window; the instrument options are ignored; a bad row is the
// same error OpenSource gives.
func TestScanInstruments(t *testing.T) {
	path := writeLines(t, "two.csv", strings.Split(strings.TrimSpace(twoInstruments), "\n"))
	for _, c := range []struct {
		opt  sor.SourceOptions
		want []sor.Instrument
	}{
		{sor.SourceOptions{}, []sor.Instrument{{ID: 38, HasID: true, Symbol: "AAPL", Rows: 3}, {ID: 99, HasID: true, Symbol: "XYZ", Rows: 3}}},
		{sor.SourceOptions{Symbol: "AAPL", Window: sor.Window{Start: 3}}, []sor.Instrument{{ID: 38, HasID: true, Symbol: "AAPL", Rows: 1}, {ID: 99, HasID: true, Symbol: "XYZ", Rows: 1}}},
		{sor.SourceOptions{Window: sor.Window{Start: 5}}, nil},
	} {
		got, err := sor.ScanInstruments(path, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%+v: got %v, want %v", c.opt, got, c.want)
		}
	}
	bad := writeLines(t, "bad.csv", []string{"ts_event,publisher_id,instrument_id,ask_px_00,ask_sz_00,symbol", "1,2,38,x,3000,AAPL"})
	_, want := sor.OpenSource(bad, sor.SourceOptions{})
	if _, err := sor.ScanInstruments(bad, sor.SourceOptions{}); err == nil || err.Error() != want.Error() {
		t.Errorf("got %v, want %v", err, want)
	}
	if _, err := sor.ScanInstruments(t.TempDir(), sor.SourceOptions{}); err == nil || !strings.HasSuffix(err.Error(), "is a folder, not a data file") {
		t.Errorf("a folder: %v", err)
	}
}

// The scan reads only a few columns; an error in another column earlier in
// the file is still the one reported (the first in file order).
func TestFileSourceReportsTheFirstError(t *testing.T) {
	path := writeLines(t, "bad.csv", []string{
		"ts_event,publisher_id,ask_px_00,ask_sz_00",
		"1,2,10.00,100",
		"2,2,10.00,-5",
		"x,2,10.00,100",
	})
	_, err := sor.OpenSource(path, sor.SourceOptions{})
	if want := path + `:3:4 (ask_sz_00): negative number: "-5"`; err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

// The span is known before the rows are played: the window's first and last
// ts_event, its rows and publishers.
func TestFileSourceSpan(t *testing.T) {
	path := writeLines(t, "s.csv", []string{
		"ts_event,publisher_id,ask_px_00,ask_sz_00",
		"3,8,10.00,100", "1,2,10.00,100", "9,5,10.00,100", "7,2,,0",
	})
	src, err := sor.OpenSource(path, sor.SourceOptions{Window: sor.Window{Start: 2, End: 9}})
	if err != nil {
		t.Fatal(err)
	}
	if s := src.Span(); s.First != 3 || s.Last != 7 || s.Rows != 2 || !slices.Equal(s.Publishers, []int{2, 8}) {
		t.Errorf("span %+v", s)
	}
}

// FuzzFileSource streams arbitrary rows from a file, with the reorder buffer
// or the external sort, and must get the exercise's result of the same rows
// held in memory.
func FuzzFileSource(f *testing.F) {
	f.Add("3,2,10.00,300\n1,5,10.01,200\n2,2,10.02,300\n1,2,9.99,100\n", uint8(1), uint8(0))
	f.Add("5,2,10.00,300\n5,5,10.00,9000\n4,7,,0\n", uint8(0), uint8(1))
	f.Fuzz(func(t *testing.T, body string, maxReorder, mode uint8) {
		const head = "ts_event,publisher_id,ask_px_00,ask_sz_00\n"
		rows, err := sor.NewReader(strings.NewReader(head+body), "f.csv", sor.ReadOptions{}).ReadAll()
		if err != nil || len(rows) == 0 {
			return
		}
		cfg := sor.DefaultConfig()
		cfg.OrderSize = 500
		want, err := sor.RunRows(rows, sor.Window{}, cfg)
		if err != nil {
			return // refused in memory (a price that overflows, say): not this test's business
		}
		path := filepath.Join(t.TempDir(), "f.csv")
		if err := os.WriteFile(path, []byte(head+body), 0o644); err != nil {
			t.Fatal(err)
		}
		opt := sor.SourceOptions{MaxReorder: 1 + int(maxReorder%8), Sort: sor.SortMode(mode % 3), TempDir: t.TempDir()}
		src, err := sor.OpenSource(path, opt)
		if errors.Is(err, sor.ErrInstruments) {
			return
		}
		if opt.Sort == sor.SortBuffer && err != nil && strings.Contains(err.Error(), "out of time order") {
			return // refused as asked
		}
		if err != nil {
			t.Fatalf("%+v: %v", opt, err)
		}
		got, err := sor.RunSource(src, cfg)
		if err != nil {
			t.Fatalf("%+v: %v", opt, err)
		}
		g, w := got.Summary(), want.Summary()
		g.Input, w.Input = sor.InputJSON{}, sor.InputJSON{}
		if string(g.JSON()) != string(w.JSON()) {
			t.Errorf("%+v: streamed\n%s\nin memory\n%s", opt, g.JSON(), w.JSON())
		}
	})
}

// A file that changes between the scan and the play is refused, not read
// with the scan's span.
func TestFileSourceRefusesAChangedFile(t *testing.T) {
	lines := []string{"ts_event,publisher_id,ask_px_00,ask_sz_00", "1,2,10.00,100", "2,2,10.01,100"}
	path := writeLines(t, "c.csv", lines)
	src, err := sor.OpenSource(path, sor.SourceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Join(append(lines, "3,2,10.02,100"), "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = sor.RunSource(src, sor.DefaultConfig())
	if err == nil || !strings.Contains(err.Error(), "3 rows in the second pass over the data, 2 in the first: the file changed") {
		t.Errorf("got %v", err)
	}
}

// A play that stops early (a player done, a notebook taking the first rows)
// closes the file only after the reading goroutines are gone: reading a
// closed zstd stream would crash.
func TestFileSourceStopsCleanly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sample.csv.zst")
	if err := os.WriteFile(path, data.SampleCSVZst, 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := sor.OpenSource(path, sor.SourceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		n := 0
		if err := src.Chunks(func(rows []sor.Row) bool { n += len(rows); return false }); err != nil || n == 0 {
			t.Fatalf("%d rows, %v", n, err)
		}
	}
}

// Collecting a file is reading it into memory: the shuffled sample's rows
// and snapshots, collected from the file, are the sorted sample's held in
// memory (apart from the rows' line numbers).
func TestCollectMatchesMemory(t *testing.T) {
	path, _ := shuffledSample(t)
	src, err := sor.OpenSource(path, sor.SourceOptions{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := sor.CollectRows(src, 0)
	if err != nil {
		t.Fatal(err)
	}
	sorted, err := data.SampleRows()
	if err != nil {
		t.Fatal(err)
	}
	want := sor.NewStream(sorted, sor.Window{}).Rows
	eq := func(a, b sor.Row) bool { a.Line, b.Line = 0, 0; return a == b }
	if len(rows) != len(want) || !slices.EqualFunc(rows, want, eq) {
		t.Errorf("collected %d rows, want the sorted sample's %d", len(rows), len(want))
	}
	snaps, err := sor.CollectSnapshots(src)
	if err != nil {
		t.Fatal(err)
	}
	if wantSnaps := sor.BuildSnapshots(sorted, sor.Window{}); !reflect.DeepEqual(snaps, wantSnaps) {
		t.Errorf("collected %d snapshots, want the sorted sample's %d, equal", len(snaps), len(wantSnaps))
	}
	if _, err := sor.CollectRows(src, len(want)); err != nil {
		t.Errorf("max = the rows: %v", err)
	}
	if _, err := sor.CollectRows(src, len(want)-1); !errors.Is(err, sor.ErrTooManyRows) {
		t.Errorf("max = the rows - 1: %v", err)
	}
}

// badSource is a Source whose span understates its rows and whose rows end
// in an error, after going back in time.
type badSource struct{ rows []sor.Row }

func (s badSource) Span() sor.Span { return sor.Span{Rows: 1} }
func (s badSource) Chunks(yield func([]sor.Row) bool) error {
	if !yield(s.rows) {
		return nil
	}
	return errors.New("disk on fire")
}

// The collect steps pass a source's errors on, and hold no more rows than
// allowed even when the span was wrong.
func TestCollectErrors(t *testing.T) {
	src := badSource{[]sor.Row{{TsEvent: 2, PublisherID: 2, AskPx: sor.Dollar, AskSz: 100, Line: 2}, {TsEvent: 1, PublisherID: 2, Line: 3}}}
	if _, err := sor.CollectRows(src, 0); err == nil || err.Error() != "disk on fire" {
		t.Errorf("CollectRows: %v", err)
	}
	if _, err := sor.CollectRows(src, 1); !errors.Is(err, sor.ErrTooManyRows) || err.Error() != "too many rows to collect: the source yielded more rows than the 1 allowed (its span said 1)" {
		t.Errorf("CollectRows, 1 row allowed: %v", err)
	}
	if snaps, err := sor.CollectSnapshots(src); snaps != nil || err == nil || err.Error() != "row at line 3: ts_event 1 before 2: the source is not in time order" {
		t.Errorf("CollectSnapshots: %v, %v", snaps, err)
	}
	src.rows = src.rows[:1]
	if snaps, err := sor.CollectSnapshots(src); snaps != nil || err == nil || err.Error() != "disk on fire" {
		t.Errorf("CollectSnapshots: %v, %v", snaps, err)
	}
}
