package sweep

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor"
)

// A run removes the temporary files that killed writers left in tasks/ and
// census/ when they are older than staleTemp, and leaves younger ones,
// which may be another shard's writes in progress, and every result.
func TestRunRemovesOnlyStaleTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"tasks", "census"} {
		os.MkdirAll(filepath.Join(dir, sub), 0o755)
	}
	old := time.Now().Add(-staleTemp - time.Minute)
	files := map[string]bool{ // name: kept
		"tasks/.a.json.tmp-123":        false,
		"census/.b.json.tmp-9":         false,
		"tasks/.c.error.json.tmp-77":   true, // young
		"tasks/a.json":                 true, // a result, however old
		"tasks/.hidden-but-not-a-temp": true,
	}
	for name := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
		if name != "tasks/.c.error.json.tmp-77" {
			os.Chtimes(path, old, old)
		}
	}
	removeStaleTemps(dir, time.Now().Add(-staleTemp))
	for name, kept := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if got := err == nil; got != kept {
			t.Errorf("%s: kept %v, want %v", name, got, kept)
		}
	}
}

// BenchmarkTaskWrite writes one task result (a 5 KB JSON file) into a
// tasks/ folder that already holds N results: the sweep's own writer
// (owned) against the folder-locked sor.WriteBytesAtomic it replaced
// (locked), whose lock and listing of the folder grow with N. Compare the
// sizes with go tool -modfile=docker/tools/go.mod benchstat (-benchtime 100x: the locked writer at
// 20,000 results takes a while).
func BenchmarkTaskWrite(b *testing.B) {
	data := make([]byte, 5000)
	for i := range data {
		data[i] = 'x'
	}
	for _, n := range []int{0, 1000, 20000} {
		dir := b.TempDir()
		for i := range n {
			if err := os.WriteFile(filepath.Join(dir, "r"+strconv.Itoa(i)+".json"), data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		for _, w := range []struct {
			name  string
			write func(string, []byte) error
		}{{"owned", sor.WriteOwnedBytes}, {"locked", sor.WriteBytesAtomic}} {
			b.Run(fmt.Sprintf("writer=%s/results=%d", w.name, n), func(b *testing.B) {
				for i := 0; b.Loop(); i++ {
					if err := w.write(filepath.Join(dir, "new"+strconv.Itoa(i%100)+".json"), data); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// A total over $999,999,999.999999999 (the most a DECIMAL(18,9) column
// holds) goes into the table whole: $5,000,000,123.000000007 in the CSV and,
// through the DECIMAL(38,9) column, back from the Parquet file; a negative
// cash (rebates above the price) keeps its sign.
func TestBigCashInTheTable(t *testing.T) {
	big := 5_000_000_123*sor.Dollar + 7
	r := &Result{Manifest: "h", Task: Task{File: "f.csv"}, OrderSize: 20_000_000, Best: 0,
		Grid:    []PointFill{{Fill: Fill{Filled: 20_000_000, Cash: big}}},
		BestAsk: Fill{Filled: 100, Cash: -3*sor.Dollar - 1},
	}
	rows, err := r.rows("")
	if err != nil {
		t.Fatal(err)
	}
	pass := func(yield func(*Result, []Row) error) error { return yield(r, rows) }
	dir := t.TempDir()
	path := filepath.Join(dir, "t.parquet")
	err = sor.WriteFileAtomic(path, func(w io.Writer) error {
		return writeParquet(w, "h", pass, func(_ *Result, rows []Row) ([]Row, error) { return rows, nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	back, err := ReadParquet(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []sor.Money{big, -3*sor.Dollar - 1} {
		if got, ok := back[i].TotalCash.Money(); !ok || got != want {
			t.Errorf("row %d: total_cash %v (%v), want %v", i, got, ok, want)
		}
	}
	var csv bytes.Buffer
	if err := writeCSV(&csv, pass, Columns(), func(_ *Result, rows []Row) ([]Row, error) { return rows, nil }, appendCSV); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(csv.String(), "\n")
	if !strings.Contains(lines[1], ",router,20000000,0,5000000123.000000007,") || !strings.Contains(lines[2], ",best_ask,100,19999900,-3.000000001,") {
		t.Errorf("CSV:\n%s", csv.String())
	}
	if _, ok := (Cash{0: 1}).Money(); ok {
		t.Error("a Cash beyond int64 read as Money")
	}
}
