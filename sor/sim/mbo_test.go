package sim

import (
	"bytes"
	"testing"
	"time"
)

// Writing MBO must not change a single random draw: the MBP-1 rows of
// RunMBO are those of Run.
func TestRunMBOLeavesMBP1Unchanged(t *testing.T) {
	p := DefaultParams()
	p.Duration = time.Minute
	var plain, both bytes.Buffer
	if _, err := Generate(&plain, p, 11); err != nil {
		t.Fatal(err)
	}
	s, err := New(p, 11)
	if err != nil {
		t.Fatal(err)
	}
	w := NewWriter(&both, p.Symbol, p.InstrumentID)
	var mbos int64
	if err := s.RunMBO(w.Write, func(*MBO) error { mbos++; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(plain.Bytes(), both.Bytes()) {
		t.Errorf("MBP-1 with MBO differs from MBP-1 alone (%s)", firstDiff(plain.Bytes(), both.Bytes()))
	}
	if mbos < s.Stats().Rows {
		t.Errorf("%d MBO records for %d rows", mbos, s.Stats().Rows)
	}
}

// Order ids follow an order from its add to its end: every cancel and fill
// names a resting order, no id is added twice, fills come as T, F, C with
// the same shares, and the book is never crossed at a venue.
func TestMBOOrderLifecycles(t *testing.T) {
	p := DefaultParams()
	p.Duration = 3 * time.Minute
	recs, err := Orders(p, 5)
	if err != nil {
		t.Fatal(err)
	}
	resting := map[uint64]int64{}
	added := map[uint64]bool{}
	counts := map[byte]int{}
	for i, r := range recs {
		counts[r.Action]++
		switch r.Action {
		case 'A':
			if added[r.OrderID] || r.OrderID == 0 || r.Size <= 0 {
				t.Fatalf("line %d: add of order %d (size %d) seen before or invalid", r.Line, r.OrderID, r.Size)
			}
			added[r.OrderID] = true
			resting[r.OrderID] = r.Size
		case 'C':
			if resting[r.OrderID] < r.Size || r.Size <= 0 {
				t.Fatalf("line %d: cancel of %d shares of order %d, which has %d", r.Line, r.Size, r.OrderID, resting[r.OrderID])
			}
			resting[r.OrderID] -= r.Size
		case 'T':
			f, c := recs[i+1], recs[i+2]
			if f.Action != 'F' || c.Action != 'C' || f.OrderID != c.OrderID || f.Size != r.Size || c.Size != r.Size ||
				f.Side == r.Side || f.Side != c.Side || r.OrderID != 0 || f.Price != r.Price {
				t.Fatalf("line %d: trade not followed by its fill and cancel: %+v %+v %+v", r.Line, r, f, c)
			}
		case 'F':
			if resting[r.OrderID] < r.Size {
				t.Fatalf("line %d: fill of %d shares of order %d, which has %d", r.Line, r.Size, r.OrderID, resting[r.OrderID])
			}
		case 'R':
			if r.Flags&FlagSnapshot == 0 || r.Line > 2+len(p.Venues)*100 {
				t.Fatalf("line %d: clear outside the starting snapshot", r.Line)
			}
		default:
			t.Fatalf("line %d: action %q", r.Line, r.Action)
		}
	}
	for _, a := range []byte("ACTFR") {
		if counts[a] == 0 {
			t.Errorf("no %c records", a)
		}
	}
	if counts['R'] != len(p.Venues) || counts['T'] != counts['F'] {
		t.Errorf("counts %v: want one clear per venue and a fill per trade", counts)
	}
}
