package frame

import (
	"github.com/go-gota/gota/dataframe"
	"github.com/sorlab/sorlab/sor/queuescore"
)

// QueueScores is the scores table of the queue models against the exact
// FIFO queue (queuescore.Score): a first line "truth" with the fraction of
// the orders filled within each horizon T (fill_<T>) and the Brier score of
// always predicting it (brier_<T>: the reference a model should beat), then
// one line per model: its runs per order, its Brier score and predicted
// fill rate at each horizon, their mean Brier score over the horizons and
// the Kolmogorov-Smirnov distance of their times to fill from the truth's.
func QueueScores(res *queuescore.Result) dataframe.DataFrame {
	names, runs := []string{"truth"}, []int{1}
	nh := len(res.Horizons)
	brier, fill := make([][]float64, nh), make([][]float64, nh)
	for h := range res.Horizons {
		th := &res.Truth.Horizons[h]
		brier[h], fill[h] = []float64{th.BaseBrier()}, []float64{th.FillRate()}
	}
	mean, ks := []float64{nan}, []float64{nan}
	for j := range res.Models {
		m := &res.Models[j]
		names, runs = append(names, m.Name), append(runs, m.Runs)
		for h := range m.Horizons {
			brier[h], fill[h] = append(brier[h], m.Horizons[h].Brier()), append(fill[h], m.Horizons[h].FillRate())
		}
		mean, ks = append(mean, m.MeanBrier()), append(ks, m.KS())
	}
	var c cols
	c.strings("model", names)
	c.ints("runs", runs)
	for h, T := range res.Horizons {
		c.floats("brier_"+T.String(), brier[h])
	}
	c.floats("mean_brier", mean)
	c.floats("ks", ks)
	for h, T := range res.Horizons {
		c.floats("fill_"+T.String(), fill[h])
	}
	return c.frame()
}

// QueueCalibration is the calibration table of the queue models at the
// horizon Horizons[h]: for each model and each bin of predicted
// probability [from, to) with orders in it, their number, the mean
// predicted probability of filling within T and the observed frequency.
func QueueCalibration(res *queuescore.Result, h int) dataframe.DataFrame {
	var names []string
	var orders []int
	var from, to, pred, obs []float64
	for j := range res.Models {
		m := &res.Models[j].Horizons[h]
		for b, bin := range m.Bins {
			if bin.Orders == 0 {
				continue
			}
			lo, hi := queuescore.BinRange(b)
			names, orders = append(names, res.Models[j].Name), append(orders, int(bin.Orders))
			from, to = append(from, lo), append(to, hi)
			pred, obs = append(pred, m.Predicted(b)), append(obs, m.Observed(b))
		}
	}
	var c cols
	c.strings("model", names)
	c.floats("from", from)
	c.floats("to", to)
	c.ints("orders", orders)
	c.floats("predicted", pred)
	c.floats("observed", obs)
	return c.frame()
}

// QueueIntervals is one line per model and horizon: the Brier score with
// its 95% interval over the markets, and its difference from the best
// model's, paired market by market, with its interval (NaN bounds with one
// market). An interval of the difference above zero says the best model
// did better on these markets.
func QueueIntervals(res *queuescore.Result) dataframe.DataFrame {
	var names, horizon []string
	var brier, lo, hi, d, dlo, dhi []float64
	for j := range res.Models {
		for h := range res.Models[j].Horizons {
			mh := &res.Models[j].Horizons[h]
			l, u := mh.BrierCI95()
			m, ml, mu := res.VsBest(j, h)
			names, horizon = append(names, res.Models[j].Name), append(horizon, mh.T.String())
			brier, lo, hi = append(brier, mh.Brier()), append(lo, l), append(hi, u)
			d, dlo, dhi = append(d, m), append(dlo, ml), append(dhi, mu)
		}
	}
	var c cols
	c.strings("model", names)
	c.strings("horizon", horizon)
	c.floats("brier", brier)
	c.floats("brier_ci95_low", lo)
	c.floats("brier_ci95_high", hi)
	c.floats("vs_best", d)
	c.floats("vs_best_ci95_low", dlo)
	c.floats("vs_best_ci95_high", dhi)
	return c.frame()
}
