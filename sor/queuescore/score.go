package queuescore

import (
	"cmp"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"runtime"
	"slices"
	"time"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/mbo"
	"github.com/sorlab/sorlab/sor/replay"
)

// Setup says which orders to draw and which models to score. Zero fields
// take the defaults below.
type Setup struct {
	Orders   int                 // hypothetical orders per market; default 500
	Seed     uint64              // draws the orders (any value, 0 included)
	Seeds    int                 // runs of each sampled model, with seeds 1..Seeds; default 10
	Horizons []time.Duration     // the T of "filled within T"; default 1 s, 10 s, 60 s. The longest is how long every order rests
	Sizes    []int64             // order sizes, drawn uniformly; default 100, 200, 300, 400, 500
	Models   []replay.QueueModel // default Models()
	// KeepOutbid keeps an order resting when a better bid shows at its
	// venue. By default it is cancelled after that event (as a router
	// cancels an order no longer at the touch): on simulated markets the
	// truth of an outbid order is wrong, because the simulator does not
	// keep the levels behind the best (sim's MBO view cancels them).
	KeepOutbid bool
}

// DefaultHorizons are the horizons T of the scores: 1 s, 10 s and 60 s.
var DefaultHorizons = []time.Duration{time.Second, 10 * time.Second, time.Minute}

// DefaultSizes are the sizes of the hypothetical orders: one to five round
// lots, the sizes of the limit orders the replay's router posts.
var DefaultSizes = []int64{100, 200, 300, 400, 500}

// Models are the models scored by default: the replay's named models with
// expected updates (replay.QueueModels) and, for each probabilistic one,
// its sampled variant, which the command line's -fill runs.
func Models() []replay.QueueModel {
	ms := replay.QueueModels()
	for _, m := range replay.QueueModels() {
		if q, ok := m.(replay.ProbQueue); ok {
			q.Sampled = true
			ms = append(ms, q)
		}
	}
	return ms
}

// withDefaults checks s and fills its zero fields.
func (s Setup) withDefaults() (Setup, error) {
	if s.Orders == 0 {
		s.Orders = 500
	}
	if s.Seeds == 0 {
		s.Seeds = 10
	}
	if s.Horizons == nil {
		s.Horizons = DefaultHorizons
	}
	if s.Sizes == nil {
		s.Sizes = DefaultSizes
	}
	if s.Models == nil {
		s.Models = Models()
	}
	switch {
	case s.Orders < 0:
		return s, fmt.Errorf("setup: %d orders per market", s.Orders)
	case s.Seeds < 0:
		return s, fmt.Errorf("setup: %d seeds", s.Seeds)
	case len(s.Horizons) == 0:
		return s, errors.New("setup: no horizon")
	case len(s.Sizes) == 0:
		return s, errors.New("setup: no order size")
	case len(s.Models) == 0:
		return s, errors.New("setup: no model")
	}
	s.Horizons = slices.Clone(s.Horizons)
	slices.Sort(s.Horizons)
	s.Horizons = slices.Compact(s.Horizons)
	if s.Horizons[0] <= 0 {
		return s, fmt.Errorf("setup: horizon %v, want > 0", s.Horizons[0])
	}
	for _, z := range s.Sizes {
		if z <= 0 {
			return s, fmt.Errorf("setup: order size %d, want > 0", z)
		}
	}
	for i, m := range s.Models {
		if m == nil {
			return s, fmt.Errorf("setup: model %d is nil", i)
		}
	}
	return s, nil
}

// NumBins is the number of calibration bins: [0, 0.1), …, [0.9, 1].
const NumBins = 10

// Result is the scores of the models against the truth on the orders of
// one or more markets.
type Result struct {
	Data    string // what was scored, for the report (set by the caller)
	Markets int
	Orders  int // the orders scored: n
	Skipped int // drawn orders that found no bid at any venue
	// Mismatched are orders placed from the MBP-1 rows whose venue's MBO
	// book did not show that bid (price and displayed size) when they
	// joined: the two files disagree there, and the orders are not scored.
	Mismatched int
	Seed       uint64
	Seeds      int // runs of each sampled model
	Horizons   []time.Duration
	Sizes      []int64
	KeepOutbid bool
	Truth      Outcome
	Models     []Outcome
	Best       int // index of the best model in Models
}

// Outcome is what the truth or a model says of the orders: for each
// horizon how many filled within it and, for a model, its scores.
type Outcome struct {
	Name     string
	Orders   int // n
	Runs     int // runs per order, K: 1 for the truth and deterministic models
	Horizons []HorizonScore
	// Times are the sorted times to fill of every run that filled within
	// the longest horizon, of the Orders·Runs runs.
	Times []time.Duration
	// KS is the Kolmogorov-Smirnov distance to the truth, as the integer
	// KSDiff = max_t |a(t)·K − b(t)| with a(t) the truth's orders and b(t)
	// the model's runs filled by t, reached first at KSAt (0 for the truth).
	KSDiff int64
	KSAt   time.Duration
}

// HorizonScore is one horizon T of an Outcome, as exact counts.
type HorizonScore struct {
	T         time.Duration
	Orders    int   // n
	Runs      int   // K
	Filled    int64 // Σ k_i: runs filled within T (the truth: orders, Σ o_i)
	SqErr     int64 // Σ (k_i − K·o_i)², so that Brier = SqErr/(K²·n); 0 for the truth
	Bins      [NumBins]Bin
	PerMarket []float64 // the Brier on each market's orders
}

// Bin is a calibration bin: the orders whose predicted probability k/K
// fell in it, the sum of their k and how many filled in truth.
type Bin struct {
	Orders    int64
	Predicted int64 // Σ k_i
	Observed  int64 // Σ o_i
}

// bin is the calibration bin of k runs of K: ⌊10·k/K⌋, the last bin closed.
func bin(k, runs int) int { return min(NumBins*k/runs, NumBins-1) }

// BinRange is the range of predicted probabilities of bin b.
func BinRange(b int) (lo, hi float64) { return float64(b) / NumBins, float64(b+1) / NumBins }

// Predicted is the bin's mean predicted probability, Observed the fraction
// of its orders that filled (both NaN for an empty bin).
func (b Bin) predicted(runs int) *big.Rat { return ratio(b.Predicted, b.Orders*int64(runs)) }
func (b Bin) observed() *big.Rat          { return ratio(b.Observed, b.Orders) }

// Brier is the horizon's Brier score, exactly.
func (h *HorizonScore) brier() *big.Rat {
	k := int64(h.Runs)
	return ratio(h.SqErr, k*k*int64(h.Orders))
}

// fillRate is the fraction of the runs filled within T.
func (h *HorizonScore) fillRate() *big.Rat { return ratio(h.Filled, int64(h.Runs)*int64(h.Orders)) }

// Brier is the horizon's Brier score (NaN over no orders).
func (h *HorizonScore) Brier() float64 { return toFloat(h.brier()) }

// FillRate is the fraction of the runs that filled within T: the mean
// predicted probability (for the truth, the observed frequency).
func (h *HorizonScore) FillRate() float64 { return toFloat(h.fillRate()) }

// BaseBrier is, for the truth, the Brier score of always predicting its
// fill rate r: r·(1 − r).
func (h *HorizonScore) BaseBrier() float64 { return toFloat(baseBrier(h.fillRate())) }

func baseBrier(r *big.Rat) *big.Rat {
	if r == nil {
		return nil
	}
	one := big.NewRat(1, 1)
	return new(big.Rat).Mul(r, one.Sub(one, r))
}

// BrierCI95 is the 95% interval of the Brier score over the markets
// (replay.Interval95 of the per-market scores); NaN with fewer than two.
func (h *HorizonScore) BrierCI95() (lo, hi float64) {
	if len(h.PerMarket) < 2 {
		return nan, nan
	}
	_, lo, hi = replay.Interval95(h.PerMarket)
	return lo, hi
}

// Predicted and Observed are bin b's mean predicted probability and
// observed frequency (NaN when empty).
func (h *HorizonScore) Predicted(b int) float64 { return toFloat(h.Bins[b].predicted(h.Runs)) }
func (h *HorizonScore) Observed(b int) float64  { return toFloat(h.Bins[b].observed()) }

// KS is the Kolmogorov-Smirnov distance to the truth's time-to-fill
// distribution (0 for the truth).
func (o *Outcome) KS() float64 { return toFloat(o.ks()) }

func (o *Outcome) ks() *big.Rat { return ratio(o.KSDiff, int64(o.Orders)*int64(o.Runs)) }

// MeanBrier is the mean of the Brier scores over the horizons: what the
// best model is chosen on.
func (o *Outcome) MeanBrier() float64 { return toFloat(o.meanBrier()) }

func (o *Outcome) meanBrier() *big.Rat {
	if len(o.Horizons) == 0 || o.Orders == 0 {
		return nil
	}
	s := new(big.Rat)
	for i := range o.Horizons {
		s.Add(s, o.Horizons[i].brier())
	}
	return s.Quo(s, big.NewRat(int64(len(o.Horizons)), 1))
}

// Within is the fraction of the runs filled within t: the time-to-fill
// distribution F(t) (G(t) for a model).
func (o *Outcome) Within(t time.Duration) float64 {
	if o.Orders == 0 {
		return nan
	}
	n, _ := slices.BinarySearchFunc(o.Times, t, func(a, b time.Duration) int {
		if a <= b {
			return -1
		}
		return 1
	})
	return float64(n) / float64(o.Orders*o.Runs)
}

// Score draws the orders on each market, follows them through the truth
// and every model, and scores the models (see the package documentation).
// It is deterministic in s: the same markets and setup give the same
// result, whatever the number of CPUs.
func Score(markets []Market, s Setup) (*Result, error) {
	s, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(markets) == 0 {
		return nil, errors.New("no market")
	}
	res := newResult(s, len(markets))
	for mi, m := range markets {
		if err := scoreMarket(res, mi, m, s); err != nil {
			return nil, fmt.Errorf("market %s: %w", m.Name, err)
		}
	}
	res.finish()
	return res, nil
}

func newResult(s Setup, markets int) *Result {
	res := &Result{Markets: markets, Seed: s.Seed, Seeds: s.Seeds, Horizons: s.Horizons, Sizes: slices.Clone(s.Sizes), KeepOutbid: s.KeepOutbid}
	res.Truth = newOutcome("truth", 1, s.Horizons)
	for _, m := range s.Models {
		res.Models = append(res.Models, newOutcome(m.String(), len(runSeeds(m, s.Seeds)), s.Horizons))
	}
	return res
}

func newOutcome(name string, runs int, hs []time.Duration) Outcome {
	o := Outcome{Name: name, Runs: runs}
	for _, t := range hs {
		o.Horizons = append(o.Horizons, HorizonScore{T: t, Runs: runs})
	}
	return o
}

// runSeeds are the seeds a model runs with: one run (seed 0) for the
// deterministic models, 1..k for the others.
func runSeeds(m replay.QueueModel, k int) []uint64 {
	switch q := m.(type) {
	case replay.RiskAverseQueue:
		return []uint64{0}
	case replay.ProbQueue:
		if !q.Sampled {
			return []uint64{0}
		}
	}
	seeds := make([]uint64, k)
	for i := range seeds {
		seeds[i] = uint64(i + 1)
	}
	return seeds
}

// draw draws the orders of market mi, by join time.
func draw(mi int, span sor.Span, s Setup) ([]order, error) {
	h := int64(s.Horizons[len(s.Horizons)-1])
	last := span.Last - h
	if span.Rows == 0 || last < span.First {
		return nil, fmt.Errorf("its rows span %v, less than the longest horizon %v", time.Duration(span.Last-span.First), time.Duration(h))
	}
	rng := rand.New(rand.NewPCG(s.Seed, uint64(mi)))
	orders := make([]order, s.Orders)
	for i := range orders {
		orders[i] = order{Join: span.First + rng.Int64N(last-span.First+1), u: rng.Float64(), Shares: s.Sizes[rng.IntN(len(s.Sizes))]}
	}
	slices.SortStableFunc(orders, func(a, b order) int { return cmp.Compare(a.Join, b.Join) })
	return orders, nil
}

// scoreMarket adds market mi's orders to res.
func scoreMarket(res *Result, mi int, m Market, s Setup) error {
	orders, err := draw(mi, m.MBP.Span(), s)
	if err != nil {
		return err
	}
	return scoreOrders(res, mi, m, orders, s)
}

// scoreOrders follows orders (drawn, by join time) on market mi and adds
// them to res.
func scoreOrders(res *Result, mi int, m Market, orders []order, s Setup) error {
	horizon := int64(s.Horizons[len(s.Horizons)-1])
	runs, orders, err := predict(m.MBP, mi, orders, horizon, s)
	if err != nil {
		return err
	}
	truth, err := follow(m, orders)
	if err != nil {
		return err
	}
	orders0, skipped0, mismatched0 := res.Orders, res.Skipped, res.Mismatched
	res.add(orders, truth, runs)
	scored, skipped, mismatched := res.Orders-orders0, res.Skipped-skipped0, res.Mismatched-mismatched0
	if scored == 0 {
		return fmt.Errorf("no order scored: %d found no bid, %d joined a bid the MBO book did not show (are the MBP-1 rows and the MBO records of the same market?)", skipped, mismatched)
	}
	// Files of one market disagree at no join, files of two markets at
	// nearly every one, though a join may agree by chance (the same price
	// and size): past a tenth of twenty or more orders, they are not one
	// market's.
	if scored+mismatched >= 20 && mismatched*10 > scored+mismatched {
		return fmt.Errorf("%d of %d orders joined a bid the MBO book did not show: are the MBP-1 rows and the MBO records of the same market?", mismatched, scored+mismatched)
	}
	return nil
}

// predict plays the market's rows once for every run of every model,
// the runs shared among the CPUs, and returns each model's runs and the
// orders as placed.
func predict(src sor.Source, mi int, orders []order, horizon int64, s Setup) ([][]*run, []order, error) {
	byModel := make([][]*run, len(s.Models))
	var all []*run
	for j, m := range s.Models {
		for _, seed := range runSeeds(m, s.Seeds) {
			ru := &run{model: m, rng: rand.New(rand.NewPCG(seed, uint64(mi))),
				pos: make([]replay.QueuePos, len(orders)), fill: make([]int64, len(orders))}
			for i := range ru.fill {
				ru.fill[i] = notFilled
			}
			byModel[j] = append(byModel[j], ru)
			all = append(all, ru)
		}
	}
	g := min(runtime.GOMAXPROCS(0), len(all))
	books := make([]*sor.Book, g)
	groups := make([][]sor.Player, g)
	preds := make([]*predictor, g)
	for k := range g {
		var mine []*run
		for i := k; i < len(all); i += g {
			mine = append(mine, all[i])
		}
		preds[k] = newPredictor(slices.Clone(orders), horizon, !s.KeepOutbid, src.Span().Publishers, mine)
		books[k], groups[k] = sor.NewBook(nil), []sor.Player{preds[k]}
	}
	if _, err := sor.PlayParallel(src, books, groups); err != nil {
		return nil, nil, err
	}
	return byModel, preds[0].orders, nil
}

// follow gives the exact time to fill of every placed order (notFilled
// for those not placed) and marks as not placed the orders whose venue's
// MBO book disagrees with the bid they joined.
func follow(m Market, orders []order) ([]int64, error) {
	var mos []mbo.Order
	var idx []int // orders' index of each mbo.Order
	waiting := map[int][]int{}
	for i, o := range orders {
		if !o.placed {
			continue
		}
		mos = append(mos, mbo.Order{Venue: o.Venue, Price: o.Price, Shares: o.Shares, Join: o.Join, Until: o.Until})
		idx = append(idx, i)
		waiting[o.Venue] = append(waiting[o.Venue], i)
	}
	t, err := mbo.NewTruth(mos)
	if err != nil {
		return nil, err
	}
	// check compares the book a joining order meets with the bid it was
	// placed at, as the truth joins it: before the venue's first record
	// after its join time.
	check := func(venue int, before int64, all bool) {
		w := waiting[venue]
		for len(w) > 0 && (all || orders[w[0]].Join < before) {
			o := &orders[w[0]]
			if top := t.Book().Top(venue); top.BidPx != o.Price || top.BidSz != o.Shown {
				o.mismatched = true
			}
			w = w[1:]
		}
		waiting[venue] = w
	}
	err = m.MBO(func(rec *sor.MBO) error {
		check(rec.PublisherID, rec.TsEvent, false)
		return t.Apply(rec)
	})
	if err != nil {
		return nil, err
	}
	for v := range waiting {
		check(v, 0, true)
	}
	t.Finish()
	fill := make([]int64, len(orders))
	for i := range fill {
		fill[i] = notFilled
	}
	for k, i := range idx {
		if fs := t.Fills(k); t.Remaining(k) == 0 && len(fs) > 0 {
			fill[i] = fs[len(fs)-1].Time - orders[i].Join
		}
	}
	return fill, nil
}

// add scores the orders of one market.
func (res *Result) add(orders []order, truth []int64, runs [][]*run) {
	market := make([][]int64, len(res.Models)) // [model][horizon] Σ (k − K·o)² on this market
	for j := range market {
		market[j] = make([]int64, len(res.Horizons))
	}
	n := 0
	for i, o := range orders {
		switch {
		case !o.placed:
			res.Skipped++
			continue
		case o.mismatched:
			res.Mismatched++
			continue
		}
		n++
		res.Truth.addTimes(truth[i])
		for j := range res.Models {
			for _, ru := range runs[j] {
				res.Models[j].addTimes(ru.fill[i])
			}
		}
		for h, T := range res.Horizons {
			obs := within(truth[i], T)
			th := &res.Truth.Horizons[h]
			th.Filled += int64(obs)
			for j := range res.Models {
				k := 0
				for _, ru := range runs[j] {
					k += within(ru.fill[i], T)
				}
				mh := &res.Models[j].Horizons[h]
				K := len(runs[j])
				d := int64(k - K*obs)
				mh.Filled += int64(k)
				mh.SqErr += d * d
				market[j][h] += d * d
				b := &mh.Bins[bin(k, K)]
				b.Orders++
				b.Predicted += int64(k)
				b.Observed += int64(obs)
			}
		}
	}
	res.Orders += n
	for j := range res.Models {
		K := int64(res.Models[j].Runs)
		for h := range res.Horizons {
			mh := &res.Models[j].Horizons[h]
			mh.PerMarket = append(mh.PerMarket, toFloat(ratio(market[j][h], K*K*int64(n))))
		}
	}
}

// within is 1 when a time to fill is within T.
func within(fill int64, T time.Duration) int {
	if fill != notFilled && fill <= int64(T) {
		return 1
	}
	return 0
}

func (o *Outcome) addTimes(fill int64) {
	if fill != notFilled {
		o.Times = append(o.Times, time.Duration(fill))
	}
}

// finish sets the order counts, sorts the times, computes the KS distances
// and picks the best model.
func (res *Result) finish() {
	outs := []*Outcome{&res.Truth}
	for j := range res.Models {
		outs = append(outs, &res.Models[j])
	}
	for _, o := range outs {
		o.Orders = res.Orders
		for h := range o.Horizons {
			o.Horizons[h].Orders = res.Orders
		}
		slices.Sort(o.Times)
	}
	for j := range res.Models {
		m := &res.Models[j]
		m.KSDiff, m.KSAt = ksDiff(res.Truth.Times, m.Times, int64(m.Runs))
	}
	res.Best = 0
	for j := 1; j < len(res.Models); j++ {
		a, b := &res.Models[j], &res.Models[res.Best]
		if c := cmpRat(a.meanBrier(), b.meanBrier()); c < 0 || c == 0 && cmpRat(a.ks(), b.ks()) < 0 {
			res.Best = j
		}
	}
}

// ksDiff is max_t |a(t)·K − b(t)| over the times t where either
// distribution steps, a counting the truth's times <= t and b the model's,
// and the first t where it is reached.
func ksDiff(truth, model []time.Duration, runs int64) (int64, time.Duration) {
	var best int64
	var at time.Duration
	i, j := 0, 0
	for i < len(truth) || j < len(model) {
		var t time.Duration
		switch {
		case j == len(model) || i < len(truth) && truth[i] <= model[j]:
			t = truth[i]
		default:
			t = model[j]
		}
		for i < len(truth) && truth[i] == t {
			i++
		}
		for j < len(model) && model[j] == t {
			j++
		}
		d := int64(i)*runs - int64(j)
		if d < 0 {
			d = -d
		}
		if d > best {
			best, at = d, t
		}
	}
	return best, at
}
