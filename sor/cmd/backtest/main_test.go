package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sorlab/sorlab/sor/cmd/internal/maintest"
)

var update = flag.Bool("update", false, "rewrite testdata/market.golden.json")

// TestMain lets a test run the real main (exit code and all) in a subprocess.
func TestMain(m *testing.M) {
	maintest.Main("backtest", main)
	os.Exit(m.Run())
}

// TestHandComputedMarket checks the JSON of a three-venue file against values
// worked out by hand (order 5,000; venue 2 pays a 0.01 fee, so venues 2 and
// 5 tie at 10.01 all-in at 13:36:32):
//   - router: waits at 13:36:31 (1,000 shown < 5,000), then at 13:36:32 the
//     10.01 pair holds 50 lots: 3,000 + 2,000 at 10.01 = 50,050.
//   - best ask: 1,000 × 10.05 + 3,000 × 10.01 (tie, lower id) + 1,000 × 10.00
//     (venue 8's new quote at 13:37:40) = 50,080, avg 10.016.
//   - TWAP: 4 buckets of 60 s from 13:36:31, targets 1,250/2,500/3,750/5,000:
//     1,000 × 10.05 + 250 × 10.01 + 3 × 1,250 × 10.00 = 50,052.50.
//   - VWAP: 1,000 × 10.05, then q = 4,000 of 5,500: 2,181/1,454/363 plus one
//     leftover share each to venues 2 and 5: 2,182 × 10.01 + 1,455 × 10.01 +
//     363 × 10.02 = 40,043.63; total 50,093.63.
//   - savings vs best ask: (10.016 − 10.01)/10.016 × 10⁴ bps.
func TestHandComputedMarket(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, code := maintest.Run(t, "-data", "testdata/market.csv", "-venues", "testdata/venues.csv", "-out", dir)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var s struct {
		Snapshots int   `json:"snapshots"`
		Venues    []int `json:"venues"`
		Optimized struct {
			TotalCash float64  `json:"total_cash"`
			AvgFillPx *float64 `json:"avg_fill_px"`
			Unfilled  int64    `json:"unfilled_shares"`
		} `json:"optimized"`
		Baselines map[string]struct {
			TotalCash float64 `json:"total_cash"`
			Filled    int64   `json:"filled_shares"`
		} `json:"baselines"`
		Savings map[string]float64 `json:"savings_vs_baselines_bps"`
		Grid    []json.RawMessage  `json:"grid"`
	}
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want float64
	}{
		{"snapshots", float64(s.Snapshots), 5},
		{"router cash", s.Optimized.TotalCash, 50050},
		{"router avg", *s.Optimized.AvgFillPx, 10.01},
		{"router unfilled", float64(s.Optimized.Unfilled), 0},
		{"best ask cash", s.Baselines["best_ask"].TotalCash, 50080},
		{"twap cash", s.Baselines["twap"].TotalCash, 50052.5},
		{"vwap cash", s.Baselines["vwap"].TotalCash, 50093.63},
		{"savings vs best ask", s.Savings["best_ask"], (10.016 - 10.01) / 10.016 * 1e4},
		{"grid points", float64(len(s.Grid)), 27},
	}
	for _, c := range checks {
		if d := c.got - c.want; d > 1e-9 || d < -1e-9 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if strings.Join(strings.Fields(strings.Trim(strings.ReplaceAll(jsonInts(s.Venues), ",", " "), "[]")), " ") != "2 5 8" {
		t.Errorf("venues = %v", s.Venues)
	}
	written, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil || string(written) != stdout {
		t.Errorf("results.json differs from stdout (%v)", err)
	}
	golden := "testdata/market.golden.json"
	if *update {
		os.WriteFile(golden, []byte(stdout), 0o644)
	}
	if want, err := os.ReadFile(golden); err != nil || string(want) != stdout {
		t.Errorf("stdout differs from %s (run with -update to accept): %v", golden, err)
	}
	checkPNG(t, filepath.Join(dir, "results.png"))
}

func jsonInts(v []int) string { b, _ := json.Marshal(v); return string(b) }

func checkPNG(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() < 600 || b.Dy() < 300 {
		t.Errorf("%s is only %dx%d", path, b.Dx(), b.Dy())
	}
}

func TestBadInputExitsTwoWithOneLineAndNoFiles(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // a substring of the one stderr line
	}{
		{"bad price", []string{"-data", "testdata/bad_price.csv"}, `testdata/bad_price.csv:3:3 (ask_px_00): invalid number: "abc"`},
		{"missing file", []string{"-data", "testdata/nope.csv"}, "no such file"},
		{"odd order size", []string{"-data", "testdata/market.csv", "-order-size", "5050"}, "order size must be a positive multiple of 100, got 5050"},
		{"bad grid", []string{"-data", "testdata/market.csv", "-lambda-under", "0.01,x"}, `-lambda-under: invalid dollar amount "x"`},
		{"bad window", []string{"-data", "testdata/market.csv", "-start", "yesterday"}, "-start: want RFC 3339"},
		{"empty window", []string{"-data", "testdata/market.csv", "-start", "2030-01-01T00:00:00Z"}, "no snapshots"},
		{"start past int64 nanoseconds", []string{"-data", "testdata/market.csv", "-start", "2300-01-01T00:00:00Z"}, "-start: 2300-01-01T00:00:00Z is outside 1970-2261"},
		{"end at the epoch", []string{"-data", "testdata/market.csv", "-end", "1970-01-01T00:00:00Z"}, "-end: 1970-01-01T00:00:00Z is outside 1970-2261"},
		{"bad venue table", []string{"-data", "testdata/market.csv", "-venues", "testdata/market.csv"}, "venue table header must be"},
		{"unknown flag", []string{"-speed", "9"}, "flag provided but not defined: -speed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			stdout, stderr, code := maintest.Run(t, append(tc.args, "-out", dir)...)
			if code != 2 || stdout != "" || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and %q", code, stdout, stderr, tc.want)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("stderr is not one line: %q", stderr)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("left files behind: %v", entries)
			}
		})
	}
}

// runTwice runs the command twice and returns its output, failing when it
// fails or when the two runs differ.
func runTwice(t *testing.T, args ...string) string {
	t.Helper()
	out1, stderr, code := maintest.Run(t, args...)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if out2, _, _ := maintest.Run(t, args...); out1 != out2 {
		t.Error("two runs with the same seeds differ")
	}
	return out1
}

func TestReplayFlags(t *testing.T) {
	single := []string{"-lambda-under", "0.05", "-lambda-over", "0.05", "-theta-queue", "0.001", "-seeds", "2"}
	t.Run("refuses a broken assumption and names it", func(t *testing.T) {
		dir := t.TempDir()
		args := append([]string{"-router", "ck", "-fill", "prob-log", "-out", dir}, single...)
		args[len(args)-5] = "0.001" // lambda_over 0.001 <= h + r: A3
		_, stderr, code := maintest.Run(t, args...)
		if code != 2 || !strings.Contains(stderr, "assumption A3 violated") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("left files behind: %v", entries)
		}
	})
	t.Run("the opt-in runs it anyway", func(t *testing.T) {
		args := append([]string{"-router", "ck", "-fill", "prob-log", "-allow-assumption-violations", "-out", t.TempDir()}, single...)
		args[len(args)-5] = "0.001"
		if _, stderr, code := maintest.Run(t, args...); code != 0 {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("ck router report is deterministic and complete", func(t *testing.T) {
		args := append([]string{"-router", "ck", "-fill", "prob-power", "-latency", "1ms", "-latency-max", "2ms", "-out", t.TempDir()}, single...)
		out1 := runTwice(t, args...)
		var s struct {
			Replay struct {
				FillModel      string   `json:"fill_model"`
				Latency        string   `json:"latency"`
				Seeds          []uint64 `json:"seeds"`
				SelectionSeeds []uint64 `json:"selection_seeds"`
				Strategies     []struct {
					Strategy     string      `json:"strategy"`
					Runs         int         `json:"runs"`
					CostPerShare *float64    `json:"cost_per_share"`
					CI           [2]*float64 `json:"cost_per_share_ci95"`
					FillRate     *float64    `json:"fill_rate"`
				} `json:"strategies"`
				Grid []json.RawMessage `json:"grid"`
			} `json:"replay"`
		}
		if err := json.Unmarshal([]byte(out1), &s); err != nil {
			t.Fatal(err)
		}
		r := s.Replay
		// The grid chose on seeds 1-2; the figures come from fresh seeds 3-4.
		if fmt.Sprint(r.Seeds, r.SelectionSeeds) != "[3 4] [1 2]" {
			t.Errorf("seeds %v, selection seeds %v; want [3 4] and [1 2]", r.Seeds, r.SelectionSeeds)
		}
		if r.FillModel != "queue_prob_power2_sampled" || r.Latency != "uniform [1ms, 2ms]" || len(r.Grid) != 1 {
			t.Errorf("set-up: %+v", r)
		}
		var names []string
		for _, st := range r.Strategies {
			names = append(names, st.Strategy)
			if st.Runs != 2 || st.CostPerShare == nil || *st.CI[0] > *st.CostPerShare || *st.CI[1] < *st.CostPerShare || *st.FillRate <= 0 {
				t.Errorf("%s: %+v", st.Strategy, st)
			}
		}
		if strings.Join(names, ",") != "ck_router,best_ask,twap,vwap" {
			t.Errorf("strategies %v", names)
		}
	})
	t.Run("markets compares against TWAP", func(t *testing.T) {
		out, stderr, code := maintest.Run(t, "-fill", "risk-averse", "-markets", "2", "-seeds", "1", "-out", t.TempDir())
		if code != 0 {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		var s struct {
			Replay struct {
				Markets []struct {
					Strategy  string   `json:"strategy"`
					Reference string   `json:"reference"`
					Markets   int      `json:"markets"`
					Bps       *float64 `json:"vs_reference_bps"`
				} `json:"markets"`
			} `json:"replay"`
		}
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatal(err)
		}
		m := s.Replay.Markets
		if len(m) != 4 || m[2].Strategy != "twap" || *m[2].Bps != 0 || m[0].Reference != "twap" || m[0].Markets != 2 || m[0].Bps == nil {
			t.Errorf("markets: %+v", m)
		}
	})
	t.Run("placement experiment is deterministic and complete", func(t *testing.T) {
		args := append([]string{"-experiment", "placement", "-fill", "risk-averse", "-horizon", "30s", "-out", t.TempDir()}, single...)
		out1 := runTwice(t, args...)
		var s struct {
			Replay    json.RawMessage `json:"replay"`
			Placement struct {
				Data           string   `json:"data"`
				Slice          string   `json:"slice"`
				Slices         int      `json:"slices"`
				Seeds          []uint64 `json:"seeds"`
				SelectionSeeds []uint64 `json:"selection_seeds"`
				Over           string   `json:"intervals_over"`
				Horizons       []string `json:"markout_horizons"`
				Variants       []struct {
					Variant string `json:"variant"`
					Savings *struct {
						Mean *float64    `json:"mean"`
						CI   [2]*float64 `json:"ci95"`
						N    int         `json:"n"`
					} `json:"savings_vs_market_only_bps"`
					FillRate struct {
						Mean *float64 `json:"mean"`
					} `json:"fill_rate"`
					Markouts []struct {
						Horizon string `json:"horizon"`
					} `json:"markouts"`
					ByVenue []struct {
						Name string `json:"name"`
					} `json:"markouts_by_venue"`
				} `json:"variants"`
			} `json:"placement"`
		}
		if err := json.Unmarshal([]byte(out1), &s); err != nil {
			t.Fatal(err)
		}
		p := s.Placement
		if s.Replay != nil || p.Data != "the data" || p.Slice != "30s" || p.Slices != 7 || fmt.Sprint(p.SelectionSeeds, p.Seeds) != "[1 2] [3 4]" ||
			p.Over != "seeds" || strings.Join(p.Horizons, " ") != "1s 10s 1m0s" || len(p.Variants) != 3 {
			t.Fatalf("set-up: %+v", p)
		}
		for i, v := range p.Variants {
			if v.Variant != []string{"market_only", "ck_split", "limit_only"}[i] || (i == 0) != (v.Savings == nil) ||
				*v.FillRate.Mean != 1 || len(v.Markouts) != 3 || len(v.ByVenue) == 0 || v.ByVenue[0].Name == "" {
				t.Errorf("variant %d: %+v", i, v)
			}
			if v.Savings != nil && (v.Savings.N != 2 || *v.Savings.CI[0] > *v.Savings.Mean || *v.Savings.CI[1] < *v.Savings.Mean) {
				t.Errorf("%s savings %+v", v.Variant, v.Savings)
			}
		}
	})
	t.Run("feed delay decides on ts_recv", func(t *testing.T) {
		out, stderr, code := maintest.Run(t, "-fill", "risk-averse", "-feed-delay", "-seeds", "1", "-out", t.TempDir())
		if code != 0 {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		var s struct {
			Replay struct {
				FeedDelay  bool `json:"feed_delay"`
				Strategies []struct {
					FillRate *float64 `json:"fill_rate"`
				} `json:"strategies"`
			} `json:"replay"`
		}
		if err := json.Unmarshal([]byte(out), &s); err != nil || !s.Replay.FeedDelay || len(s.Replay.Strategies) != 4 || *s.Replay.Strategies[0].FillRate != 1 {
			t.Errorf("%v: %+v", err, s.Replay)
		}
		_, stderr, code = maintest.Run(t, "-data", "testdata/market.csv", "-fill", "risk-averse", "-feed-delay", "-seeds", "1", "-out", t.TempDir())
		if code != 2 || !strings.Contains(stderr, "feed delay: the row at line 8 has no ts_recv") {
			t.Errorf("a file without ts_recv: exit %d, stderr %q", code, stderr)
		}
	})
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"-experiment", "placement"}, "-experiment placement posts limit orders, which the visible fill model cannot fill"},
		{[]string{"-experiment", "placement", "-fill", "risk-averse", "-router", "ck"}, "-router does not apply to -experiment placement"},
		{[]string{"-experiment", "timing"}, `-experiment: want placement, got "timing"`},
		{[]string{"-router", "ck"}, "-router ck posts limit orders"},
		{[]string{"-markets", "-1"}, "-markets must be between 0 and 1000"},
		{[]string{"-fill", "prob-log", "-router", "ck", "-horizon", "1ns"}, "-horizon must be between 100ms and 1h, got 1ns"},
		{[]string{"-latency", "2500000h"}, "-latency and -latency-max must be at most 1h"},
		{[]string{"-seeds", "5", "-horizon", "5s"}, "-horizon and -seeds apply only to a replay: add -fill, -latency, -feed-delay, -router ck, -markets or -experiment"},
		{[]string{"-fill", "magic"}, `-fill: want a fill model visible, queue (the default queue model), risk-averse, prob-power (N = 2), prob-powerN (prob-power1, prob-power3, …), prob-log, prob-log2, prob-func2-powerN or prob-func3-powerN; got "magic"`},
		{[]string{"-fill", "prob-power0"}, `-fill: fill model "prob-power0": the power N must be a positive number`},
		{[]string{"-fill", "risk-averse", "-seeds", "0"}, "-seeds must be between 1 and 1000"},
		{[]string{"-latency", "2ms", "-latency-max", "1ms"}, "-latency-max 1ms is below -latency 2ms"},
	} {
		t.Run(bad.want, func(t *testing.T) {
			if _, stderr, code := maintest.Run(t, append(bad.args, "-out", t.TempDir())...); code != 2 || !strings.Contains(stderr, bad.want) {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
		})
	}
}

// A failure while writing the outputs must leave neither file: here
// results.json cannot be replaced (a folder is in the way), and results.png
// must not have been written either.
func TestOutputsAreWrittenTogether(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "results.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "results.json", "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, code := maintest.Run(t, "-data", "testdata/market.csv", "-out", dir)
	entries, _ := os.ReadDir(dir)
	if code != 2 || len(entries) != 1 {
		t.Errorf("exit %d, folder holds %v; want 2 and only the old results.json", code, entries)
	}
}

// Every publisher with a row in the window is a venue of the report, even
// one that never shows an ask.
func TestVenuesAreThePublishersSeen(t *testing.T) {
	stdout, stderr, code := maintest.Run(t, "-data", "testdata/silent_venue.csv", "-order-size", "100", "-out", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var s struct {
		Venues []int `json:"venues"`
	}
	if err := json.Unmarshal([]byte(stdout), &s); err != nil || fmt.Sprint(s.Venues) != "[1 2 3]" {
		t.Errorf("venues %v (%v), want [1 2 3]", s.Venues, err)
	}
}

// Every flag and the venue table are checked before the data is opened:
// with -data /dev/zero (which fails as soon as it is read) the error must be
// the flag's.
func TestFlagsAreCheckedBeforeTheData(t *testing.T) {
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"-order-size", "150"}, "order size must be a positive multiple of 100, got 150"},
		{[]string{"-twap-bucket", "0s"}, "TWAP bucket must be positive, got 0s"},
		{[]string{"-fill", "risk-averse", "-seeds", "0"}, "-seeds must be between 1 and 1000, got 0"},
		{[]string{"-latency", "-1ms"}, "-latency and -latency-max must not be negative"},
		{[]string{"-fill", "prob-log", "-router", "ck", "-horizon", "1ns"}, "-horizon must be between 100ms and 1h, got 1ns"},
		{[]string{"-router", "ck"}, "-router ck posts limit orders"},
		{[]string{"-venues", "testdata/venues_dup.csv"}, "testdata/venues_dup.csv:3:1 (publisher_id): publisher listed twice"},
		{[]string{"-fill", "prob-log", "-queue-power", "3"}, "-queue-power applies to -fill prob-power only (got -fill prob-log)"},
		{[]string{"-fill", "risk-averse", "-horizon", "5s"}, "-horizon applies to -router ck or -experiment placement only"},
		{[]string{"-lambda-under", strings.Repeat("0.01,", 99) + "0.01", "-lambda-over", strings.Repeat("0.02,", 99) + "0.02",
			"-theta-queue", strings.Repeat("0.03,", 99) + "0.03"}, "the grid has 100 x 100 x 100 = 1000000 points, more than 10000"},
		{[]string{"-symbol", "AAPL", "-instrument", "38"}, "-symbol and -instrument both pick the instrument: give one"},
		{[]string{"-sort", "quick"}, "-sort: want auto, buffer or external"},
		{[]string{"-out", "testdata/nowhere"}, "-out: folder testdata/nowhere does not exist"},
		{[]string{"-order-size", "100000000000000"}, "-order-size must be at most 1000000000 shares, got 100000000000000"},
		{[]string{"-venues", "testdata/venues_huge_rebate.csv"}, "testdata/venues_huge_rebate.csv: publisher 2 rebate: order of 5000 shares at up to $9000000000 a share is too large for exact money arithmetic"},
	} {
		t.Run(bad.want, func(t *testing.T) {
			args := append([]string{"-data", "/dev/zero"}, bad.args...)
			if !slices.Contains(args, "-out") {
				args = append(args, "-out", t.TempDir())
			}
			if _, stderr, code := maintest.Run(t, args...); code != 2 || !strings.Contains(stderr, bad.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, bad.want)
			}
		})
	}
}

// Options that would be ignored are refused.
func TestIgnoredOptionsAreRefused(t *testing.T) {
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"-data="}, "-data is empty (an unset shell variable?); omit it to run the embedded sample"},
		{[]string{"-venues="}, "-venues is empty (an unset shell variable?); omit it for the default venue table"},
		{[]string{"-seeds", "3"}, "-seeds applies only to a replay: add -fill"},
		{[]string{"-prices", "fixed"}, "-prices applies to a -data file"},
		{[]string{"-symbol", "AAPL"}, "-symbol applies to a -data file"},
	} {
		if _, stderr, code := maintest.Run(t, append(bad.args, "-out", t.TempDir())...); code != 2 || !strings.Contains(stderr, bad.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", bad.args, code, stderr, bad.want)
		}
	}
}

// runLimited runs main with args under a 1 GB address-space limit and
// returns its standard error and exit status (-1 when it did not exit).
func runLimited(t *testing.T, args ...string) (stderr string, code int) {
	t.Helper()
	cmd := exec.Command("sh", "-c", `ulimit -v 1000000 && exec "$0" -test.run='^$'`, os.Args[0])
	cmd.Env = maintest.Env(args...)
	var e bytes.Buffer
	cmd.Stderr = &e
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return e.String(), ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return e.String(), 0
}

// An endless file fails at once, in little memory: one line, exit 2 (run
// under a 1 GB address-space limit). /dev/zero's NUL bytes are refused as
// binary before any line is read; text without line breaks is bounded by
// sor.MaxLine (TestLinesAreBounded in package sor).
func TestEndlessInputFailsFast(t *testing.T) {
	stderr, code := runLimited(t, "-data", "/dev/zero", "-out", t.TempDir())
	if code != 2 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 ||
		!strings.Contains(stderr, "/dev/zero: byte 0: neither DBN nor CSV text (a NUL byte, 0x00)") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// zstdZeros is a zstd frame of n × 128 KiB zero bytes in 4 bytes a block
// (RLE blocks): 16,384 blocks make a 64 KB file that expands to 2 GiB.
func zstdZeros(n int) []byte {
	const block = 128 << 10
	b := []byte{0x28, 0xb5, 0x2f, 0xfd, // magic
		0x00, // frame header: no content size, no checksum, a window descriptor
		0x38, // window 2^(10+7) = 128 KiB
	}
	for i := range n {
		h := 1<<1 | block<<3 // an RLE block of 128 KiB
		if i == n-1 {
			h |= 1 // the last block
		}
		b = append(b, byte(h), byte(h>>8), byte(h>>16), 0)
	}
	return b
}

// A venue table is read like a data file: one without line breaks, or a
// small zstd file that expands to 2 GiB of zeros, fails at once with one
// line and exit 2, in little memory (a 1 GB address-space limit), before
// the data is read.
func TestEndlessVenueTableFailsFast(t *testing.T) {
	dir := t.TempDir()
	noBreak := filepath.Join(dir, "venues.csv")
	if err := os.WriteFile(noBreak, bytes.Repeat([]byte("publisher_id,"), 3<<20/13), 0o644); err != nil {
		t.Fatal(err)
	}
	bomb := filepath.Join(dir, "venues.csv.zst")
	if err := os.WriteFile(bomb, zstdZeros(16384), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, venues := range []string{noBreak, bomb, "/dev/zero"} {
		stderr, code := runLimited(t, "-data", "testdata/market.csv", "-venues", venues, "-out", dir)
		want := venues + ":1:1: line longer than 1 MiB: not a CSV file, or no line breaks\n"
		if code != 2 || !strings.HasSuffix(stderr, want) || strings.Count(stderr, "\n") != 1 || len(stderr) > 200 {
			t.Errorf("-venues %s: exit %d, stderr %.300q; want 2 and one line ending %q", venues, code, stderr, want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("the output folder holds %d files, want only the two tables", len(entries))
	}
}

// A rebate so large that a maker fill's cash would overflow is refused, not
// reported as a wrong number (it was −43,694 a share where about −8.9e9 was
// due).
func TestHugeRebateIsRefused(t *testing.T) {
	_, stderr, code := maintest.Run(t, "-venues", "testdata/venues_huge_rebate.csv", "-router", "ck", "-fill", "risk-averse",
		"-allow-assumption-violations", "-seeds", "1", "-out", t.TempDir())
	if code != 2 || !strings.Contains(stderr, "too large for exact money arithmetic") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// A pipe cannot be read twice: the second pass meets no rows, and the run
// says so instead of reporting a market with nothing in it.
func TestPipeIsRefused(t *testing.T) {
	cmd := exec.Command("sh", "-c", `cat testdata/market.csv | "$0" -test.run='^$'`, os.Args[0])
	cmd.Env = maintest.Env("-data", "/dev/stdin", "-out", t.TempDir())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 || stdout.Len() != 0 || !strings.Contains(stderr.String(), "/dev/stdin is a pipe: the data is read twice (a scan, then the rows), which a pipe cannot do; save it to a file first") {
		t.Errorf("%v, stdout %q, stderr %q", err, stdout.String(), stderr.String())
	}
}

// TestSampleFigures pins the figures the README quotes for the default run
// on the shipped sample: they change only when the sample does (then the
// README changes with them).
func TestSampleFigures(t *testing.T) {
	stdout, stderr, code := maintest.Run(t, "-out", t.TempDir())
	if code != 0 {
		t.Fatalf("status %d: %s", code, stderr)
	}
	var s struct {
		Snapshots int `json:"snapshots"`
		Optimized struct {
			AvgFillPx json.Number `json:"avg_fill_px"`
			Filled    int         `json:"filled_shares"`
		} `json:"optimized"`
		Baselines map[string]struct {
			AvgFillPx json.Number `json:"avg_fill_px"`
		} `json:"baselines"`
		Savings map[string]json.Number `json:"savings_vs_baselines_bps"`
	}
	d := json.NewDecoder(strings.NewReader(stdout))
	d.UseNumber()
	if err := d.Decode(&s); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(s.Snapshots, " ", s.Optimized.Filled, " ", s.Optimized.AvgFillPx, " ",
		s.Baselines["best_ask"].AvgFillPx, " ", s.Baselines["vwap"].AvgFillPx, " ", s.Baselines["twap"].AvgFillPx, " ",
		s.Savings["best_ask"], " ", s.Savings["twap"])
	if want := "71953 5000 220.012824 220.01457228 220.01457228 220.11569528 0.079462009 4.673509532"; got != want {
		t.Errorf("sample figures\n got  %s\nwant %s", got, want)
	}
}
