package sim

import (
	"compress/gzip"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/zstd"
)

// This file is the only one in the package that uses a third-party module:
// zstd, the compression Databento uses for its downloads.

// Compress wraps w in the compression that the file name's extension asks
// for: ".csv" none, ".csv.gz" gzip (standard library, default level),
// ".csv.zst" zstd (github.com/klauspost/compress, best-compression level, one
// goroutine). Any other name is refused, so that a file called foo.parquet
// does not silently get CSV. Closing the result flushes the compressor but
// does not close w.
//
// For a given version of the compression library the output is a
// deterministic function of the input, which is what lets a test compare a
// regenerated sample with the committed file byte for byte.
func Compress(w io.Writer, name string) (io.WriteCloser, error) {
	ext, err := extension(name)
	switch ext {
	case ".csv.gz":
		return gzip.NewWriter(w), nil // zero header: no name, no time stamp
	case ".csv.zst":
		return zstd.NewWriter(w,
			zstd.WithEncoderLevel(zstd.SpeedBestCompression),
			zstd.WithEncoderConcurrency(1))
	case ".csv":
		return nopCloser{w}, nil
	}
	return nil, err
}

// CheckName returns the error Compress would return for the file name: nil
// when its extension is one Compress knows.
func CheckName(name string) error {
	_, err := extension(name)
	return err
}

func extension(name string) (string, error) {
	for _, ext := range []string{".csv.gz", ".csv.zst", ".csv"} {
		if strings.HasSuffix(name, ext) {
			return ext, nil
		}
	}
	return "", fmt.Errorf("%s: unknown extension: want .csv, .csv.gz or .csv.zst", name)
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
