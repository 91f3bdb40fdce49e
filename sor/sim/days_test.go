package sim

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor"
)

// One symbol through GenerateSymbols is byte for byte what Generate writes.
func TestGenerateSymbolsOfOneIsGenerate(t *testing.T) {
	p := DefaultParams()
	p.Duration = 20 * time.Second
	var one, want bytes.Buffer
	st, err := GenerateSymbols(&one, []Params{p}, []uint64{7})
	if err != nil {
		t.Fatal(err)
	}
	wst, err := Generate(&want, p, 7)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(one.Bytes(), want.Bytes()) {
		t.Error("GenerateSymbols of one symbol differs from Generate")
	}
	if st.Rows != wst.Rows || st.Events != wst.Events || !slices.Equal(st.Venues, wst.Venues) {
		t.Errorf("stats %+v, want %+v", st, wst)
	}
}

// A file of several symbols holds each symbol's run exactly (the rows Rows
// gives for its parameters and seed), interleaved in ts_recv order with
// ties in symbol order.
func TestGenerateSymbolsInterleavesWholeRuns(t *testing.T) {
	base := DefaultParams()
	base.Duration = 15 * time.Second
	ps := []Params{base.ForSymbol(0), base.ForSymbol(1), base.ForSymbol(2)}
	seeds := []uint64{DaySeed(3, 0, 0), DaySeed(3, 0, 1), DaySeed(3, 0, 2)}
	var buf bytes.Buffer
	st, err := GenerateSymbols(&buf, ps, seeds)
	if err != nil {
		t.Fatal(err)
	}
	got, err := sor.NewReader(&buf, "three.csv", sor.ReadOptions{}).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(got)) != st.Rows {
		t.Errorf("%d rows read, stats say %d", len(got), st.Rows)
	}
	for i := 1; i < len(got); i++ {
		if got[i].TsRecv < got[i-1].TsRecv {
			t.Fatalf("line %d: ts_recv goes back", got[i].Line)
		}
	}
	for k, p := range ps {
		want, err := Rows(p, seeds[k])
		if err != nil {
			t.Fatal(err)
		}
		var mine []sor.Row
		for _, r := range got {
			if r.Symbol == p.Symbol {
				if r.InstrumentID != p.InstrumentID {
					t.Fatalf("%s row with instrument %d", p.Symbol, r.InstrumentID)
				}
				r.Line = len(mine) + 2 // as in a file of its own
				mine = append(mine, r)
			}
		}
		if len(want) < 500 || !slices.Equal(mine, want) {
			t.Errorf("%s: %d rows in the file, its own run has %d (or they differ)", p.Symbol, len(mine), len(want))
		}
	}
}

// Symbols differ in name, instrument id and price; the first is the
// sample's.
func TestForSymbol(t *testing.T) {
	p := DefaultParams()
	for s, want := range []struct {
		sym   string
		id    uint32
		price float64
	}{{"SIMX", 4242, 220}, {"SIMX2", 4243, 110}, {"SIMX3", 4244, 73.33}} {
		q := p.ForSymbol(s)
		if q.Symbol != want.sym || q.InstrumentID != want.id || q.StartPrice != want.price {
			t.Errorf("symbol %d: %s %d %v, want %+v", s, q.Symbol, q.InstrumentID, q.StartPrice, want)
		}
		if err := q.Validate(); err != nil {
			t.Error(err)
		}
	}
}

// Seeds of neighbouring days, symbols and base seeds are all different.
func TestDaySeedsDiffer(t *testing.T) {
	seen := map[uint64]string{}
	for seed := range uint64(4) {
		for d := range 300 {
			for s := range 20 {
				k := DaySeed(seed, d, s)
				if prev, ok := seen[k]; ok {
					t.Fatalf("seed %d day %d symbol %d repeats %s", seed, d, s, prev)
				}
				seen[k] = fmt.Sprintf("seed %d day %d symbol %d", seed, d, s)
			}
		}
	}
}

// Weekdays only, at the start's time of day.
func TestTradingDays(t *testing.T) {
	start := time.Date(2024, 8, 1, 13, 36, 32, 0, time.UTC) // a Thursday
	var got []string
	for _, d := range TradingDays(start, 4) {
		got = append(got, d.Format(time.RFC3339))
	}
	want := []string{"2024-08-01T13:36:32Z", "2024-08-02T13:36:32Z", "2024-08-05T13:36:32Z", "2024-08-06T13:36:32Z"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// WriteDays names its files by day (and symbol when split); a split day's
// files hold the same rows as the day's file of all symbols; bad arguments
// are refused.
func TestWriteDays(t *testing.T) {
	p := DefaultParams()
	p.Duration = 5 * time.Second
	dir := t.TempDir()
	paths, _, err := WriteDays(context.Background(), dir, ".csv", p, 9, 3, 2, false)
	if err != nil {
		t.Fatal(err)
	}
	split, _, err := WriteDays(context.Background(), filepath.Join(dir, "split"), ".csv.gz", p, 9, 3, 2, true)
	if err == nil {
		t.Fatal("a missing folder: no error")
	}
	if err := os.Mkdir(filepath.Join(dir, "split"), 0o755); err != nil {
		t.Fatal(err)
	}
	if split, _, err = WriteDays(context.Background(), filepath.Join(dir, "split"), ".csv.gz", p, 9, 3, 2, true); err != nil {
		t.Fatal(err)
	}
	base := func(ps []string) []string {
		var b []string
		for _, p := range ps {
			b = append(b, filepath.Base(p))
		}
		return b
	}
	if got, want := base(paths), []string{"2024-08-01.csv", "2024-08-02.csv", "2024-08-05.csv"}; !slices.Equal(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
	if got, want := base(split), []string{"2024-08-01.SIMX.csv.gz", "2024-08-01.SIMX2.csv.gz", "2024-08-02.SIMX.csv.gz", "2024-08-02.SIMX2.csv.gz", "2024-08-05.SIMX.csv.gz", "2024-08-05.SIMX2.csv.gz"}; !slices.Equal(got, want) {
		t.Errorf("split files %v, want %v", got, want)
	}
	for d, path := range paths {
		all, err := sor.ReadFile(path, sor.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for s := range 2 {
			one, err := sor.ReadFile(split[2*d+s], sor.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var mine []sor.Row
			for _, r := range all {
				if r.InstrumentID == one[0].InstrumentID {
					r.Line = len(mine) + 2
					mine = append(mine, r)
				}
			}
			if !slices.Equal(mine, one) {
				t.Errorf("%s: not the rows of %s", split[2*d+s], path)
			}
		}
	}
	for _, c := range []struct {
		ext           string
		days, symbols int
		want          string
	}{
		{".csv", 0, 1, "days must be between 1 and 10000, got 0"},
		{".csv", 1, 1001, "symbols must be between 1 and 1000, got 1001"},
		{".txt", 1, 1, `extension ".txt": want .csv, .csv.gz or .csv.zst`},
	} {
		if _, _, err := WriteDays(context.Background(), dir, c.ext, p, 1, c.days, c.symbols, false); err == nil || err.Error() != c.want {
			t.Errorf("%+v: got %v", c, err)
		}
	}
}
