package sor

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
)

// Player acts on a market replayed through a Book: a Trader running one of
// this package's strategies, or an engine of package sor/replay.
type Player interface {
	// Row is called with each row of the stream just before the book applies
	// it: the book still shows the market before the row. r is valid only
	// during the call (its chunk may be recycled): keep a copy, not r.
	Row(b *Book, r *Row) error
	// Decide is called at every decision point (each distinct ts_event),
	// after the book applied its rows. done reports that the player needs
	// nothing more (a filled order): it is called no more.
	Decide(b *Book) (done bool, err error)
}

// DecisionsOnly is a Player that needs no rows, only decision points: Play
// does not call its Row (a Trader of the exercise, which sees the market
// only through the book).
type DecisionsOnly interface {
	DecisionsOnly()
}

// Ender is a Player that wants to know when the rows end: End is called
// once after the last decision point, with the book as the data left it.
type Ender interface {
	End(b *Book) error
}

// Span is what a pass over a Source will meet, known before the pass starts
// (a file is scanned for it first).
type Span struct {
	First, Last int64 // ts_event of the first and last rows (0, 0 when there are none)
	Rows        int64
	Publishers  []int // every publisher with a row, ascending
}

// Source is a market's rows in the exercise's order — ts_event, file order
// among equal times — already cut to one window and one instrument. It can
// be played more than once, and never needs to hold the whole file.
type Source interface {
	// Span describes the rows before they are read.
	Span() Span
	// Chunks calls yield with consecutive chunks of the rows, in order,
	// until the rows end or yield returns false, and returns the first
	// error met reading them. Chunks are read-only and stay valid after
	// yield returns, so that several goroutines can share them.
	Chunks(yield func([]Row) bool) error
}

// Recycler is a Source whose chunks can be handed back once no player needs
// them any more, so that it can reuse their memory. Play and PlayParallel do
// so after every player has seen a chunk.
type Recycler interface {
	Recycle(rows []Row)
}

// Play replays src into b: for each row it calls every live player's Row,
// then applies the row to the book; after the rows of each distinct
// ts_event (a decision point) it calls every live player's Decide, and at
// the end the End of every live player that is an Ender. Players that are
// done are called no more, but the whole source is read, so that every quote
// is checked and every decision point counted: snapshots is their number.
func Play(src Source, b *Book, players ...Player) (snapshots int64, err error) {
	ps := newPlayState(b, players)
	rec, _ := src.(Recycler)
	rerr := src.Chunks(func(rows []Row) bool {
		err = ps.rows(rows)
		if rec != nil {
			rec.Recycle(rows)
		}
		return err == nil
	})
	if err != nil {
		return 0, err
	}
	if rerr != nil {
		return 0, rerr
	}
	if err := ps.end(); err != nil {
		return 0, err
	}
	return ps.n, nil
}

// PlayParallel is Play for groups of players that can work apart: each group
// plays on its own goroutine with its own book (books[i] for groups[i]),
// and every chunk of src is read once and shared by all. It returns the
// first error of any group or of src.
func PlayParallel(src Source, books []*Book, groups [][]Player) (snapshots int64, err error) {
	if len(books) != len(groups) {
		return 0, fmt.Errorf("%d books for %d groups of players", len(books), len(groups))
	}
	if len(groups) == 1 {
		return Play(src, books[0], groups[0]...)
	}
	rec, _ := src.(Recycler)
	type chunk struct {
		rows []Row
		refs atomic.Int32 // groups that have not finished with it
	}
	var (
		wg    sync.WaitGroup
		chans = make([]chan *chunk, len(groups))
		errs  = make([]error, len(groups))
		stop  = make(chan struct{})
		once  sync.Once
		ns    = make([]int64, len(groups))
	)
	fail := func() { once.Do(func() { close(stop) }) }
	for i := range groups {
		chans[i] = make(chan *chunk, 8)
		ps := newPlayState(books[i], groups[i])
		wg.Go(func() {
			for c := range chans[i] {
				if errs[i] == nil {
					if errs[i] = ps.rows(c.rows); errs[i] != nil {
						fail()
					}
				}
				if c.refs.Add(-1) == 0 && rec != nil {
					rec.Recycle(c.rows)
				}
			}
			if errs[i] == nil {
				if errs[i] = ps.end(); errs[i] != nil {
					fail()
				}
			}
			ns[i] = ps.n
		})
	}
	rerr := src.Chunks(func(rows []Row) bool {
		c := &chunk{rows: rows}
		c.refs.Store(int32(len(chans)))
		for k, ch := range chans {
			select {
			case ch <- c:
			case <-stop:
				c.refs.Add(int32(k - len(chans))) // never sent to the rest
				return false
			}
		}
		return true
	})
	for _, c := range chans {
		close(c)
	}
	wg.Wait()
	for _, e := range errs { // the first group's error, in group order
		if e != nil {
			return 0, e
		}
	}
	if rerr != nil {
		return 0, rerr
	}
	return ns[0], nil
}

// playState groups rows into decision points for a set of players.
type playState struct {
	b      *Book
	live   []Player
	rowers []Player // the live players that want rows (not DecisionsOnly)
	cur    int64    // ts_event of the open decision point
	open   bool
	n      int64 // decision points so far
}

func newPlayState(b *Book, players []Player) *playState {
	p := &playState{b: b, live: slices.Clone(players)}
	p.setRowers()
	return p
}

func (p *playState) setRowers() {
	p.rowers = p.rowers[:0]
	for _, pl := range p.live {
		if _, ok := pl.(DecisionsOnly); !ok {
			p.rowers = append(p.rowers, pl)
		}
	}
}

func (p *playState) rows(rows []Row) error {
	for i := range rows {
		r := &rows[i]
		if p.open && r.TsEvent != p.cur {
			if r.TsEvent < p.cur {
				return fmt.Errorf("row at line %d: ts_event %d before %d: the source is not in time order", r.Line, r.TsEvent, p.cur)
			}
			if err := p.decide(); err != nil {
				return err
			}
		}
		p.cur, p.open = r.TsEvent, true
		for _, pl := range p.rowers {
			if err := pl.Row(p.b, r); err != nil {
				return err
			}
		}
		if _, err := p.b.Apply(r); err != nil {
			return err
		}
	}
	return nil
}

func (p *playState) decide() error {
	p.n++
	n := len(p.live)
	var err error
	p.live, err = decideAll(p.b, p.live)
	if len(p.live) != n {
		p.setRowers()
	}
	return err
}

func (p *playState) end() error {
	if !p.open {
		return nil
	}
	p.open = false
	if err := p.decide(); err != nil {
		return err
	}
	for _, pl := range p.live {
		if e, ok := pl.(Ender); ok {
			if err := e.End(p.b); err != nil {
				return err
			}
		}
	}
	return nil
}

// decideAll calls Decide on every player and returns those not done.
func decideAll(b *Book, live []Player) ([]Player, error) {
	j := 0
	for _, pl := range live {
		done, err := pl.Decide(b)
		if err != nil {
			return live, err
		}
		if !done {
			live[j] = pl
			j++
		}
	}
	clear(live[j:])
	return live[:j], nil
}

// Stream is a Source of rows held in memory: the rows of a slice that fall
// in a window, ordered stably by ts_event. It is read-only once built, so
// one Stream can serve many plays at once. Notebooks and tests use it; the
// command line streams files instead (OpenSource).
type Stream struct {
	Rows   []Row
	Window Window
	span   Span
}

// NewStream copies the rows that fall inside w (Start <= ts_event < End, a
// zero bound being open) and sorts them stably by ts_event: the exercise's
// order (SPEC 2.1-2.2).
func NewStream(rows []Row, w Window) *Stream {
	st := &Stream{Window: w, Rows: make([]Row, 0, len(rows))}
	for i := range rows {
		if w.Contains(rows[i].TsEvent) {
			st.Rows = append(st.Rows, rows[i])
		}
	}
	sortRows(st.Rows)
	st.span = spanOf(st.Rows)
	return st
}

// sortRows orders rows stably by ts_event, cheaply when they already are.
func sortRows(rows []Row) {
	if !slices.IsSortedFunc(rows, byTime) {
		slices.SortStableFunc(rows, byTime)
	}
}

func byTime(a, b Row) int { return cmp.Compare(a.TsEvent, b.TsEvent) }

// spanOf describes rows already in order.
func spanOf(rows []Row) Span {
	var s Span
	if len(rows) == 0 {
		return s
	}
	s.First, s.Last, s.Rows = rows[0].TsEvent, rows[len(rows)-1].TsEvent, int64(len(rows))
	var seen PublisherSet
	for i := range rows {
		seen.Add(rows[i].PublisherID)
	}
	s.Publishers = seen.IDs()
	return s
}

// Span describes the stream's rows.
func (st *Stream) Span() Span { return st.span }

// Instrument is the instrument of the stream's first row (its rows are not
// checked for others: a file source is).
func (st *Stream) Instrument() Instrument {
	in := Instrument{Rows: int64(len(st.Rows))}
	if len(st.Rows) > 0 {
		in.ID, in.Symbol = st.Rows[0].InstrumentID, st.Rows[0].Symbol
	}
	return in
}

// Info says nothing of a file: the rows are already read.
func (st *Stream) Info() SourceInfo { return SourceInfo{Format: "memory"} }

// Chunks yields the rows in chunks of at most 4096.
func (st *Stream) Chunks(yield func([]Row) bool) error {
	const chunk = 4096
	for i := 0; i < len(st.Rows); i += chunk {
		if !yield(st.Rows[i:min(i+chunk, len(st.Rows)):min(i+chunk, len(st.Rows))]) {
			return nil
		}
	}
	return nil
}

// Venues returns the publisher ids present in the stream, ascending.
func (st *Stream) Venues() []int { return slices.Clone(st.span.Publishers) }

// First and Last are the first and last ts_event of the stream (0 if empty).
func (st *Stream) First() int64 { return st.span.First }

// Last is the last ts_event of the stream (0 if empty).
func (st *Stream) Last() int64 { return st.span.Last }

// PublisherSet is a set of publisher ids, cheap to fill row by row.
type PublisherSet struct {
	seen []bool
	n    int
}

// Add adds a publisher id (ids outside 0-65535 are not publishers and are
// ignored).
func (p *PublisherSet) Add(id int) {
	if id < 0 || id > 1<<16-1 {
		return
	}
	if id >= len(p.seen) {
		p.seen = append(p.seen, make([]bool, id+1-len(p.seen))...)
	}
	if !p.seen[id] {
		p.seen[id] = true
		p.n++
	}
}

// IDs returns the ids added, ascending.
func (p *PublisherSet) IDs() []int {
	ids := make([]int, 0, p.n)
	for id, ok := range p.seen {
		if ok {
			ids = append(ids, id)
		}
	}
	return ids
}
