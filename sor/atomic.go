package sor

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes a file so that readers see either the old file or
// the complete new one, never a part: it writes a temporary file in the same
// directory, syncs it, and renames it over path.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// WriteBytesAtomic is WriteFileAtomic for data already in memory.
func WriteBytesAtomic(path string, data []byte) error {
	return WriteFileAtomic(path, func(w io.Writer) error {
		_, err := io.Copy(w, bytes.NewReader(data))
		return err
	})
}

// File is a file's path and contents, for WriteFilesAtomic.
type File struct {
	Path string
	Data []byte
}

// WriteFilesAtomic writes several files that belong together: every
// temporary file is written and synced first, and only then are they renamed
// into place, so a failure while writing (a full disk, a bad folder) leaves
// all the old files as they were.
func WriteFilesAtomic(files ...File) (err error) {
	tmps := make([]string, 0, len(files))
	defer func() {
		if err != nil {
			for _, t := range tmps {
				os.Remove(t)
			}
		}
	}()
	for _, f := range files {
		// A folder in the way would make its rename fail after the
		// others succeeded: refuse before anything moves.
		if info, err := os.Stat(f.Path); err == nil && info.IsDir() {
			return fmt.Errorf("%s is a folder", f.Path)
		}
	}
	for _, f := range files {
		tmp, err := os.CreateTemp(filepath.Dir(f.Path), "."+filepath.Base(f.Path)+".tmp-*")
		if err != nil {
			return err
		}
		tmps = append(tmps, tmp.Name())
		_, err = tmp.Write(f.Data)
		if err == nil {
			err = tmp.Chmod(0o644)
		}
		if err == nil {
			err = tmp.Sync()
		}
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	for i, f := range files {
		if err := os.Rename(tmps[i], f.Path); err != nil {
			return err
		}
	}
	return nil
}
