package replay

import (
	"fmt"

	"github.com/sorlab/sorlab/sor"
)

// seen is the market as a strategy sees it under Config.FeedDelay: the rows
// whose ts_recv has passed, applied to a book of their own in the order they
// became visible. Rows still in transit wait here; the engine's market, the
// book at ts_event, is unchanged. It holds the rows of one feed delay at
// most, never the stream.
type seen struct {
	book *sor.Book
	wait []waiting // rows not yet visible, ordered by (at, index), from head
	head int
	last []int64 // per publisher id: the visible time of its latest row
	seq  []int   // per publisher id: stream index of the row that set its quote in book
	n    int     // rows pushed: the stream index of the next
	rows []sor.Row
}

type waiting struct {
	at  int64 // when the row becomes visible
	idx int   // its position in the stream
	row sor.Row
}

func newSeen(venues sor.Venues, publishers []int) *seen {
	s := &seen{book: sor.NewBook(venues)}
	for _, id := range publishers {
		s.book.Add(id)
	}
	return s
}

// push queues the next row of the stream. It becomes visible at its
// ts_recv, or its ts_event if later (a clock that runs behind cannot show a
// row before it happened), and never before the venue's previous row: a
// venue's rows are seen in their order.
func (s *seen) push(r *sor.Row) error {
	if r.TsRecv == 0 {
		return fmt.Errorf("feed delay: the row at line %d has no ts_recv", r.Line)
	}
	if r.PublisherID >= len(s.last) {
		s.last = append(s.last, make([]int64, r.PublisherID+1-len(s.last))...)
		s.seq = append(s.seq, make([]int, r.PublisherID+1-len(s.seq))...)
	}
	at := max(r.TsRecv, r.TsEvent, s.last[r.PublisherID])
	s.last[r.PublisherID] = at
	w := waiting{at: at, idx: s.n, row: *r}
	s.n++
	j := len(s.wait)
	for j > s.head && s.wait[j-1].at > at {
		j--
	}
	if j == len(s.wait) {
		s.wait = append(s.wait, w)
	} else {
		s.wait = append(s.wait[:j+1], s.wait[j:]...)
		s.wait[j] = w
	}
	return nil
}

// next is the earliest time a waiting row becomes visible.
func (s *seen) next() (at int64, ok bool) {
	if s.head == len(s.wait) {
		return 0, false
	}
	return s.wait[s.head].at, true
}

// release applies to the book every row that becomes visible at at (the
// earliest waiting time) and keeps them in rows, for the decision at at.
func (s *seen) release(at int64) {
	s.rows = s.rows[:0]
	for s.head < len(s.wait) && s.wait[s.head].at == at {
		w := &s.wait[s.head]
		// The market's book applied this row when it was played and refused
		// nothing, or the play stopped: the error cannot happen here.
		if quoted, _ := s.book.Apply(&w.row); quoted {
			s.seq[w.row.PublisherID] = w.idx
		}
		s.rows = append(s.rows, w.row)
		s.head++
	}
	if s.head == len(s.wait) {
		s.wait, s.head = s.wait[:0], 0
	} else if s.head > 1024 && s.head > len(s.wait)/2 {
		s.wait, s.head = append(s.wait[:0], s.wait[s.head:]...), 0
	}
}

// quote is a venue's quote as seen, with Seq the stream index of its row,
// as the market's book numbers them, so that sor.Taken counts what the
// strategy took from that very row.
func (s *seen) quote(id int) (sor.Quote, bool) {
	q, ok := s.book.Quote(id)
	if ok && id < len(s.seq) {
		q.Seq = s.seq[id]
	}
	return q, ok
}
