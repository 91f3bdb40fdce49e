package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor/sim"
)

// The outputs of one market are one set in one folder: files in two
// folders, a folder in place of a file, and two names of one file (relative
// and absolute, or a link) are refused before anything is simulated.
func TestOutputsAreOneSetInOneFolder(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, name := range []string{"sub", "d.csv"} {
		if err := os.Mkdir(name, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile("old.csv", []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("old.csv", "link.csv"); err != nil {
		t.Fatal(err)
	}
	abs := filepath.Join(dir, "m.csv")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-out", "m.csv", "-venues-out", "sub/v.csv"}, "-venues-out sub/v.csv is not in the folder of -out m.csv: the files are written as one set, into one folder"},
		{[]string{"-out", "d.csv"}, "-out: d.csv is a folder"},
		{[]string{"-out", "m.csv", "-mbo-out", "./m.csv"}, "-out and -mbo-out both name ./m.csv: give each output its own file"},
		{[]string{"-out", "m.csv", "-mbo-out", abs}, "-out and -mbo-out both name " + abs + ": give each output its own file"},
		{[]string{"-out", "old.csv", "-venues-out", "link.csv"}, "-out and -venues-out both name link.csv: give each output its own file"},
	} {
		var stdout bytes.Buffer
		if err := run(c.args, &stdout, &bytes.Buffer{}); err == nil || err.Error() != c.want {
			t.Errorf("%q: %v, want %s", c.args, err, c.want)
		}
		if got := names(t, dir); got != "d.csv link.csv old.csv sub" || stdout.Len() != 0 {
			t.Errorf("%q: left %s and %d bytes on stdout", c.args, got, stdout.Len())
		}
	}
	// ./v.csv and m.csv are in one folder.
	if err := run([]string{"-q", "-duration", "1s", "-out", "m.csv", "-venues-out", "./v.csv"}, nil, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if got := names(t, dir); got != "d.csv link.csv m.csv old.csv sub v.csv" {
		t.Errorf("left %s", got)
	}
}

// A market with no rows is refused and nothing is written (reached here by
// lowering the minimum -duration: seed 1 has no row in its first
// millisecond).
func TestEmptyMarketIsRefused(t *testing.T) {
	defer func(d time.Duration) { minDuration = d }(minDuration)
	minDuration = 0
	dir := t.TempDir()
	err := run([]string{"-q", "-seed", "1", "-duration", "1ms", "-out", filepath.Join(dir, "e.csv"), "-mbo-out", filepath.Join(dir, "e.mbo.csv")}, nil, &bytes.Buffer{})
	if want := "the simulated market has no rows in 1ms: nothing written"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	if got := names(t, dir); got != "" {
		t.Errorf("left %s", got)
	}
}

// With -out - the market goes to standard output, once the other files are
// written and before they replace the old ones: a failing standard output
// leaves the old files.
func TestStdoutBesideFiles(t *testing.T) {
	dir := t.TempDir()
	venues, mbo := filepath.Join(dir, "v.csv"), filepath.Join(dir, "mbo.csv")
	var stdout bytes.Buffer
	if err := run([]string{"-q", "-seed", "2", "-duration", "2s", "-venues-out", venues, "-mbo-out", mbo}, &stdout, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	p := sim.DefaultParams()
	p.Duration = 2 * time.Second
	var want, wantMBO bytes.Buffer
	sim.Generate(&want, p, 2)
	sim.GenerateMBO(&wantMBO, p, 2)
	if got, _ := os.ReadFile(mbo); !bytes.Equal(stdout.Bytes(), want.Bytes()) || !bytes.Equal(got, wantMBO.Bytes()) {
		t.Error("stdout or the MBO file differs from seed 2's market")
	}
	err := run([]string{"-q", "-seed", "3", "-duration", "2s", "-venues-out", venues, "-mbo-out", mbo}, failingWriter{}, &bytes.Buffer{})
	if err == nil || err.Error() != "stdout is full" {
		t.Errorf("got %v, want the write error", err)
	}
	if got, _ := os.ReadFile(mbo); !bytes.Equal(got, wantMBO.Bytes()) {
		t.Error("the MBO file was replaced though the market could not be written")
	}
	if got := names(t, dir); got != "mbo.csv v.csv" {
		t.Errorf("left %s", got)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("stdout is full") }

// -venues-out with -days writes the venue table, also into the folder of
// the days that the run makes.
func TestDaysWriteTheVenueTable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "days")
	if err := run([]string{"-q", "-days", "2", "-duration", "1s", "-ext", ".csv", "-out", dir, "-venues-out", filepath.Join(dir, "venues.csv")}, nil, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if got := names(t, dir); got != "2024-08-01.csv 2024-08-02.csv venues.csv" {
		t.Errorf("wrote %s", got)
	}
	var want bytes.Buffer
	sim.WriteVenues(&want, sim.DefaultParams().Venues)
	if got, _ := os.ReadFile(filepath.Join(dir, "venues.csv")); !bytes.Equal(got, want.Bytes()) {
		t.Errorf("venue table %q", got)
	}
}

// names lists the entries of dir, space-separated.
func names(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return strings.Join(out, " ")
}
