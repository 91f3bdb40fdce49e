package sim

import "github.com/sorlab/sorlab/sor"

// Rows runs the model and returns its rows as sor.Rows, the values the CSV
// would hold once read back, without writing or parsing text: the quick way
// to backtest on many simulated markets.
func Rows(p Params, seed uint64) ([]sor.Row, error) {
	s, err := New(p, seed)
	if err != nil {
		return nil, err
	}
	var rows []sor.Row
	err = s.Run(func(r *Row) error {
		rows = append(rows, sor.Row{
			Line: len(rows) + 2, TsRecv: r.TsRecv, TsEvent: r.TsEvent,
			PublisherID: int(r.Publisher), InstrumentID: p.InstrumentID,
			Action: r.Action, Side: r.Side, Price: money(r.Price), Size: int64(r.Size),
			BidPx: money(r.BidPx), AskPx: money(r.AskPx), BidSz: int64(r.BidSz), AskSz: int64(r.AskSz),
			Symbol: p.Symbol,
		})
		return nil
	})
	return rows, err
}

// money converts a price in cents to sor.Money, UndefPrice to sor.NoPrice.
func money(cents int64) sor.Money {
	if cents == UndefPrice {
		return sor.NoPrice
	}
	return sor.Money(cents) * sor.Cent
}
