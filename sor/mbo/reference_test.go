package mbo

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/sim"
)

// simOrders returns hypothetical orders for the simulator's records: n buys,
// each joining a venue at the time of a random record, at that venue's best
// bid or a tick below or above it, some with a cancel time.
func simOrders(t testing.TB, recs []sor.MBO, n int, seed uint64) []Order {
	rng := rand.New(rand.NewPCG(seed, 1))
	at := make([]int, n)
	for i := range at {
		at[i] = rng.IntN(len(recs))
	}
	slices.Sort(at)
	b := NewBook()
	var orders []Order
	j := 0
	for i := range recs {
		if err := b.Apply(&recs[i]); err != nil {
			t.Fatal(err)
		}
		for ; j < len(at) && at[j] == i; j++ {
			rec := &recs[i]
			top := b.Top(rec.PublisherID)
			if top.BidPx == sor.NoPrice {
				continue
			}
			o := Order{Venue: rec.PublisherID, Price: top.BidPx + sor.Money(rng.IntN(3)-1)*sor.Cent,
				Shares: int64(1 + rng.IntN(2000)), Join: rec.TsEvent}
			if rng.IntN(2) == 0 {
				o.Until = o.Join + int64(rng.IntN(60))*int64(time.Second)
			}
			orders = append(orders, o)
		}
	}
	return orders
}

// reference computes one order's fills by the package doc's rules in the
// plainest way: it keeps the set of orders ahead by id and scans every
// record. It relies on the simulator's order of records (each fill's F
// before its C), so it needs no bookkeeping of fills within an event.
func reference(t *testing.T, recs []sor.MBO, o Order) []Fill {
	b := NewBook()
	var fills []Fill
	rem := o.Shares
	fill := func(ts int64, line int, n int64, c Cause) {
		if n = min(n, rem); n > 0 {
			rem -= n
			fills = append(fills, Fill{ts, n, c, line})
		}
	}
	joined := false
	ahead := map[uint64]int64{}
	for i := range recs {
		rec := &recs[i]
		if rec.PublisherID != o.Venue {
			if err := b.Apply(rec); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if !joined && rec.TsEvent > o.Join {
			joined = true
			for _, q := range b.Queue(o.Venue, 'B', o.Price) {
				ahead[q.ID] = q.Size
			}
			for _, l := range b.venue(o.Venue).sides[ask].levels {
				if l.price <= o.Price {
					fill(o.Join, 0, l.size, Cross)
				}
			}
		}
		if joined && rem > 0 && (o.Until == 0 || rec.TsEvent <= o.Until) {
			var sum int64
			for _, n := range ahead {
				sum += n
			}
			_, isAhead := ahead[rec.OrderID]
			switch {
			case rec.Action == 'F' && rec.Side == 'B' && rec.Price == o.Price && !isAhead && sum == 0:
				fill(rec.TsEvent, rec.Line, rec.Size, Behind)
			case rec.Action == 'T' && rec.Side == 'A' && rec.Price < o.Price:
				fill(rec.TsEvent, rec.Line, rec.Size, Through)
			case rec.Action == 'A' && rec.Side == 'A' && rec.Price <= o.Price:
				fill(rec.TsEvent, rec.Line, rec.Size, Cross)
			}
		}
		if n, ok := ahead[rec.OrderID]; ok && rec.Action == 'C' {
			if n -= rec.Size; n == 0 {
				delete(ahead, rec.OrderID)
			} else {
				ahead[rec.OrderID] = n
			}
		}
		if err := b.Apply(rec); err != nil {
			t.Fatal(err)
		}
	}
	if !joined {
		for _, l := range b.venue(o.Venue).sides[ask].levels {
			if l.price <= o.Price {
				fill(o.Join, 0, l.size, Cross)
			}
		}
	}
	return fills
}

// Truth, following 400 orders at once on two minutes of the simulator's
// market, gives each order the fills the plain reference computes for it
// alone.
func TestTruthAgreesWithTheReferenceOnTheSimulator(t *testing.T) {
	p := sim.DefaultParams()
	p.Duration = 2 * time.Minute
	recs, err := sim.Orders(p, 3)
	if err != nil {
		t.Fatal(err)
	}
	orders := simOrders(t, recs, 400, 9)
	tr, err := Follow(recs, orders)
	if err != nil {
		t.Fatal(err)
	}
	causes := map[Cause]int{}
	for i, o := range orders {
		got, want := tr.Fills(i), reference(t, recs, o)
		if !slices.Equal(got, want) {
			t.Fatalf("order %d %+v:\n truth     %v\n reference %v", i, o, got, want)
		}
		for _, f := range got {
			causes[f.Cause]++
		}
	}
	t.Logf("fills by cause %v", causes)
	// The comparison must cover every rule.
	if causes[Behind] < 20 || causes[Through] < 20 || causes[Cross] < 20 {
		t.Errorf("fills by cause %v: too few to compare", causes)
	}
}

// BenchmarkTruth follows 10,000 hypothetical orders over the shipped
// sample's four minutes of MBO; the baseline is rebuilding the book alone.
func BenchmarkTruth(b *testing.B) {
	recs, err := sim.Orders(sim.DefaultParams(), sim.DefaultSeed)
	if err != nil {
		b.Fatal(err)
	}
	orders := simOrders(b, recs, 10_000, 1)
	b.Run("book", func(b *testing.B) {
		for b.Loop() {
			bk := NewBook()
			for i := range recs {
				if err := bk.Apply(&recs[i]); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(len(recs))*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	})
	b.Run("truth-10000", func(b *testing.B) {
		for b.Loop() {
			if _, err := Follow(recs, orders); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(recs))*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	})
}
