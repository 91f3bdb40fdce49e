package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor/cmd/internal/maintest"
)

// TestMain lets a test run the real main (signal handling and all) in a
// subprocess.
func TestMain(m *testing.M) {
	maintest.Main("simulate", main)
	os.Exit(m.Run())
}

// SIGINT or SIGTERM while a long market is being generated: the command
// dies of the signal soon after and leaves nothing in the folder.
func TestInterruptRemovesTheTemporaryFile(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		dir := t.TempDir()
		cmd := maintest.Command("-q", "-duration", "1h", "-out", filepath.Join(dir, "m.csv"))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the temporary file exists: the run is writing.
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(time.Millisecond) {
			if entries, _ := os.ReadDir(dir); len(entries) > 1 || time.Now().After(deadline) {
				break
			}
		}
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != sig {
			t.Errorf("%v: %v, want death by the signal", sig, err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("%v: left %v", sig, entries)
		}
	}
}

// SIGINT and SIGTERM at random moments of 20 runs, each replacing the
// market, venue table and MBO of one seed in a folder by another seed's:
// a run finishes or dies of the signal, and the folder holds the three
// files of one seed, never the market of one beside the MBO of the other
// (as when the files were written one after the other), nor a temporary or
// lock file.
func TestInterruptedRunsLeaveOneSet(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 20 runs")
	}
	files := []string{"m.csv", "v.csv", "mbo.csv"}
	args := func(seed int, dir string) []string {
		return []string{"-q", "-seed", fmt.Sprint(seed), "-duration", "2m",
			"-out", filepath.Join(dir, files[0]), "-venues-out", filepath.Join(dir, files[1]), "-mbo-out", filepath.Join(dir, files[2])}
	}
	// The sets of seeds 1 and 2, by their files' SHA-256.
	var refs [2][][32]byte
	var took time.Duration
	for s := range refs {
		dir := t.TempDir()
		began := time.Now()
		if err := run(args(s+1, dir), nil, io.Discard); err != nil {
			t.Fatal(err)
		}
		took = max(took, time.Since(began))
		refs[s] = digests(t, dir, files)
	}
	if refs[0][0] == refs[1][0] || refs[0][2] == refs[1][2] {
		t.Fatal("seeds 1 and 2 give the same market: a mixed set would go unnoticed")
	}
	dir := t.TempDir()
	if err := run(args(1, dir), nil, io.Discard); err != nil {
		t.Fatal(err)
	}
	held, finished := 0, 0 // the seed (0 or 1) whose set the folder holds
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 20 {
		sig := []syscall.Signal{syscall.SIGINT, syscall.SIGTERM}[i%2]
		cmd := maintest.Command(args(2-held, dir)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(took + took/2))))
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		var ee *exec.ExitError
		switch {
		case err == nil:
			finished++
		case !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != sig:
			t.Errorf("run %d (%v): %v, want success or death by the signal", i, sig, err)
		}
		got := digests(t, dir, files)
		switch {
		case slices.Equal(got, refs[held]):
		case slices.Equal(got, refs[1-held]):
			held = 1 - held
		default:
			t.Fatalf("run %d (%v): the folder holds a mixed set", i, sig)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != len(files) {
			t.Errorf("run %d (%v): left %v", i, sig, entries)
		}
	}
	t.Logf("%d of 20 runs of about %v finished before the signal", finished, took)
}

// SIGINT at random moments of runs writing four days: the days written are
// whole, the first ones in order, and nothing is left of the day being
// written.
func TestInterruptedDaysLeaveWholeDays(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 8 runs")
	}
	args := func(dir string) []string {
		return []string{"-q", "-days", "4", "-duration", "1m", "-ext", ".csv", "-out", dir}
	}
	ref := t.TempDir()
	began := time.Now()
	if err := run(args(ref), nil, io.Discard); err != nil {
		t.Fatal(err)
	}
	took := time.Since(began)
	entries, err := os.ReadDir(ref)
	if err != nil || len(entries) != 4 {
		t.Fatalf("reference: %v, %v", entries, err)
	}
	var days []string
	for _, e := range entries {
		days = append(days, e.Name())
	}
	want := digests(t, ref, days)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 8 {
		dir := t.TempDir()
		cmd := maintest.Command(args(dir)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(took))))
		cmd.Process.Signal(syscall.SIGINT)
		err := cmd.Wait()
		var ee *exec.ExitError
		if err != nil && (!errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGINT) {
			t.Errorf("run %d: %v, want success or death by the signal", i, err)
		}
		entries, _ := os.ReadDir(dir)
		for k, e := range entries {
			if k >= len(days) || e.Name() != days[k] {
				t.Errorf("run %d: left %v, want the first days of %v", i, entries, days)
				break
			}
			if digests(t, dir, days[k:k+1])[0] != want[k] {
				t.Errorf("run %d: %s differs from the whole day", i, e.Name())
			}
		}
	}
}

// digests returns the SHA-256 of the named files in dir (zero for a
// missing one).
func digests(t *testing.T, dir string, names []string) [][32]byte {
	t.Helper()
	out := make([][32]byte, len(names))
	for i, name := range names {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			out[i] = sha256.Sum256(b)
		}
	}
	return out
}
