package sim

import (
	"io"
	"strconv"

	"github.com/sorlab/sorlab/sor"
)

// MBOHeader is the first line of an MBO CSV file as Databento writes it
// (without the newline).
const MBOHeader = "ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,price,size,channel_id,order_id,flags,ts_in_delta,sequence,symbol"

// RTypeMBO is Databento's record type of an MBO message.
const RTypeMBO = sor.RTypeMBO

// FlagSnapshot marks the records that describe the book at the start of the
// run rather than events, as in Databento's DBN encoding.
const FlagSnapshot = sor.FlagSnapshot

// MBO is one market-by-order record: one event of one resting order, in
// Databento's MBO conventions. The run's events become records this way:
//
//   - the book at Start: for each venue a clear (R), then an add (A) for each
//     resting order, bids then asks, front of the queue first, all with
//     FlagSnapshot;
//   - a limit order: A with a new order id;
//   - a cancellation: C with the order's id and whole size;
//   - each resting order a market order fills: T (side the aggressor's, no
//     order id), F (the resting order's side and id, the shares filled) and C
//     (the same shares taken off the book: T and F leave the book alone);
//   - a queue moving to a new price (an improving order, a gap fill): C for
//     every order left at the old price, because the model does not track
//     levels behind the best; a level revealed after the best empties: A for
//     each of its fresh orders.
//
// Each record carries the timestamps and sequence number of the MBP-1 row its
// event produced, so the book that the records build, after the last record
// of a sequence number, has the top of book that the MBP-1 row shows. The
// last record of an event has FlagLast. Prices are in cents.
type MBO struct {
	TsRecv    int64
	TsEvent   int64
	Venue     int    // index into Params.Venues
	Publisher uint16 // Databento publisher id of the venue
	Action    byte   // 'A' add, 'C' cancel, 'T' trade, 'F' fill, 'R' clear
	Side      byte   // 'B', 'A', or 'N' for a clear
	Price     int64  // cents; UndefPrice for a clear
	Size      int32
	OrderID   uint64 // unique in the run; 0 for trades and clears
	Flags     uint8
	TsInDelta int32
	Sequence  uint32 // the sequence number of the event's MBP-1 row
}

// push adds a new order of size at the back of venue v's best queue on side.
func (s *Sim) push(v, side int, size int32) {
	q := &s.v[v].q[side]
	s.lastID++
	q.push(s.lastID, size)
	s.record(v, 'A', sideByte(side), q.px, size, s.lastID)
}

// moveQueue moves venue v's best queue on side to price px. The orders
// resting at the old price are dropped, since levels behind the best are
// not tracked: in the MBO view they are cancelled.
func (s *Sim) moveQueue(v, side int, px int64) {
	q := &s.v[v].q[side]
	for _, o := range q.orders {
		s.record(v, 'C', sideByte(side), q.px, o.size, o.id)
	}
	q.reset(px)
}

// record notes an MBO record of the current event; emitRow stamps it with
// the times and sequence number of the MBP-1 row it belongs to.
func (s *Sim) record(v int, action, side byte, px int64, size int32, id uint64) {
	if !s.mboOn {
		return
	}
	s.mbo = append(s.mbo, MBO{Venue: v, Publisher: s.p.Venues[v].PublisherID, Action: action, Side: side, Price: px, Size: size, OrderID: id})
}

// stampMBO gives the records noted since the last MBP-1 row the times of
// the current one and its sequence number seq.
func (s *Sim) stampMBO(seq uint32) {
	for i := s.mboDone; i < len(s.mbo); i++ {
		m := &s.mbo[i]
		m.TsRecv, m.TsEvent, m.TsInDelta, m.Sequence = s.evRecv, s.evTs, int32(s.evRecv-s.evTs), seq
	}
	s.mboDone = len(s.mbo)
}

// emitMBO hands the current event's records to emit.
func (s *Sim) emitMBO(emit func(*MBO) error) error {
	if emit == nil || len(s.mbo) == 0 {
		return nil
	}
	s.mbo[len(s.mbo)-1].Flags |= FlagLast
	for i := range s.mbo {
		if err := emit(&s.mbo[i]); err != nil {
			return err
		}
	}
	return nil
}

// snapshot emits the book at the start of the run: per venue a clear and
// the resting orders, stamped at Start with the sequence number before the
// venue's first row.
func (s *Sim) snapshot(emit func(*MBO) error) error {
	t := s.p.Start.UnixNano()
	for v := range s.v {
		vs := &s.v[v]
		pub := s.p.Venues[v].PublisherID
		recs := []MBO{{Action: 'R', Side: 'N', Price: UndefPrice}}
		for side := range vs.q {
			q := &vs.q[side]
			for _, o := range q.orders {
				recs = append(recs, MBO{Action: 'A', Side: sideByte(side), Price: q.px, Size: o.size, OrderID: o.id})
			}
		}
		for i := range recs {
			m := &recs[i]
			m.TsRecv, m.TsEvent, m.Venue, m.Publisher, m.Sequence = t, t, v, pub, vs.seq
			m.Flags = FlagSnapshot
			if i == len(recs)-1 {
				m.Flags |= FlagLast
			}
			if err := emit(m); err != nil {
				return err
			}
		}
	}
	return nil
}

// MBOWriter formats MBO records as Databento MBO CSV, with timestamps and
// prices written as Writer writes them. It buffers; call Flush at the end.
type MBOWriter struct{ csvOut }

// NewMBOWriter returns a writer of MBO records for symbol and instrumentID
// to w.
func NewMBOWriter(w io.Writer, symbol string, instrumentID uint32) *MBOWriter {
	return &MBOWriter{newCSVOut(w, MBOHeader, symbol, instrumentID)}
}

// Write appends one record.
func (w *MBOWriter) Write(m *MBO) error {
	if w.begin() {
		b := w.appendTime(w.buf, m.TsRecv)
		b = append(b, ',')
		b = w.appendTime(b, m.TsEvent)
		b = append(b, ",160,"...) // rtype
		b = strconv.AppendUint(b, uint64(m.Publisher), 10)
		b = append(b, w.inst...)
		b = append(b, m.Action, ',', m.Side, ',')
		b = appendPrice(b, m.Price)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(m.Size), 10)
		b = append(b, ",0,"...) // channel_id
		b = strconv.AppendUint(b, m.OrderID, 10)
		b = append(b, ',')
		b = strconv.AppendUint(b, uint64(m.Flags), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(m.TsInDelta), 10)
		b = append(b, ',')
		b = strconv.AppendUint(b, uint64(m.Sequence), 10)
		w.buf = append(b, w.tail...)
	}
	return w.end()
}

// Flush writes out what is buffered (and the header if nothing was written).
func (w *MBOWriter) Flush() error { return w.flush() }

// GenerateMBO runs the model with parameters p and seed, like Generate, and
// writes its MBO records to w as MBO CSV (header first). The market is the
// one Generate writes as MBP-1 for the same p and seed.
func GenerateMBO(w io.Writer, p Params, seed uint64) (Stats, error) {
	s, err := New(p, seed)
	if err != nil {
		return Stats{}, err
	}
	mw := NewMBOWriter(w, p.Symbol, p.InstrumentID)
	if err := s.RunMBO(nil, mw.Write); err != nil {
		return s.Stats(), err
	}
	return s.Stats(), mw.Flush()
}

// Orders runs the model and returns its MBO records as sor.MBO, the values
// the MBO CSV would hold once read back (Line counts from 2, after the
// header), without writing or parsing text: Rows' order-level counterpart.
// StreamOrders gives the same records without holding them.
func Orders(p Params, seed uint64) ([]sor.MBO, error) {
	var recs []sor.MBO
	err := StreamOrders(p, seed, func(m *sor.MBO) error {
		recs = append(recs, *m)
		return nil
	})
	return recs, err
}

// StreamOrders runs the model and calls emit with each of the records
// Orders returns, in order; the record is only valid during the call.
// It stops at emit's first error and returns it.
func StreamOrders(p Params, seed uint64, emit func(*sor.MBO) error) error {
	s, err := New(p, seed)
	if err != nil {
		return err
	}
	line := 2
	return s.RunMBO(nil, func(m *MBO) error {
		rec := m.sor(&p, line)
		line++
		return emit(&rec)
	})
}

// sor returns the record as the CSV reader would read it back at line.
func (m *MBO) sor(p *Params, line int) sor.MBO {
	return sor.MBO{
		Line: line, TsRecv: m.TsRecv, TsEvent: m.TsEvent,
		PublisherID: int(m.Publisher), InstrumentID: p.InstrumentID,
		Action: m.Action, Side: m.Side, Price: money(m.Price), Size: int64(m.Size),
		OrderID: m.OrderID, Flags: m.Flags, TsInDelta: m.TsInDelta, Sequence: m.Sequence,
		Symbol: p.Symbol,
	}
}
