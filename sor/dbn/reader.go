package dbn

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	dbngo "github.com/NimbleMarkets/dbn-go"
	"github.com/sorlab/sorlab/sor"
)

func init() {
	// "DBN" alone, not with each supported version byte: a version this
	// package cannot read must get its own error, not the CSV reader's.
	sor.RegisterFormat("dbn", []byte("DBN"), open)
	sor.RegisterMBOFormat("dbn", []byte("DBN"), openMBO)
}

func open(r io.Reader, name string, opt sor.ReadOptions) (sor.RowReader, error) {
	rr, err := NewReader(r, name)
	if err != nil {
		return nil, err
	}
	if opt.Prices == sor.PriceDecimal {
		return nil, &Error{File: name, Err: errors.New("decimal prices were asked for, and DBN prices are always fixed-point (units of 1e-9)")}
	}
	return rr, nil
}

func openMBO(r io.Reader, name string, opt sor.ReadOptions) (sor.MBORecords, error) {
	rr := &Reader{name: name, br: bufio.NewReaderSize(r, 1<<16)}
	if err := rr.readMetadata(dbngo.Schema_Mbo); err != nil {
		return nil, err
	}
	if opt.Prices == sor.PriceDecimal {
		return nil, &Error{File: name, Err: errors.New("decimal prices were asked for, and DBN prices are always fixed-point (units of 1e-9)")}
	}
	return MBOReader{rr}, nil
}

// Errors an *Error can wrap, for errors.Is; field errors wrap sor's
// (sor.ErrNegative, sor.ErrNotPositive, sor.ErrTimestamp).
var (
	ErrNotDBN       = errors.New("not a DBN stream")
	ErrVersion      = errors.New("unsupported DBN version")
	ErrSchema       = errors.New("unsupported schema")
	ErrMetadata     = errors.New("bad metadata")
	ErrTruncated    = errors.New("truncated")
	ErrRecordLength = errors.New("record length does not match the schema")
	ErrRecordType   = errors.New("unexpected record type")
)

// Error is bad DBN input, with enough context to find it with a hex dump.
type Error struct {
	File   string
	Offset int64  // byte offset in the decompressed stream where the trouble starts
	Record int    // 1-based record number; 0 in the metadata header
	Field  string // the record's field to blame (CSV column name), when there is one
	Err    error
}

func (e *Error) Error() string {
	var b []byte
	b = fmt.Appendf(b, "%s: byte %d, ", e.File, e.Offset)
	if e.Record > 0 {
		b = fmt.Appendf(b, "record %d", e.Record)
	} else {
		b = append(b, "metadata"...)
	}
	if e.Field != "" {
		b = fmt.Appendf(b, " (%s)", e.Field)
	}
	return string(fmt.Appendf(b, ": %v", e.Err))
}

func (e *Error) Unwrap() error { return e.Err }

// Byte offsets in a DBN stream's metadata header.
const (
	prefixLen    = 8                    // "DBN", version byte, uint32 length of the rest
	schemaOffset = prefixLen + 16       // after the 16-byte dataset name
	fixedLen     = 100                  // fixed part after the prefix, in every version
	schemaDefOff = prefixLen + fixedLen // uint32 length of the (reserved) schema definition
	tsOutLen     = 8                    // a record's appended send timestamp when TsOut is set
)

// maxMetadata bounds the metadata header that is read into memory before
// the records. Real headers are kilobytes, or a few megabytes for
// thousands of symbols over many days; the bound keeps a corrupt length
// from costing gigabytes.
const maxMetadata = 1 << 30

// Reader reads the rows of one DBN stream. It implements sor.RowReader.
type Reader struct {
	name   string
	br     *bufio.Reader
	meta   *dbngo.Metadata
	rtype  dbngo.RType
	size   int   // bytes per record, appended send timestamp included
	off    int64 // offset of the next record
	n      int   // records read
	err    error // sticky: every Read after an error or EOF returns it
	syms   symbolTable
	info   sor.SourceInfo
	mbp1   dbngo.Mbp1Msg
	mbp10  dbngo.Mbp10Msg
	mbo    dbngo.MboMsg
	levels *dbngo.BidAskPair // level 0 of whichever record was decoded
}

// NewReader reads the metadata header of a DBN stream and returns a reader
// of its records; name (usually the file name) prefixes errors.
func NewReader(r io.Reader, name string) (*Reader, error) {
	rd := &Reader{name: name, br: bufio.NewReaderSize(r, 1<<16)}
	if err := rd.readMetadata(dbngo.Schema_Mbp1, dbngo.Schema_Mbp10); err != nil {
		return nil, err
	}
	return rd, nil
}

func (r *Reader) metaErr(off int64, err error) *Error {
	return &Error{File: r.name, Offset: off, Err: err}
}

// readMetadata reads the metadata header of a stream of one of the
// schemas given.
func (r *Reader) readMetadata(schemas ...dbngo.Schema) error {
	prefix, err := r.br.Peek(prefixLen)
	if len(prefix) < 3 || !bytes.Equal(prefix[:3], []byte("DBN")) {
		if err != nil && err != io.EOF {
			return r.metaErr(int64(len(prefix)), fmt.Errorf("reading: %w", err))
		}
		return r.metaErr(0, fmt.Errorf("%w: starts with %q", ErrNotDBN, prefix))
	}
	if len(prefix) > 3 && (prefix[3] < dbngo.HeaderVersion1 || prefix[3] > dbngo.HeaderVersion3) {
		return r.metaErr(3, fmt.Errorf("%w %d: sorlab reads versions 1, 2 and 3", ErrVersion, prefix[3]))
	}
	if len(prefix) < prefixLen {
		return r.readErr(err, 0, prefixLen, len(prefix), "metadata header")
	}
	version := prefix[3]
	length := int64(binary.LittleEndian.Uint32(prefix[4:]))
	// The fixed part, the schema definition's length and four counts
	// (symbols, partial, not found, mappings).
	if length < fixedLen+4*5 {
		return r.metaErr(4, fmt.Errorf("%w: %d bytes of metadata announced, at least %d needed", ErrMetadata, length, fixedLen+4*5))
	}
	if length > maxMetadata {
		return r.metaErr(4, fmt.Errorf("%w: %d bytes of metadata announced, more than sorlab reads (%d)", ErrMetadata, length, maxMetadata))
	}
	// Copy as much as arrives rather than allocate what the header claims:
	// a lying length on a short file costs only the file's size.
	var head bytes.Buffer
	n, err := io.CopyN(&head, r.br, prefixLen+length)
	if n < prefixLen+length {
		return r.readErr(err, 0, int(prefixLen+length), int(n), "metadata header")
	}
	b := head.Bytes()
	// The schema definition is reserved and always empty; dbn-go would
	// allocate whatever length it finds here before noticing the file ends.
	if sd := binary.LittleEndian.Uint32(b[schemaDefOff:]); sd != 0 {
		return r.metaErr(schemaDefOff, fmt.Errorf("%w: a schema definition of %d bytes (DBN reserves it, always empty)", ErrMetadata, sd))
	}
	meta, err := dbngo.ReadMetadata(bytes.NewReader(b))
	if err != nil {
		return r.metaErr(prefixLen, fmt.Errorf("%w: %v", ErrMetadata, err))
	}
	if !slices.Contains(schemas, meta.Schema) {
		if slices.Contains(schemas, dbngo.Schema_Mbo) {
			return r.metaErr(schemaOffset, fmt.Errorf("%w %s: order-by-order records are read from the mbo schema", ErrSchema, schemaName(meta.Schema)))
		}
		return r.metaErr(schemaOffset, fmt.Errorf("%w %s: sorlab reads the mbp-1 and mbp-10 schemas", ErrSchema, schemaName(meta.Schema)))
	}
	switch meta.Schema {
	case dbngo.Schema_Mbp1:
		r.rtype, r.size = dbngo.RType_Mbp1, dbngo.Mbp1Msg_Size
		r.levels = &r.mbp1.Level
	case dbngo.Schema_Mbp10:
		r.rtype, r.size = dbngo.RType_Mbp10, dbngo.Mbp10Msg_Size
		r.levels = &r.mbp10.Levels[0]
	case dbngo.Schema_Mbo:
		r.rtype, r.size = dbngo.RType_Mbo, dbngo.MboMsg_Size
	}
	if meta.TsOut != 0 {
		r.size += tsOutLen
	}
	syms, symbols, err := newSymbolTable(meta)
	if err != nil {
		return r.metaErr(prefixLen, fmt.Errorf("%w: %v", ErrMetadata, err))
	}
	r.meta, r.syms, r.off = meta, syms, prefixLen+length
	r.info = sor.SourceInfo{
		Format:  fmt.Sprintf("dbn v%d %s", version, meta.Schema),
		Prices:  sor.PriceFixed,
		Symbols: symbols,
	}
	return nil
}

func schemaName(s dbngo.Schema) string {
	if name := s.String(); name != "" {
		return name
	}
	return fmt.Sprintf("%d", uint16(s))
}

// readErr reports a read that got have of the want bytes starting at off:
// the file ends early (a compressed one says after how many compressed
// bytes), or the underlying reader failed (corrupt zstd).
func (r *Reader) readErr(err error, off int64, want, have int, what string) *Error {
	if err == nil || err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		e := fmt.Errorf("%w: the file ends after %d of the %s's %d bytes", ErrTruncated, have, what, want)
		if de := (*sor.DecompressError)(nil); errors.As(err, &de) {
			e = fmt.Errorf("%w (%w)", e, de)
		}
		return &Error{File: r.name, Offset: off, Record: r.n, Err: e}
	}
	return &Error{File: r.name, Offset: off + int64(have), Record: r.n, Err: fmt.Errorf("reading: %w", err)}
}

// Info describes the stream: "dbn v3 mbp-10", fixed-point prices, and the
// symbol of every instrument that the mappings give one symbol for the
// whole file (rows carry their dated symbol in any case).
func (r *Reader) Info() sor.SourceInfo { return r.info }

// Metadata returns the stream's metadata header as dbn-go decoded it.
func (r *Reader) Metadata() *dbngo.Metadata { return r.meta }

// Read returns the next row, or io.EOF after the last one.
func (r *Reader) Read() (sor.Row, error) {
	if r.err != nil {
		return sor.Row{}, r.err
	}
	row, err := r.read()
	if err != nil {
		r.err = err
	}
	return row, err
}

// next returns the bytes of the next record, checked for its type and
// length, or io.EOF at the end of the stream.
func (r *Reader) next() ([]byte, error) {
	b, err := r.br.Peek(r.size)
	if len(b) == 0 && err == io.EOF {
		return nil, io.EOF
	}
	r.n++
	if len(b) >= 2 && dbngo.RType(b[1]) != r.rtype {
		name := dbngo.RType(b[1]).String()
		if name == "" {
			name = "unknown"
		}
		return nil, r.recErr(0, "", fmt.Errorf("%w 0x%02X (%s) in an %s file", ErrRecordType, b[1], name, r.meta.Schema))
	}
	if len(b) >= 1 && int(b[0])*4 != r.size {
		return nil, r.recErr(0, "", fmt.Errorf("%w: the length byte says %d bytes (%d words), an %s record is %d", ErrRecordLength, int(b[0])*4, b[0], r.meta.Schema, r.size))
	}
	if len(b) < r.size {
		return nil, r.readErr(err, r.off, r.size, len(b), "record")
	}
	return b, nil
}

func (r *Reader) read() (sor.Row, error) {
	b, err := r.next()
	if err != nil {
		return sor.Row{}, err
	}
	var hd *dbngo.RHeader
	var price int64
	var psize uint32
	var action, side byte
	var tsRecv uint64
	if r.rtype == dbngo.RType_Mbp1 {
		err = r.mbp1.Fill_Raw(b)
		m := &r.mbp1
		hd, price, psize, action, side, tsRecv = &m.Header, m.Price, m.Size, m.Action, m.Side, m.TsRecv
	} else {
		err = r.mbp10.Fill_Raw(b)
		m := &r.mbp10
		hd, price, psize, action, side, tsRecv = &m.Header, m.Price, m.Size, m.Action, m.Side, m.TsRecv
	}
	if err != nil { // cannot happen: b holds a whole record
		return sor.Row{}, r.recErr(0, "", err)
	}
	lv := r.levels
	row := sor.Row{
		Line:         r.n + 1,
		PublisherID:  int(hd.PublisherID),
		InstrumentID: hd.InstrumentID,
		Action:       action,
		Side:         side,
		Size:         int64(psize),
		BidSz:        int64(lv.BidSz),
		AskSz:        int64(lv.AskSz),
	}
	// Field offsets are the DBN layout's, for the error's byte offset.
	if row.TsRecv, err = timestamp(tsRecv); err != nil {
		return sor.Row{}, r.recErr(32, "ts_recv", err)
	}
	if row.TsEvent, err = timestamp(hd.TsEvent); err != nil {
		return sor.Row{}, r.recErr(8, "ts_event", err)
	}
	if row.Price, err = money(price); err != nil {
		return sor.Row{}, r.recErr(16, "price", err)
	}
	if row.BidPx, err = money(lv.BidPx); err != nil {
		return sor.Row{}, r.recErr(48, "bid_px_00", err)
	}
	if row.AskPx, err = money(lv.AskPx); err != nil {
		return sor.Row{}, r.recErr(56, "ask_px_00", err)
	}
	row.Symbol = r.syms.lookup(hd.InstrumentID, row.TsRecv)
	r.off += int64(r.size)
	r.br.Discard(r.size)
	return row, nil
}

// recErr is an error in the current record, field at the given offset in it.
func (r *Reader) recErr(fieldOff int64, field string, err error) *Error {
	return &Error{File: r.name, Offset: r.off + fieldOff, Record: r.n, Field: field, Err: err}
}

// undefPrice is Databento's UNDEF_PRICE: no price.
const undefPrice = math.MaxInt64

// money applies the CSV reader's rules for a price to a fixed-point one.
func money(v int64) (sor.Money, error) {
	switch {
	case v == undefPrice:
		return sor.NoPrice, nil
	case v < 0:
		return 0, fmt.Errorf("%w: %d", sor.ErrNegative, v)
	case v == 0:
		return 0, fmt.Errorf("%w: 0", sor.ErrNotPositive)
	}
	return sor.Money(v), nil
}

// timestamp refuses what an int64 cannot hold, which includes Databento's
// UNDEF_TIMESTAMP (2^64 − 1).
func timestamp(v uint64) (int64, error) {
	if v > math.MaxInt64 {
		return 0, fmt.Errorf("%w: %d is out of range (undefined?)", sor.ErrTimestamp, v)
	}
	return int64(v), nil
}

// MBOReader reads the records of a DBN stream of the mbo schema as
// sor.MBO, exactly as sor.MBOReader reads Databento's CSV export of them.
// sor.OpenMBO uses it for DBN files once this package is imported.
type MBOReader struct{ r *Reader }

// NewMBOReader reads the metadata header of a DBN stream of the mbo schema
// and returns a reader of its records.
func NewMBOReader(r io.Reader, name string) (MBOReader, error) {
	rs, err := openMBO(r, name, sor.ReadOptions{})
	if err != nil {
		return MBOReader{}, err
	}
	return rs.(MBOReader), nil
}

// Info describes the stream (see Reader.Info).
func (m MBOReader) Info() sor.SourceInfo { return m.r.info }

// Read returns the next record, or io.EOF after the last one.
func (m MBOReader) Read() (sor.MBO, error) {
	r := m.r
	if r.err != nil {
		return sor.MBO{}, r.err
	}
	rec, err := r.readMBO()
	if err != nil {
		r.err = err
	}
	return rec, err
}

func (r *Reader) readMBO() (sor.MBO, error) {
	b, err := r.next()
	if err != nil {
		return sor.MBO{}, err
	}
	m := &r.mbo
	if err := m.Fill_Raw(b); err != nil { // cannot happen: b holds a whole record
		return sor.MBO{}, r.recErr(0, "", err)
	}
	rec := sor.MBO{
		Line:         r.n + 1,
		PublisherID:  int(m.Header.PublisherID),
		InstrumentID: m.Header.InstrumentID,
		Action:       m.Action,
		Side:         m.Side,
		Size:         int64(m.Size),
		ChannelID:    m.ChannelID,
		OrderID:      m.OrderID,
		Flags:        m.Flags,
		TsInDelta:    m.TsInDelta,
		Sequence:     m.Sequence,
	}
	// Field offsets are the DBN layout's, for the error's byte offset.
	if rec.TsRecv, err = timestamp(m.TsRecv); err != nil {
		return sor.MBO{}, r.recErr(40, "ts_recv", err)
	}
	if rec.TsEvent, err = timestamp(m.Header.TsEvent); err != nil {
		return sor.MBO{}, r.recErr(8, "ts_event", err)
	}
	if rec.Price, err = mboPrice(m.Price); err != nil {
		return sor.MBO{}, r.recErr(24, "price", err)
	}
	if !strings.ContainsRune("ACMRTFN", rune(rec.Action)) || rec.Action == 0 {
		return sor.MBO{}, r.recErr(38, "action", fmt.Errorf("%w, got %q", sor.ErrAction, rec.Action))
	}
	if !strings.ContainsRune("ABN", rune(rec.Side)) || rec.Side == 0 {
		return sor.MBO{}, r.recErr(39, "side", fmt.Errorf("%w, got %q", sor.ErrSide, rec.Side))
	}
	rec.Symbol = r.syms.lookup(m.Header.InstrumentID, rec.TsRecv)
	r.off += int64(r.size)
	r.br.Discard(r.size)
	return rec, nil
}

// mboPrice is an order's price: undefined on a clear, never negative.
func mboPrice(v int64) (sor.Money, error) {
	switch {
	case v == undefPrice:
		return sor.NoPrice, nil
	case v < 0:
		return 0, fmt.Errorf("%w: %d", sor.ErrNegative, v)
	}
	return sor.Money(v), nil
}
