package sim

import (
	"fmt"
	"testing"
	"time"
)

// oneVenue is a market of one venue where nothing happens but the events
// under test: the efficient price stands still and the constant-rate
// streams are all but silent.
func oneVenue() Params {
	p := DefaultParams()
	p.Venues = []Venue{{PublisherID: 2, Name: "XNAS", Share: 1, Depth: 3, Latency: 10 * time.Microsecond}}
	p.AddRate, p.CancelRate, p.MarketRate = 1e-12, 0, 0
	p.ImproveRate, p.StaleRate = 0, 0
	p.Volatility, p.Pull, p.LargeProb = 0, 0, 0
	p.GapFillProb = 1
	p.Duration = time.Second
	return p
}

func runRows(t *testing.T, s *Sim) []Row {
	t.Helper()
	var rows []Row
	if err := s.Run(func(r *Row) error { rows = append(rows, *r); return nil }); err != nil {
		t.Fatal(err)
	}
	return rows
}

// An ask below the efficient price is stale: its orders are withdrawn one
// by one until the ask has moved above it (the queue behind is revealed at
// the next tick and the bid takes the vacated price), and nothing more.
func TestStaleQuoteIsWithdrawn(t *testing.T) {
	p := oneVenue()
	p.StaleRate = 100
	s, err := New(p, 1)
	if err != nil {
		t.Fatal(err)
	}
	orders := len(s.v[0].q[ask].orders)
	s.eff = 22001.5 // the bid is 220.00, the ask 220.01
	rows := runRows(t, s)
	if len(rows) != orders+1 {
		t.Fatalf("%d rows, want %d cancellations and the gap fill: %+v", len(rows), orders, rows)
	}
	for _, r := range rows[:orders] {
		if r.Action != 'C' || r.Side != 'A' || r.Price != 22001 {
			t.Errorf("row %c %c at %d, want a cancellation of the ask at 22001", r.Action, r.Side, r.Price)
		}
	}
	if last := rows[orders]; last.Action != 'A' || last.Side != 'B' || last.BidPx != 22001 || last.AskPx != 22002 {
		t.Errorf("last row %c %c, book %d/%d; want the gap fill, book 22001/22002", last.Action, last.Side, last.BidPx, last.AskPx)
	}
}

// While a venue's spread is wide, orders arrive inside it on the side of
// the efficient price, one tick at a time, until the spread is one tick.
func TestInSpreadOrdersGoTheEfficientPricesWay(t *testing.T) {
	for _, c := range []struct {
		eff              float64
		side             byte
		prices           []int64
		wantBid, wantAsk int64
	}{
		{22002.8, 'B', []int64{22001, 22002}, 22002, 22003},
		{22000.2, 'A', []int64{22002, 22001}, 22000, 22001},
	} {
		t.Run(fmt.Sprint(c.eff), func(t *testing.T) {
			p := oneVenue()
			p.ImproveRate = 1000
			s, err := New(p, 1)
			if err != nil {
				t.Fatal(err)
			}
			s.v[0].q[ask].reset(22003) // a spread of three ticks
			s.push(0, ask, 100)
			s.eff = c.eff
			rows := runRows(t, s)
			if len(rows) != len(c.prices) {
				t.Fatalf("%d rows, want %d: %+v", len(rows), len(c.prices), rows)
			}
			for i, r := range rows {
				if r.Action != 'A' || r.Side != c.side || r.Price != c.prices[i] {
					t.Errorf("row %d: %c %c at %d, want A %c at %d", i, r.Action, r.Side, r.Price, c.side, c.prices[i])
				}
			}
			if last := rows[len(rows)-1]; last.BidPx != c.wantBid || last.AskPx != c.wantAsk {
				t.Errorf("book %d/%d, want %d/%d", last.BidPx, last.AskPx, c.wantBid, c.wantAsk)
			}
		})
	}
}
