package sor

import (
	"fmt"
	"math"
	"slices"
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

// MeanFillTime is MeanFillTime of r's fills.
func (r *Result) MeanFillTime() (t int64, ok bool) { return MeanFillTime(r) }

// Filler is a list of fills in time order, as gonum/plot's XYer is a list of
// points: the tables and charts of sor/frame and sor/chart read fills
// through it, so that a Result, a sor/replay result (which keeps its own
// details of each fill beside it) or a hand-made list shows without a copy
// of its fills.
type Filler interface {
	Len() int
	Fill(i int) Fill
}

// NamedFiller is a Filler with the name of the strategy that made the fills,
// for the tables and charts that show several.
type NamedFiller interface {
	Filler
	Name() string
}

// Len is the number of fills.
func (r *Result) Len() int { return len(r.Fills) }

// Fill returns the i-th fill.
func (r *Result) Fill(i int) Fill { return r.Fills[i] }

// Name is the strategy's name.
func (r *Result) Name() string { return r.Strategy }

// Totals is what the fills add up to: the shares bought and the cash spent,
// Σ Shares and Σ Cash(). For a Result they are its Filled and Cash.
func Totals(f Filler) (shares int64, cash Money) {
	for i := range f.Len() {
		x := f.Fill(i)
		shares, cash = shares+x.Shares, cash+x.Cash()
	}
	return shares, cash
}

// MeanFillTime is the share-weighted average time of the fills (nanoseconds
// since the epoch): when, on average, the strategy bought. ok is false when
// nothing filled. On a trending price path it explains most of the gap
// between two strategies that buy at different speeds.
func MeanFillTime(f Filler) (t int64, ok bool) {
	n := f.Len()
	if n == 0 {
		return 0, false
	}
	first := f.Fill(0).Time
	var sum float64
	var shares int64
	for i := range n {
		x := f.Fill(i)
		sum += float64(x.Time-first) * float64(x.Shares)
		shares += x.Shares
	}
	if shares == 0 {
		return 0, false
	}
	return first + int64(sum/float64(shares)), true
}

// Backtest runs a buy order of orderSize shares through the snapshots with
// strategy s. Executing x shares at a venue costs x·(ask + fee); shares taken
// from a venue stay gone until the venue's next row replaces its quote. The
// strategy stops once the order is filled; whatever is left at the end of the
// data is unfilled. Every quote's all-in price is checked (see Book.Apply
// and CashGuard), also after the order is filled.
func Backtest(snaps []Snapshot, venues Venues, orderSize int64, s Strategy) (*Result, error) {
	if orderSize <= 0 {
		return nil, fmt.Errorf("order size must be positive, got %d", orderSize)
	}
	if len(snaps) == 0 {
		return &Result{Strategy: s.Name(), OrderSize: orderSize}, nil
	}
	tr := NewTrader(s, orderSize)
	if err := tr.Start(snaps[0].Time, snaps[len(snaps)-1].Time); err != nil {
		return nil, err
	}
	if err := PlaySnapshots(snaps, venues, orderSize, tr); err != nil {
		return nil, err
	}
	return tr.Result(), nil
}

// PlaySnapshots replays snapshots built earlier through a Book (SetQuotes)
// and lets the players decide at each one. The book guards cash for
// orderSize shares. Unlike Play, players see no rows.
func PlaySnapshots(snaps []Snapshot, venues Venues, orderSize int64, players ...Player) error {
	b := NewBook(venues)
	b.Guard(orderSize)
	live := slices.Clone(players)
	for i := range snaps {
		if err := b.SetQuotes(&snaps[i]); err != nil {
			return err
		}
		var err error
		if live, err = decideAll(b, live); err != nil {
			return err
		}
	}
	return nil
}

// Trader runs one Strategy of this package over the decision points of a
// Book: it shows the strategy the offers left to it, checks and executes its
// answer and keeps its Result. It is the Player of the exercise.
type Trader struct {
	s      Strategy
	taken  Taken
	res    *Result
	offers []Offer
}

// NewTrader returns a trader buying orderSize shares with s.
func NewTrader(s Strategy, orderSize int64) *Trader {
	return &Trader{s: s, res: &Result{Strategy: s.Name(), OrderSize: orderSize}}
}

// Start starts the strategy with the times of the first and last decision
// points.
func (tr *Trader) Start(first, last int64) error {
	if err := tr.s.Start(first, last, tr.res.OrderSize); err != nil {
		return fmt.Errorf("%s: %w", tr.s.Name(), err)
	}
	return nil
}

// Result is what the trader has bought so far.
func (tr *Trader) Result() *Result { return tr.res }

// Row does nothing: the exercise's strategies see only decision points.
func (tr *Trader) Row(*Book, *Row) error { return nil }

// DecisionsOnly tells Play that a trader needs no rows.
func (tr *Trader) DecisionsOnly() {}

// Decide lets the strategy act at the book's decision point; done is true
// once the order is filled.
func (tr *Trader) Decide(b *Book) (done bool, err error) {
	res := tr.res
	if res.Filled == res.OrderSize {
		return true, nil
	}
	if idler, ok := tr.s.(Idler); ok && idler.Idle(b.Time(), res.OrderSize-res.Filled) {
		return false, nil
	}
	tr.offers = b.Offers(tr.offers[:0], &tr.taken)
	if len(tr.offers) == 0 {
		return false, nil
	}
	t, remaining := b.Time(), res.OrderSize-res.Filled
	take, err := tr.s.Decide(t, tr.offers, remaining)
	if err == nil {
		err = CheckTake(take, len(tr.offers), remaining)
	}
	if err != nil {
		return false, fmt.Errorf("%s at %d: %w", tr.s.Name(), t, err)
	}
	for k, x := range take {
		o := &tr.offers[k]
		if x = min(x, o.Available); x == 0 {
			continue
		}
		b.Take(&tr.taken, o.Venue, x)
		f := Fill{Time: t, Venue: o.Venue, Shares: x, Price: o.Ask, Fee: o.Fee}
		res.Fills = append(res.Fills, f)
		res.Filled += x
		res.Cash += f.Cash()
	}
	return res.Filled == res.OrderSize, nil
}

// Idler is a Strategy that can tell, before seeing the offers, that it
// will buy nothing at a decision point (TWAP between two targets); the
// trader then spares building the offers.
type Idler interface {
	Idle(t int64, remaining int64) bool
}

// CheckTake checks a strategy's answer to n offers with remaining shares to
// buy: at most one amount per offer, none negative, no more than remaining
// in all. (Amounts above an offer's size are cut to it by the caller.)
func CheckTake(take []int64, n int, remaining int64) error {
	if len(take) > n {
		return fmt.Errorf("%d orders for %d offers", len(take), n)
	}
	var sum int64
	for _, x := range take {
		if x < 0 {
			return fmt.Errorf("negative order %d", x)
		}
		sum += min(x, math.MaxInt64-sum) // saturates: a sum beyond int64 is too many anyway
	}
	if sum > remaining {
		return fmt.Errorf("asked for %d shares with %d remaining", sum, remaining)
	}
	return nil
}
