package queuescore

import (
	"math/big"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/replay"
)

// Report is a Result as the command line writes it (JSON). Scores, rates
// and frequencies are exact ratios of counts, rounded to 1e-9 (sor.Decimal);
// interval bounds are float, rounded the same way; numbers that do not
// exist (an interval over one market) are null.
type Report struct {
	Data       string      `json:"data"`
	Markets    int         `json:"markets"`
	Orders     int         `json:"orders"`
	Skipped    int         `json:"skipped_no_bid"`
	Mismatched int         `json:"skipped_books_disagree"`
	Seed       uint64      `json:"seed"`
	Seeds      int         `json:"sampled_seeds"`
	Horizons   []string    `json:"horizons"`
	Sizes      []int64     `json:"sizes"`
	KeepOutbid bool        `json:"keep_outbid"`
	Truth      TruthJSON   `json:"truth"`
	Models     []ModelJSON `json:"models"`
	Best       string      `json:"best"`
	// Default is the replay's default queue model (replay.DefaultQueueModel),
	// which should be Best.
	Default string      `json:"replay_default"`
	Table   []TableJSON `json:"table"`
}

// TruthJSON is what the exact FIFO queue says: the fraction of the orders
// filled within each horizon and the Brier score of always predicting it.
type TruthJSON struct {
	Horizons []TruthHorizonJSON `json:"horizons"`
}

// TruthHorizonJSON is one horizon of TruthJSON.
type TruthHorizonJSON struct {
	Horizon   string       `json:"horizon"`
	FillRate  *sor.Decimal `json:"fill_rate"`
	BaseBrier *sor.Decimal `json:"base_rate_brier"`
}

// ModelJSON is one model's scores.
type ModelJSON struct {
	Model     string        `json:"model"`
	Runs      int           `json:"runs"`
	MeanBrier *sor.Decimal  `json:"mean_brier"`
	KS        *sor.Decimal  `json:"ks"`
	KSAt      string        `json:"ks_at"`
	Horizons  []HorizonJSON `json:"horizons"`
}

// HorizonJSON is one horizon of a model's scores.
type HorizonJSON struct {
	Horizon   string          `json:"horizon"`
	Brier     *sor.Decimal    `json:"brier"`
	BrierCI95 [2]*sor.Decimal `json:"brier_ci95"`
	// VsBest is the Brier score minus the best model's, paired market by
	// market, with its 95% interval over the markets.
	VsBest     *sor.Decimal    `json:"brier_vs_best"`
	VsBestCI95 [2]*sor.Decimal `json:"brier_vs_best_ci95"`
	FillRate   *sor.Decimal    `json:"fill_rate"`
	Bins       []BinJSON       `json:"calibration"`
}

// BinJSON is a calibration bin with orders in it.
type BinJSON struct {
	From      sor.Decimal  `json:"from"`
	To        sor.Decimal  `json:"to"`
	Orders    int64        `json:"orders"`
	Predicted *sor.Decimal `json:"predicted"`
	Observed  *sor.Decimal `json:"observed"`
}

// TableJSON is a line of the scores table: a model's Brier score at each
// horizon, in the order of Horizons, its mean and its KS distance.
type TableJSON struct {
	Model     string         `json:"model"`
	Brier     []*sor.Decimal `json:"brier"`
	MeanBrier *sor.Decimal   `json:"mean_brier"`
	KS        *sor.Decimal   `json:"ks"`
}

// Report converts the result for the command line.
func (r *Result) Report() Report {
	rep := Report{Data: r.Data, Markets: r.Markets, Orders: r.Orders, Skipped: r.Skipped, Mismatched: r.Mismatched,
		Seed: r.Seed, Seeds: r.Seeds, Sizes: r.Sizes, KeepOutbid: r.KeepOutbid,
		Default: replay.DefaultQueueModel().String()}
	for _, t := range r.Horizons {
		rep.Horizons = append(rep.Horizons, t.String())
	}
	for h := range r.Truth.Horizons {
		th := &r.Truth.Horizons[h]
		rate := th.fillRate()
		rep.Truth.Horizons = append(rep.Truth.Horizons, TruthHorizonJSON{Horizon: th.T.String(), FillRate: round(rate), BaseBrier: round(baseBrier(rate))})
	}
	if len(r.Models) > 0 {
		rep.Best = r.Models[r.Best].Name
	}
	for j := range r.Models {
		m := &r.Models[j]
		mj := ModelJSON{Model: m.Name, Runs: m.Runs, MeanBrier: round(m.meanBrier()), KS: round(m.ks()), KSAt: m.KSAt.String()}
		line := TableJSON{Model: m.Name, MeanBrier: mj.MeanBrier, KS: mj.KS}
		for h := range m.Horizons {
			mh := &m.Horizons[h]
			hj := HorizonJSON{Horizon: mh.T.String(), Brier: round(mh.brier()), FillRate: round(mh.fillRate())}
			lo, hi := mh.BrierCI95()
			hj.BrierCI95 = [2]*sor.Decimal{num(lo), num(hi)}
			d, lo, hi := r.VsBest(j, h)
			hj.VsBest, hj.VsBestCI95 = num(d), [2]*sor.Decimal{num(lo), num(hi)}
			for b := range mh.Bins {
				bin := mh.Bins[b]
				if bin.Orders == 0 {
					continue
				}
				lo, hi := BinRange(b)
				from, _ := sor.FloatDecimal(lo)
				to, _ := sor.FloatDecimal(hi)
				hj.Bins = append(hj.Bins, BinJSON{From: from, To: to, Orders: bin.Orders, Predicted: round(bin.predicted(mh.Runs)), Observed: round(bin.observed())})
			}
			mj.Horizons = append(mj.Horizons, hj)
			line.Brier = append(line.Brier, hj.Brier)
		}
		rep.Models = append(rep.Models, mj)
		rep.Table = append(rep.Table, line)
	}
	return rep
}

// VsBest is model j's Brier score at horizon h minus the best model's,
// market by market: the mean difference and its 95% interval over the
// markets (NaN bounds with one market).
func (r *Result) VsBest(j, h int) (mean, lo, hi float64) {
	a, b := r.Models[j].Horizons[h].PerMarket, r.Models[r.Best].Horizons[h].PerMarket
	d := make([]float64, len(a))
	for m := range a {
		d[m] = a[m] - b[m]
	}
	mean, lo, hi = replay.Interval95(d)
	if len(d) < 2 {
		lo, hi = nan, nan
	}
	return mean, lo, hi
}

// round is x rounded to 1e-9, nil for nil.
func round(x *big.Rat) *sor.Decimal {
	if x == nil {
		return nil
	}
	d := sor.RoundDecimal(x)
	return &d
}

// num is x rounded to 1e-9, nil for NaN.
func num(x float64) *sor.Decimal {
	d, ok := sor.FloatDecimal(x)
	if !ok {
		return nil
	}
	return &d
}
