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
	return encode(w, name, p, seed, Generate)
}

// EncodeMBO is Encode for the order-level view (see GenerateMBO).
func EncodeMBO(w io.Writer, name string, p Params, seed uint64) (Stats, error) {
	return encode(w, name, p, seed, GenerateMBO)
}

func encode(w io.Writer, name string, p Params, seed uint64, generate func(io.Writer, Params, uint64) (Stats, error)) (Stats, error) {
	cw, err := Compress(w, name)
	if err != nil {
		return Stats{}, err
	}
	st, err := generate(cw, p, seed)
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

// WriteMBOFile is WriteFile for the order-level view: the same market as
// Databento MBO CSV (see GenerateMBO), compressed by extension, written
// atomically.
func WriteMBOFile(path string, p Params, seed uint64) (Stats, error) {
	if err := p.Validate(); err != nil {
		return Stats{}, err
	}
	return writeAtomic(path, func(w io.Writer) (Stats, error) { return EncodeMBO(w, path, p, seed) })
}

// WriteVenuesFile writes the venue table (see WriteVenues) atomically to path.
func WriteVenuesFile(path string, venues []Venue) error {
	_, err := writeAtomic(path, func(w io.Writer) (Stats, error) { return Stats{}, WriteVenues(w, venues) })
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
