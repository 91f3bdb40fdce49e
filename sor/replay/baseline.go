package replay

import (
	"fmt"

	"github.com/sorlab/sorlab/sor"
)

// Baseline runs a strategy of package sor (BestAsk, TWAP, VWAP, Router)
// unchanged as a market-order strategy. At each decision point it shows the
// strategy the venues with an ask and shares left to take, in ascending
// publisher id, as sor.Backtest does, with remaining = order size − filled −
// market orders still in flight, and sends what it asks for as market orders
// at the asks it saw.
type Baseline struct {
	S      sor.Strategy
	offers []sor.Offer
}

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
	b.offers = b.offers[:0]
	for _, q := range v.Quotes {
		if q.Ask != sor.NoPrice && q.AskSize > 0 {
			b.offers = append(b.offers, sor.Offer{Venue: q.Venue, Ask: q.Ask, Fee: q.Fee, Rebate: q.Rebate, Available: q.AskSize})
		}
	}
	if len(b.offers) == 0 {
		return nil, nil
	}
	take, err := b.S.Decide(v.Time, b.offers, remaining)
	if err != nil {
		return nil, err
	}
	if len(take) > len(b.offers) {
		return nil, fmt.Errorf("%d orders for %d offers", len(take), len(b.offers))
	}
	var sum int64
	var orders []Order
	for k, x := range take {
		if x < 0 {
			return nil, fmt.Errorf("negative order %d", x)
		}
		sum += x
		if x = min(x, b.offers[k].Available); x > 0 {
			orders = append(orders, Order{Kind: Market, Venue: b.offers[k].Venue, Shares: x, Price: b.offers[k].Ask})
		}
	}
	if sum > remaining {
		return nil, fmt.Errorf("asked for %d shares with %d remaining", sum, remaining)
	}
	return orders, nil
}
