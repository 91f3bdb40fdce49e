package sim

import "github.com/sorlab/sorlab/sor"

// Rows runs the model and returns its rows as sor.Rows, the values the CSV
// would hold once read back, without writing or parsing text: the quick way
// to backtest on a simulated market held in memory. NewSource streams the
// same rows without holding them.
func Rows(p Params, seed uint64) ([]sor.Row, error) {
	s, err := New(p, seed)
	if err != nil {
		return nil, err
	}
	var rows []sor.Row
	err = s.Run(func(r *Row) error {
		rows = append(rows, p.sorRow(r, len(rows)+2))
		return nil
	})
	return rows, err
}

// sorRow is r as sor's reader reads it back from line line of the CSV.
func (p *Params) sorRow(r *Row, line int) sor.Row {
	return sor.Row{
		Line: line, TsRecv: r.TsRecv, TsEvent: r.TsEvent,
		PublisherID: int(r.Publisher), InstrumentID: p.InstrumentID,
		Action: r.Action, Side: r.Side, Price: money(r.Price), Size: int64(r.Size),
		BidPx: money(r.BidPx), AskPx: money(r.AskPx), BidSz: int64(r.BidSz), AskSz: int64(r.AskSz),
		Symbol: p.Symbol,
	}
}

// money converts a price in cents to sor.Money, UndefPrice to sor.NoPrice.
func money(cents int64) sor.Money {
	if cents == UndefPrice {
		return sor.NoPrice
	}
	return sor.Money(cents) * sor.Cent
}

// Source is a simulated market as a sor.Source: the model runs once when
// the source is made, to learn its span, and again at each play, so that no
// row is ever held. Its rows are those of Rows.
type Source struct {
	p    Params
	seed uint64
	span sor.Span
}

// NewSource runs the model once for the span of its rows.
func NewSource(p Params, seed uint64) (*Source, error) {
	s, err := New(p, seed)
	if err != nil {
		return nil, err
	}
	var span sor.Span
	var pubs sor.PublisherSet
	err = s.Run(func(r *Row) error {
		if span.Rows == 0 {
			span.First = r.TsEvent
		}
		span.Last = r.TsEvent
		span.Rows++
		pubs.Add(int(r.Publisher))
		return nil
	})
	if err != nil {
		return nil, err
	}
	span.Publishers = pubs.IDs()
	return &Source{p: p, seed: seed, span: span}, nil
}

// Span describes the rows (the model writes them in time order).
func (s *Source) Span() sor.Span { return s.span }

// Chunks runs the model again and yields its rows.
func (s *Source) Chunks(yield func([]sor.Row) bool) error {
	m, err := New(s.p, s.seed)
	if err != nil {
		return err
	}
	const chunk = 4096
	var rows []sor.Row
	line := 2
	stopped := false
	errStop := errStopped{}
	err = m.Run(func(r *Row) error {
		if rows == nil {
			rows = make([]sor.Row, 0, chunk)
		}
		rows = append(rows, s.p.sorRow(r, line))
		line++
		if len(rows) == chunk {
			if !yield(rows) {
				stopped = true
				return errStop
			}
			rows = nil
		}
		return nil
	})
	if stopped {
		return nil
	}
	if err != nil {
		return err
	}
	if len(rows) > 0 {
		yield(rows)
	}
	return nil
}

type errStopped struct{}

func (errStopped) Error() string { return "stopped" }
