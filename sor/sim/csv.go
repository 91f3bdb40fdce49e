package sim

import (
	"io"
	"strconv"
	"time"
)

// Header is the first line of an MBP-1 CSV file as Databento writes it
// (without the newline).
const Header = "ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,depth,price,size,flags,ts_in_delta,sequence,bid_px_00,ask_px_00,bid_sz_00,ask_sz_00,bid_ct_00,ask_ct_00,symbol"

// RTypeMBP1 is Databento's record type of an MBP-1 message.
const RTypeMBP1 = 1

// Writer formats rows as Databento MBP-1 CSV with pretty timestamps
// (RFC 3339, nanoseconds, UTC) and pretty prices (dollars with two
// decimals). It buffers; call Flush at the end. The header is written before
// the first row, or by Flush if there was none.
type Writer struct{ csvOut }

// NewWriter returns a Writer of rows for symbol and instrumentID to w.
func NewWriter(w io.Writer, symbol string, instrumentID uint32) *Writer {
	return &Writer{newCSVOut(w, Header, symbol, instrumentID)}
}

// Write appends one row.
func (w *Writer) Write(r *Row) error {
	if w.begin() {
		w.buf = w.appendRow(w.buf, r)
	}
	return w.end()
}

// Flush writes out what is buffered (and the header if no row was written).
func (w *Writer) Flush() error { return w.flush() }

// csvOut is what the MBP-1 and MBO writers share: the buffer, the header,
// the instrument and symbol columns and the timestamp format.
type csvOut struct {
	w      io.Writer
	buf    []byte
	inst   []byte // ",<instrument_id>,"
	tail   []byte // ",<symbol>\n"
	header string
	wrote  bool // the header is in buf or written
	err    error

	day    int64  // day number of dayPre
	dayPre []byte // "2024-08-01T"
}

func newCSVOut(w io.Writer, header, symbol string, instrumentID uint32) csvOut {
	c := csvOut{w: w, buf: make([]byte, 0, 64<<10), header: header, day: -1 << 62}
	c.inst = strconv.AppendUint(append([]byte(nil), ','), uint64(instrumentID), 10)
	c.inst = append(c.inst, ',')
	c.tail = append(append([]byte{','}, symbol...), '\n')
	return c
}

// begin prepares for a line: false after an error. The header goes first.
func (c *csvOut) begin() bool {
	if c.err != nil {
		return false
	}
	if !c.wrote {
		c.wrote = true
		c.buf = append(c.buf, c.header...)
		c.buf = append(c.buf, '\n')
	}
	return true
}

// end writes the buffer out once it is nearly full.
func (c *csvOut) end() error {
	if c.err == nil && len(c.buf) >= 60<<10 {
		c.flushBuf()
	}
	return c.err
}

func (c *csvOut) flush() error {
	if c.begin() {
		c.flushBuf()
	}
	return c.err
}

func (c *csvOut) flushBuf() {
	if len(c.buf) == 0 {
		return
	}
	_, c.err = c.w.Write(c.buf)
	c.buf = c.buf[:0]
}

func (w *Writer) appendRow(b []byte, r *Row) []byte {
	b = w.appendTime(b, r.TsRecv)
	b = append(b, ',')
	b = w.appendTime(b, r.TsEvent)
	b = append(b, ",1,"...) // rtype
	b = strconv.AppendUint(b, uint64(r.Publisher), 10)
	b = append(b, w.inst...)
	b = append(b, r.Action, ',', r.Side, ',', '0', ',') // depth 0
	b = appendPrice(b, r.Price)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Size), 10)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(r.Flags), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.TsInDelta), 10)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(r.Sequence), 10)
	b = append(b, ',')
	b = appendPrice(b, r.BidPx)
	b = append(b, ',')
	b = appendPrice(b, r.AskPx)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.BidSz), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.AskSz), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.BidCt), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.AskCt), 10)
	return append(b, w.tail...)
}

// appendPrice writes a price in cents as dollars with two decimals, or
// nothing for UndefPrice.
func appendPrice(b []byte, cents int64) []byte {
	if cents == UndefPrice {
		return b
	}
	if cents < 0 {
		b = append(b, '-')
		cents = -cents
	}
	b = strconv.AppendInt(b, cents/100, 10)
	c := cents % 100
	return append(b, '.', byte('0'+c/10), byte('0'+c%10))
}

// appendTime writes ns (since the Unix epoch, >= 0) as
// 2006-01-02T15:04:05.999999999Z with all nine fractional digits. The date
// is formatted once per day; the rest is integer arithmetic.
func (w *csvOut) appendTime(b []byte, ns int64) []byte {
	sec, frac := ns/1e9, ns%1e9
	day := sec / 86400
	if day != w.day {
		w.day = day
		w.dayPre = time.Unix(day*86400, 0).UTC().AppendFormat(w.dayPre[:0], "2006-01-02T")
	}
	sod := sec - day*86400
	h, m, s := sod/3600, sod/60%60, sod%60
	b = append(b, w.dayPre...)
	b = append(b, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+m/10), byte('0'+m%10), ':', byte('0'+s/10), byte('0'+s%10), '.')
	var d [9]byte
	for i := 8; i >= 0; i-- {
		d[i] = byte('0' + frac%10)
		frac /= 10
	}
	b = append(b, d[:]...)
	return append(b, 'Z')
}
