package replay

import (
	"cmp"
	"slices"

	"github.com/sorlab/sorlab/sor"
)

// Stream is the event stream of a backtest: the rows inside a window, ordered
// by ts_event with file order kept among equal times (the ordering of
// sor.BuildSnapshots). It is read-only once built, so one Stream can serve
// many runs at once.
type Stream struct {
	Rows   []sor.Row
	Window sor.Window
	ids    []int // publishers present, ascending
}

// NewStream copies the rows of rows that fall inside w (Start <= ts_event <
// End, a zero bound being open) and sorts them stably by ts_event.
func NewStream(rows []sor.Row, w sor.Window) *Stream {
	st := &Stream{Window: w}
	st.Rows = make([]sor.Row, 0, len(rows))
	for i := range rows {
		if w.Contains(rows[i].TsEvent) {
			st.Rows = append(st.Rows, rows[i])
		}
	}
	if !slices.IsSortedFunc(st.Rows, byTime) {
		slices.SortStableFunc(st.Rows, byTime)
	}
	for i := range st.Rows {
		id := st.Rows[i].PublisherID
		if j, found := slices.BinarySearch(st.ids, id); !found {
			st.ids = slices.Insert(st.ids, j, id)
		}
	}
	return st
}

func byTime(a, b sor.Row) int { return cmp.Compare(a.TsEvent, b.TsEvent) }

// Venues returns the publisher ids present in the stream, ascending.
func (st *Stream) Venues() []int { return slices.Clone(st.ids) }

// First and Last are the first and last ts_event of the stream (0 if empty).
func (st *Stream) First() int64 {
	if len(st.Rows) == 0 {
		return 0
	}
	return st.Rows[0].TsEvent
}

func (st *Stream) Last() int64 {
	if len(st.Rows) == 0 {
		return 0
	}
	return st.Rows[len(st.Rows)-1].TsEvent
}

// TradeHitsBid classifies a trade row of a venue whose book before the row
// had best bid bid and best ask ask: true for a sell that hit the bid, false
// for a buy that lifted the offer. The prices decide when they can (a trade
// at or below the bid is a sell, at or above the ask a buy), which does not
// depend on any side convention; otherwise Databento's convention is used:
// the side of a trade is the aggressor's, 'A' a sell, 'B' a buy.
func TradeHitsBid(r *sor.Row, bid, ask sor.Money) bool {
	switch {
	case bid != sor.NoPrice && r.Price <= bid:
		return true
	case ask != sor.NoPrice && r.Price >= ask:
		return false
	}
	return r.Side == 'A'
}

// isTrade reports whether a row reports a trade. Only action 'T' counts: in
// MBP data, 'F' fills (when present) repeat trades already reported.
func isTrade(r *sor.Row) bool { return r.Action == 'T' && r.Size > 0 && r.Price != sor.NoPrice }
