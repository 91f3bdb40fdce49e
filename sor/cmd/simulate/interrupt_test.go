package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
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
