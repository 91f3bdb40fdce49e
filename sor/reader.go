package sor

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"
)

// PriceFormat says how the price columns of a file are written.
type PriceFormat int

const (
	// PriceAuto decides per file from evidence that cannot mislead: a price
	// with a decimal point means decimal dollars, an integer price of 1e9 or
	// more means Databento fixed point (units of 1e-9 dollars: $1 or more),
	// and so does any integer price in Databento's raw CSV layout (an rtype
	// column and integer nanosecond timestamps: the export with pretty_ts
	// off, whose prices are 1e-9 units unless pretty_px gives them a decimal
	// point). Otherwise an integer below 1e9 says nothing by itself
	// ("500000000" is $0.50 in fixed point and $500,000,000 in dollars),
	// so rows are held until a price decides, at most
	// MaxPriceLookahead rows; a file that never decides is refused with
	// ErrPriceUnknown (and ErrPriceFormat), asking for the format to be set.
	PriceAuto PriceFormat = iota
	// PriceDecimal forces decimal dollars ("222.83").
	PriceDecimal
	// PriceFixed forces fixed-point integers ("222830000000").
	PriceFixed
)

// ParsePriceFormat is the price format of a name, as the command lines
// take it: auto, decimal or fixed (Databento's 1e-9 units).
func ParsePriceFormat(name string) (PriceFormat, error) {
	switch name {
	case "auto":
		return PriceAuto, nil
	case "decimal":
		return PriceDecimal, nil
	case "fixed":
		return PriceFixed, nil
	}
	return PriceAuto, fmt.Errorf("want auto, decimal or fixed, got %q", name)
}

func (f PriceFormat) String() string {
	switch f {
	case PriceDecimal:
		return "decimal"
	case PriceFixed:
		return "fixed-point"
	}
	return "auto"
}

// ReadOptions tunes a Reader. The zero value detects everything.
type ReadOptions struct {
	Prices PriceFormat
	// QuotesOnly reads only what the exercise uses: ts_event, publisher_id,
	// instrument_id, symbol and the top of book (bid/ask prices and sizes).
	// The event's own fields (ts_recv, action, side, price, size) are left
	// zero and unchecked, which makes reading faster. The replay needs them.
	QuotesOnly bool
}

// ParseError reports bad input with enough context to find it in an editor:
// the file, the 1-based line and field (column) numbers, the column's name and
// the offending text.
type ParseError struct {
	File   string
	Line   int
	Column int    // 1-based field number
	Name   string // the column's name from the header, when known
	Text   string // the offending text, when there is one
	Err    error
}

func (e *ParseError) Error() string {
	var b []byte
	b = fmt.Appendf(b, "%s:%d:%d", e.File, e.Line, e.Column)
	if e.Name != "" {
		b = fmt.Appendf(b, " (%s)", e.Name)
	}
	b = fmt.Appendf(b, ": %v", e.Err)
	if e.Text != "" || e.Name != "" {
		b = fmt.Appendf(b, ": %q", e.Text)
	}
	return string(b)
}

func (e *ParseError) Unwrap() error { return e.Err }

// Errors a ParseError can wrap, for errors.Is.
var (
	ErrMissingColumn = errors.New("missing required column")
	ErrFieldCount    = errors.New("wrong number of fields")
	ErrNegative      = errors.New("negative number")
	ErrNotPositive   = errors.New("price must be > 0")
	ErrNumber        = errors.New("invalid number")
	ErrTimestamp     = errors.New("invalid timestamp")
	ErrPriceFormat   = errors.New("price format does not match the file's")
	// ErrPriceUnknown is a file whose price format PriceAuto cannot tell;
	// its errors match ErrPriceFormat too.
	ErrPriceUnknown = errors.New("cannot tell the price format")
)

// unknownPrices is the error of a file whose price format cannot be told.
type unknownPrices struct{ why string }

func (e unknownPrices) Error() string   { return ErrPriceUnknown.Error() + ": " + e.why }
func (e unknownPrices) Unwrap() []error { return []error{ErrPriceUnknown, ErrPriceFormat} }

type colKind uint8

const (
	colSkip colKind = iota
	colTsRecv
	colTsEvent
	colPublisher
	colInstrument
	colAction
	colSide
	colPrice
	colSize
	colBidPx
	colAskPx
	colBidSz
	colAskSz
	colSymbol
)

var columnKinds = map[string]colKind{
	"ts_recv":       colTsRecv,
	"ts_event":      colTsEvent,
	"publisher_id":  colPublisher,
	"instrument_id": colInstrument,
	"action":        colAction,
	"side":          colSide,
	"price":         colPrice,
	"size":          colSize,
	"bid_px_00":     colBidPx,
	"ask_px_00":     colAskPx,
	"bid_sz_00":     colBidSz,
	"ask_sz_00":     colAskSz,
	"symbol":        colSymbol,
}

// MaxLine is the longest line a reader accepts, in bytes: far above any
// Databento CSV line (an MBP-10 row is about 500 bytes), and small enough
// that a file without line breaks (/dev/zero, a decompression bomb) fails
// at once instead of filling memory.
const MaxLine = 1 << 20

// MaxPriceLookahead is how many rows a reader in PriceAuto mode holds while
// their integer prices are ambiguous, waiting for a price that decides.
const MaxPriceLookahead = 1 << 16

// ErrLineTooLong is wrapped by the *ParseError of a line longer than MaxLine.
var ErrLineTooLong = errors.New("line longer than 1 MiB: not a CSV file, or no line breaks")

// MaxSize is the largest size the reader accepts, 2^40 shares: far above any
// real quote (Databento sizes are 32-bit), and small enough that sums of
// sizes over thousands of venues, and sizes times prices, stay exact.
const MaxSize = 1 << 40

// RequiredColumns are the columns every input file must have.
var RequiredColumns = []string{"ts_event", "publisher_id", "ask_px_00", "ask_sz_00"}

// Reader reads rows from a Databento MBP-1 or MBP-10 CSV stream one at a
// time, finding the columns it needs by name and skipping the rest without
// allocating. Every error is a *ParseError.
type Reader struct {
	name     string
	br       *bufio.Reader
	prices   PriceFormat // PriceAuto until a price decides
	detected bool        // prices was decided by the data, not forced

	// Rows held while their integer prices are ambiguous (PriceAuto), with
	// which of their prices are raw integers (rawPrice bits), and the
	// first ambiguous price for the error when nothing decides.
	held     []heldRow
	out      int // held rows already returned
	raw      uint8
	firstAmb *ParseError

	times      timeCache
	quotesOnly bool   // ReadOptions.QuotesOnly
	blk        []byte // block mode (readBlocks): the lines left in the block
	cut        bool   // block mode: the block's last line goes on beyond it
	scan       bool   // scan mode: only the columns a scan needs (see newScanReader)
	lastCol    int    // in scan mode, the last column to parse (1-based)
	symCol     int    // the symbol column (1-based), 0 when absent
	instCol    int    // the instrument_id column, 0 when absent
	lastInst   uint32
	sawInst    bool

	header  []string
	kinds   []colKind
	line    int
	long    []byte // a line longer than the bufio buffer
	unq     []byte // scratch for unquoting
	symbol  string // last symbol, reused while it repeats
	started bool

	rtype     bool // the header has Databento's rtype column
	rawLayout bool // and ts_event is an integer: integer prices are 1e-9 units

	// The columns the reader knows and the ones it needs: MBP's, or MBO's
	// for an MBOReader.
	known    map[string]colKind
	required []string
}

// NewReader returns a Reader of r; name (usually the file name) prefixes errors.
func NewReader(r io.Reader, name string, opt ReadOptions) *Reader {
	return &Reader{name: name, br: bufio.NewReaderSize(r, 1<<16), prices: opt.Prices, known: columnKinds, required: RequiredColumns, quotesOnly: opt.QuotesOnly}
}

// Header reads the header row if needed and returns the column names.
func (r *Reader) Header() ([]string, error) {
	if !r.started {
		r.started = true
		if err := r.readHeader(); err != nil {
			r.header = nil
			return nil, err
		}
	}
	if r.header == nil {
		return nil, r.errf(1, 0, "", "", errors.New("no valid header"))
	}
	return r.header, nil
}

// Info describes the file: Databento CSV with the price format in use.
func (r *Reader) Info() SourceInfo { return SourceInfo{Format: "csv", Prices: r.prices} }

// PriceFormat returns the format in use: the forced one, or the detected one
// once a price has been read (PriceAuto before that).
func (r *Reader) PriceFormat() PriceFormat { return r.prices }

func (r *Reader) errf(line, col int, name, text string, err error) *ParseError {
	if len(text) > 80 {
		text = text[:77] + "..."
	}
	return &ParseError{File: r.name, Line: line, Column: col, Name: name, Text: text, Err: err}
}

// nextLine returns the next non-empty line without its line ending.
func (r *Reader) nextLine() ([]byte, error) {
	if r.blk != nil {
		return r.nextBlockLine()
	}
	for {
		b, err := r.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			r.long = append(r.long[:0], b...)
			for err == bufio.ErrBufferFull {
				if len(r.long) > MaxLine+2 { // longer than any line ending can explain
					return nil, r.errf(r.line+1, 1, "", "", ErrLineTooLong)
				}
				b, err = r.br.ReadSlice('\n')
				r.long = append(r.long, b...)
			}
			b = r.long
		}
		if err != nil && err != io.EOF {
			return nil, r.errf(r.line+1, 1, "", "", fmt.Errorf("reading: %w", err))
		}
		if len(b) == 0 && err == io.EOF {
			return nil, io.EOF
		}
		r.line++
		for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
			b = b[:len(b)-1]
		}
		if len(b) > MaxLine { // the line ending does not count
			return nil, r.errf(r.line, 1, "", "", ErrLineTooLong)
		}
		if len(b) > 0 {
			return b, nil
		}
		if err == io.EOF {
			return nil, io.EOF
		}
	}
}

func (r *Reader) readHeader() error {
	b, err := r.nextLine()
	if err == io.EOF {
		return r.errf(1, 1, "", "", errors.New("empty file: no header row"))
	}
	if err != nil {
		return err
	}
	b = bytes.TrimPrefix(b, []byte(utf8BOM))
	seen := map[string]int{}
	for col := 1; ; col++ {
		f, rest, _, ferr := r.field(b, col, "")
		if ferr != nil {
			return ferr
		}
		name := string(f)
		if prev, dup := seen[name]; dup {
			return r.errf(r.line, col, "", name, fmt.Errorf("duplicate column name (also column %d)", prev))
		}
		seen[name] = col
		r.header = append(r.header, name)
		k := r.known[name]
		if r.quotesOnly && (k == colTsRecv || k == colAction || k == colSide || k == colPrice || k == colSize) {
			k = colSkip
		}
		r.kinds = append(r.kinds, k)
		if rest == nil {
			break
		}
		b = rest
	}
	_, r.rtype = seen["rtype"]
	for _, req := range r.required {
		if _, ok := seen[req]; !ok {
			return r.errf(r.line, len(r.header)+1, req, "", fmt.Errorf("%w %q (header has %d columns)", ErrMissingColumn, req, len(r.header)))
		}
	}
	return nil
}

// field splits the first field off b. rest is nil when b held the last field.
// Quoted fields follow RFC 4180 (no line breaks inside quotes).
func (r *Reader) field(b []byte, col int, name string) (f, rest []byte, quoted bool, err error) {
	if len(b) == 0 || b[0] != '"' {
		for i, c := range b {
			if c == ',' {
				return b[:i], b[i+1:], false, nil
			}
		}
		return b, nil, false, nil
	}
	r.unq = r.unq[:0]
	i := 1
	for {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return nil, nil, true, r.errf(r.line, col, name, string(b), errors.New("unterminated quoted field"))
		}
		r.unq = append(r.unq, b[i:i+j]...)
		i += j + 1
		if i < len(b) && b[i] == '"' {
			r.unq = append(r.unq, '"')
			i++
			continue
		}
		break
	}
	if i == len(b) {
		return r.unq, nil, true, nil
	}
	if b[i] != ',' {
		return nil, nil, true, r.errf(r.line, col, name, string(b), errors.New("text after closing quote"))
	}
	return r.unq, b[i+1:], true, nil
}

// heldRow is a row read before the price format was decided, with the
// prices that are raw integers (rawPrice bits).
type heldRow struct {
	row Row
	raw uint8
}

// Bits of heldRow.raw and Reader.raw: which prices of a row are raw integers.
const (
	rawPrice uint8 = 1 << iota
	rawBid
	rawAsk
)

// newScanReader returns a Reader that parses only what a scan of the file
// needs: ts_event, publisher_id, instrument_id, the symbol (for the census
// of (id, symbol) pairs: taken from the end of the line when it is the last
// column and unchanged, else parsed) and the prices until their format is
// decided. The rest of each line is skipped unchecked; the full read of
// the same file checks it.
func newScanReader(rd io.Reader, name string, opt ReadOptions) *Reader {
	r := NewReader(rd, name, opt)
	r.scan = true
	return r
}

// scanLine parses a line in scan mode.
func (r *Reader) scanLine(line []byte) (Row, error) {
	if r.lastCol == 0 { // first line: locate the columns
		r.instCol, r.symCol = r.colOf(colInstrument), r.colOf(colSymbol)
		for _, k := range []colKind{colTsEvent, colPublisher, colInstrument} {
			r.lastCol = max(r.lastCol, r.colOf(k))
		}
	}
	r.raw = 0
	row := Row{Line: r.line}
	needPrices := r.prices == PriceAuto
	last := r.lastCol
	if needPrices {
		last = max(last, r.colOf(colPrice), r.colOf(colBidPx), r.colOf(colAskPx))
	}
	if r.instCol == 0 {
		last = max(last, r.symCol)
	}
	b := line
	for col := 1; col <= last; col++ {
		if b == nil {
			return Row{}, r.errf(r.line, col, r.header[col-1], "", fmt.Errorf("%w: row has %d fields, header has %d", ErrFieldCount, col-1, len(r.kinds)))
		}
		kind := r.kinds[col-1]
		keep := kind == colTsEvent || kind == colPublisher || kind == colInstrument ||
			(needPrices && (kind == colPrice || kind == colBidPx || kind == colAskPx)) ||
			(kind == colSymbol && r.instCol == 0)
		var f []byte
		var err error
		if !keep && (len(b) == 0 || b[0] != '"') {
			b = skipField(b)
			continue
		}
		f, b, _, err = r.field(b, col, r.header[col-1])
		if err != nil {
			return Row{}, err
		}
		if keep {
			if err := r.setField(&row, kind, f, col); err != nil {
				return Row{}, err
			}
		}
	}
	if r.instCol > 0 && r.symCol > 0 {
		if !r.sawInst || row.InstrumentID != r.lastInst || !r.sameSymbol(line) {
			b = line
			for col := 1; col <= r.symCol; col++ {
				if b == nil {
					return Row{}, r.errf(r.line, col, r.header[col-1], "", fmt.Errorf("%w: row has %d fields, header has %d", ErrFieldCount, col-1, len(r.kinds)))
				}
				f, rest, _, err := r.field(b, col, r.header[col-1])
				if err != nil {
					return Row{}, err
				}
				if col == r.symCol {
					r.setField(&row, colSymbol, f, col)
				}
				b = rest
			}
			r.lastInst, r.sawInst = row.InstrumentID, true
		}
		row.Symbol = r.symbol
	}
	return row, nil
}

// sameSymbol reports, cheaply, whether a line's symbol is the last one
// read: the symbol is the last column (as in Databento's CSV), unquoted,
// and the text after the line's last comma is that symbol. Otherwise the
// caller parses the line up to its symbol.
func (r *Reader) sameSymbol(line []byte) bool {
	if r.symCol != len(r.kinds) {
		return false
	}
	f := line[bytes.LastIndexByte(line, ',')+1:]
	return (len(f) == 0 || f[0] != '"') && string(f) == r.symbol
}

// Read returns the next row, or io.EOF after the last one.
func (r *Reader) Read() (Row, error) {
	if r.out < len(r.held) && r.prices != PriceAuto {
		row := r.held[r.out].row
		r.out++
		if r.out == len(r.held) {
			r.held, r.out = r.held[:0], 0
		}
		return row, nil
	}
	for {
		row, err := r.readRow()
		if err == io.EOF && len(r.held) > 0 {
			return Row{}, r.firstAmb // holding starts at an ambiguous price
		}
		if err != nil {
			return Row{}, err
		}
		if len(r.held) == 0 && r.raw == 0 {
			return row, nil // nothing ambiguous before or in this row
		}
		if r.prices == PriceAuto && r.firstAmb == nil {
			r.firstAmb = r.ambiguity(row)
		}
		r.held = append(r.held, heldRow{row, r.raw})
		if r.prices != PriceAuto { // this row decided
			r.settle()
			return r.Read()
		}
		if len(r.held) > MaxPriceLookahead {
			return Row{}, r.firstAmb
		}
	}
}

// ambiguity is the error for an undecided file, at the first ambiguous
// price (in row, whose raw bits are r.raw).
func (r *Reader) ambiguity(row Row) *ParseError {
	col, px := r.colOf(colAskPx), row.AskPx
	switch {
	case r.raw&rawPrice != 0:
		col, px = r.colOf(colPrice), row.Price
	case r.raw&rawBid != 0:
		col, px = r.colOf(colBidPx), row.BidPx
	}
	return r.errf(row.Line, col, r.header[col-1], strconv.FormatInt(int64(px), 10), unknownPrices{fmt.Sprintf(
		"no price with a decimal point, none of 1e9 or more in the first %d rows, and not Databento's raw layout (rtype column, integer ts_event): integer price %d is $%v in fixed point, $%d in dollars; set the format (-prices fixed or -prices decimal)",
		MaxPriceLookahead, px, px, px)})
}

// colOf is the 1-based column of a kind (0 if absent).
func (r *Reader) colOf(k colKind) int {
	for i, x := range r.kinds {
		if x == k {
			return i + 1
		}
	}
	return 0
}

// settle converts the held rows' raw integer prices once the format is
// decided: integers below 1e9 are whole dollars in a decimal file and
// nano-dollars in a fixed-point one.
func (r *Reader) settle() {
	if r.prices == PriceDecimal {
		for i := range r.held {
			h := &r.held[i]
			if h.raw&rawPrice != 0 {
				h.row.Price *= Dollar
			}
			if h.raw&rawBid != 0 {
				h.row.BidPx *= Dollar
			}
			if h.raw&rawAsk != 0 {
				h.row.AskPx *= Dollar
			}
		}
	}
	r.firstAmb = nil
}

// readRow parses the next line.
func (r *Reader) readRow() (Row, error) {
	var row Row
	err := r.readRowInto(&row)
	return row, err
}

// readRowInto parses the next line into *row (which it resets), saving the
// copies of a Row returned by value on the hot path.
func (r *Reader) readRowInto(row *Row) error {
	if _, err := r.Header(); err != nil {
		return err
	}
	b, err := r.nextLine()
	if err != nil {
		return err
	}
	if r.scan {
		*row, err = r.scanLine(b)
		r.layoutDecides()
		return err
	}
	r.raw = 0
	*row = Row{Line: r.line}
	n := len(r.kinds)
	for col := 1; col <= n; col++ {
		if b == nil {
			return r.errf(r.line, col, r.header[col-1], "", fmt.Errorf("%w: row has %d fields, header has %d", ErrFieldCount, col-1, n))
		}
		kind := r.kinds[col-1]
		var f []byte
		if kind == colSkip && (len(b) == 0 || b[0] != '"') {
			b = skipField(b)
			continue
		}
		f, b, _, err = r.field(b, col, r.header[col-1])
		if err != nil {
			return err
		}
		if err := r.setField(row, kind, f, col); err != nil {
			return err
		}
	}
	if b != nil {
		return r.errf(r.line, n+1, "", "", fmt.Errorf("%w: row has more fields than the header's %d", ErrFieldCount, n))
	}
	r.layoutDecides()
	return nil
}

// layoutDecides settles an integer price of a row in Databento's raw CSV
// layout as fixed point: Databento writes prices either as 1e-9 units or,
// with pretty_px, with a decimal point, never as whole dollars.
func (r *Reader) layoutDecides() {
	if r.prices == PriceAuto && r.rawLayout && r.raw != 0 {
		r.decide(PriceFixed)
	}
}

// skipField returns what follows the first field of b (nil when it is the
// last). Fields are short: a plain loop beats a vectorised search here.
func skipField(b []byte) []byte {
	for i, c := range b {
		if c == ',' {
			return b[i+1:]
		}
	}
	return nil
}

func (r *Reader) setField(row *Row, kind colKind, f []byte, col int) error {
	var err error
	switch kind {
	case colTsRecv:
		row.TsRecv, err = r.times.parse(f)
	case colTsEvent:
		row.TsEvent, err = r.times.parse(f)
		if r.prices == PriceAuto && r.rtype && err == nil && f[0] != '-' && bytes.IndexFunc(f, notDigit) < 0 {
			r.rawLayout = true
		}
	case colPublisher:
		var v int64
		v, err = parseCount(f, math.MaxUint16)
		row.PublisherID = int(v)
	case colInstrument:
		var v int64
		v, err = parseCount(f, math.MaxUint32)
		row.InstrumentID = uint32(v)
	case colAction, colSide:
		var c byte
		switch len(f) {
		case 0:
		case 1:
			c = f[0]
		default:
			err = errors.New("want a single character")
		}
		if kind == colAction {
			row.Action = c
		} else {
			row.Side = c
		}
	case colPrice:
		row.Price, err = r.parsePrice(f, rawPrice)
	case colBidPx:
		row.BidPx, err = r.parsePrice(f, rawBid)
	case colAskPx:
		row.AskPx, err = r.parsePrice(f, rawAsk)
	case colSize:
		row.Size, err = parseCount(f, MaxSize)
	case colBidSz:
		row.BidSz, err = parseCount(f, MaxSize)
	case colAskSz:
		row.AskSz, err = parseCount(f, MaxSize)
	case colSymbol:
		if string(f) != r.symbol {
			r.symbol = string(f)
		}
		row.Symbol = r.symbol
	}
	if err != nil {
		return r.errf(r.line, col, r.header[col-1], string(f), err)
	}
	return nil
}

// parseCount parses a non-negative integer no larger than max.
func parseCount(f []byte, max uint64) (int64, error) {
	if len(f) == 0 {
		return 0, fmt.Errorf("%w: empty", ErrNumber)
	}
	if f[0] == '-' {
		return 0, ErrNegative
	}
	var v uint64
	for _, c := range f {
		d := c - '0'
		if d > 9 {
			return 0, ErrNumber
		}
		if v > (max-uint64(d))/10 {
			return 0, fmt.Errorf("%w: larger than %d", ErrNumber, max)
		}
		v = v*10 + uint64(d)
	}
	return int64(v), nil
}

var undefText = []byte(strconv.FormatInt(undefPrice, 10))

// parsePrice parses one price field; bit says which price it is, for a raw
// integer kept while the format is undecided.
func (r *Reader) parsePrice(f []byte, bit uint8) (Money, error) {
	if len(f) == 0 || bytes.Equal(f, undefText) {
		return NoPrice, nil
	}
	if f[0] == '-' {
		return 0, ErrNegative
	}
	var v Money
	if bytes.IndexByte(f, '.') >= 0 {
		if r.prices == PriceFixed {
			return 0, fmt.Errorf("%w: decimal price in a fixed-point file", ErrPriceFormat)
		}
		if r.prices == PriceAuto {
			r.decide(PriceDecimal)
		}
		m, err := parseDecimal(f)
		if err != nil {
			return 0, fmt.Errorf("%w: %w", ErrNumber, err)
		}
		v = m
	} else {
		n, err := parseCount(f, math.MaxInt64)
		if err != nil {
			return 0, err
		}
		if r.prices == PriceAuto && n >= int64(Dollar) {
			r.decide(PriceFixed)
		}
		switch {
		case r.prices == PriceAuto:
			r.raw |= bit // whole dollars or nano-dollars: decided later
			v = Money(n)
		case r.prices == PriceFixed:
			v = Money(n)
		case n >= int64(Dollar) && r.detected:
			return 0, fmt.Errorf("%w: integer price of 1e9 or more in a decimal-price file (force fixed-point prices if the file is fixed-point)", ErrPriceFormat)
		case n > math.MaxInt64/int64(Dollar):
			return 0, fmt.Errorf("%w: out of range", ErrNumber)
		default:
			v = Money(n) * Dollar
		}
	}
	if v <= 0 {
		return 0, ErrNotPositive
	}
	return v, nil
}

func notDigit(c rune) bool { return c < '0' || c > '9' }

// decide fixes the price format from the data. Raw integers read before
// (held rows, and the current row's r.raw) are converted by settle.
func (r *Reader) decide(f PriceFormat) { r.prices, r.detected = f, true }

// timeCache remembers the last date parsed: the timestamps of a file share
// it, and the time of day is then all that is left to read.
type timeCache struct {
	date [10]byte // "YYYY-MM-DD"
	ns   int64    // its midnight, nanoseconds since the epoch
	ok   bool
}

// parse is parseTimestamp, faster for "YYYY-MM-DDTHH:MM:SS[.fffffffff]Z" on
// a date seen last time.
func (c *timeCache) parse(f []byte) (int64, error) {
	if n := len(f); c.ok && n >= 20 && n <= 30 && f[n-1] == 'Z' && f[10] == 'T' && f[13] == ':' && f[16] == ':' &&
		string(f[:10]) == string(c.date[:]) {
		if ns, ok := timeOfDay(f[11 : n-1]); ok {
			return c.ns + ns, nil
		}
	}
	ns, err := parseTimestamp(f)
	if err == nil && len(f) >= 20 && f[len(f)-1] == 'Z' && f[10] == 'T' {
		if tod, ok := timeOfDay(f[11 : len(f)-1]); ok {
			copy(c.date[:], f[:10])
			c.ns, c.ok = ns-tod, true
		}
	}
	return ns, err
}

// timeOfDay reads "HH:MM:SS[.fffffffff]" as nanoseconds since midnight.
func timeOfDay(f []byte) (int64, bool) {
	if len(f) < 8 || f[2] != ':' || f[5] != ':' {
		return 0, false
	}
	d := func(c byte) int64 { return int64(c) - '0' }
	for _, i := range [6]int{0, 1, 3, 4, 6, 7} {
		if f[i] < '0' || f[i] > '9' {
			return 0, false
		}
	}
	h, m, s := d(f[0])*10+d(f[1]), d(f[3])*10+d(f[4]), d(f[6])*10+d(f[7])
	if h > 23 || m > 59 || s > 59 {
		return 0, false
	}
	var frac int64
	if rest := f[8:]; len(rest) > 0 {
		if rest[0] != '.' || len(rest) < 2 || len(rest) > 10 {
			return 0, false
		}
		digits := rest[1:]
		if len(digits) >= 8 { // Databento's nine digits: eight at once
			v, ok := eightDigits(digits)
			if !ok {
				return 0, false
			}
			frac, digits = int64(v), digits[8:]
		}
		for _, c := range digits {
			if c < '0' || c > '9' {
				return 0, false
			}
			frac = frac*10 + d(c)
		}
		for i := len(rest) - 1; i < 9; i++ {
			frac *= 10
		}
	}
	return ((h*60+m)*60+s)*1e9 + frac, true
}

// eightDigits reads eight ASCII digits at once (SWAR: the digits of a
// little-endian word combined pairwise, then by fours, then by eights).
func eightDigits(b []byte) (uint64, bool) {
	x := binary.LittleEndian.Uint64(b)
	// Every byte must be '0'..'9': subtracting '0' leaves 0..9, and adding
	// 6 to a digit leaves its high nibble 0.
	y := x - 0x3030303030303030
	if x&0xf0f0f0f0f0f0f0f0 != 0x3030303030303030 || (y+0x0606060606060606)&0xf0f0f0f0f0f0f0f0 != 0 {
		return 0, false
	}
	y = (y * 10) + (y >> 8)
	y = (((y & 0x000000ff000000ff) * (100 + (1000000 << 32))) + (((y >> 16) & 0x000000ff000000ff) * (1 + (10000 << 32)))) >> 32
	return y, true
}

// parseTimestamp reads RFC 3339 with up to 9 fractional digits, or an integer
// count of nanoseconds since the Unix epoch.
func parseTimestamp(f []byte) (int64, error) {
	if len(f) == 0 {
		return 0, fmt.Errorf("%w: empty", ErrTimestamp)
	}
	if len(f) < 20 || f[4] != '-' {
		if f[0] == '-' {
			return 0, fmt.Errorf("%w: before 1970", ErrTimestamp)
		}
		n, err := parseCount(f, math.MaxInt64)
		if err != nil {
			return 0, fmt.Errorf("%w: not RFC 3339 nor integer nanoseconds", ErrTimestamp)
		}
		return n, nil
	}
	if ns, ok := parseRFC3339Z(f); ok {
		return ns, nil
	}
	// Offsets other than Z and lower-case t and z (RFC 3339 allows both):
	// let the standard library decide, then hold it to the same limits.
	text := bytes.ToUpper(f)
	t, err := time.Parse(time.RFC3339Nano, string(text))
	if err != nil {
		return 0, fmt.Errorf("%w: not RFC 3339", ErrTimestamp)
	}
	// time.Parse also takes a comma before the fraction and any number of
	// fractional digits: RFC 3339 wants a point, and Money-like exactness
	// wants at most nine.
	if text[19] != '.' && text[19] != 'Z' && text[19] != '+' && text[19] != '-' {
		return 0, fmt.Errorf("%w: not RFC 3339", ErrTimestamp)
	}
	if text[19] == '.' {
		end := 20
		for end < len(text) && text[end] >= '0' && text[end] <= '9' {
			end++
		}
		if end-20 > 9 {
			return 0, fmt.Errorf("%w: more than 9 fractional digits", ErrTimestamp)
		}
	}
	if off := text[len(text)-6:]; (off[0] == '+' || off[0] == '-') && (off[1] > '2' || off[1] == '2' && off[2] > '3') {
		return 0, fmt.Errorf("%w: offset hour above 23", ErrTimestamp)
	}
	if y := t.UTC().Year(); y < 1970 || y > 2261 {
		return 0, fmt.Errorf("%w: year outside 1970-2261", ErrTimestamp)
	}
	return t.UnixNano(), nil
}

// parseRFC3339Z is the fast path for "YYYY-MM-DDTHH:MM:SS[.fffffffff]Z",
// which is how Databento writes every timestamp.
func parseRFC3339Z(f []byte) (int64, bool) {
	if f[len(f)-1] != 'Z' || f[7] != '-' || f[10] != 'T' || f[13] != ':' || f[16] != ':' {
		return 0, false
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range f[i : i+n] {
			d := int(c) - '0'
			if d < 0 || d > 9 {
				return -1
			}
			v = v*10 + d
		}
		return v
	}
	year, month, day := num(0, 4), num(5, 2), num(8, 2)
	hour, minute, sec := num(11, 2), num(14, 2), num(17, 2)
	if year < 1970 || year > 2261 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) ||
		hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return 0, false
	}
	var frac int64
	rest := f[19 : len(f)-1]
	if len(rest) > 0 {
		if rest[0] != '.' || len(rest) < 2 || len(rest) > 10 {
			return 0, false
		}
		for _, c := range rest[1:] {
			d := int64(c) - '0'
			if d < 0 || d > 9 {
				return 0, false
			}
			frac = frac*10 + d
		}
		for i := len(rest) - 1; i < 9; i++ {
			frac *= 10
		}
	}
	days := daysFromCivil(year, month, day)
	return ((days*24+int64(hour))*60+int64(minute))*60*1e9 + int64(sec)*1e9 + frac, true
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil counts days from 1970-01-01 to the given proleptic Gregorian
// date (H. Hinnant's algorithm, for years >= 0).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era*146097 + doe - 719468)
}

// ReadAll reads the remaining rows.
func (r *Reader) ReadAll() ([]Row, error) { return readAll(r.Read) }

// nextBlockLine is nextLine in block mode: lines come from r.blk, which
// holds whole lines (the last may lack its line break at the end of the
// file).
func (r *Reader) nextBlockLine() ([]byte, error) {
	for len(r.blk) > 0 {
		var b []byte
		if i := bytes.IndexByte(r.blk, '\n'); i >= 0 {
			b, r.blk = r.blk[:i], r.blk[i+1:]
		} else {
			b, r.blk = r.blk, r.blk[len(r.blk):]
			if r.cut {
				return nil, r.errf(r.line+1, 1, "", "", ErrLineTooLong)
			}
		}
		r.line++
		for len(b) > 0 && b[len(b)-1] == '\r' {
			b = b[:len(b)-1]
		}
		if len(b) > MaxLine {
			return nil, r.errf(r.line, 1, "", "", ErrLineTooLong)
		} else if len(b) > 0 {
			return b, nil
		}
	}
	return nil, io.EOF
}

// blockBytes is the size of the blocks readBlocks parses at once. Every
// block in flight (parsing, queued, waiting for its turn) holds its bytes
// and its rows, and a short run spends much of its time faulting in that
// memory for the first time: 256 KiB blocks took a 68 MB file from 0.31 s
// to 0.21 s and its peak memory from 35 to 22 MB against 1 MiB, and were a
// little faster on 1 GB files too (128 KiB no better; see the README's
// performance section).
const blockBytes = 256 << 10

// block is one block of whole lines, and what a worker made of it.
type block struct {
	seq   int
	data  []byte
	cut   bool // the last line does not end in the block: longer than a block
	rows  []Row
	lines int // lines in data
	err   error
	done  chan struct{}
}

// readBlocks reads the remaining rows on up to workers goroutines, which
// parse blocks of whole lines in parallel, and calls fn with each block's
// rows in file order, with the same rows, line numbers and first error as
// Read (the price format must be decided: forced, or by the scan). fn's
// slices are its own, unless reuse is set: then they are valid only during
// the call, and recycled. It stops at fn's first error and returns it.
func (r *Reader) readBlocks(workers int, reuse bool, fn func(rows []Row) error) error {
	return r.readBlocksOf(blockBytes, workers, reuse, fn)
}

// Recycled memory of readBlocks: line blocks (always: no row points into
// them) and row slices (when the caller does not keep them).
var (
	blockPool sync.Pool // *[]byte
	rowsPool  sync.Pool // *[]Row
)

// readBlocksOf is readBlocks with blocks of size bytes (tests cut files into
// many small blocks).
func (r *Reader) readBlocksOf(size, workers int, reuse bool, fn func(rows []Row) error) error {
	if _, err := r.Header(); err != nil {
		return err
	}
	if r.prices == PriceAuto || len(r.held) > 0 {
		return errors.New("sor: readBlocks needs a decided price format")
	}
	workers = max(1, workers)
	todo := make(chan *block, workers)
	order := make(chan *block, 2*workers)
	stop := make(chan struct{})
	readerDone := make(chan struct{})
	// On an early return (fn's error, a parse error) the reader goroutine
	// must be gone before the caller closes what it reads: a decompressor
	// read after its Close panics.
	defer func() { close(stop); <-readerDone }()
	for range workers {
		go func() {
			// The rows of a block are guessed from the worker's last block
			// (lines of a file are much alike), not counted: counting the
			// line breaks would read every block once more. A short guess
			// only costs the slice's growth.
			var lastRows, lastBytes int
			for b := range todo {
				w := &Reader{name: r.name, prices: r.prices, detected: r.detected, header: r.header, kinds: r.kinds,
					scan: r.scan, blk: b.data, cut: b.cut, started: true}
				n := chunkRows
				if lastBytes > 0 {
					n = lastRows*len(b.data)/lastBytes + 64
				}
				// Recycled slices: those this function hands back (reuse),
				// and chunks a Source's players are done with.
				if p, ok := rowsPool.Get().(*[]Row); ok && cap(*p) >= n {
					b.rows = (*p)[:0]
				} else {
					b.rows = make([]Row, 0, max(n, chunkRows))
				}
				for {
					b.rows = append(b.rows, Row{})
					if err := w.readRowInto(&b.rows[len(b.rows)-1]); err != nil {
						b.rows = b.rows[:len(b.rows)-1]
						if err != io.EOF {
							b.err = err
						}
						break
					}
				}
				b.lines = w.line
				lastRows, lastBytes = len(b.rows), len(b.data)
				b.data = b.data[:0]
				blockPool.Put(&b.data)
				close(b.done)
			}
		}()
	}
	// The reader: blocks of whole lines, in order.
	readErr := make(chan error, 1)
	go func() {
		defer close(readerDone)
		defer close(todo)
		defer close(order)
		var carry []byte
		for seq := 0; ; seq++ {
			// A block is size bytes more than the carried start of a line,
			// grown until a line ends in it (or the line is too long).
			var buf []byte
			if p, ok := blockPool.Get().(*[]byte); ok && cap(*p) >= len(carry)+size {
				buf = append((*p)[:0], carry...)
			} else {
				buf = append(make([]byte, 0, len(carry)+size), carry...)
			}
			var eof, cut bool
			for {
				buf = slices.Grow(buf, size)
				n, err := io.ReadFull(r.br, buf[len(buf):len(buf)+size])
				start := len(buf)
				buf = buf[:len(buf)+n]
				eof = err == io.EOF || err == io.ErrUnexpectedEOF
				if err != nil && !eof {
					readErr <- r.errf(r.line+1, 1, "", "", fmt.Errorf("reading: %w", err))
					return
				}
				if eof || bytes.IndexByte(buf[start:], '\n') >= 0 {
					break
				}
				if len(buf) > MaxLine+2 { // the worker reports the line as too long
					cut = true
					break
				}
			}
			carry = nil
			if !eof && !cut {
				i := bytes.LastIndexByte(buf, '\n')
				carry, buf = append([]byte(nil), buf[i+1:]...), buf[:i+1]
			}
			eof = eof || cut
			if len(buf) > 0 {
				b := &block{seq: seq, data: buf, cut: cut, done: make(chan struct{})}
				select {
				case order <- b:
				case <-stop:
					return
				}
				select {
				case todo <- b:
				case <-stop:
					return
				}
			}
			if eof {
				readErr <- nil
				return
			}
		}
	}()
	base := r.line
	for b := range order {
		<-b.done
		for i := range b.rows {
			b.rows[i].Line += base
		}
		if len(b.rows) > 0 {
			if err := fn(b.rows); err != nil {
				return err
			}
		}
		if reuse {
			clear(b.rows) // the symbols
			rows := b.rows[:0]
			rowsPool.Put(&rows)
		}
		if b.err != nil {
			var pe *ParseError
			if errors.As(b.err, &pe) {
				pe.Line += base
			}
			return b.err
		}
		base += b.lines
	}
	r.line = base
	return <-readErr
}
