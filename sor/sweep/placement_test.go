package sweep_test

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/internal/runflags"
	"github.com/sorlab/sorlab/sor/sweep"
)

// With -experiment placement each task runs the experiment on its file, and
// the merge writes placement.csv and placement.parquet: three rows a task
// (market_only, ck_split, limit_only), the same bytes whether the sweep ran
// whole or in shards, and each task's figures those of the experiment run
// directly on its file.
func TestPlacementTable(t *testing.T) {
	files := filepath.Join(days(t), "split", "*.SIMX2.csv.gz")
	args := []string{"-experiment", "placement", "-fill", "queue", "-seeds", "2", "-horizon", "5s",
		"-lambda-under", "0.1", "-lambda-over", "0.05", "-theta-queue", "0.001", "-order-size", "2000"}
	p := plan(t, sweep.Manifest{Inputs: []sweep.Input{{Data: files}}, Args: args})
	read := func(dir string) (csv, pq []byte) {
		t.Helper()
		if _, err := sweep.Merge(dir); err != nil {
			t.Fatal(err)
		}
		csv, err := os.ReadFile(filepath.Join(dir, "placement.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if pq, err = os.ReadFile(filepath.Join(dir, "placement.parquet")); err != nil {
			t.Fatal(err)
		}
		return csv, pq
	}
	whole := t.TempDir()
	runAll(t, p, sweep.Options{Dir: whole})
	csv, pq := read(whole)
	sharded := t.TempDir()
	for i := range 2 {
		runAll(t, p, sweep.Options{Dir: sharded, Shard: i, Of: 2})
	}
	if c, q := read(sharded); !bytes.Equal(c, csv) || !bytes.Equal(q, pq) {
		t.Error("2 shards: the placement table differs from the whole sweep's")
	}
	lines := strings.Split(strings.TrimSuffix(string(csv), "\n"), "\n")
	if lines[0] != strings.Join(sweep.PlacementColumns(), ",") || len(lines) != 1+2*3 {
		t.Fatalf("placement.csv: header %q and %d lines, want 1 + 2 tasks x 3 ways", lines[0], len(lines))
	}
	rows, err := sweep.ReadPlacementParquet(filepath.Join(whole, "placement.parquet"))
	if err != nil || len(rows) != 6 {
		t.Fatalf("placement.parquet: %d rows, %v", len(rows), err)
	}
	// The CSV holds the Parquet file's values: here the way, the saving and
	// the seeds cheaper of each row (empty on market_only rows).
	for i, line := range lines[1:] {
		f := strings.Split(line, ",")
		r := rows[i]
		want := []string{r.Variant, "", ""}
		if r.Savings != nil {
			want[1], want[2] = strconv.FormatFloat(*r.Savings, 'g', -1, 64), strconv.FormatInt(*r.Cheaper, 10)
		}
		if len(f) != len(sweep.PlacementColumns()) || f[9] != want[0] || f[13] != want[1] || f[16] != want[2] {
			t.Errorf("placement.csv line %d: %q; want %d fields, %v in variant, savings_bps, seeds_cheaper", i+2, line, len(sweep.PlacementColumns()), want)
		}
	}

	paths, _ := filepath.Glob(files)
	for k, path := range paths {
		// The experiment run directly, as the backtest command runs it.
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		flags := runflags.Add(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		r, err := flags.Run()
		if err != nil {
			t.Fatal(err)
		}
		src, err := sor.OpenSource(path, r.Source)
		if err != nil {
			t.Fatal(err)
		}
		o, err := sor.RunSource(src, r.Config)
		if err != nil {
			t.Fatal(err)
		}
		res, err := r.Replay.RunPlacement(src, o.Grid[o.Best].Params)
		if err != nil {
			t.Fatal(err)
		}
		want := res.JSON()
		for i, v := range want.Variants {
			row := rows[3*k+i]
			if row.File != path || row.Variant != v.Variant || row.Seeds != 2 || row.Slices != want.Slices {
				t.Fatalf("row %d: %s %s, %d seeds, %d slices; want %s %s, 2, %d", 3*k+i, row.File, row.Variant, row.Seeds, row.Slices, path, v.Variant, want.Slices)
			}
			if *row.Cost != v.Cost.Mean.Float64() || *row.FillRate != v.FillRate.Mean.Float64() || *row.MakerShare != v.MakerShare.Mean.Float64() {
				t.Errorf("%s %s: cost %v, fill rate %v, maker share %v; the experiment: %v, %v, %v", path, v.Variant,
					*row.Cost, *row.FillRate, *row.MakerShare, v.Cost.Mean, v.FillRate.Mean, v.MakerShare.Mean)
			}
			if v.Savings == nil {
				if row.Savings != nil || row.Cheaper != nil {
					t.Errorf("%s market_only: savings %v, cheaper %v; want nulls", path, row.Savings, row.Cheaper)
				}
				continue
			}
			if row.Savings == nil || *row.Savings != v.Savings.Mean.Float64() || *row.SavingsLow > *row.Savings || *row.Savings > *row.SavingsHigh || *row.Cheaper != int64(*v.Cheaper) {
				t.Errorf("%s %s: savings %v [%v, %v], cheaper %v; the experiment: %v, %v", path, v.Variant, row.Savings, row.SavingsLow, row.SavingsHigh, row.Cheaper, v.Savings.Mean, *v.Cheaper)
			}
		}
	}
}
