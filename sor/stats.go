package sor

import "slices"

// VenueStats describes one venue's quotes over a list of snapshots. Averages
// are per snapshot (each decision point counts once), not per unit of time.
type VenueStats struct {
	Venue        int
	Quoting      int     // snapshots in which the venue shows an ask
	MeanSpread   float64 // ask − bid in dollars, over snapshots with both sides
	MedianSpread Money
	MeanAskSize  float64 // shares
	AtBest       float64 // share of snapshots where its ask + fee is the lowest (ties count for each)
}

// QuoteStats summarises each venue's quotes in the snapshots, in ascending
// publisher id order. Fees from venues decide which venue is "at best".
func QuoteStats(snaps []Snapshot, venues Venues) []VenueStats {
	type acc struct {
		quoting, atBest int
		spreads         []Money
		sizes           float64
	}
	accs := map[int]*acc{}
	for i := range snaps {
		best, _ := ConsolidatedAsk(snaps[i].Quotes, venues)
		for _, q := range snaps[i].Quotes {
			a := accs[q.Venue]
			if a == nil {
				a = &acc{}
				accs[q.Venue] = a
			}
			a.quoting++
			a.sizes += float64(q.AskSize)
			if q.Bid != NoPrice {
				a.spreads = append(a.spreads, q.Ask-q.Bid)
			}
			if q.Ask+venues.Get(q.Venue).Fee == best {
				a.atBest++
			}
		}
	}
	var out []VenueStats
	for id, a := range accs {
		s := VenueStats{Venue: id, Quoting: a.quoting, MeanAskSize: a.sizes / float64(a.quoting), AtBest: float64(a.atBest) / float64(len(snaps))}
		if n := len(a.spreads); n > 0 {
			var sum Money
			for _, x := range a.spreads {
				sum += x
			}
			s.MeanSpread = sum.Dollars() / float64(n)
			slices.Sort(a.spreads)
			s.MedianSpread = a.spreads[n/2]
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b VenueStats) int { return a.Venue - b.Venue })
	return out
}

// ConsolidatedAsk returns the lowest ask + fee among quotes and the total size shown
// at that all-in price across venues (the consolidated best offer); 0, 0 when
// no venue quotes.
func ConsolidatedAsk(quotes []Quote, venues Venues) (price Money, size int64) {
	for _, q := range quotes {
		price, size = consolidate(price, size, q.Ask+venues.Get(q.Venue).Fee, q.AskSize)
	}
	return price, size
}

// DisplayedSize is the total ask size all venues show in a snapshot: what a
// single sweep could buy at once.
func DisplayedSize(quotes []Quote) int64 {
	var n int64
	for _, q := range quotes {
		n += q.AskSize
	}
	return n
}
