package sor

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// names lists the entries of dir.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func readBack(t *testing.T, paths ...string) string {
	t.Helper()
	var b strings.Builder
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
		b.WriteString("|")
	}
	return b.String()
}

func TestWriteFiles(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.png")
	// Temporary files of killed writers of a.json and b.png go; other
	// hidden files stay.
	for _, n := range []string{".a.json.tmp-123", ".b.png.tmp-", ".c.tmp-1", ".a.json"} {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var readyCalls int
	err := WriteFiles(context.Background(), func() error {
		readyCalls++
		// Both temporary files are complete, and nothing is replaced yet.
		if got := names(t, dir); hasFolderLock && (len(got) != 5 || !slices.Contains(got, lockName)) {
			t.Errorf("at ready the folder holds %v", got)
		}
		return nil
	}, File{Path: a, Data: []byte("A1")}, File{Path: b, Write: func(w io.Writer) error {
		_, err := io.WriteString(w, "B1")
		return err
	}})
	if err != nil || readyCalls != 1 {
		t.Fatalf("err %v, ready called %d times", err, readyCalls)
	}
	if got := readBack(t, a, b); got != "A1|B1|" {
		t.Errorf("files hold %q", got)
	}
	if got := names(t, dir); !slices.Equal(got, []string{".a.json", ".c.tmp-1", "a.json", "b.png"}) {
		t.Errorf("folder holds %v", got)
	}
	if info, err := os.Stat(a); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, %v", info.Mode(), err)
	}
}

// Nothing is replaced, and nothing is left, when writing stops before the
// renames: an error from ready (standard output is full), from a file's
// writer, or the context ending before or during the writing.
func TestWriteFilesStopsCleanly(t *testing.T) {
	full := errors.New("no space left on device")
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name  string
		ctx   func() context.Context
		ready func() error
		write func(cancel func()) func(io.Writer) error
		want  error
	}{
		{"ready fails", context.Background, func() error { return full }, nil, full},
		{"writer fails", context.Background, nil, func(func()) func(io.Writer) error {
			return func(io.Writer) error { return full }
		}, full},
		{"cancelled before", func() context.Context { return canceled }, nil, nil, context.Canceled},
		{"cancelled while streaming", context.Background, nil, func(cancel func()) func(io.Writer) error {
			return func(w io.Writer) error {
				cancel()
				// The writer keeps going, as a generator does; the
				// file's buffer fails once it reaches the file.
				for range 3 << 20 / 64 {
					if _, err := w.Write(make([]byte, 64)); err != nil {
						return err
					}
				}
				return errors.New("wrote past an ended context")
			}
		}, context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.png")
			if err := WriteFilesAtomic(File{Path: a, Data: []byte("old a")}, File{Path: b, Data: []byte("old b")}); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(tc.ctx())
			defer cancel()
			fb := File{Path: b, Data: []byte("new b")}
			if tc.write != nil {
				fb.Write = tc.write(cancel)
			}
			err := WriteFiles(ctx, tc.ready, File{Path: a, Data: []byte("new a")}, fb)
			if !errors.Is(err, tc.want) {
				t.Errorf("err %v, want %v", err, tc.want)
			}
			if got := readBack(t, a, b); got != "old a|old b|" {
				t.Errorf("files hold %q", got)
			}
			if got := names(t, dir); !slices.Equal(got, []string{"a.json", "b.png"}) {
				t.Errorf("folder holds %v", got)
			}
		})
	}
}

func TestWriteFilesRefusals(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "b.png"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		files []File
		want  string
	}{
		{[]File{{Path: filepath.Join(dir, "a.json")}, {Path: filepath.Join(dir, "b.png")}}, filepath.Join(dir, "b.png") + " is a folder"},
		{[]File{{Path: filepath.Join(dir, "a.json")}, {Path: filepath.Join(dir, "sub", "c")}}, " are not in one folder"},
		{[]File{{Path: filepath.Join(dir, "missing", "c")}}, "lock folder " + filepath.Join(dir, "missing") + ": no such file or directory"},
	} {
		err := WriteFilesAtomic(tc.files...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
	if got := names(t, dir); !slices.Equal(got, []string{"b.png"}) {
		t.Errorf("folder holds %v", got)
	}
}

// While one writer holds the folder's lock another waits, and gives up when
// its context ends.
func TestWriteFilesWaitsForTheLock(t *testing.T) {
	if !hasFolderLock {
		t.Skip("no folder lock on this system")
	}
	dir := t.TempDir()
	unlock, err := lockFolder(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if err := WriteFiles(ctx, nil, File{Path: filepath.Join(dir, "a"), Data: []byte("x")}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("with the lock held: %v", err)
	}
	done := make(chan error)
	go func() { done <- WriteFilesAtomic(File{Path: filepath.Join(dir, "a"), Data: []byte("x")}) }()
	time.Sleep(20 * time.Millisecond)
	if got := names(t, dir); !slices.Equal(got, []string{lockName}) {
		t.Errorf("the second writer did not wait: %v", got)
	}
	unlock()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"a"}) {
		t.Errorf("folder holds %v", got)
	}
}
