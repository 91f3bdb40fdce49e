// Package outpath checks a command's output paths before the command does
// any work, so that a typo costs milliseconds and one line on standard
// error, not a long run whose result cannot be written: the folder of each
// output must exist (commands do not create folders a user may have
// misspelt), an output must not be a folder, and two outputs must not name
// one file (the second would overwrite the first without a word).
package outpath

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Folder checks dir, the value of the flag called name (like "-out"): it
// must be given and be an existing folder.
func Folder(name, dir string) error {
	if dir == "" {
		return fmt.Errorf("%s is empty (an unset shell variable?)", name)
	}
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: folder %s does not exist", name, dir)
	case err != nil:
		return fmt.Errorf("%s: %w", name, err)
	case !info.IsDir():
		return fmt.Errorf("%s: %s is not a folder", name, dir)
	}
	return nil
}

// File checks path, the value of the flag called name, as a file to
// write: it must be given, its folder must exist, and it must not be a
// folder.
func File(name, path string) error {
	if path == "" {
		return fmt.Errorf("%s is empty (an unset shell variable?)", name)
	}
	if err := Folder(name, filepath.Dir(path)); err != nil {
		return err
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return fmt.Errorf("%s: %s is a folder", name, path)
	}
	return nil
}

// Flag is an output path and the name of its flag.
type Flag struct{ Name, Path string }

// Distinct refuses two flags that name one file: the same path once made
// absolute and clean (m.csv and ./m.csv), or two names of one existing file
// (a link).
func Distinct(flags ...Flag) error {
	for i, a := range flags {
		for _, b := range flags[:i] {
			if same(a.Path, b.Path) {
				return fmt.Errorf("%s and %s both name %s: give each output its own file", b.Name, a.Name, a.Path)
			}
		}
	}
	return nil
}

func same(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	if errA == nil && errB == nil && absA == absB {
		return true
	}
	infoA, errA := os.Stat(a)
	infoB, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(infoA, infoB)
}

// SameFolder reports whether two paths are in one folder, their folders
// compared like Distinct compares files.
func SameFolder(a, b string) bool { return same(filepath.Dir(a), filepath.Dir(b)) }
