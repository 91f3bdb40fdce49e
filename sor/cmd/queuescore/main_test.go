package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor/cmd/internal/maintest"
	"github.com/sorlab/sorlab/sor/queuescore"
	"github.com/sorlab/sorlab/sor/replay"
	"github.com/sorlab/sorlab/sor/sim"
)

var update = flag.Bool("update", false, "rewrite testdata/small.golden.json")

// TestMain lets a test run the real main (exit status and all) in a
// subprocess.
func TestMain(m *testing.M) {
	maintest.Main("queuescore", main)
	os.Exit(m.Run())
}

func runJSON(t *testing.T, args ...string) (queuescore.Report, []byte) {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := run(args, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if errOut.Len() > 0 {
		t.Errorf("standard error: %q", errOut.String())
	}
	var rep queuescore.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	return rep, out.Bytes()
}

// checkComplete fails unless the report scores every model at every horizon.
func checkComplete(t *testing.T, rep queuescore.Report, horizons []string) {
	t.Helper()
	var names []string
	for _, m := range queuescore.Models() {
		names = append(names, m.String())
	}
	if !slices.Equal(rep.Horizons, horizons) || len(rep.Truth.Horizons) != len(horizons) {
		t.Errorf("horizons %v, truth %+v; want %v", rep.Horizons, rep.Truth.Horizons, horizons)
	}
	if len(rep.Models) != len(names) || len(rep.Table) != len(names) {
		t.Fatalf("%d models, %d table lines; want %d", len(rep.Models), len(rep.Table), len(names))
	}
	for i, m := range rep.Models {
		if m.Model != names[i] || rep.Table[i].Model != names[i] {
			t.Errorf("model %d: %s (table %s), want %s", i, m.Model, rep.Table[i].Model, names[i])
		}
		if m.MeanBrier == nil || m.KS == nil || len(m.Horizons) != len(horizons) || len(rep.Table[i].Brier) != len(horizons) {
			t.Errorf("%s: mean Brier %v, KS %v, %d horizons", m.Model, m.MeanBrier, m.KS, len(m.Horizons))
			continue
		}
		for k, h := range m.Horizons {
			if h.Horizon != horizons[k] || h.Brier == nil || h.FillRate == nil || len(h.Bins) == 0 {
				t.Errorf("%s at %s: %+v", m.Model, horizons[k], h)
			}
		}
	}
	if !slices.Contains(names, rep.Best) {
		t.Errorf("best %q is not a model", rep.Best)
	}
}

// The default run: 20 simulated markets, 500 orders each, every model at
// 1 s, 10 s and 60 s, and the replay's default queue model is the best
// scored (if the simulator changes and another model wins, change
// replay.DefaultQueueModel and the README's table).
func TestDefaultRun(t *testing.T) {
	if testing.Short() {
		t.Skip("the default run takes a few seconds")
	}
	rep, _ := runJSON(t)
	if rep.Orders != 10_000 || rep.Markets != 20 || rep.Skipped != 0 || rep.Mismatched != 0 {
		t.Errorf("%d orders on %d markets (%d skipped, %d books disagree); want 10,000 on 20, none skipped", rep.Orders, rep.Markets, rep.Skipped, rep.Mismatched)
	}
	checkComplete(t, rep, []string{"1s", "10s", "1m0s"})
	if rep.Best != rep.Default || rep.Default != replay.DefaultQueueModel().String() {
		t.Errorf("best scored %s, replay's default %s", rep.Best, rep.Default)
	}
	for _, m := range rep.Models {
		for _, h := range m.Horizons {
			if h.BrierCI95[0] == nil || h.BrierCI95[1] == nil {
				t.Errorf("%s at %s: no interval over 20 markets", m.Model, h.Horizon)
			}
		}
	}
}

// A small run's JSON, byte for byte (go test -update rewrites it after a
// deliberate change), twice the same.
func TestSmallRunGolden(t *testing.T) {
	args := []string{"-markets", "2", "-orders", "200", "-seeds", "3", "-horizons", "2s,20s"}
	rep, out := runJSON(t, args...)
	checkComplete(t, rep, []string{"2s", "20s"})
	if rep.Orders != 400 || rep.Seeds != 3 || rep.Data != "2 simulated markets (sor/sim seeds 1-2)" {
		t.Errorf("orders %d, seeds %d, data %q", rep.Orders, rep.Seeds, rep.Data)
	}
	if _, again := runJSON(t, args...); !bytes.Equal(out, again) {
		t.Error("two runs differ")
	}
	golden := filepath.Join("testdata", "small.golden.json")
	if *update {
		if err := os.WriteFile(golden, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, want) {
		t.Errorf("the JSON differs from %s (go test -update rewrites it)", golden)
	}
}

// A user's MBP-1 and MBO files (here the simulator's, three minutes).
func TestFiles(t *testing.T) {
	dir := t.TempDir()
	mbp, mbo := filepath.Join(dir, "mbp.csv.gz"), filepath.Join(dir, "mbo.csv")
	p := sim.DefaultParams()
	p.Duration = 3 * time.Minute
	if _, err := sim.WriteFile(context.Background(), mbp, p, 5); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.WriteMBOFile(context.Background(), mbo, p, 5); err != nil {
		t.Fatal(err)
	}
	rep, _ := runJSON(t, "-data", mbp, "-mbo", mbo, "-orders", "100", "-seeds", "2")
	checkComplete(t, rep, []string{"1s", "10s", "1m0s"})
	if rep.Orders != 100 || rep.Markets != 1 || rep.Mismatched != 0 || !strings.Contains(rep.Data, "mbo.csv (MBO)") {
		t.Errorf("orders %d, markets %d, mismatched %d, data %q", rep.Orders, rep.Markets, rep.Mismatched, rep.Data)
	}
	if h := rep.Models[0].Horizons[0]; h.BrierCI95[0] != nil || h.VsBestCI95[0] != nil {
		t.Errorf("intervals over one market: %v %v, want null", h.BrierCI95, h.VsBestCI95)
	}

	// Two files of different markets: the books disagree at every join.
	other := filepath.Join(dir, "other.csv")
	if _, err := sim.WriteMBOFile(context.Background(), other, p, 6); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := maintest.Run(t, "-data", mbp, "-mbo", other, "-orders", "100")
	if code != 2 || !strings.Contains(stderr, "other.csv") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("mismatched files: status %d, stderr %q; want 2 and one line naming the file", code, stderr)
	}
}

func TestBadArgumentsExitTwoWithOneLine(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-orders", "0"}, "-orders must be between 1 and 100000, got 0"},
		{[]string{"-seeds", "1001"}, "-seeds must be between 1 and 1000, got 1001"},
		{[]string{"-markets", "0"}, "-markets must be between 1 and 1000, got 0"},
		{[]string{"-horizons", "1s,soon"}, `-horizons: "soon" is not a duration such as 10s`},
		{[]string{"-horizons", "0s"}, "-horizons: 0s must be positive and at most 1h0m0s"},
		{[]string{"-horizons", "2h"}, "-horizons: 2h0m0s must be positive and at most 1h0m0s"},
		{[]string{"-data", "x.csv"}, "-data and -mbo go together"},
		{[]string{"-mbo", "x.csv"}, "-data and -mbo go together"},
		{[]string{"-data", "x.csv", "-mbo", "y.csv", "-markets", "3"}, "-markets is for simulated markets"},
		{[]string{"-prices", "fixed"}, "-prices, -symbol and -instrument apply to -data and -mbo only"},
		{[]string{"-data", "x.csv", "-mbo", "y.csv", "-prices", "cents"}, `-prices: want auto, decimal or fixed, got "cents"`},
		{[]string{"-data", "x.csv", "-mbo", "y.csv", "-symbol", "A", "-instrument", "1"}, "-symbol and -instrument both pick the instrument: give one"},
		{[]string{"-data", "missing.csv", "-mbo", "y.csv"}, "missing.csv"},
		{[]string{"-nope"}, "flag provided but not defined: -nope"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	} {
		stdout, stderr, code := maintest.Run(t, c.args...)
		if code != 2 || stdout != "" || !strings.HasPrefix(stderr, "queuescore: ") || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: status %d, stdout %q, stderr %q; want 2, nothing, one line with %q", c.args, code, stdout, stderr, c.want)
		}
	}
}
