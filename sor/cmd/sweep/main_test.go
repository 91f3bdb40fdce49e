package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor/cmd/internal/maintest"
	"github.com/sorlab/sorlab/sor/sim"
)

// TestMain lets a test run the real main (exit code and all) in a
// subprocess.
func TestMain(m *testing.M) {
	maintest.Main("sweep", main)
	code := m.Run()
	if daysDir != "" {
		os.RemoveAll(daysDir)
	}
	os.Exit(code)
}

// runMain runs the command in a subprocess.
func runMain(t *testing.T, args ...string) (stderr string, code int) {
	t.Helper()
	_, stderr, code = maintest.Run(t, args...)
	return stderr, code
}

var (
	daysOnce sync.Once
	daysDir  string
	daysErr  error
)

// days is a folder of 6 simulated days of 2 symbols, 90 s each, one file a
// day holding both.
func days(t *testing.T) string {
	t.Helper()
	daysOnce.Do(func() {
		if daysDir, daysErr = os.MkdirTemp("", "sweep-cmd-days-"); daysErr != nil {
			return
		}
		p := sim.DefaultParams()
		p.Duration = 90 * time.Second
		_, _, daysErr = sim.WriteDays(context.Background(), daysDir, ".csv", p, 2, 6, 2, false)
	})
	if daysErr != nil {
		t.Fatal(daysErr)
	}
	return daysDir
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Bad flags, manifests and folders: one line on stderr, exit status 2,
// before any data is read and before the results folder is made.
func TestBadInputExitsTwoBeforeAnything(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(days(t), "*.csv")
	out := filepath.Join(dir, "out")
	badManifest := filepath.Join(dir, "bad.json")
	os.WriteFile(badManifest, []byte(`{"inputs": [{"data": "*.csv", "symbols": "X"}]}`), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-data", data}, "-out: name a results folder"},
		{[]string{"-out", out}, "give -data or -manifest (one of them)"},
		{[]string{"-data", data, "-manifest", badManifest, "-out", out}, "give -data or -manifest (one of them)"},
		{[]string{"-data", "", "-out", out}, "-data is empty (an unset shell variable?)"},
		{[]string{"-data", data, "-out", out, "-shard", "3", "-of", "3"}, "shard 3 is not in 0..2"},
		{[]string{"-data", data, "-out", out, "-workers", "-1"}, "workers must be between 1 and 1024, got -1"},
		{[]string{"-data", data, "-out", out, "-order-size", "150", "-all-instruments"}, "order size must be a positive multiple of 100, got 150"},
		{[]string{"-data", data, "-out", out, "-fill", "magic"}, `-fill: want a fill model visible, queue (the default queue model), risk-averse, prob-power (N = 2), prob-powerN (prob-power1, prob-power3, …), prob-log, prob-log2, prob-func2-powerN or prob-func3-powerN; got "magic"`},
		{[]string{"-data", data, "-out", out, "-markets", "2"}, "args: -markets compares simulated markets, not the sweep's data: run it once with the backtest command"},
		{[]string{"-data", data, "-out", out, "-all-instruments", "-symbol", "SIMX"}, "-all-instruments runs every instrument: not with -symbol or -instrument"},
		{[]string{"-data", filepath.Join(dir, "*.none"), "-out", out}, "input 1: no file matches " + filepath.Join(dir, "*.none")},
		{[]string{"-manifest", badManifest, "-out", out, "-order-size", "1000"}, "-order-size=1000: with -manifest, settings come from its args"},
		{[]string{"-manifest", badManifest, "-out", out}, badManifest + ": line 1, column 45: json: cannot unmarshal string into Go struct field Input.inputs.symbols of type []string"},
		{[]string{"-data", data, "-out", out, "-progress-every", "0s"}, "-progress-every must be positive, got 0s"},
		{[]string{"-data", data, "-out", out, "extra"}, `unexpected argument "extra"`},
		{[]string{"-nope"}, "flag provided but not defined: -nope"},
		{[]string{"merge"}, "usage: sweep merge DIR"},
		{[]string{"merge", data}, "merge: " + data + " is not a folder"},
		{[]string{"merge", dir}, dir + " holds no sweep (no sweep.json)"},
	} {
		stderr, code := runMain(t, c.args...)
		if code != 2 || stderr != "sweep: "+c.want+"\n" {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", c.args, code, stderr, c.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("%v: the results folder was made", c.args)
		}
	}
	// The data itself is read by the tasks: every instrument of a file needs
	// -all-instruments or a choice, and each task says so.
	// The file is named once, by the task, and the way to run them all is
	// given.
	stderr, code := runMain(t, "-data", data, "-out", out, "-q")
	first := filepath.Join(days(t), "2024-08-01.csv")
	want := "sweep: failed: " + first + ": instruments: the file holds 2 instruments: 4242 SIMX ("
	if code != 16 || strings.Count(stderr, "instruments: the file holds 2 instruments: 4242 SIMX") != 6 ||
		!strings.Contains(stderr, want) || strings.Count(stderr, first) != 1 ||
		strings.Count(stderr, "; pick one with -symbol or -instrument, or run every one in turn with -all-instruments (in a manifest: all_instruments, or symbols or instrument_ids)\n") != 6 {
		t.Errorf("two instruments, none chosen: exit %d, stderr %s", code, stderr)
	}
}

// A sweep and its merge from the command line: progress lines on a stderr
// that is not a terminal, the table, exit 0; the same sweep in three shards
// gives the same bytes; a folder of another plan is refused with status 2.
func TestSweepAndMerge(t *testing.T) {
	data := filepath.Join(days(t), "*.csv")
	whole := t.TempDir()
	stderr, code := runMain(t, "-data", data, "-all-instruments", "-out", whole, "-order-size", "1000", "-twap-bucket", "5s")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !regexp.MustCompile(`(?m)^sweep: census 6/6, 0 failed, [0-9.]+/s, ETA 0s\nsweep: tasks 12/12, 0 failed, [0-9.]+/s, ETA 0s\nsweep: shard 0 of 1: 12 tasks: 12 run, 0 done before, 0 failed, in `).MatchString(stderr) {
		t.Errorf("progress:\n%s", stderr)
	}
	if stderr, code = runMain(t, "merge", whole); code != 0 || !strings.HasPrefix(stderr, "sweep: merge: 1296 rows of 12 tasks (0 failed) into ") {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	want := read(t, filepath.Join(whole, "results.csv"))
	wantPQ := read(t, filepath.Join(whole, "results.parquet"))

	dir := t.TempDir()
	for i := range 3 {
		if stderr, code := runMain(t, "-data", data, "-all-instruments", "-out", dir, "-twap-bucket", "5s", "-order-size", "1000", "-shard", string(rune('0'+i)), "-of", "3", "-q"); code != 0 || stderr != "" {
			t.Fatalf("shard %d: exit %d: %q", i, code, stderr)
		}
	}
	runMain(t, "merge", dir)
	if !bytes.Equal(read(t, filepath.Join(dir, "results.csv")), want) || !bytes.Equal(read(t, filepath.Join(dir, "results.parquet")), wantPQ) {
		t.Error("three shards from the command line: another table")
	}
	stderr, code = runMain(t, "-data", data, "-all-instruments", "-out", dir, "-order-size", "2000")
	if code != 2 || !strings.Contains(stderr, "holds the results of another plan") {
		t.Errorf("another plan into the folder: exit %d, %s", code, stderr)
	}
}

// A sweep killed while it runs (SIGKILL: no clean-up at all), then run
// again, gives the table of a sweep never interrupted.
func TestKilledSweepResumes(t *testing.T) {
	data := filepath.Join(days(t), "*.csv")
	args := []string{"-data", data, "-all-instruments", "-lambda-under", "0.01,0.02,0.03,0.04,0.05,0.06,0.07,0.08,0.09,0.1", "-workers", "1", "-q"}
	whole := t.TempDir()
	if stderr, code := runMain(t, append(args, "-out", whole)...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	runMain(t, "merge", whole)
	want := read(t, filepath.Join(whole, "results.csv"))

	dir := t.TempDir()
	cmd := maintest.Command(append(args, "-out", dir)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		done, _ := filepath.Glob(filepath.Join(dir, "tasks", "*.json"))
		if len(done) >= 3 || time.Now().After(deadline) {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	done, _ := filepath.Glob(filepath.Join(dir, "tasks", "*.json"))
	if len(done) < 3 || len(done) == 12 {
		t.Fatalf("killed after %d of 12 tasks: want the kill in the middle", len(done))
	}
	if stderr, code := runMain(t, "merge", dir); code != 1 || !strings.Contains(stderr, "the sweep is not complete") {
		t.Errorf("merge of the killed sweep: exit %d, %s", code, stderr)
	}
	stderr, code := runMain(t, append(args[:len(args)-1], "-out", dir)...)
	if code != 0 || !strings.Contains(stderr, " done before, 0 failed") {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}
	runMain(t, "merge", dir)
	if !bytes.Equal(read(t, filepath.Join(dir, "results.csv")), want) {
		t.Error("the resumed sweep's table differs from the uninterrupted one")
	}
}

// Failed tasks: the others complete, each failure is one line on stderr,
// the exit status is 10 + their number, for the run and the merge.
func TestFailedTasksSetTheExitStatus(t *testing.T) {
	data := t.TempDir()
	src := days(t)
	for _, name := range []string{"2024-08-01.csv", "2024-08-02.csv"} {
		os.WriteFile(filepath.Join(data, name), read(t, filepath.Join(src, name)), 0o644)
	}
	os.WriteFile(filepath.Join(data, "2024-08-03.csv"), []byte("ts_event,publisher_id,ask_px_00,ask_sz_00,symbol\n1,2,-1,100,SIMX\n"), 0o644)
	out := t.TempDir()
	stderr, code := runMain(t, "-data", filepath.Join(data, "*.csv"), "-symbol", "SIMX", "-out", out, "-q")
	want := "sweep: failed: " + filepath.Join(data, "2024-08-03.csv") + " symbol SIMX: " + filepath.Join(data, "2024-08-03.csv") + ":2:3 (ask_px_00): negative number: \"-1\"\n"
	if code != 11 || !strings.HasPrefix(stderr, want) || !strings.Contains(stderr, "3 tasks: 3 run, 0 done before, 1 failed") {
		t.Errorf("exit %d, stderr %q, want 11 and %q", code, stderr, want)
	}
	stderr, code = runMain(t, "merge", out)
	if code != 11 || !strings.Contains(stderr, "sweep: merge: 216 rows of 3 tasks (1 failed)") {
		t.Errorf("merge: exit %d, %s", code, stderr)
	}
}

// -h prints the usage and exits 0, for the sweep and for merge.
func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"merge", "-h"}} {
		stderr, code := runMain(t, args...)
		if code != 0 || !strings.HasPrefix(stderr, "usage: sweep") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
		// -markets is refused by a sweep (it compares simulated markets),
		// so its help does not offer it; the flags it does take are there.
		if strings.Contains(stderr, "-markets") || (args[0] == "-h" && !strings.Contains(stderr, "-order-size")) {
			t.Errorf("%v: help %s", args, stderr)
		}
	}
}

// A sweep over the shipped sample without its venue table warns as the
// backtest does (the same words, runflags.Warnings), once; with the table
// it does not.
func TestSampleWithoutVenuesWarns(t *testing.T) {
	sample := filepath.Join("..", "..", "..", "data", "sample.csv.zst")
	stderr, code := runMain(t, "-data", sample, "-out", filepath.Join(t.TempDir(), "out"), "-q")
	want := "sweep: warning: " + sample + " is the shipped sample, run without its venue table: no fee or rebate is charged"
	if code != 0 || strings.Count(stderr, want) != 1 {
		t.Errorf("exit %d, stderr %q, want the warning %q", code, stderr, want)
	}
	stderr, code = runMain(t, "-data", sample, "-venues", filepath.Join("..", "..", "..", "data", "venues.csv"), "-out", filepath.Join(t.TempDir(), "out"), "-q")
	if code != 0 || stderr != "" {
		t.Errorf("with the venue table: exit %d, stderr %q", code, stderr)
	}
}
