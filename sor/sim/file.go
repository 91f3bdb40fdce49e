package sim

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Encode generates the market with p and seed and writes it to w, compressed
// as the file name's extension asks (see Compress).
func Encode(w io.Writer, name string, p Params, seed uint64) (Stats, error) {
	cw, err := Compress(w, name)
	if err != nil {
		return Stats{}, err
	}
	st, err := Generate(cw, p, seed)
	if cerr := cw.Close(); err == nil {
		err = cerr
	}
	return st, err
}

// WriteFile generates the market with p and seed into the file at path,
// compressed by extension (.csv plain, .csv.gz gzip, .csv.zst zstd). The
// file is written atomically: to a temporary file in the same directory,
// renamed over path only when complete.
func WriteFile(path string, p Params, seed uint64) (Stats, error) {
	if err := p.Validate(); err != nil {
		return Stats{}, err
	}
	return writeAtomic(path, func(w io.Writer) (Stats, error) { return Encode(w, path, p, seed) })
}

// WriteVenuesFile writes the venue table (see WriteVenues) atomically to
// path, compressed by extension like WriteFile.
func WriteVenuesFile(path string, venues []Venue) error {
	_, err := writeAtomic(path, func(w io.Writer) (Stats, error) {
		cw, err := Compress(w, path)
		if err != nil {
			return Stats{}, err
		}
		err = WriteVenues(cw, venues)
		if cerr := cw.Close(); err == nil {
			err = cerr
		}
		return Stats{}, err
	})
	return err
}

func writeAtomic(path string, write func(io.Writer) (Stats, error)) (st Stats, err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return Stats{}, fmt.Errorf("create %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if st, err = write(bw); err != nil {
		return st, err
	}
	if err = bw.Flush(); err != nil {
		return st, err
	}
	if err = f.Chmod(0o644); err != nil {
		return st, err
	}
	if err = f.Close(); err != nil {
		return st, err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return st, errors.Join(err, os.Remove(f.Name()))
	}
	return st, nil
}
