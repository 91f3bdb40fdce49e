package replay

import "github.com/sorlab/sorlab/sor"

// Baseline runs a strategy of package sor (BestAsk, TWAP, VWAP, Router)
// unchanged as a market-order strategy. At each decision point it shows the
// strategy the view's offers (the venues with an ask and shares left to
// take, in ascending publisher id, as sor.Backtest does) with remaining =
// order size − filled − market orders still in flight, checks its answer as
// sor.Backtest does (sor.CheckTake) and sends it as market orders at the
// asks it saw.
type Baseline struct{ S sor.Strategy }

// Baselines returns the three baselines of the exercise: best ask, TWAP
// with 60-second buckets and VWAP.
func Baselines() []Strategy {
	return []Strategy{&Baseline{S: sor.BestAsk{}}, &Baseline{S: &sor.TWAP{Bucket: 60e9}}, &Baseline{S: sor.VWAP{}}}
}

func (b *Baseline) Name() string { return b.S.Name() }

func (b *Baseline) Start(s Setup) error { return b.S.Start(s.First, s.Last, s.OrderSize) }

func (b *Baseline) Decide(v *View) ([]Order, error) {
	remaining := v.Remaining() - v.Pending(Market)
	if remaining <= 0 {
		return nil, nil
	}
	offers := v.Offers()
	if len(offers) == 0 {
		return nil, nil
	}
	take, err := b.S.Decide(v.Time, offers, remaining)
	if err == nil {
		err = sor.CheckTake(take, len(offers), remaining)
	}
	if err != nil {
		return nil, err
	}
	var orders []Order
	for k, x := range take {
		o := &offers[k]
		if x = min(x, o.Available); x > 0 {
			orders = append(orders, Order{Kind: Market, Venue: o.Venue, Shares: x, Price: o.Ask})
		}
	}
	return orders, nil
}
