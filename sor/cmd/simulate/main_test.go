package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/sim"
	_ "github.com/sorlab/sorlab/sor/zstd"
)

func TestWritesCompressedFileAndVenueTable(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.csv.zst")
	venues := filepath.Join(dir, "venues.csv")
	var stderr bytes.Buffer
	if err := run([]string{"-seed", "3", "-duration", "5s", "-out", out, "-venues-out", venues}, nil, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "rows") {
		t.Errorf("no summary on stderr: %q", stderr.String())
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := sor.Decompress(f, out)
	if err != nil {
		t.Fatal(err)
	}
	var got, want bytes.Buffer
	got.ReadFrom(r)
	p := sim.DefaultParams()
	p.Duration = 5e9
	if _, err := sim.Generate(&want, p, 3); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Error("file differs from sim.Generate with the same seed")
	}
	if b, err := os.ReadFile(venues); err != nil || !strings.HasPrefix(string(b), "publisher_id,name,fee,rebate\n") {
		t.Errorf("venue table: %q, %v", b, err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("%d files left in the output directory, want 2 (no temporary files)", len(ents))
	}
}

func TestStdoutIsPlainCSV(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run([]string{"-duration", "1s", "-q", "-start", "2024-08-02T14:00:00Z"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(stdout.String(), "\n")
	if lines[0] != sim.Header || !strings.HasPrefix(lines[1], "2024-08-02T14:00:00.") {
		t.Errorf("stdout starts %q / %q", lines[0], lines[1])
	}
	if stderr.Len() != 0 {
		t.Errorf("-q still printed %q", stderr.String())
	}
}

func TestBadArgumentsGiveOneLineErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-duration", "soon"},
		{"-duration", "-1s"},
		{"-start", "yesterday"},
		{"-nope"},
		{"extra"},
		{"-out", filepath.Join(t.TempDir(), "no", "such", "dir.csv")},
	} {
		var stderr bytes.Buffer
		err := run(args, &bytes.Buffer{}, &stderr)
		if err == nil {
			t.Errorf("%v: no error", args)
			continue
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: error has several lines: %q", args, err)
		}
	}
}

func TestWritesMBOBesideMBP1(t *testing.T) {
	dir := t.TempDir()
	out, mboOut := filepath.Join(dir, "m.csv"), filepath.Join(dir, "m.mbo.csv.gz")
	if err := run([]string{"-seed", "4", "-duration", "3s", "-q", "-out", out, "-mbo-out", mboOut}, nil, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(mboOut)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := sor.Decompress(f, mboOut)
	if err != nil {
		t.Fatal(err)
	}
	var got, want bytes.Buffer
	got.ReadFrom(r)
	p := sim.DefaultParams()
	p.Duration = 3e9
	if _, err := sim.GenerateMBO(&want, p, 4); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) || !strings.HasPrefix(got.String(), sim.MBOHeader+"\n") {
		t.Error("MBO file differs from sim.GenerateMBO with the same seed")
	}
	err = run([]string{"-duration", "1s", "-q", "-out", out, "-mbo-out", filepath.Join(dir, "no", "x.csv")}, nil, &bytes.Buffer{})
	if want := "-mbo-out: folder " + filepath.Join(dir, "no") + " does not exist"; err == nil || err.Error() != want {
		t.Errorf("-mbo-out into a missing folder: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("%d files left in the output directory, want 2 (no temporary files)", len(ents))
	}
}

// Arguments that would write a useless or mislabelled file are refused
// before anything is generated, and nothing is left in the folder.
func TestRefusesUselessOutputs(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-out", "m.parquet"}, "-out: m.parquet: unknown extension: want .csv, .csv.gz or .csv.zst"},
		{[]string{"-out", "m.csv", "-venues-out", "v.txt"}, "-venues-out: v.txt: unknown extension: want .csv, .csv.gz or .csv.zst"},
		{[]string{"-out", "m.csv", "-duration", "0s"}, "-duration must be at least 1s, got 0s: a shorter market may have no rows"},
		{[]string{"-duration", "0s"}, "-duration must be at least 1s, got 0s: a shorter market may have no rows"},
		{[]string{"-out", "e.csv", "-duration", "1ms"}, "-duration must be at least 1s, got 1ms: a shorter market may have no rows"},
		{[]string{"-out", "e.csv", "-duration", "1ns"}, "-duration must be at least 1s, got 1ns: a shorter market may have no rows"},
		{[]string{"-days", "2", "-duration", "1ms", "-out", "dd2"}, "-duration must be at least 1s, got 1ms: a shorter market may have no rows"},
		{[]string{"-out", "m.csv", "-mbo-out", "m.csv"}, "-out and -mbo-out both name m.csv: give each output its own file"},
		{[]string{"-out", "new2.csv", "-venues-out", "new2.csv"}, "-out and -venues-out both name new2.csv: give each output its own file"},
		{[]string{"-venues-out", "v.csv", "-mbo-out", "v.csv"}, "-venues-out and -mbo-out both name v.csv: give each output its own file"},
		{[]string{"-out", "new.csv", "-venues-out", "missing/v.csv", "-duration", "10m"}, "-venues-out: folder missing does not exist"},
		{[]string{"-out", "missing/m.csv"}, "-out: folder missing does not exist"},
		{[]string{"-out", ""}, "-out is empty (an unset shell variable?)"},
		{[]string{"-venues-out", ""}, "-venues-out is empty (an unset shell variable?)"},
		{[]string{"-out", "m.csv", "-mbo-out="}, "-mbo-out is empty (an unset shell variable?)"},
		{[]string{"-days", "2", "-out", ""}, "-out is empty (an unset shell variable?)"},
		{[]string{"-days", "2", "-out", "dd", "-venues-out", "missing/v.csv"}, "-venues-out: folder missing does not exist"},
	} {
		dir := t.TempDir()
		args := slices.Clone(tc.args)
		for i := range args {
			if i > 0 && strings.HasSuffix(args[i-1], "-out") && args[i] != "" {
				args[i] = filepath.Join(dir, args[i])
			}
		}
		var stdout bytes.Buffer
		err := run(args, &stdout, io.Discard)
		if err == nil || strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "") != tc.want {
			t.Errorf("%v: got %v, want %q", tc.args, err, tc.want)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 0 || stdout.Len() != 0 {
			t.Errorf("%v: left %v in the folder and %d bytes on stdout", tc.args, ents, stdout.Len())
		}
	}
}

// The venue table is compressed by its extension, like the market.
func TestCompressedVenueTable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "venues.csv.gz")
	if err := run([]string{"-q", "-duration", "1s", "-out", filepath.Join(filepath.Dir(path), "m.csv"), "-venues-out", path}, nil, io.Discard); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Fatalf("%s is not gzip (%v)", path, err)
	}
	vs, err := sor.ReadVenuesFile(path)
	if err != nil || len(vs) != len(sim.DefaultParams().Venues) {
		t.Errorf("read back %d venues (%v), want %d", len(vs), err, len(sim.DefaultParams().Venues))
	}
}

// -days and -symbols write a folder of days, the files of sim.WriteDays;
// their own options are refused without them, and so are a standard output
// and -mbo-out with them.
func TestWritesDaysAndSymbols(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "days")
	var stderr bytes.Buffer
	if err := run([]string{"-days", "2", "-symbols", "3", "-duration", "2s", "-seed", "5", "-ext", ".csv", "-out", dir}, nil, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stderr.String(), "simulate: 2 files, ") {
		t.Errorf("summary %q", stderr.String())
	}
	want := t.TempDir()
	p := sim.DefaultParams()
	p.Duration = 2e9
	paths, _, err := sim.WriteDays(context.Background(), want, ".csv", p, 5, 2, 3, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		got, err := os.ReadFile(filepath.Join(dir, filepath.Base(path)))
		if err != nil {
			t.Fatal(err)
		}
		if w, _ := os.ReadFile(path); !bytes.Equal(got, w) {
			t.Errorf("%s differs from sim.WriteDays", filepath.Base(path))
		}
	}
	if err := run([]string{"-symbols", "2", "-split-symbols", "-duration", "1s", "-q", "-ext", ".csv", "-out", dir}, nil, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 4 {
		t.Errorf("%d files, want 2 days + 2 split", len(ents))
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-split-symbols"}, "-split-symbols applies with -days or -symbols"},
		{[]string{"-ext", ".csv"}, "-ext applies with -days or -symbols"},
		{[]string{"-days", "2"}, "-out: with -days or -symbols, name a folder"},
		{[]string{"-days", "2", "-out", filepath.Join(dir, "dd.csv")}, "-out " + filepath.Join(dir, "dd.csv") + ": with -days or -symbols, -out is a folder that receives a file per day (the files' extension is -ext): name a folder, not a file"},
		{[]string{"-days", "2", "-out", dir, "-mbo-out", "x.csv"}, "-mbo-out writes one market: not with -days or -symbols"},
		{[]string{"-days", "0", "-out", dir}, "days must be between 1 and 10000, got 0"},
		{[]string{"-symbols", "2", "-ext", ".zip", "-out", dir}, `extension ".zip": want .csv, .csv.gz or .csv.zst`},
	} {
		if err := run(c.args, &bytes.Buffer{}, &bytes.Buffer{}); err == nil || err.Error() != c.want {
			t.Errorf("%v: got %v, want %s", c.args, err, c.want)
		}
	}
}
