package sor

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"unicode/utf8"
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
// it unchanged. name is used in errors. The decompressor's read errors are
// *DecompressError.
func Decompress(r io.Reader, name string) (io.ReadCloser, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	head, _ := br.Peek(4)
	if f, ok := compressionOf(head); ok {
		in := &countingReader{r: br}
		rc, err := f.open(in)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", name, f.name, err)
		}
		return &decompressed{rc: rc, in: in, format: f.name}, nil
	}
	if bytes.HasPrefix(head, zstdMagic) {
		return nil, fmt.Errorf(`%s: zstd-compressed, and no zstd decoder is registered: import _ "github.com/sorlab/sorlab/sor/zstd"`, name)
	}
	return io.NopCloser(br), nil
}

// compressionOf is the registered compression whose magic number starts
// head, the last registered first.
func compressionOf(head []byte) (format, bool) {
	formatsMu.Lock()
	fs := formats
	formatsMu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		if bytes.HasPrefix(head, fs[i].magic) {
			return fs[i], true
		}
	}
	return format{}, false
}

// Compressed reports whether a stream starting with head (its first 4
// bytes suffice) is compressed, by the rule of Open and Decompress: a
// registered format's magic number, or zstd's even without a decoder.
func Compressed(head []byte) bool {
	_, ok := compressionOf(head)
	return ok || bytes.HasPrefix(head, zstdMagic)
}

// DecompressError is compressed data that is cut short or corrupt, with how
// much of it had been read. Unwrap gives the decompressor's error
// (io.ErrUnexpectedEOF when the data is cut short).
type DecompressError struct {
	Format string // the compression: "gzip", "zstd"
	// Compressed bytes the decompressor had read: a decoder reads ahead, so
	// the damage lies within them (at their end when the data is cut short).
	In  int64
	Err error
}

func (e *DecompressError) Error() string {
	if errors.Is(e.Err, io.ErrUnexpectedEOF) {
		return fmt.Sprintf("%s data cut short: it ends after %d compressed bytes, inside a compressed block", e.Format, e.In)
	}
	return fmt.Sprintf("%s data corrupt within its first %d compressed bytes: %v", e.Format, e.In, e.Err)
}

func (e *DecompressError) Unwrap() error { return e.Err }

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// decompressed is a decompressor's output, its errors made *DecompressError.
type decompressed struct {
	rc     io.ReadCloser
	in     *countingReader
	format string
}

func (d *decompressed) Read(p []byte) (int, error) {
	n, err := d.rc.Read(p)
	if err != nil && err != io.EOF {
		err = &DecompressError{Format: d.format, In: d.in.n, Err: err}
	}
	return n, err
}

func (d *decompressed) Close() error { return d.rc.Close() }

// sniffLen is how much of a (decompressed) stream is looked at before a
// reader is chosen: enough for any format's magic and for a CSV header.
const sniffLen = 512

// sniff peeks at the start of a decompressed stream. An error is returned
// only when too little arrives to tell any format (corrupt or cut
// compressed data); a later one is met by the format's reader, where it
// can say more.
func sniff(br *bufio.Reader, name string) ([]byte, error) {
	head, err := br.Peek(sniffLen)
	if err != nil && err != io.EOF && len(head) < len(dbnMagic)+1 {
		return nil, fmt.Errorf("%s: byte %d: reading: %w", name, len(head), err)
	}
	return head, nil
}

// notText refuses a stream that no registered format claims and that is
// not text either (a NUL byte, or bytes that are not UTF-8, in its first
// sniffLen bytes): an archive, another binary format or a damaged file,
// which the CSV reader would only call a file without its columns.
func notText(head []byte, name string) error {
	bad := bytes.IndexByte(head, 0)
	for i := 0; i < len(head) && (bad < 0 || i < bad); {
		r, size := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && size <= 1 {
			if len(head) == sniffLen && !utf8.FullRune(head[i:]) {
				break // a character cut by the peek, not a bad one
			}
			bad = i
			break
		}
		i += size
	}
	if bad < 0 {
		return nil
	}
	show, more := head, ""
	if len(show) > 16 {
		show, more = show[:16], "..."
	}
	what := "not UTF-8"
	if head[bad] == 0 {
		what = "a NUL byte"
	}
	return fmt.Errorf("%s: byte %d: neither DBN nor CSV text (%s, 0x%02X): it starts with %q%s", name, bad, what, head[bad], show, more)
}

// RowReader is a source of rows in file order: Databento CSV (*Reader) or
// any format registered with RegisterFormat (DBN, by package sor/dbn).
type RowReader interface {
	// Read returns the next row, or io.EOF after the last one. Errors
	// carry the file and the place in it (*ParseError for CSV).
	Read() (Row, error)
	// Info says what the file is; it may grow as the file is read (a CSV
	// reader learns its price format from the data).
	Info() SourceInfo
}

// SourceInfo describes a data file.
type SourceInfo struct {
	Format string      // "csv", or for example "dbn v3 mbp-10"
	Prices PriceFormat // how prices are written; PriceAuto while undecided
	// Symbols maps instrument ids to symbols when the file says so once for
	// all rows (DBN metadata); CSV rows carry their symbol themselves.
	Symbols map[uint32]string
}

// A FormatOpener reads rows of a registered format from a decompressed
// stream; name prefixes errors.
type FormatOpener func(r io.Reader, name string, opt ReadOptions) (RowReader, error)

// rowFormatOf is a registered format: its name, its magic bytes and what
// opens it.
type rowFormatOf[O any] struct {
	name  string
	magic []byte
	open  O
}

var rowFormats []rowFormatOf[FormatOpener] // guarded by formatsMu

// formatOf returns the opener of the format registered last whose magic
// bytes start head.
func formatOf[O any](formats *[]rowFormatOf[O], head []byte) (O, bool) {
	formatsMu.Lock()
	fs := *formats
	formatsMu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		if bytes.HasPrefix(head, fs[i].magic) {
			return fs[i].open, true
		}
	}
	var none O
	return none, false
}

// RegisterFormat makes OpenRows read files whose (decompressed) content
// starts with magic with open instead of the CSV reader. Package sor/dbn
// registers Databento's DBN this way, so that sor needs no third-party code.
func RegisterFormat(name string, magic []byte, open FormatOpener) {
	formatsMu.Lock()
	defer formatsMu.Unlock()
	rowFormats = append(rowFormats, rowFormatOf[FormatOpener]{name, bytes.Clone(magic), open})
}

// NewRowReader detects the format of r — compression first (gzip, and any
// registered decompressor), then any registered row format by its magic
// bytes, else Databento CSV — and returns a reader of its rows and the
// closer of the decompressor. The content decides, not the file name.
// Content that is not text (a NUL byte or bytes that are not UTF-8 in its
// first 512 bytes) and that no format claims is refused here, with the
// offset of the first such byte, rather than read as CSV.
func NewRowReader(r io.Reader, name string, opt ReadOptions) (RowReader, io.Closer, error) {
	rc, err := Decompress(r, name)
	if err != nil {
		return nil, nil, err
	}
	br := bufio.NewReaderSize(rc, 1<<16)
	head, err := sniff(br, name)
	if err != nil {
		rc.Close()
		return nil, nil, err
	}
	if open, ok := formatOf(&rowFormats, head); ok {
		rr, err := open(br, name, opt)
		if err != nil {
			rc.Close()
			return nil, nil, err
		}
		return rr, rc, nil
	}
	if bytes.HasPrefix(head, dbnMagic) {
		rc.Close()
		return nil, nil, fmt.Errorf(`%s: a Databento DBN file, and no DBN reader is registered: import _ "github.com/sorlab/sorlab/sor/dbn"`, name)
	}
	if err := notText(head, name); err != nil {
		rc.Close()
		return nil, nil, err
	}
	return NewReader(br, name, opt), rc, nil
}

// dbnMagic starts every DBN stream (then a version byte).
var dbnMagic = []byte("DBN")

// RowReadCloser is a RowReader of an open file.
type RowReadCloser interface {
	RowReader
	io.Closer
}

// OpenRows opens a data file of any known format (see NewRowReader).
func OpenRows(path string, opt ReadOptions) (RowReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	rr, dc, err := NewRowReader(f, path, opt)
	if err != nil {
		f.Close()
		return nil, err
	}
	return struct {
		RowReader
		io.Closer
	}{rr, closers{dc, f}}, nil
}

// ReadFile reads every row of a data file: Databento CSV, plain, gzip or
// zstd, or any registered format.
func ReadFile(path string, opt ReadOptions) ([]Row, error) {
	rr, err := OpenRows(path, opt)
	if err != nil {
		return nil, err
	}
	defer rr.Close()
	return readAll(rr.Read)
}

// readAll calls read until io.EOF and returns what it read, or the first
// other error.
func readAll[T any](read func() (T, error)) ([]T, error) {
	var all []T
	for {
		v, err := read()
		if err == io.EOF {
			return all, nil
		}
		if err != nil {
			return nil, err
		}
		all = append(all, v)
	}
}
