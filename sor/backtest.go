package sor

import (
	"fmt"
	"math"
	"math/bits"
)

// Strategy decides, at each decision point, how many shares of a buy order to
// take from each venue. The backtest owns the book: it shows the strategy only
// venues with shares available to it, executes what it asks for and applies
// the depletion rule, so a strategy holds nothing but its own plan.
type Strategy interface {
	// Name labels the strategy in reports and charts.
	Name() string
	// Start is called once before the first decision with the times of the
	// first and last snapshots and the order size.
	Start(first, last int64, orderSize int64) error
	// Decide returns how many shares to take from each offer (indices as in
	// offers; nil for none) at time t, with remaining shares still to buy.
	// Offers are in ascending publisher id and all have Available > 0.
	Decide(t int64, offers []Offer, remaining int64) ([]int64, error)
}

// Fill is one execution: Shares bought at Venue at time Time for Price plus
// Fee per share.
type Fill struct {
	Time   int64
	Venue  int
	Shares int64
	Price  Money
	Fee    Money
}

// Cash is what the fill cost: Shares·(Price + Fee).
func (f Fill) Cash() Money { return Money(f.Shares) * (f.Price + f.Fee) }

// Result is the outcome of one strategy over one backtest.
type Result struct {
	Strategy  string
	OrderSize int64
	Fills     []Fill
	Filled    int64
	Cash      Money
}

// Unfilled is the part of the order not bought by the end of the data.
func (r *Result) Unfilled() int64 { return r.OrderSize - r.Filled }

// AvgPrice is Cash/Filled in dollars per share; ok is false when nothing filled.
func (r *Result) AvgPrice() (avg float64, ok bool) {
	if r.Filled == 0 {
		return 0, false
	}
	return float64(r.Cash) / float64(r.Filled) / float64(Dollar), true
}

// MeanFillTime is the share-weighted average time of the fills (nanoseconds
// since the epoch): when, on average, the strategy bought. ok is false when
// nothing filled. On a trending price path it explains most of the gap
// between two strategies that buy at different speeds.
func (r *Result) MeanFillTime() (t int64, ok bool) {
	if r.Filled == 0 {
		return 0, false
	}
	first := r.Fills[0].Time
	var sum float64
	for _, f := range r.Fills {
		sum += float64(f.Time-first) * float64(f.Shares)
	}
	return first + int64(sum/float64(r.Filled)), true
}

// maxCash bounds order size × price so that every sum of money in a
// backtest stays far inside int64.
const maxCash = math.MaxInt64 / 4

// Backtest runs a buy order of orderSize shares through the snapshots with
// strategy s. Executing x shares at a venue costs x·(ask + fee); shares taken
// from a venue stay gone until the venue's next row replaces its quote. The
// strategy stops once the order is filled; whatever is left at the end of the
// data is unfilled.
func Backtest(snaps []Snapshot, venues Venues, orderSize int64, s Strategy) (*Result, error) {
	if orderSize <= 0 {
		return nil, fmt.Errorf("order size must be positive, got %d", orderSize)
	}
	if err := checkCashRange(snaps, venues, orderSize); err != nil {
		return nil, err
	}
	res := &Result{Strategy: s.Name(), OrderSize: orderSize}
	if len(snaps) == 0 {
		return res, nil
	}
	if err := s.Start(snaps[0].Time, snaps[len(snaps)-1].Time, orderSize); err != nil {
		return nil, fmt.Errorf("%s: %w", s.Name(), err)
	}
	var book depletion
	var offers []Offer
	for i := range snaps {
		if res.Filled == orderSize {
			break
		}
		snap := &snaps[i]
		offers = offers[:0]
		for _, q := range snap.Quotes {
			if avail := q.AskSize - book.taken(q); avail > 0 {
				v := venues.Get(q.Venue)
				offers = append(offers, Offer{Venue: q.Venue, Ask: q.Ask, Fee: v.Fee, Rebate: v.Rebate, Available: avail})
			}
		}
		if len(offers) == 0 {
			continue
		}
		remaining := orderSize - res.Filled
		take, err := s.Decide(snap.Time, offers, remaining)
		if err != nil {
			return nil, fmt.Errorf("%s at %d: %w", s.Name(), snap.Time, err)
		}
		if len(take) > len(offers) {
			return nil, fmt.Errorf("%s at %d: %d orders for %d offers", s.Name(), snap.Time, len(take), len(offers))
		}
		var sum int64
		for _, x := range take {
			if x < 0 {
				return nil, fmt.Errorf("%s at %d: negative order %d", s.Name(), snap.Time, x)
			}
			sum += x
		}
		if sum > remaining {
			return nil, fmt.Errorf("%s at %d: asked for %d shares with %d remaining", s.Name(), snap.Time, sum, remaining)
		}
		for k, x := range take {
			o := offers[k]
			if x = min(x, o.Available); x == 0 {
				continue
			}
			book.take(o.Venue, snap.Quotes, x)
			f := Fill{Time: snap.Time, Venue: o.Venue, Shares: x, Price: o.Ask, Fee: o.Fee}
			res.Fills = append(res.Fills, f)
			res.Filled += x
			res.Cash += f.Cash()
		}
	}
	return res, nil
}

// checkCashRange refuses inputs whose money could overflow or make no sense:
// every all-in price ask + fee must be positive (a fee so negative that a
// taker is paid to buy is a broken venue table) and order size × the dearest
// all-in price must fit far inside int64.
func checkCashRange(snaps []Snapshot, venues Venues, orderSize int64) error {
	var worst Money
	for i := range snaps {
		for _, q := range snaps[i].Quotes {
			fee := venues.Get(q.Venue).Fee
			p := q.Ask + fee
			if (fee > 0 && p < q.Ask) || (fee < 0 && p > q.Ask) {
				return fmt.Errorf("venue %d: ask $%v plus fee $%v overflows", q.Venue, q.Ask, fee)
			}
			if p <= 0 {
				return fmt.Errorf("venue %d: ask $%v plus fee $%v is not a positive price", q.Venue, q.Ask, fee)
			}
			worst = max(worst, p)
		}
	}
	hi, lo := bits.Mul64(uint64(orderSize), uint64(worst))
	if hi != 0 || lo > maxCash {
		return fmt.Errorf("order of %d shares at up to $%v is too large for exact money arithmetic", orderSize, worst)
	}
	return nil
}

// depletion remembers, per venue, how many shares a strategy has taken from
// the venue's current quote (identified by its Seq).
type depletion []struct {
	venue, seq int
	taken      int64
}

func (d depletion) taken(q Quote) int64 {
	for _, e := range d {
		if e.venue == q.Venue {
			if e.seq == q.Seq {
				return e.taken
			}
			return 0
		}
	}
	return 0
}

func (d *depletion) take(venue int, quotes []Quote, x int64) {
	seq := -1
	for _, q := range quotes {
		if q.Venue == venue {
			seq = q.Seq
		}
	}
	for i := range *d {
		e := &(*d)[i]
		if e.venue == venue {
			if e.seq != seq {
				e.seq, e.taken = seq, 0
			}
			e.taken += x
			return
		}
	}
	*d = append(*d, struct {
		venue, seq int
		taken      int64
	}{venue, seq, x})
}
