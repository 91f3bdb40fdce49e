package sim

import "io"

// Generate runs the model with parameters p and seed and writes the rows to
// w as MBP-1 CSV (header first). It is deterministic: the same p and seed
// give the same bytes.
func Generate(w io.Writer, p Params, seed uint64) (Stats, error) {
	s, err := New(p, seed)
	if err != nil {
		return Stats{}, err
	}
	cw := NewWriter(w, p.Symbol, p.InstrumentID)
	if err := s.Run(cw.Write); err != nil {
		return s.Stats(), err
	}
	return s.Stats(), cw.Flush()
}
