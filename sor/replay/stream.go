package replay

import "github.com/sorlab/sorlab/sor"

// Stream is the rows of a backtest held in memory: sor.Stream, a sor.Source.
type Stream = sor.Stream

// NewStream copies the rows that fall inside w and sorts them stably by
// ts_event (sor.NewStream).
func NewStream(rows []sor.Row, w sor.Window) *Stream { return sor.NewStream(rows, w) }

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
