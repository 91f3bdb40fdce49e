package sor

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// SortMode says how a FileSource puts a file's rows in ts_event order.
type SortMode int

const (
	// SortAuto holds the fewest rows that the scan shows are enough to
	// reorder the file exactly (none for a sorted file), and sorts
	// externally, in temporary files, when more than MaxReorder would be.
	SortAuto SortMode = iota
	// SortBuffer never sorts externally: a file that needs more than
	// MaxReorder rows held is refused, naming the first row out of reach.
	SortBuffer
	// SortExternal always sorts in temporary files.
	SortExternal
)

// DefaultMaxReorder is the default bound on the rows a reorder buffer
// holds: Databento files are in ts_recv order, where ts_event is out of
// order by a handful of rows.
const DefaultMaxReorder = 1 << 16

// SourceOptions says how to read a data file.
type SourceOptions struct {
	Read   ReadOptions
	Window Window
	// A file holding several instruments must be narrowed to one, by
	// InstrumentID (with ByID) or by Symbol, or both (the rows with that id
	// and that symbol); a file with one needs neither. A symbol may cover
	// several ids (one per publisher's dataset, or a renumbering); an id
	// under several symbols must be narrowed by Symbol too.
	InstrumentID uint32
	ByID         bool
	Symbol       string
	Sort         SortMode
	MaxReorder   int    // rows a reorder buffer may hold; 0 means DefaultMaxReorder
	TempDir      string // for an external sort; "" means os.TempDir()
	// Progress, when set, is told how far each pass over the file has got:
	// pass is "scan" or "play", done and total are bytes of the file as
	// stored (total 0 when unknown). It is called from the reading
	// goroutine, every few MB and at the end of each pass.
	Progress func(pass string, done, total int64)
}

// Instrument is one instrument found in a file: one pair of instrument_id
// and symbol, as the file's rows give them.
type Instrument struct {
	ID     uint32 // instrument_id; 0 when the file has none (HasID false)
	HasID  bool   // the file gives instrument ids: DBN, or CSV with an instrument_id column
	Symbol string // "" when the file does not say
	Rows   int64  // rows in the window
}

// KnownID is the instrument's id when it has one: the file gives ids
// (HasID), or an id was set some other way (not 0); nil otherwise, which
// the reports write as null.
func (in Instrument) KnownID() *uint32 {
	if !in.HasID && in.ID == 0 {
		return nil
	}
	id := in.ID
	return &id
}

// String is the instrument as listed in errors: "38 AAPL (24 rows)", the id
// left out when the file has none and the symbol when it does not say.
func (in Instrument) String() string {
	var b strings.Builder
	if in.HasID || in.ID != 0 || in.Symbol == "" {
		b.WriteString(strconv.FormatUint(uint64(in.ID), 10))
	}
	if in.Symbol != "" {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(in.Symbol)
	}
	fmt.Fprintf(&b, " (%s)", plural(in.Rows, "row"))
	return b.String()
}

// plural is "1 row", "2 rows".
func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.FormatInt(n, 10) + " " + noun + "s"
}

// ErrInstruments is wrapped by the error of a file that holds several
// instruments when none was chosen, or none of the one chosen.
var ErrInstruments = errors.New("instruments")

// InstrumentsError is a file whose instruments do not settle the one to
// trade: several (more than one instrument_id, or more than one symbol)
// and none chosen, none of the one chosen, or a chosen id that appears
// under several symbols. It wraps ErrInstruments. Its message names the
// options of SourceOptions; a command line words it with its own flags
// (Explain).
type InstrumentsError struct {
	File   string
	Found  []Instrument // every instrument of the file in the window, as Instruments lists them
	Chosen string       // what was chosen: "AAPL", "instrument 38"; "" when nothing was
	Picked []Instrument // the instruments of the choice: none, or one id under several symbols
	Window bool         // a window was given: the rows are the window's
}

func (e *InstrumentsError) Error() string {
	return e.Explain("SourceOptions.Symbol", "SourceOptions.InstrumentID (with ByID)")
}

func (e *InstrumentsError) Unwrap() error { return ErrInstruments }

// Explain is the error's message with bySymbol and byID for the two ways
// of choosing an instrument (the command lines say "-symbol" and
// "-instrument").
func (e *InstrumentsError) Explain(bySymbol, byID string) string {
	where := "in the file"
	if e.Window {
		where = "in the window"
	}
	switch {
	case e.Chosen != "" && len(e.Picked) > 0:
		list, _, syms := listInstruments(e.Picked)
		return fmt.Sprintf("%s: %v: %s has %d symbols %s: %s; pick one with %s", e.File, ErrInstruments, e.Chosen, syms, where, list, bySymbol)
	case e.Chosen != "" && len(e.Found) == 0:
		return fmt.Sprintf("%s: %v: no rows of %s %s (it holds no rows)", e.File, ErrInstruments, e.Chosen, where)
	case e.Chosen != "":
		list, _, _ := listInstruments(e.Found)
		return fmt.Sprintf("%s: %v: no rows of %s %s; the file holds %s", e.File, ErrInstruments, e.Chosen, where, list)
	}
	list, ids, syms := listInstruments(e.Found)
	what := fmt.Sprintf("%d instruments", len(e.Found))
	hasID := len(e.Found) > 0 && e.Found[0].HasID
	if hasID && (ids != len(e.Found) || syms != len(e.Found) && syms > 0) {
		// Not one symbol per id: an id under several symbols, or a
		// symbol under several ids, or rows without a symbol.
		what = plural(int64(ids), "instrument id") + " and " + plural(int64(syms), "symbol")
	}
	pick := bySymbol + " or " + byID
	switch {
	case !hasID || ids == 1:
		pick = bySymbol
	case syms < 2:
		pick = byID
	}
	return fmt.Sprintf("%s: %v: the file holds %s: %s; pick one with %s", e.File, ErrInstruments, what, list, pick)
}

// listInstruments lists instruments as errors do, and counts their
// distinct ids and (non-empty) symbols.
func listInstruments(ins []Instrument) (list string, ids, syms int) {
	var parts []string
	idSet, symSet := map[uint32]bool{}, map[string]bool{}
	for _, in := range ins {
		parts = append(parts, in.String())
		idSet[in.ID] = true
		if in.Symbol != "" {
			symSet[in.Symbol] = true
		}
	}
	return strings.Join(parts, ", "), len(idSet), len(symSet)
}

// FileSource is a Source of a data file (Databento CSV, plain, gzip or zstd,
// or a registered format such as DBN) read in two passes: OpenSource scans
// it once for what a backtest must know before it starts — the time range,
// the publishers, the instruments, the price format, how far ts_event is
// out of order — and each play reads it again, streaming. Memory does not
// grow with the file.
type FileSource struct {
	path    string // the name in errors
	openFn  func() (io.ReadCloser, error)
	opt     SourceOptions
	info    SourceInfo
	span    Span
	inst    Instrument
	all     []Instrument
	hold    int // rows the reorder buffer holds
	extSort bool
	census  bool // scan for the instruments only (ScanInstruments)
}

// OpenSource scans a data file and returns it as a Source. It fails when
// the file holds several instruments and none was chosen (the error lists
// them, ErrInstruments), when its price format cannot be told, when ts_event
// is out of order beyond what opt allows, and on any malformed row met by
// the scan (the first one in file order).
func OpenSource(path string, opt SourceOptions) (*FileSource, error) {
	return openPath(path, opt, false)
}

// ScanInstruments scans a data file for its instruments alone, as
// Instruments lists them, choosing none: what a sweep over every instrument
// of a file reads first. opt.Window applies; the instrument options do not.
func ScanInstruments(path string, opt SourceOptions) ([]Instrument, error) {
	opt.ByID, opt.InstrumentID, opt.Symbol = false, 0, ""
	fs, err := openPath(path, opt, true)
	if err != nil {
		return nil, err
	}
	return fs.all, nil
}

func openPath(path string, opt SourceOptions, census bool) (*FileSource, error) {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return nil, fmt.Errorf("%s is a folder, not a data file", path)
	} else if err == nil && info.Mode()&(os.ModeNamedPipe|os.ModeSocket) != 0 {
		return nil, fmt.Errorf("%s is a pipe: the data is read twice (a scan, then the rows), which a pipe cannot do; save it to a file first", path)
	}
	return newSource(path, func() (io.ReadCloser, error) { return os.Open(path) }, opt, census)
}

// NewSource is OpenSource for data that open returns afresh for each pass
// (a file embedded in the program, say); name stands for it in errors.
func NewSource(name string, open func() (io.ReadCloser, error), opt SourceOptions) (*FileSource, error) {
	return newSource(name, open, opt, false)
}

func newSource(name string, open func() (io.ReadCloser, error), opt SourceOptions, census bool) (*FileSource, error) {
	if opt.MaxReorder <= 0 {
		opt.MaxReorder = DefaultMaxReorder
	}
	fs := &FileSource{path: name, openFn: open, opt: opt, census: census}
	if err := fs.scan(); err != nil {
		return nil, err
	}
	return fs, nil
}

// Span describes the rows of the chosen instrument in the window.
func (fs *FileSource) Span() Span { return fs.span }

// Info says what the file is, with the price format the scan decided.
func (fs *FileSource) Info() SourceInfo { return fs.info }

// Instrument is the instrument the source plays.
func (fs *FileSource) Instrument() Instrument { return fs.inst }

// Instruments lists every instrument of the file with its rows in the window,
// by ascending id (or symbol).
func (fs *FileSource) Instruments() []Instrument { return slices.Clone(fs.all) }

// Reorder is the number of rows the reorder buffer holds, and whether the
// file is sorted externally instead.
func (fs *FileSource) Reorder() (rows int, external bool) { return fs.hold, fs.extSort }

// open opens the file for a pass: a scan reader for CSV when scan is set.
func (fs *FileSource) open(scan bool, opt ReadOptions) (RowReader, io.Closer, error) {
	f, err := fs.openFn()
	if err != nil {
		return nil, nil, err
	}
	var in io.Reader = f
	if fs.opt.Progress != nil {
		pass := "play"
		if scan {
			pass = "scan"
		}
		in = newProgressReader(f, pass, fs.opt.Progress)
	}
	rr, dc, err := NewRowReader(in, fs.path, opt)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if r, ok := rr.(*Reader); ok && scan {
		r.scan = true
	}
	return rr, closers{dc, f}, nil
}

type censusKey struct {
	id  uint32
	sym string
}

func (fs *FileSource) scan() error {
	rr, c, err := fs.open(true, fs.opt.Read)
	if err != nil {
		return err
	}
	defer c.Close()
	hasID := true
	if r, ok := rr.(*Reader); ok {
		if _, err := r.Header(); err != nil {
			return err
		}
		hasID = r.colOf(colInstrument) > 0
	}
	fs.inst.HasID = hasID
	census := map[censusKey]*Instrument{}
	var (
		pubs  PublisherSet
		top   tsDeque // the MaxReorder+1 latest ts_event values, sorted
		first int64
		last  int64
		rows  int64
		late  *Row // the first row out of the reorder buffer's reach
		lastK censusKey
		lastI *Instrument
	)
	need := 0
	scanRow := func(row *Row) {
		if !fs.opt.Window.Contains(row.TsEvent) {
			return
		}
		// The census counts (id, symbol) pairs, so that one id under two
		// symbols, or one symbol under two ids, is seen.
		k := censusKey{id: row.InstrumentID, sym: row.Symbol}
		if lastI == nil || k != lastK {
			lastI = census[k]
			if lastI == nil {
				lastI = &Instrument{ID: k.id, HasID: hasID, Symbol: row.Symbol}
				census[k] = lastI
			}
			lastK = k
		}
		lastI.Rows++
		if !fs.chosen(row.InstrumentID, row.Symbol) {
			return
		}
		if rows == 0 || row.TsEvent < first {
			first = row.TsEvent
		}
		last = max(last, row.TsEvent)
		rows++
		pubs.Add(row.PublisherID)
		if late == nil {
			n := top.push(row.TsEvent, fs.opt.MaxReorder+1)
			if n > fs.opt.MaxReorder {
				l := *row
				late = &l
			}
			need = max(need, n)
		}
	}
	// Row by row until the price format is decided (the first row, as a
	// rule), then CSV in parallel blocks.
	csv, _ := rr.(*Reader)
	for csv == nil || csv.prices == PriceAuto || len(csv.held) > 0 {
		row, err := rr.Read()
		if err == io.EOF {
			csv = nil
			break
		}
		if err != nil {
			return fs.firstError(err)
		}
		scanRow(&row)
	}
	if csv != nil {
		err := csv.readBlocks(workers(), true, func(rows []Row) error {
			for i := range rows {
				scanRow(&rows[i])
			}
			return nil
		})
		if err != nil {
			return fs.firstError(err)
		}
	}
	fs.info = rr.Info()
	for _, in := range census {
		fs.all = append(fs.all, *in)
	}
	slices.SortFunc(fs.all, func(a, b Instrument) int {
		if a.ID != b.ID {
			return cmp.Compare(a.ID, b.ID)
		}
		return strings.Compare(a.Symbol, b.Symbol)
	})
	if fs.census {
		return nil
	}
	if err := fs.choose(); err != nil {
		return err
	}
	fs.span = Span{First: first, Last: last, Rows: rows, Publishers: pubs.IDs()}
	fs.hold = need
	switch {
	case fs.opt.Sort == SortExternal:
		fs.extSort, fs.hold = true, 0
	case late != nil && fs.opt.Sort == SortBuffer:
		return fmt.Errorf("%s:%d: ts_event %s is older than %d or more rows before it: the file is too far out of time order for a reorder buffer of %d rows (use -sort external, or a larger -max-reorder)",
			fs.path, late.Line, RFC3339(late.TsEvent), fs.opt.MaxReorder+1, fs.opt.MaxReorder)
	case late != nil:
		fs.extSort, fs.hold = true, 0
	}
	return nil
}

// firstError returns the first error in file order: a scan reads only some
// columns, so the full reader looks for an earlier error in the others.
func (fs *FileSource) firstError(scanErr error) error {
	var pe *ParseError
	if !errors.As(scanErr, &pe) {
		return scanErr
	}
	rr, c, err := fs.open(false, fs.opt.Read)
	if err != nil {
		return scanErr
	}
	defer c.Close()
	for {
		row, err := rr.Read()
		if err != nil {
			var full *ParseError
			if errors.As(err, &full) && full.Line < pe.Line {
				return err
			}
			return scanErr
		}
		if row.Line >= pe.Line {
			return scanErr
		}
	}
}

// chosen reports whether a row belongs to the chosen instrument: its id
// when one was chosen, and its symbol when one was.
func (fs *FileSource) chosen(id uint32, sym string) bool {
	return (!fs.opt.ByID || id == fs.opt.InstrumentID) && (fs.opt.Symbol == "" || sym == fs.opt.Symbol)
}

// choose settles the instrument from the census: a file with one
// instrument_id and one symbol (rows without a symbol do not count) needs
// no choice; otherwise the choice must give rows, under one symbol.
func (fs *FileSource) choose() error {
	ie := &InstrumentsError{File: fs.path, Found: fs.all, Window: fs.opt.Window != (Window{})}
	picking := fs.opt.ByID || fs.opt.Symbol != ""
	if picking {
		var want []string
		if fs.opt.Symbol != "" {
			want = append(want, fs.opt.Symbol)
		}
		if fs.opt.ByID {
			want = append(want, "instrument "+strconv.FormatUint(uint64(fs.opt.InstrumentID), 10))
		}
		ie.Chosen = strings.Join(want, " ")
	}
	var picked []Instrument
	ids, syms := map[uint32]bool{}, map[string]bool{}
	for _, in := range fs.all {
		if fs.chosen(in.ID, in.Symbol) {
			picked = append(picked, in)
			ids[in.ID] = true
			if in.Symbol != "" {
				syms[in.Symbol] = true
			}
		}
	}
	switch {
	case !picking && (len(ids) > 1 || len(syms) > 1):
		return ie
	case picking && len(picked) == 0:
		return ie
	case picking && len(syms) > 1:
		ie.Picked = picked
		return ie
	}
	for _, in := range picked {
		fs.inst.Rows += in.Rows
		if fs.inst.Symbol == "" {
			fs.inst.Symbol = in.Symbol
		}
	}
	if len(picked) > 0 {
		fs.inst.ID = picked[0].ID
	}
	if sym := fs.info.Symbols[fs.inst.ID]; fs.inst.Symbol == "" && sym != "" {
		fs.inst.Symbol = sym
	}
	return nil
}

// keep reports whether a row of the main pass belongs to the source.
func (fs *FileSource) keep(r *Row) bool {
	return fs.opt.Window.Contains(r.TsEvent) && fs.chosen(r.InstrumentID, r.Symbol)
}

// chunkRows is the number of rows a chunk holds.
const chunkRows = 4096

// Chunks reads the file again and yields its rows in the exercise's order.
// CSV is parsed in parallel blocks of lines; a sorted file's blocks are
// yielded as they are, without a copy.
func (fs *FileSource) Chunks(yield func([]Row) bool) error {
	opt := fs.opt.Read
	opt.Prices = fs.info.Prices // as the scan decided: no look-ahead twice
	if opt.Prices == PriceAuto {
		opt.Prices = PriceDecimal // the file has no price at all
	}
	rr, c, err := fs.open(false, opt)
	if err != nil {
		return err
	}
	defer c.Close()
	if r, ok := rr.(*Reader); ok {
		r.detected = fs.info.Prices != PriceAuto && fs.opt.Read.Prices == PriceAuto
	}
	out := &chunker{yield: yield}
	if fs.extSort {
		return fs.sortExternally(rr, out)
	}
	var buf rowDeque
	errStop := errors.New("stop")
	take := func(rows []Row) error {
		if fs.hold == 0 { // in order: the rows kept, in place
			kept := rows[:0]
			for i := range rows {
				if fs.keep(&rows[i]) {
					kept = append(kept, rows[i])
				}
			}
			if !out.pass(kept) {
				return errStop
			}
			return nil
		}
		for i := range rows {
			if !fs.keep(&rows[i]) {
				continue
			}
			buf.insert(rows[i])
			if buf.len() > fs.hold {
				if !out.add(buf.front()) {
					return errStop
				}
				buf.pop()
			}
		}
		return nil
	}
	if r, ok := rr.(*Reader); ok {
		err = r.readBlocks(workers(), false, take)
	} else {
		err = readChunks(rr, take)
	}
	if err == errStop {
		return nil
	}
	if err != nil {
		return err
	}
	for buf.len() > 0 {
		if !out.add(buf.front()) {
			return nil
		}
		buf.pop()
	}
	out.flush()
	return fs.checkRows(out)
}

// checkRows refuses a pass that did not meet the rows the scan counted: the
// file changed between the two passes, or cannot be read twice (a pipe).
func (fs *FileSource) checkRows(out *chunker) error {
	if out.stopped || out.n == fs.span.Rows {
		return nil
	}
	return fmt.Errorf("%s: %d rows in the second pass over the data, %d in the first: the file changed, or cannot be read twice (a pipe or a device: save it to a file first)",
		fs.path, out.n, fs.span.Rows)
}

// Recycle takes back a chunk of rows that no player needs any more: the
// blocks of the next pass are parsed into it.
func (fs *FileSource) Recycle(rows []Row) {
	if cap(rows) >= chunkRows {
		clear(rows[:cap(rows)]) // the symbols
		r := rows[:0]
		rowsPool.Put(&r)
	}
}

// readChunks reads rr row by row and calls fn with chunks of them.
func readChunks(rr RowReader, fn func([]Row) error) error {
	rows := make([]Row, 0, chunkRows)
	for {
		row, err := rr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			if len(rows) > 0 {
				if ferr := fn(rows); ferr != nil {
					return ferr
				}
			}
			return err
		}
		rows = append(rows, row)
		if len(rows) == chunkRows {
			if err := fn(rows); err != nil {
				return err
			}
			rows = make([]Row, 0, chunkRows)
		}
	}
	if len(rows) > 0 {
		return fn(rows)
	}
	return nil
}

// workers is the number of goroutines parsing blocks.
func workers() int { return max(1, runtime.GOMAXPROCS(0)) }

// chunker collects rows into fresh chunks for a yield.
type chunker struct {
	yield   func([]Row) bool
	rows    []Row
	stopped bool
	n       int64 // rows yielded or pending
}

func (c *chunker) add(r *Row) bool {
	if c.stopped {
		return false
	}
	if c.rows == nil {
		c.rows = make([]Row, 0, chunkRows)
	}
	c.n++
	c.rows = append(c.rows, *r)
	if len(c.rows) == chunkRows {
		return c.flush()
	}
	return true
}

// pass yields rows as a chunk of their own, after what is pending.
func (c *chunker) pass(rows []Row) bool {
	if !c.flush() {
		return false
	}
	if len(rows) > 0 {
		c.n += int64(len(rows))
		c.stopped = !c.yield(rows)
	}
	return !c.stopped
}

func (c *chunker) flush() bool {
	if len(c.rows) > 0 && !c.stopped {
		c.stopped = !c.yield(c.rows)
		c.rows = nil
	}
	return !c.stopped
}

// tsDeque holds the latest ts_event values seen, sorted, at most limit of
// them.
type tsDeque struct {
	buf []int64
	lo  int
}

// push adds t and returns how many values held are greater than t: the
// earlier rows a row with ts_event t must be put before. A sorted stream
// costs O(1) a row.
func (d *tsDeque) push(t int64, limit int) int {
	n := len(d.buf) - d.lo
	greater := 0
	if n == 0 || t >= d.buf[len(d.buf)-1] {
		if len(d.buf) == cap(d.buf) && d.lo > 0 { // slide the window back to the start
			d.buf = d.buf[:copy(d.buf, d.buf[d.lo:])]
			d.lo = 0
		}
		d.buf = append(d.buf, t)
	} else {
		i, _ := slices.BinarySearch(d.buf[d.lo:], t+1) // the first value > t
		greater = n - i
		d.buf = slices.Insert(d.buf, d.lo+i, t)
	}
	if len(d.buf)-d.lo > limit {
		d.lo++
	}
	return greater
}

// rowDeque is a reorder buffer: rows sorted by ts_event, file order among
// equal times.
type rowDeque struct {
	buf []Row
	lo  int
}

func (d *rowDeque) len() int    { return len(d.buf) - d.lo }
func (d *rowDeque) front() *Row { return &d.buf[d.lo] }

func (d *rowDeque) insert(r Row) {
	if d.len() == 0 || r.TsEvent >= d.buf[len(d.buf)-1].TsEvent {
		d.buf = append(d.buf, r)
		return
	}
	// After every held row with ts_event <= r's: file order among equals.
	i, _ := slices.BinarySearchFunc(d.buf[d.lo:], r.TsEvent+1, func(x Row, t int64) int { return cmp.Compare(x.TsEvent, t) })
	d.buf = slices.Insert(d.buf, d.lo+i, r)
}

func (d *rowDeque) pop() {
	d.buf[d.lo] = Row{}
	d.lo++
	if d.lo > 4096 && d.lo > len(d.buf)/2 {
		d.buf = d.buf[:copy(d.buf, d.buf[d.lo:])]
		d.lo = 0
	}
}

// progressReader tells a Progress callback how many bytes were read.
type progressReader struct {
	r           io.Reader
	pass        string
	fn          func(pass string, done, total int64)
	done, total int64
	next        int64
}

func newProgressReader(f io.ReadCloser, pass string, fn func(string, int64, int64)) *progressReader {
	p := &progressReader{r: f, pass: pass, fn: fn}
	if st, ok := f.(interface{ Stat() (os.FileInfo, error) }); ok {
		if info, err := st.Stat(); err == nil && info.Mode().IsRegular() {
			p.total = info.Size()
		}
	}
	return p
}

const progressEvery = 4 << 20

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.done += int64(n)
	if p.done >= p.next || err == io.EOF {
		p.next = p.done + progressEvery
		p.fn(p.pass, p.done, p.total)
	}
	return n, err
}
