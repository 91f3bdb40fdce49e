package sor

import (
	"bufio"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// runRows is how many rows an external sort sorts in memory at a time
// (about 30 MB). A variable so that tests can merge many small runs.
var runRows = 1 << 18

// sortExternally sorts the rows of rr that the source keeps by ts_event,
// stably, with bounded memory: sorted runs of runRows rows go to temporary
// files, which are then merged. A file of one run never touches the disk.
func (fs *FileSource) sortExternally(rr RowReader, out *chunker) (err error) {
	var (
		dir  string
		runs []string
		rows = make([]Row, 0, runRows)
	)
	defer func() {
		if dir != "" {
			if rerr := os.RemoveAll(dir); err == nil && rerr != nil {
				err = rerr
			}
		}
	}()
	for {
		row, rerr := rr.Read()
		if rerr != nil && rerr != io.EOF {
			return rerr
		}
		if rerr == nil && fs.keep(&row) {
			rows = append(rows, row)
		}
		if len(rows) == runRows || (rerr == io.EOF && len(runs) > 0 && len(rows) > 0) {
			sortRows(rows)
			if dir == "" {
				if dir, err = os.MkdirTemp(fs.opt.TempDir, "sorlab-sort-*"); err != nil {
					return fmt.Errorf("external sort: %w", err)
				}
			}
			name := fmt.Sprintf("%s/run-%06d", dir, len(runs))
			if err := writeRun(name, rows); err != nil {
				return fmt.Errorf("external sort: %w", err)
			}
			runs = append(runs, name)
			rows = rows[:0]
		}
		if rerr == io.EOF {
			break
		}
	}
	if len(runs) == 0 { // everything fit in one run
		sortRows(rows)
		for i := range rows {
			if !out.add(&rows[i]) {
				return nil
			}
		}
		out.flush()
		return fs.checkRows(out)
	}
	rows = nil
	if err := mergeRuns(runs, out); err != nil {
		return err
	}
	return fs.checkRows(out)
}

func writeRun(name string, rows []Row) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<16)
	var b []byte
	for i := range rows {
		b = appendRow(b[:0], &rows[i])
		if _, err := w.Write(b); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// A run file holds rows in a fixed binary layout, the symbol last with its
// length.
func appendRow(b []byte, r *Row) []byte {
	for _, v := range []int64{int64(r.Line), r.TsRecv, r.TsEvent, int64(r.Price), r.Size, int64(r.BidPx), int64(r.AskPx), r.BidSz, r.AskSz} {
		b = binary.LittleEndian.AppendUint64(b, uint64(v))
	}
	b = binary.LittleEndian.AppendUint32(b, r.InstrumentID)
	b = binary.LittleEndian.AppendUint16(b, uint16(r.PublisherID))
	b = append(b, r.Action, r.Side)
	b = binary.LittleEndian.AppendUint16(b, uint16(min(len(r.Symbol), 1<<16-1)))
	return append(b, r.Symbol[:min(len(r.Symbol), 1<<16-1)]...)
}

const rowHead = 9*8 + 4 + 2 + 2 + 2

type runReader struct {
	r   *bufio.Reader
	f   *os.File
	row Row
	sym string
	buf [rowHead]byte
	tmp []byte
}

// next reads the next row into rr.row; false at the end.
func (rr *runReader) next() (bool, error) {
	if _, err := io.ReadFull(rr.r, rr.buf[:]); err != nil {
		if err == io.EOF {
			return false, nil
		}
		return false, err
	}
	b := rr.buf[:]
	var v [9]int64
	for i := range v {
		v[i] = int64(binary.LittleEndian.Uint64(b[8*i:]))
	}
	b = b[72:]
	r := &rr.row
	r.Line, r.TsRecv, r.TsEvent, r.Price, r.Size = int(v[0]), v[1], v[2], Money(v[3]), v[4]
	r.BidPx, r.AskPx, r.BidSz, r.AskSz = Money(v[5]), Money(v[6]), v[7], v[8]
	r.InstrumentID = binary.LittleEndian.Uint32(b)
	r.PublisherID = int(binary.LittleEndian.Uint16(b[4:]))
	r.Action, r.Side = b[6], b[7]
	n := int(binary.LittleEndian.Uint16(b[8:]))
	rr.tmp = slices.Grow(rr.tmp[:0], n)[:n]
	if _, err := io.ReadFull(rr.r, rr.tmp); err != nil {
		return false, errors.Join(errors.New("truncated run file"), err)
	}
	if string(rr.tmp) != rr.sym {
		rr.sym = string(rr.tmp)
	}
	r.Symbol = rr.sym
	return true, nil
}

// runHeap orders the runs' current rows by ts_event, then by run: rows of
// an earlier run came earlier in the file, which keeps the sort stable.
type runHeap []*runIndex

type runIndex struct {
	*runReader
	i int
}

func (h runHeap) Len() int { return len(h) }
func (h runHeap) Less(a, b int) bool {
	if h[a].row.TsEvent != h[b].row.TsEvent {
		return h[a].row.TsEvent < h[b].row.TsEvent
	}
	return h[a].i < h[b].i
}
func (h runHeap) Swap(a, b int) { h[a], h[b] = h[b], h[a] }
func (h *runHeap) Push(x any)   { *h = append(*h, x.(*runIndex)) }
func (h *runHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func mergeRuns(names []string, out *chunker) error {
	var h runHeap
	defer func() {
		for _, r := range h {
			r.f.Close()
		}
	}()
	for i, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("external sort: %w", err)
		}
		rr := &runIndex{&runReader{r: bufio.NewReaderSize(f, 1<<16), f: f}, i}
		ok, err := rr.next()
		if err != nil {
			f.Close()
			return fmt.Errorf("external sort: %s: %w", name, err)
		}
		if ok {
			h = append(h, rr)
		} else {
			f.Close()
		}
	}
	heap.Init(&h)
	for len(h) > 0 {
		top := h[0]
		if !out.add(&top.row) {
			return nil
		}
		ok, err := top.next()
		if err != nil {
			return fmt.Errorf("external sort: %s: %w", names[top.i], err)
		}
		if ok {
			heap.Fix(&h, 0)
		} else {
			top.f.Close()
			heap.Pop(&h)
		}
	}
	out.flush()
	return nil
}
