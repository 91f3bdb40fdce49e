package sor

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"sync"
)

// A Decompressor turns a compressed stream into a plain one.
type Decompressor func(io.Reader) (io.ReadCloser, error)

type format struct {
	name  string
	magic []byte
	open  Decompressor
}

var (
	formatsMu sync.Mutex
	formats   = []format{{name: "gzip", magic: []byte{0x1f, 0x8b}, open: func(r io.Reader) (io.ReadCloser, error) {
		return gzip.NewReader(r)
	}}}
)

// zstdMagic starts every zstd frame; it is known here, without a decoder, so
// that a .csv.zst opened without one gets an error saying what to import.
var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// RegisterDecompressor makes Open recognise streams that start with magic.
// The core package knows gzip; package sor/zstd registers zstd (Databento's
// default compression) so that this package needs no third-party code.
func RegisterDecompressor(name string, magic []byte, open Decompressor) {
	formatsMu.Lock()
	defer formatsMu.Unlock()
	formats = append(formats, format{name, bytes.Clone(magic), open})
}

// Open opens a file for reading, decompressing it transparently when its
// first bytes are a registered compression format's magic number (the
// extension is not trusted: a .csv may be compressed and a .gz may not).
func Open(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	rc, err := Decompress(f, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{rc, closers{rc, f}}, nil
}

type closers []io.Closer

func (cs closers) Close() error {
	var first error
	for _, c := range cs {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Decompress wraps r in the decompressor its first bytes call for, or returns
// it unchanged. name is used in errors.
func Decompress(r io.Reader, name string) (io.ReadCloser, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	head, _ := br.Peek(4)
	formatsMu.Lock()
	fs := formats
	formatsMu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		if bytes.HasPrefix(head, fs[i].magic) {
			rc, err := fs[i].open(br)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", name, fs[i].name, err)
			}
			return rc, nil
		}
	}
	if bytes.HasPrefix(head, zstdMagic) {
		return nil, fmt.Errorf(`%s: zstd-compressed, and no zstd decoder is registered: import _ "github.com/sorlab/sorlab/sor/zstd"`, name)
	}
	return io.NopCloser(br), nil
}

// ReadFile reads every row of a Databento CSV file, plain, gzip or zstd.
func ReadFile(path string, opt ReadOptions) ([]Row, error) {
	rc, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return NewReader(rc, path, opt).ReadAll()
}
