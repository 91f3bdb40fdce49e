package frame

import (
	"github.com/go-gota/gota/dataframe"
	"github.com/sorlab/sorlab/sor/replay"
)

// Placement is one line per variant of the placement experiment
// (replay.Placement): the expected cost per share with its 95% interval,
// the savings against market orders in basis points with theirs (0 for
// market_only, the reference), in how many units (markets, or seeds with
// one market) the variant was cheaper, the fill rate, the maker and catch-up
// shares and the catch-up cost per catch-up share (dollars).
func Placement(res *replay.PlacementResult) dataframe.DataFrame {
	var name []string
	var cheaper []int
	var cost, costLo, costHi, sav, savLo, savHi, fill, maker, catch, catchCost []float64
	for _, v := range res.Variants {
		name, cheaper = append(name, v.Variant.String()), append(cheaper, v.Cheaper)
		cost, costLo, costHi = append(cost, v.Cost.Mean), append(costLo, v.Cost.Low), append(costHi, v.Cost.High)
		sav, savLo, savHi = append(sav, v.Savings.Mean), append(savLo, v.Savings.Low), append(savHi, v.Savings.High)
		fill, maker = append(fill, v.FillRate.Mean), append(maker, v.MakerShare.Mean)
		catch, catchCost = append(catch, v.CatchUpShare.Mean), append(catchCost, v.CatchUpCost.Mean)
	}
	var c cols
	c.strings("variant", name)
	c.floats("cost_per_share", cost)
	c.floats("cost_ci95_low", costLo)
	c.floats("cost_ci95_high", costHi)
	c.floats("savings_bps", sav)
	c.floats("savings_ci95_low", savLo)
	c.floats("savings_ci95_high", savHi)
	c.ints("cheaper_in", cheaper)
	c.floats("fill_rate", fill)
	c.floats("maker_share", maker)
	c.floats("catch_up_share", catch)
	c.floats("catch_up_cost", catchCost)
	return c.frame()
}

// PlacementMarkouts is one line per variant and horizon: the markout per
// share (mid after the fill − price, dollars) over all fills with its 95%
// interval, and over the maker and the taker fills.
func PlacementMarkouts(res *replay.PlacementResult) dataframe.DataFrame {
	var name, horizon []string
	var all, lo, hi, maker, taker []float64
	for _, v := range res.Variants {
		for k, h := range res.Markouts {
			name, horizon = append(name, v.Variant.String()), append(horizon, h.String())
			all, lo, hi = append(all, v.Markouts[k].Mean), append(lo, v.Markouts[k].Low), append(hi, v.Markouts[k].High)
			maker, taker = append(maker, v.Maker[k].Mean), append(taker, v.Taker[k].Mean)
		}
	}
	var c cols
	c.strings("variant", name)
	c.strings("horizon", horizon)
	c.floats("markout", all)
	c.floats("ci95_low", lo)
	c.floats("ci95_high", hi)
	c.floats("maker", maker)
	c.floats("taker", taker)
	return c.frame()
}

// PlacementVenues is one line per variant and venue: the shares filled
// there in all runs and the markout per share at each horizon (columns
// "markout_<horizon>").
func PlacementVenues(res *replay.PlacementResult) dataframe.DataFrame {
	var name, venue []string
	var id, shares []int
	mos := make([][]float64, len(res.Markouts))
	for _, v := range res.Variants {
		for _, vm := range v.Venues {
			name, venue = append(name, v.Variant.String()), append(venue, vm.Name)
			id, shares = append(id, vm.Venue), append(shares, int(vm.Shares))
			for k := range res.Markouts {
				mos[k] = append(mos[k], vm.Markouts[k].Mean)
			}
		}
	}
	var c cols
	c.strings("variant", name)
	c.ints("publisher_id", id)
	c.strings("venue", venue)
	c.ints("shares", shares)
	for k, h := range res.Markouts {
		c.floats("markout_"+h.String(), mos[k])
	}
	return c.frame()
}
