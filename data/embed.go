// Package data ships the project's default market: four minutes of
// simulated Level-1 quotes from six US equity venues (sample.csv.zst,
// written by sor/sim; see README.md here for how) and the venues' fees and
// rebates (venues.csv). Both are embedded, so the CLI and notebooks work from
// any folder.
package data

import (
	"bytes"
	_ "embed"
	"io"
	"os"

	"github.com/sorlab/sorlab/sor"
	_ "github.com/sorlab/sorlab/sor/zstd"
)

// The embedded files.
var (
	//go:embed sample.csv.zst
	SampleCSVZst []byte
	//go:embed venues.csv
	VenuesCSV []byte
)

// SampleName and VenuesName are the files' names in errors and reports.
const (
	SampleName = "data/sample.csv.zst"
	VenuesName = "data/venues.csv"
)

// SampleRows reads every row of the embedded sample.
func SampleRows() ([]sor.Row, error) {
	rc, err := sor.Decompress(bytes.NewReader(SampleCSVZst), SampleName)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return sor.NewReader(rc, SampleName, sor.ReadOptions{}).ReadAll()
}

// SampleVenues parses the embedded venue table.
func SampleVenues() (sor.Venues, error) {
	return sor.ReadVenues(bytes.NewReader(VenuesCSV), VenuesName)
}

// SampleSource returns the embedded sample as a streamed sor.Source, the way
// the command line reads a file (opt's window, sort and price options
// apply).
func SampleSource(opt sor.SourceOptions) (*sor.FileSource, error) {
	return sor.NewSource(SampleName, func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(SampleCSVZst)), nil
	}, opt)
}

// IsSample reports whether the file at path holds the shipped sample,
// compressed in any way or not at all: its content is compared with the
// sample's, which stops at the first difference (within the first block
// for any other file). The commands use it to warn when the sample is run
// by path without its venue table.
func IsSample(path string) bool {
	// A plain file of another size cannot be the sample: most runs are
	// answered by a stat, without starting a zstd decoder (~10 MB of
	// buffers) for the embedded copy.
	if plain, size := plainFile(path); plain && size != SampleSize {
		return false
	}
	f, err := sor.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	sample, err := sor.Decompress(bytes.NewReader(SampleCSVZst), SampleName)
	if err != nil {
		return false
	}
	defer sample.Close()
	a, b := make([]byte, 1<<15), make([]byte, 1<<15)
	for {
		n, errA := io.ReadFull(f, a)
		m, errB := io.ReadFull(sample, b)
		if n != m || !bytes.Equal(a[:n], b[:m]) {
			return false
		}
		if errA != nil || errB != nil {
			return (errA == io.EOF || errA == io.ErrUnexpectedEOF) && (errB == io.EOF || errB == io.ErrUnexpectedEOF)
		}
	}
}

// SampleSize is the sample's size decompressed, in bytes (TestIsSample
// checks it against the embedded file).
const SampleSize = 10151377

// plainFile reports whether the file at path is not compressed (by its
// first bytes, as sor.Open decides: sor.Compressed), and its size.
func plainFile(path string) (plain bool, size int64) {
	f, err := os.Open(path)
	if err != nil {
		return false, 0
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		return false, 0
	}
	var head [4]byte
	n, _ := io.ReadFull(f, head[:])
	return !sor.Compressed(head[:n]), info.Size()
}
