package replay

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/sorlab/sorlab/sor"
)

// Placement is the experiment of issue 13: does optimal placement pay? It
// separates how a strategy buys each slice of an order from when it buys:
// one schedule (Slicer: n slices of length T), each slice executed three ways
// (Variants) on the same market with the same seed,
//
//	(a) MarketOnly  market orders at the best asks,
//	(b) CKSplit     the Cont-Kukanov split: market orders and limit orders at
//	                the bids, what did not fill bought at the slice's end,
//	(c) LimitOnly   limit orders at the best bid only, with the same catch-up,
//
// and compares (b) and (c) with (a), paired market by market and seed by
// seed. The three buy the same shares by the same times, so the price path
// weighs on them alike, and what is left is the placement.
//
// For each variant and run (market m, seed s) Run measures the expected
// cost per share c (Result.ExpectedCost: unfilled shares at the final price),
// the savings against market orders in basis points,
//
//	savings = (c_a − c) / c_a · 10⁴   (positive: cheaper than market orders),
//
// the fill rate, the maker share (shares filled by resting limit orders over
// shares filled), the catch-up share (shares bought by catch-ups over shares
// filled) and the catch-up cost (what a catch-up share paid, price + fee,
// above the cheapest ask + fee when its slice started: the price of not
// filling), and the markouts mid(t + h) − price per share (see
// ConsolidatedMid), for all fills, for maker and taker fills and per venue.
//
// Each figure is then an Estimate over units: with several markets a unit
// is a market (its seeds pooled: the mean over seeds for costs and savings,
// share-weighted for shares and markouts), and the interval says how much
// the result depends on the market; with one market a unit is a seed, and
// the interval only says how much it depends on the draws of the queue
// model and the latency, not on the market.
type Placement struct {
	Slice time.Duration // T; default 10 s
	// Router holds the Cont-Kukanov split's penalties and settings (see
	// Slicer).
	Router CKRouter
	// Markouts are the horizons of the markouts; nil: 1 s, 10 s and 60 s.
	Markouts []time.Duration
}

// DefaultMarkouts are the markout horizons of a Placement: 1 s, 10 s, 60 s.
var DefaultMarkouts = []time.Duration{time.Second, 10 * time.Second, time.Minute}

// Estimate is a mean over units with its 95% interval (Interval95) and the
// number of units it is over (units without a value are left out).
type Estimate struct {
	Mean, Low, High float64
	N               int
}

func estimate(xs []float64) Estimate {
	var ok []float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			ok = append(ok, x)
		}
	}
	var e Estimate
	e.Mean, e.Low, e.High = Interval95(ok)
	e.N = len(ok)
	return e
}

// fraction is the Estimate of a fraction (fill rate, maker share, catch-up
// share) with its interval clipped to [0, 1]. The t interval mean ± w knows
// nothing of bounds: with few units and a mean near 0 or 1 it reaches past
// them (two markets with maker shares 0.98 and 0.85 give [0.09, 1.74]).
// Clipping drops only values a fraction cannot take, so it covers the true
// fraction exactly as often as the t interval does; the clipped interval is
// truncated, no longer symmetric about the mean, and [0, 1] says that the
// units tell nothing.
func fraction(e Estimate) Estimate {
	e.Low, e.High = max(e.Low, 0), min(e.High, 1) // NaN (no mean) stays NaN
	return e
}

// VariantResult is one variant of a Placement: every figure is an Estimate
// over units (markets, or seeds with one market). Costs are dollars per
// share, savings basis points.
type VariantResult struct {
	Variant Variant
	Cost    Estimate // expected cost per share
	// Savings against MarketOnly (zero for MarketOnly itself), Cheaper the
	// units where the savings are positive, and Units the savings of each
	// unit, in the order of the markets (or seeds).
	Savings      Estimate
	Cheaper      int
	Units        []float64
	FillRate     Estimate
	MakerShare   Estimate
	CatchUpShare Estimate
	CatchUpCost  Estimate // per catch-up share, dollars
	// Markouts[k] is the markout at horizon Placement.Markouts[k] over all
	// fills, Maker and Taker over the maker and the taker fills.
	Markouts, Maker, Taker []Estimate
	Venues                 []VenueMarkouts
}

// VenueMarkouts are a variant's markouts for the fills at one venue, with
// the shares filled there in all runs.
type VenueMarkouts struct {
	Venue    int
	Name     string
	Shares   int64
	Markouts []Estimate
}

// PlacementResult is a Placement's outcome.
type PlacementResult struct {
	Slice    time.Duration
	Slices   int64      // of the first market
	Split    sor.Params // the split's penalties (LambdaUnder, LambdaOver and θ as ThetaQueue)
	Markouts []time.Duration
	Markets  int
	Seeds    []uint64
	Over     string // "markets" or "seeds": what the units are
	Variants []VariantResult
	Config   Config // of the runs (Seed and Markouts aside)
	// Set by Protocol.RunPlacement: what the markets were and the seeds the
	// split's penalties were chosen on.
	Data           string
	SelectionSeeds []uint64
}

// acc is a weighted sum: value() = sum/w (NaN without weight).
type acc struct{ sum, w float64 }

func (a *acc) add(x, w float64) {
	if !math.IsNaN(x) {
		a.sum += x * w
		a.w += w
	}
}
func (a *acc) merge(b acc) { a.sum += b.sum; a.w += b.w }
func (a acc) value() float64 {
	if a.w == 0 {
		return math.NaN()
	}
	return a.sum / a.w
}

// runStats are one run's (or one unit's) weighted sums.
type runStats struct {
	cost, savings, fill, maker, catchShare, catchCost acc
	all, makerMO, takerMO                             []acc // per horizon
	venues                                            map[int][]acc
	venueShares                                       map[int]int64
}

func newRunStats(h int) runStats {
	return runStats{all: make([]acc, h), makerMO: make([]acc, h), takerMO: make([]acc, h), venues: map[int][]acc{}, venueShares: map[int]int64{}}
}

func (r *runStats) merge(b runStats) {
	for _, p := range []struct{ a, b *acc }{{&r.cost, &b.cost}, {&r.savings, &b.savings}, {&r.fill, &b.fill}, {&r.maker, &b.maker}, {&r.catchShare, &b.catchShare}, {&r.catchCost, &b.catchCost}} {
		p.a.merge(*p.b)
	}
	for k := range r.all {
		r.all[k].merge(b.all[k])
		r.makerMO[k].merge(b.makerMO[k])
		r.takerMO[k].merge(b.takerMO[k])
	}
	for v, as := range b.venues {
		if r.venues[v] == nil {
			r.venues[v] = make([]acc, len(as))
		}
		for k := range as {
			r.venues[v][k].merge(as[k])
		}
		r.venueShares[v] += b.venueShares[v]
	}
}

// measure is one run's figures but the savings.
func measure(res *Result, refs []sor.Money) runStats {
	st := newRunStats(len(res.MidAfter))
	st.cost.add(res.ExpectedCost(), 1)
	st.fill.add(res.FillRate(), 1)
	if res.Filled > 0 {
		st.maker.add(float64(res.MakerShares)/float64(res.Filled), 1)
	}
	tags := make(map[int]int, len(res.Sent)) // order ID → Tag
	for _, s := range res.Sent {
		if s.Kind != Cancel {
			tags[s.ID] = s.Tag
		}
	}
	for i, f := range res.Fills {
		info := res.Info[i]
		w := float64(f.Shares)
		k, catchUp := ParseSliceTag(tags[info.OrderID])
		st.catchShare.add(b2f(catchUp), w)
		if catchUp && k >= 0 && k < int64(len(refs)) && refs[k] != sor.NoPrice {
			st.catchCost.add((f.Price + f.Fee - refs[k]).Dollars(), w)
		}
		mos := st.venues[f.Venue]
		if mos == nil {
			mos = make([]acc, len(res.MidAfter))
			st.venues[f.Venue] = mos
		}
		st.venueShares[f.Venue] += f.Shares
		for h := range res.MidAfter {
			mo := res.MidAfter[h][i] - f.Price.Dollars()
			st.all[h].add(mo, w)
			mos[h].add(mo, w)
			if info.Maker {
				st.makerMO[h].add(mo, w)
			} else {
				st.takerMO[h].add(mo, w)
			}
		}
	}
	return st
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Run plays the experiment on every market with every seed (cfg.Seed set to
// each in turn, cfg.Markouts to the Placement's horizons). Markets are played
// one at a time, the three variants and all seeds of a market in one pass, so
// that a source that builds its rows as it is read (sim.NewSource) keeps one
// market in memory at most. It fails with the first error of a run (a
// penalty that breaks an assumption of the model names it), or when a
// variant's expected cost is not a positive price (nothing bought and no ask
// left at the end).
func (p Placement) Run(markets []sor.Source, cfg Config, seeds []uint64) (*PlacementResult, error) {
	if len(markets) == 0 {
		return nil, errors.New("placement: no markets")
	}
	if len(seeds) == 0 {
		return nil, errors.New("placement: no seeds")
	}
	cfg.Markouts = p.Markouts
	if cfg.Markouts == nil {
		cfg.Markouts = DefaultMarkouts
	}
	out := &PlacementResult{Slice: p.Slice, Markouts: cfg.Markouts, Markets: len(markets), Seeds: seeds, Over: "markets", Config: cfg,
		Split: sor.Params{LambdaUnder: p.Router.LambdaUnder, LambdaOver: p.Router.LambdaOver, ThetaQueue: p.Router.Theta}}
	if out.Slice <= 0 {
		out.Slice = 10 * time.Second
	}
	if len(markets) == 1 {
		out.Over = "seeds"
	}
	nv, h := len(Variants), len(cfg.Markouts)
	var units [][]runStats // [unit][variant]
	for m, src := range markets {
		jobs := make([]job, 0, nv*len(seeds))
		slicers := make([]*Slicer, 0, nv*len(seeds))
		for _, v := range Variants {
			for _, seed := range seeds {
				s := &Slicer{Variant: v, Slice: out.Slice, Router: *p.Router.Clone()}
				c := cfg
				c.Seed = seed
				jobs = append(jobs, job{cfg: c, s: s})
				slicers = append(slicers, s)
			}
		}
		rs, errs, err := runAll(src, jobs)
		if err == nil {
			err = firstError(errs)
		}
		if err != nil {
			return nil, fmt.Errorf("market %d: %w", m+1, err)
		}
		if m == 0 {
			out.Slices = slicers[0].Slices()
		}
		pooled := make([]runStats, nv)
		for v := range pooled {
			pooled[v] = newRunStats(h)
		}
		for i, seed := range seeds {
			runs := make([]runStats, nv)
			for v := range Variants {
				j := v*len(seeds) + i
				runs[v] = measure(rs[j], slicers[j].Refs)
				if c := runs[v].cost.value(); !(c > 0) || math.IsInf(c, 0) {
					return nil, fmt.Errorf("market %d seed %d: %s has expected cost %v per share, not a positive price (nothing bought and no ask left at the end?)", m+1, seed, Variants[v], c)
				}
			}
			ref := runs[0].cost.value()
			for v := range runs {
				runs[v].savings.add((ref-runs[v].cost.value())/ref*1e4, 1)
			}
			if len(markets) == 1 {
				units = append(units, runs)
				continue
			}
			for v := range runs {
				pooled[v].merge(runs[v])
			}
		}
		if len(markets) > 1 {
			units = append(units, pooled)
		}
	}
	for v := range Variants {
		out.Variants = append(out.Variants, summarisePlacement(Variants[v], units, v, h, cfg.Venues))
	}
	return out, nil
}

func summarisePlacement(variant Variant, units [][]runStats, v, h int, venues sor.Venues) VariantResult {
	col := func(get func(*runStats) acc) Estimate {
		xs := make([]float64, len(units))
		for u := range units {
			xs[u] = get(&units[u][v]).value()
		}
		return estimate(xs)
	}
	r := VariantResult{Variant: variant,
		Cost:         col(func(s *runStats) acc { return s.cost }),
		Savings:      col(func(s *runStats) acc { return s.savings }),
		FillRate:     fraction(col(func(s *runStats) acc { return s.fill })),
		MakerShare:   fraction(col(func(s *runStats) acc { return s.maker })),
		CatchUpShare: fraction(col(func(s *runStats) acc { return s.catchShare })),
		CatchUpCost:  col(func(s *runStats) acc { return s.catchCost }),
	}
	for u := range units {
		x := units[u][v].savings.value()
		r.Units = append(r.Units, x)
		if x > 0 {
			r.Cheaper++
		}
	}
	for k := range h {
		r.Markouts = append(r.Markouts, col(func(s *runStats) acc { return s.all[k] }))
		r.Maker = append(r.Maker, col(func(s *runStats) acc { return s.makerMO[k] }))
		r.Taker = append(r.Taker, col(func(s *runStats) acc { return s.takerMO[k] }))
	}
	ids := map[int]bool{}
	for u := range units {
		for id := range units[u][v].venues {
			ids[id] = true
		}
	}
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		vm := VenueMarkouts{Venue: id, Name: venues.Get(id).Name}
		for u := range units {
			vm.Shares += units[u][v].venueShares[id]
		}
		for k := range h {
			vm.Markouts = append(vm.Markouts, col(func(s *runStats) acc {
				if as := s.venues[id]; as != nil {
					return as[k]
				}
				return acc{}
			}))
		}
		r.Venues = append(r.Venues, vm)
	}
	return r
}
