package replay

import (
	"errors"
	"fmt"
	"math"
	"math/big"

	"github.com/sorlab/sorlab/sor"
)

// MarketStats compares one strategy with a reference strategy over many
// independent markets (for example simulated ones, sor/sim with different
// seeds). On a single price path, whichever strategy happens to buy earlier
// wins when the price rises; over markets whose drift averages out, what is
// left is the strategy's own merit.
//
// In each market m the strategy's expected cost per share c_m (mean of
// Result.ExpectedCost over the seeds: unfilled shares are charged at the
// final price) is compared with the reference's r_m in basis points,
// d_m = (c_m − r_m)/r_m·10⁴, negative when the strategy is cheaper.
// VsReferenceBps is the mean of d_m and [Low, High] its 95% interval
// (Interval95). Beats counts the markets with d_m < 0.
type MarketStats struct {
	Strategy       string
	Reference      string
	Markets        int
	VsReferenceBps float64
	Low, High      float64
	Beats          int
	FillRate       float64 // mean over markets and seeds

	// The report's figures, exact: the mean of d_m and the mean fill rate
	// as fractions, the interval's half-width as a float.
	vsRef, fill *big.Rat
	half        float64
}

// CompareMarkets runs every strategy on every market with every seed and
// compares each with strategies[reference]. A market where some strategy's
// expected cost is not a positive number (it bought nothing and no ask was
// left at the end, so the unfilled part has no price) cannot be compared:
// CompareMarkets returns an error naming the market and the strategy.
//
// Markets are played one at a time, so that a source that builds its rows
// as it is read (sim.NewSource) keeps one market in memory at most.
func CompareMarkets(markets []sor.Source, cfg Config, strategies []Factory, seeds []uint64, reference int) ([]MarketStats, error) {
	if len(markets) == 0 {
		return nil, errors.New("no markets")
	}
	if reference < 0 || reference >= len(strategies) {
		return nil, fmt.Errorf("reference %d is not one of the %d strategies", reference, len(strategies))
	}
	costs := make([][]*big.Rat, len(strategies)) // [strategy][market]
	fills := make([][]*big.Rat, len(strategies))
	names := make([]string, len(strategies))
	for i := range costs {
		costs[i] = make([]*big.Rat, len(markets))
		fills[i] = make([]*big.Rat, len(markets))
	}
	for m, st := range markets {
		stats, err := Evaluate(st, cfg, strategies, seeds)
		if err != nil {
			return nil, fmt.Errorf("market %d: %w", m+1, err)
		}
		for i, s := range stats {
			if !(s.ExpectedCost > 0) || math.IsInf(s.ExpectedCost, 0) {
				return nil, fmt.Errorf("market %d: %s has expected cost %v per share, not a positive price (nothing bought and no ask left at the end?): cannot compare", m+1, s.Strategy, s.ExpectedCost)
			}
			costs[i][m], fills[i][m], names[i] = s.exact.expected, s.exact.fill, s.Strategy
		}
	}
	out := make([]MarketStats, len(strategies))
	for i := range strategies {
		d := make([]*big.Rat, len(markets))
		s := MarketStats{Strategy: names[i], Reference: names[reference], Markets: len(markets)}
		for m := range markets {
			r := costs[reference][m]
			d[m] = new(big.Rat).Sub(costs[i][m], r)
			d[m].Quo(d[m], r).Mul(d[m], big.NewRat(10_000, 1))
			if d[m].Sign() < 0 {
				s.Beats++
			}
		}
		s.vsRef, s.half = interval95(d)
		s.fill = mean(fills[i])
		s.VsReferenceBps, s.Low, s.High = bounds(s.vsRef, s.half)
		s.FillRate = toFloat(s.fill)
		out[i] = s
	}
	return out, nil
}
