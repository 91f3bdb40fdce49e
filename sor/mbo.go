package sor

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
)

// MBO is one record of a Databento market-by-order (MBO) file: one event of
// one order at one venue. The fields are those of Databento's MBO schema
// (and of its DBN MboMsg), so a reader of any encoding can produce it.
//
// How a book follows from the records (Databento's conventions): A adds an
// order at the back of its price level; C takes size off it (the whole
// order when nothing is left); M changes its price or size, and the order
// loses its time priority when the price changes or the size grows; R clears
// the venue's book. T (a trade, side = the aggressor's) and F (a fill of a
// resting order, side = that order's) do not change the book: every
// execution is followed by the C or M that does. N carries no event.
// Package sor/mbo rebuilds the book this way.
type MBO struct {
	Line         int   // line number in the file (the header is line 1)
	TsRecv       int64 // capture time, nanoseconds since the Unix epoch (0 if absent)
	TsEvent      int64 // matching-engine time, nanoseconds since the Unix epoch
	PublisherID  int   // the venue (Databento publisher id)
	InstrumentID uint32
	Action       byte   // 'A' add, 'C' cancel, 'M' modify, 'R' clear, 'T' trade, 'F' fill, 'N' none
	Side         byte   // 'B' bid (a buy order, or a buy aggressor), 'A' ask, 'N' none
	Price        Money  // the order's price; NoPrice when undefined (a clear)
	Size         int64  // shares added, cancelled, modified to, traded or filled
	ChannelID    uint8  // Databento's channel within the venue
	OrderID      uint64 // the venue's order id (0 when none: trades, clears)
	Flags        uint8  // FlagLast, FlagSnapshot, ...
	TsInDelta    int32  // ts_recv minus the venue's sending time, nanoseconds
	Sequence     uint32 // the venue's message sequence number
	Symbol       string
}

// Flag bits of an MBO record, as in Databento's DBN encoding.
const (
	// FlagLast marks the last record of an event at a venue: the book is
	// consistent after it.
	FlagLast uint8 = 1 << 7
	// FlagTOB marks a top-of-book-only record, which replaces a whole side
	// of the book and names no resting order.
	FlagTOB uint8 = 1 << 6
	// FlagSnapshot marks records that rebuild the book after a clear rather
	// than report new events.
	FlagSnapshot uint8 = 1 << 5
)

// RTypeMBO is Databento's record type of MBO records.
const RTypeMBO = 160

// MBORequiredColumns are the columns every MBO file must have; the reader
// also keeps ts_recv, rtype, instrument_id, channel_id, flags, ts_in_delta,
// sequence and symbol when present.
var MBORequiredColumns = []string{"ts_event", "publisher_id", "action", "side", "price", "size", "order_id"}

// The columns only MBO has; the others are parsed as in MBP (setField).
const (
	colChannel colKind = colSymbol + 1 + iota
	colOrderID
	colFlags
	colTsInDelta
	colSequence
	colRType
)

var mboColumnKinds = map[string]colKind{
	"ts_recv":       colTsRecv,
	"ts_event":      colTsEvent,
	"rtype":         colRType,
	"publisher_id":  colPublisher,
	"instrument_id": colInstrument,
	"action":        colAction,
	"side":          colSide,
	"price":         colPrice,
	"size":          colSize,
	"channel_id":    colChannel,
	"order_id":      colOrderID,
	"flags":         colFlags,
	"ts_in_delta":   colTsInDelta,
	"sequence":      colSequence,
	"symbol":        colSymbol,
}

// MBOReader reads Databento MBO CSV one record at a time. It is the MBP
// Reader with MBO's columns: the same header rules (columns by name, any
// order, unknown ones skipped), timestamps, price formats and errors, every
// one a *ParseError with file, line and column.
type MBOReader struct {
	r   *Reader
	row Row // the columns MBP shares, parsed by the MBP reader's rules
}

// NewMBOReader returns a reader of MBO records from r; name prefixes errors.
func NewMBOReader(r io.Reader, name string, opt ReadOptions) *MBOReader {
	rd := NewReader(r, name, opt)
	rd.known, rd.required = mboColumnKinds, MBORequiredColumns
	return &MBOReader{r: rd}
}

// Header reads the header row if needed and returns the column names.
func (m *MBOReader) Header() ([]string, error) { return m.r.Header() }

// PriceFormat returns the price format in use (see Reader.PriceFormat).
func (m *MBOReader) PriceFormat() PriceFormat { return m.r.PriceFormat() }

// Read returns the next record, or io.EOF after the last one.
func (m *MBOReader) Read() (MBO, error) {
	r := m.r
	if _, err := r.Header(); err != nil {
		return MBO{}, err
	}
	b, err := r.nextLine()
	if err != nil {
		return MBO{}, err
	}
	m.row = Row{}
	var rec MBO
	n := len(r.kinds)
	for col := 1; col <= n; col++ {
		if b == nil {
			return MBO{}, r.errf(r.line, col, r.header[col-1], "", fmt.Errorf("%w: row has %d fields, header has %d", ErrFieldCount, col-1, n))
		}
		var f []byte
		if f, b, _, err = r.field(b, col, r.header[col-1]); err != nil {
			return MBO{}, err
		}
		if err := m.setField(&rec, r.kinds[col-1], f, col); err != nil {
			return MBO{}, err
		}
	}
	if b != nil {
		return MBO{}, r.errf(r.line, n+1, "", "", fmt.Errorf("%w: row has more fields than the header's %d", ErrFieldCount, n))
	}
	w := &m.row
	rec.Line, rec.TsRecv, rec.TsEvent, rec.PublisherID, rec.InstrumentID = r.line, w.TsRecv, w.TsEvent, w.PublisherID, w.InstrumentID
	rec.Action, rec.Side, rec.Price, rec.Size, rec.Symbol = w.Action, w.Side, w.Price, w.Size, w.Symbol
	return rec, nil
}

// Errors of MBO fields, for errors.Is.
var (
	ErrAction = errors.New("want an action A, C, M, R, T, F or N")
	ErrSide   = errors.New("want a side A, B or N")
	ErrRType  = errors.New("not an MBO record: rtype must be 160")
)

func (m *MBOReader) setField(rec *MBO, kind colKind, f []byte, col int) error {
	r := m.r
	var v int64
	var err error
	switch kind {
	case colRType:
		if v, err = parseCount(f, math.MaxUint8); err == nil && v != RTypeMBO {
			err = ErrRType
		}
	case colChannel:
		v, err = parseCount(f, math.MaxUint8)
		rec.ChannelID = uint8(v)
	case colOrderID:
		// parseCount returns the uint64 in an int64's bits; the
		// conversion back is exact.
		v, err = parseCount(f, math.MaxUint64)
		rec.OrderID = uint64(v)
	case colFlags:
		v, err = parseCount(f, math.MaxUint8)
		rec.Flags = uint8(v)
	case colSequence:
		v, err = parseCount(f, math.MaxUint32)
		rec.Sequence = uint32(v)
	case colTsInDelta:
		neg := len(f) > 0 && f[0] == '-'
		if neg {
			v, err = parseCount(f[1:], -math.MinInt32)
			v = -v
		} else {
			v, err = parseCount(f, math.MaxInt32)
		}
		rec.TsInDelta = int32(v)
	default:
		if err := r.setField(&m.row, kind, f, col); err != nil {
			return err
		}
		switch {
		case kind == colAction && (len(f) != 1 || bytes.IndexByte([]byte("ACMRTFN"), f[0]) < 0):
			err = ErrAction
		case kind == colSide && (len(f) != 1 || bytes.IndexByte([]byte("ABN"), f[0]) < 0):
			err = ErrSide
		}
	}
	if err != nil {
		return r.errf(r.line, col, r.header[col-1], string(f), err)
	}
	return nil
}

// ReadAll reads the remaining records.
func (m *MBOReader) ReadAll() ([]MBO, error) { return readAll(m.Read) }

// ReadMBOFile reads every record of a Databento MBO CSV file, plain, gzip or
// zstd (once package sor/zstd is imported).
func ReadMBOFile(path string, opt ReadOptions) ([]MBO, error) {
	f, err := OpenMBO(path, opt)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ReadAll()
}

// MBORecords reads MBO records one at a time, io.EOF after the last: the
// CSV reader (*MBOReader) or that of a format registered with
// RegisterMBOFormat.
type MBORecords interface {
	Read() (MBO, error)
}

// MBOFormatOpener returns a reader of the MBO records of r (decompressed,
// starting with the format's magic bytes); name prefixes errors.
type MBOFormatOpener func(r io.Reader, name string, opt ReadOptions) (MBORecords, error)

var mboFormats []rowFormatOf[MBOFormatOpener] // guarded by formatsMu

// RegisterMBOFormat makes OpenMBO read files whose (decompressed) content
// starts with magic with open instead of the CSV reader. Package sor/dbn
// registers Databento's DBN this way.
func RegisterMBOFormat(name string, magic []byte, open MBOFormatOpener) {
	formatsMu.Lock()
	defer formatsMu.Unlock()
	mboFormats = append(mboFormats, rowFormatOf[MBOFormatOpener]{name, bytes.Clone(magic), open})
}

// MBOFile is the MBO records of an open file; Close closes the file.
type MBOFile struct {
	MBORecords
	c io.Closer // the decompressor and the file (Open's)
}

// ReadAll reads the remaining records.
func (f *MBOFile) ReadAll() ([]MBO, error) { return readAll(f.Read) }

// OpenMBO opens a Databento MBO file, CSV or a registered format (DBN, by
// package sor/dbn), plain, gzip or zstd (once package sor/zstd is imported),
// to read it record by record: ReadMBOFile without holding the records. A
// CSV file's header is read and checked here, so that a file that is no MBO
// file fails before any work.
func OpenMBO(path string, opt ReadOptions) (*MBOFile, error) {
	rc, err := Open(path)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*MBOFile, error) {
		rc.Close()
		return nil, err
	}
	br := bufio.NewReaderSize(rc, 1<<16)
	head, err := sniff(br, path)
	if err != nil {
		return fail(err)
	}
	if open, ok := formatOf(&mboFormats, head); ok {
		recs, err := open(br, path, opt)
		if err != nil {
			return fail(err)
		}
		return &MBOFile{MBORecords: recs, c: rc}, nil
	}
	if bytes.HasPrefix(head, dbnMagic) {
		return fail(fmt.Errorf(`%s: a Databento DBN file, and no DBN reader is registered: import _ "github.com/sorlab/sorlab/sor/dbn"`, path))
	}
	if err := notText(head, path); err != nil {
		return fail(err)
	}
	r := NewMBOReader(br, path, opt)
	if _, err := r.Header(); err != nil {
		return fail(err)
	}
	return &MBOFile{MBORecords: r, c: rc}, nil
}

// Close closes the decompressor and the file.
func (f *MBOFile) Close() error { return f.c.Close() }
