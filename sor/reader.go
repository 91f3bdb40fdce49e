package sor

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
)

// PriceFormat says how the price columns of a file are written.
type PriceFormat int

const (
	// PriceAuto decides per file from the first price seen: text with a
	// decimal point, or an integer below 1e9, is dollars; an integer of 1e9
	// or more is Databento fixed point (units of 1e-9 dollars).
	PriceAuto PriceFormat = iota
	// PriceDecimal forces decimal dollars ("222.83").
	PriceDecimal
	// PriceFixed forces fixed-point integers ("222830000000").
	PriceFixed
)

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
)

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
	prices   PriceFormat // PriceAuto until the first price decides
	detected bool        // prices was decided by the data, not forced

	header  []string
	kinds   []colKind
	line    int
	long    []byte // a line longer than the bufio buffer
	unq     []byte // scratch for unquoting
	symbol  string // last symbol, reused while it repeats
	started bool
}

// NewReader returns a Reader of r; name (usually the file name) prefixes errors.
func NewReader(r io.Reader, name string, opt ReadOptions) *Reader {
	return &Reader{name: name, br: bufio.NewReaderSize(r, 1<<16), prices: opt.Prices}
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
	for {
		b, err := r.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			r.long = append(r.long[:0], b...)
			for err == bufio.ErrBufferFull {
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
		b = bytes.TrimRight(b, "\r\n")
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
		r.kinds = append(r.kinds, columnKinds[name])
		if rest == nil {
			break
		}
		b = rest
	}
	for _, req := range RequiredColumns {
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
		i := bytes.IndexByte(b, ',')
		if i < 0 {
			return b, nil, false, nil
		}
		return b[:i], b[i+1:], false, nil
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

// Read returns the next row, or io.EOF after the last one.
func (r *Reader) Read() (Row, error) {
	if _, err := r.Header(); err != nil {
		return Row{}, err
	}
	b, err := r.nextLine()
	if err != nil {
		return Row{}, err
	}
	row := Row{Line: r.line}
	n := len(r.kinds)
	for col := 1; col <= n; col++ {
		if b == nil {
			return Row{}, r.errf(r.line, col, r.header[col-1], "", fmt.Errorf("%w: row has %d fields, header has %d", ErrFieldCount, col-1, n))
		}
		kind := r.kinds[col-1]
		var f []byte
		if kind == colSkip && (len(b) == 0 || b[0] != '"') {
			if i := bytes.IndexByte(b, ','); i >= 0 {
				b = b[i+1:]
			} else {
				b = nil
			}
			continue
		}
		f, b, _, err = r.field(b, col, r.header[col-1])
		if err != nil {
			return Row{}, err
		}
		if err := r.setField(&row, kind, f, col); err != nil {
			return Row{}, err
		}
	}
	if b != nil {
		return Row{}, r.errf(r.line, n+1, "", "", fmt.Errorf("%w: row has more fields than the header's %d", ErrFieldCount, n))
	}
	return row, nil
}

func (r *Reader) setField(row *Row, kind colKind, f []byte, col int) error {
	var err error
	switch kind {
	case colTsRecv:
		row.TsRecv, err = parseTimestamp(f)
	case colTsEvent:
		row.TsEvent, err = parseTimestamp(f)
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
		row.Price, err = r.parsePrice(f)
	case colBidPx:
		row.BidPx, err = r.parsePrice(f)
	case colAskPx:
		row.AskPx, err = r.parsePrice(f)
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

func (r *Reader) parsePrice(f []byte) (Money, error) {
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
			r.prices, r.detected = PriceDecimal, true
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
		if r.prices == PriceAuto {
			r.detected = true
			r.prices = PriceDecimal
			if n >= int64(Dollar) {
				r.prices = PriceFixed
			}
		}
		switch {
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
func (r *Reader) ReadAll() ([]Row, error) {
	var rows []Row
	for {
		row, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
}
