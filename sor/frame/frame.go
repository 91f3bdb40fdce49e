// Package frame turns sorlab values into gota DataFrames for notebooks:
// rows, quotes, fills, candidate splits, grid results and venue statistics.
// It only converts; every number comes from package sor.
//
// Times are shown as "15:04:05.000000" UTC strings (column time) next to the
// exact nanosecond count (column ts_ns); money is float dollars.
package frame

import (
	"time"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
	"github.com/sorlab/sorlab/sor"
)

// Clock formats nanoseconds since the epoch as a UTC time of day with
// microseconds.
func Clock(ns int64) string { return time.Unix(0, ns).UTC().Format("15:04:05.000000") }

type cols struct{ s []series.Series }

func (c *cols) ints(name string, v []int)       { c.s = append(c.s, series.New(v, series.Int, name)) }
func (c *cols) floats(name string, v []float64) { c.s = append(c.s, series.New(v, series.Float, name)) }
func (c *cols) strings(name string, v []string) {
	c.s = append(c.s, series.New(v, series.String, name))
}
func (c *cols) frame() dataframe.DataFrame { return dataframe.New(c.s...) }
func dollars(m sor.Money) float64          { return m.Dollars() }
func optDollars(m sor.Money) float64       { return orNaN(m != sor.NoPrice, m.Dollars()) }
func orNaN(ok bool, v float64) float64 {
	if ok {
		return v
	}
	return nan
}

var nan = func() float64 { var z float64; return z / z }()

// Rows is one line per input row.
func Rows(rows []sor.Row) dataframe.DataFrame {
	n := len(rows)
	ts, pub, sz, bsz, asz := make([]int, n), make([]int, n), make([]int, n), make([]int, n), make([]int, n)
	clock, action, side := make([]string, n), make([]string, n), make([]string, n)
	px, bid, ask := make([]float64, n), make([]float64, n), make([]float64, n)
	for i, r := range rows {
		ts[i], clock[i], pub[i] = int(r.TsEvent), Clock(r.TsEvent), r.PublisherID
		action[i], side[i] = string(rune(max(r.Action, ' '))), string(rune(max(r.Side, ' ')))
		px[i], sz[i] = optDollars(r.Price), int(r.Size)
		bid[i], ask[i], bsz[i], asz[i] = optDollars(r.BidPx), optDollars(r.AskPx), int(r.BidSz), int(r.AskSz)
	}
	var c cols
	c.ints("ts_ns", ts)
	c.strings("time", clock)
	c.ints("publisher_id", pub)
	c.strings("action", action)
	c.strings("side", side)
	c.floats("price", px)
	c.ints("size", sz)
	c.floats("bid_px", bid)
	c.floats("ask_px", ask)
	c.ints("bid_sz", bsz)
	c.ints("ask_sz", asz)
	return c.frame()
}

// Quotes is the snapshots in long form: one line per (snapshot, venue).
func Quotes(snaps []sor.Snapshot) dataframe.DataFrame {
	var ts, venue, asz, bsz []int
	var clock []string
	var ask, bid []float64
	for _, s := range snaps {
		for _, q := range s.Quotes {
			ts, clock, venue = append(ts, int(s.Time)), append(clock, Clock(s.Time)), append(venue, q.Venue)
			ask, asz = append(ask, dollars(q.Ask)), append(asz, int(q.AskSize))
			bid, bsz = append(bid, optDollars(q.Bid)), append(bsz, int(q.BidSize))
		}
	}
	var c cols
	c.ints("ts_ns", ts)
	c.strings("time", clock)
	c.ints("venue", venue)
	c.floats("bid", bid)
	c.ints("bid_size", bsz)
	c.floats("ask", ask)
	c.ints("ask_size", asz)
	return c.frame()
}

// Fills lists the executions of a result (a *sor.Result, a *replay.Result
// or any sor.Filler) with the running total of cash.
func Fills(r sor.Filler) dataframe.DataFrame {
	n := r.Len()
	ts, venue, shares := make([]int, n), make([]int, n), make([]int, n)
	clock := make([]string, n)
	price, fee, cash, cum := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	var total sor.Money
	for i := range n {
		f := r.Fill(i)
		total += f.Cash()
		ts[i], clock[i], venue[i], shares[i] = int(f.Time), Clock(f.Time), f.Venue, int(f.Shares)
		price[i], fee[i], cash[i], cum[i] = dollars(f.Price), dollars(f.Fee), dollars(f.Cash()), dollars(total)
	}
	var c cols
	c.ints("ts_ns", ts)
	c.strings("time", clock)
	c.ints("venue", venue)
	c.ints("shares", shares)
	c.floats("price", price)
	c.floats("fee", fee)
	c.floats("cash", cash)
	c.floats("cum_cash", cum)
	return c.frame()
}

// Offers shows what a strategy could take at one decision point.
func Offers(offers []sor.Offer) dataframe.DataFrame {
	var venue, avail []int
	var ask, fee, rebate, price []float64
	for _, o := range offers {
		venue, avail = append(venue, o.Venue), append(avail, int(o.Available))
		ask, fee, rebate, price = append(ask, dollars(o.Ask)), append(fee, dollars(o.Fee)), append(rebate, dollars(o.Rebate)), append(price, dollars(o.Price()))
	}
	var c cols
	c.ints("venue", venue)
	c.floats("ask", ask)
	c.floats("fee", fee)
	c.floats("rebate", rebate)
	c.floats("all_in", price)
	c.ints("available", avail)
	return c.frame()
}

// Splits lists every candidate split of rem shares over offers (one column
// q_<venue> per venue) with its cost, in the enumeration's order; the column
// rank orders them by cost (1 = the allocator's answer, ties by enumeration
// order).
func Splits(rem int64, offers []sor.Offer, p sor.Params) (dataframe.DataFrame, error) {
	qs := make([][]int, len(offers))
	var cost []float64
	var exact []sor.Money
	err := sor.EnumerateSplits(rem, offers, func(split []int64) bool {
		for v, q := range split {
			qs[v] = append(qs[v], int(q))
		}
		c := sor.Cost(rem, offers, split, p)
		cost, exact = append(cost, dollars(c)), append(exact, c)
		return true
	})
	if err != nil {
		return dataframe.DataFrame{}, err
	}
	rank := make([]int, len(exact))
	for i := range exact {
		rank[i] = 1
		for j := range exact {
			if exact[j] < exact[i] || (exact[j] == exact[i] && j < i) {
				rank[i]++
			}
		}
	}
	var c cols
	for v, o := range offers {
		c.ints("q_"+itoa(o.Venue), qs[v])
	}
	c.floats("cost", cost)
	c.ints("rank", rank)
	return c.frame(), nil
}

func itoa(n int) string { return series.Ints([]int{n}).Records()[0] }

// Results is one line per strategy: filled and unfilled shares, cash and
// average price (NaN when nothing filled).
func Results(rs ...*sor.Result) dataframe.DataFrame {
	var name []string
	var filled, unfilled, fills []int
	var cash, avg []float64
	for _, r := range rs {
		a, ok := r.AvgPrice()
		name, filled, unfilled, fills = append(name, r.Strategy), append(filled, int(r.Filled)), append(unfilled, int(r.Unfilled())), append(fills, len(r.Fills))
		cash, avg = append(cash, dollars(r.Cash)), append(avg, orNaN(ok, a))
	}
	var c cols
	c.strings("strategy", name)
	c.ints("fills", fills)
	c.ints("filled", filled)
	c.ints("unfilled", unfilled)
	c.floats("total_cash", cash)
	c.floats("avg_fill_px", avg)
	return c.frame()
}

// Grid is one line per grid point, in grid order.
func Grid(points []sor.GridPoint) dataframe.DataFrame {
	var lu, lo, th, cash, avg []float64
	var filled, unfilled []int
	for _, g := range points {
		a, ok := g.Result.AvgPrice()
		lu, lo, th = append(lu, dollars(g.Params.LambdaUnder)), append(lo, dollars(g.Params.LambdaOver)), append(th, dollars(g.Params.ThetaQueue))
		cash, avg = append(cash, dollars(g.Result.Cash)), append(avg, orNaN(ok, a))
		filled, unfilled = append(filled, int(g.Result.Filled)), append(unfilled, int(g.Result.Unfilled()))
	}
	var c cols
	c.floats("lambda_under", lu)
	c.floats("lambda_over", lo)
	c.floats("theta_queue", th)
	c.ints("filled", filled)
	c.ints("unfilled", unfilled)
	c.floats("total_cash", cash)
	c.floats("avg_fill_px", avg)
	return c.frame()
}

// Stats is one line per venue of sor.QuoteStats.
func Stats(stats []sor.VenueStats) dataframe.DataFrame {
	var venue, quoting []int
	var spread, median, size, atBest []float64
	for _, s := range stats {
		venue, quoting = append(venue, s.Venue), append(quoting, s.Quoting)
		spread, median, size, atBest = append(spread, s.MeanSpread), append(median, dollars(s.MedianSpread)), append(size, s.MeanAskSize), append(atBest, s.AtBest)
	}
	var c cols
	c.ints("venue", venue)
	c.ints("snapshots_quoting", quoting)
	c.floats("mean_spread", spread)
	c.floats("median_spread", median)
	c.floats("mean_ask_size", size)
	c.floats("share_at_best", atBest)
	return c.frame()
}
