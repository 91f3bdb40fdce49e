package sim

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"
)

// facts are stylized facts measured on a generated event stream. Time
// averages weight each book state by how long it lasted.
type facts struct {
	rows, events   int64
	duration       float64   // seconds
	venueOneTick   []float64 // per venue: fraction of time its spread is one tick
	venueTwoTicks  []float64 // per venue: fraction of time its spread is at most two ticks
	nbboOneTick    float64   // fraction of time the consolidated spread is one tick
	crossedOrLock  int64     // rows after which max bid >= min ask across venues
	ownCrossed     int64     // rows with a venue's own bid >= ask, or size <= 0
	meanAskSz      []float64 // per venue, time-weighted
	meanBidSz      []float64
	tradeRows      []int64 // per venue
	tradedShares   []int64
	nboSizeBelow5k float64 // fraction of time the consolidated best ask shows < 5,000 shares
	meanNBOSize    float64
	asksDiffer     float64 // fraction of time some venue's ask is above the best ask
	nboMoves       int64   // changes of the consolidated best ask price
	minAsk, maxAsk int64
	medianAskSz    []int32     // per venue, over rows
	addCorr        [][]float64 // correlation between venues of the counts of limit orders joining a queue, per corrWindow
	nboOneTickMove int64       // changes of the consolidated best ask by exactly one tick
	tradedShares1s float64     // shares traded a second, all venues
	mids           []float64   // consolidated mid, in cents, at every whole second from Start
	midTimes       []int64     // when the consolidated mid changed (after the last row of an event)
	midPath        []float64   // the mid from then on, in cents
	trades         []trade     // market orders: time, sign and the mid just before

	// Queue-reactive measurements at each venue's best bid and ask, in the
	// manner of Huang, Lehalle and Rosenbaum: the queue's size before each
	// event, in shares, binned by qbin shares. qTime[v][b] is the time the
	// venue's two queues spent in bin b (both sides added up), so that
	// qCount[k][v][b]/qTime[v][b] is the intensity of events of kind k at
	// one queue of that size.
	aes    float64                     // average size of the limit orders joining a best queue
	qTime  [][]float64                 // [venue][bin]
	qCount [numQueueEvents][][]float64 // [kind][venue][bin]
}

// Kinds of events at a best queue, as the queue-reactive measurements see
// them: a limit order joining it, a cancellation from it, a market order
// taking from it.
const (
	qLimit = iota
	qCancel
	qMarket
	numQueueEvents
)

// qbin is the width, in shares, of the fine bins of queue sizes; qbins of
// them cover queues up to 20,000 shares (larger ones go to the last bin).
const (
	qbin  = 10
	qbins = 2000
)

// corrWindow is the window in which order-flow counts are correlated
// across venues.
const corrWindow = 100 * time.Millisecond

func queueBin(size int64) int { return min(int(size/qbin), qbins-1) }

// byAES regroups venue v's fine bins (all venues' with v < 0) into bins of
// average event sizes with the given edges: bin j holds queues of
// edges[j] <= Q/AES < edges[j+1], the last bin everything from the last
// edge on. It returns the time and the counts of each kind per bin.
func (f *facts) byAES(v int, edges []float64) (time []float64, counts [numQueueEvents][]float64) {
	time = make([]float64, len(edges))
	for k := range counts {
		counts[k] = make([]float64, len(edges))
	}
	for w := range f.qTime {
		if v >= 0 && w != v {
			continue
		}
		for b := range qbins {
			mid := (float64(b) + 0.5) * qbin / f.aes // the fine bin's middle, in AES
			j := len(edges) - 1
			for j > 0 && mid < edges[j] {
				j--
			}
			time[j] += f.qTime[w][b]
			for k := range counts {
				counts[k][j] += f.qCount[k][w][b]
			}
		}
	}
	return time, counts
}

// intensities are counts per unit of time, NaN where no time was spent.
func intensities(counts, time []float64) []float64 {
	out := make([]float64, len(time))
	for i := range time {
		out[i] = math.NaN()
		if time[i] > 0 {
			out[i] = counts[i] / time[i]
		}
	}
	return out
}

func measure(t testing.TB, p Params, seed uint64) facts {
	t.Helper()
	s, err := New(p, seed)
	if err != nil {
		t.Fatal(err)
	}
	k := len(p.Venues)
	f := facts{
		venueOneTick: make([]float64, k), venueTwoTicks: make([]float64, k), meanAskSz: make([]float64, k), meanBidSz: make([]float64, k),
		tradeRows: make([]int64, k), tradedShares: make([]int64, k), minAsk: math.MaxInt64,
	}
	for range k {
		f.qTime = append(f.qTime, make([]float64, qbins))
		for j := range f.qCount {
			f.qCount[j] = append(f.qCount[j], make([]float64, qbins))
		}
	}
	var addShares, adds float64
	firstRow := true // the next row is the first of an event
	type book struct{ bp, ap, bs, as int64 }
	books := make([]book, k)
	for i := range books {
		books[i] = book{bp: UndefPrice, ap: UndefPrice}
	}
	start := p.Start.UnixNano()
	last := start
	seen := 0 // venues quoted so far
	lastNBO := int64(-1)
	windows := int(p.Duration / corrWindow)
	joins := make([][]float64, k)
	for i := range joins {
		joins[i] = make([]float64, windows+1)
	}
	total := 0.0
	nextSecond := start
	accumulate := func(now int64) {
		if seen == k {
			// the mid at each whole second up to now is the one before this row
			for ; nextSecond < now; nextSecond += 1e9 {
				nbb, nbo := int64(math.MinInt64), int64(math.MaxInt64)
				for _, b := range books {
					nbb, nbo = max(nbb, b.bp), min(nbo, b.ap)
				}
				f.mids = append(f.mids, float64(nbb+nbo)/2)
			}
		}
		dt := float64(now-last) / 1e9
		last = now
		if seen < k || dt == 0 {
			return
		}
		total += dt
		nbb, nbo := int64(math.MinInt64), int64(math.MaxInt64)
		for _, b := range books {
			nbb, nbo = max(nbb, b.bp), min(nbo, b.ap)
		}
		var nboSz int64
		differ := false
		for i, b := range books {
			if b.ap-b.bp == 1 {
				f.venueOneTick[i] += dt
			}
			if b.ap-b.bp <= 2 {
				f.venueTwoTicks[i] += dt
			}
			f.meanAskSz[i] += dt * float64(b.as)
			f.meanBidSz[i] += dt * float64(b.bs)
			if b.ap == nbo {
				nboSz += b.as
			} else {
				differ = true
			}
		}
		if nbo-nbb == 1 {
			f.nbboOneTick += dt
		}
		if nboSz < 5000 {
			f.nboSizeBelow5k += dt
		}
		f.meanNBOSize += dt * float64(nboSz)
		if differ {
			f.asksDiffer += dt
		}
		for i, b := range books {
			f.qTime[i][queueBin(b.bs)] += dt
			f.qTime[i][queueBin(b.as)] += dt
		}
	}
	askSz := make([][]int32, k)
	err = s.Run(func(r *Row) error {
		f.rows++
		askSz[r.Venue] = append(askSz[r.Venue], r.AskSz)
		accumulate(r.TsEvent)
		b := &books[r.Venue]
		if b.bp == UndefPrice {
			seen++
		} else if firstRow && seen == k {
			// The event's kind and the queue it acts on, before it.
			bidSide := r.Side == 'B'
			qsz, qpx := b.as, b.ap
			if bidSide {
				qsz, qpx = b.bs, b.bp
			}
			switch r.Action {
			case 'A':
				if r.Price == qpx { // joins the queue, does not improve
					f.qCount[qLimit][r.Venue][queueBin(qsz)]++
					joins[r.Venue][(r.TsEvent-start)/int64(corrWindow)]++
					addShares += float64(r.Size)
					adds++
				}
			case 'C':
				f.qCount[qCancel][r.Venue][queueBin(qsz)]++
			case 'T': // the aggressor's side: a buy takes from the ask
				qsz = b.bs
				if bidSide {
					qsz = b.as
				}
				f.qCount[qMarket][r.Venue][queueBin(qsz)]++
				sign := -1.0
				if bidSide {
					sign = 1
				}
				if len(f.midPath) > 0 {
					f.trades = append(f.trades, trade{r.TsEvent, sign, f.midPath[len(f.midPath)-1]})
				}
			}
		}
		firstRow = r.Flags&FlagLast != 0
		*b = book{r.BidPx, r.AskPx, int64(r.BidSz), int64(r.AskSz)}
		if r.BidPx >= r.AskPx || r.BidSz <= 0 || r.AskSz <= 0 || r.BidCt <= 0 || r.AskCt <= 0 {
			f.ownCrossed++
		}
		if seen == k && r.Flags&FlagLast != 0 {
			nbb, nbo := int64(math.MinInt64), int64(math.MaxInt64)
			for _, b := range books {
				nbb, nbo = max(nbb, b.bp), min(nbo, b.ap)
			}
			if nbb >= nbo {
				f.crossedOrLock++
			}
			if mid := float64(nbb+nbo) / 2; len(f.midPath) == 0 || mid != f.midPath[len(f.midPath)-1] {
				f.midTimes = append(f.midTimes, r.TsEvent)
				f.midPath = append(f.midPath, mid)
			}
			if nbo != lastNBO {
				if lastNBO >= 0 {
					f.nboMoves++
					if nbo-lastNBO == 1 || lastNBO-nbo == 1 {
						f.nboOneTickMove++
					}
				}
				lastNBO = nbo
			}
			f.minAsk, f.maxAsk = min(f.minAsk, nbo), max(f.maxAsk, nbo)
		}
		switch r.Action {
		case 'T':
			f.tradeRows[r.Venue]++
			f.tradedShares[r.Venue] += int64(r.Size)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	accumulate(start + int64(p.Duration))
	f.events = s.Stats().Events
	f.duration = total
	for i := range k {
		f.venueOneTick[i] /= total
		f.venueTwoTicks[i] /= total
		f.meanAskSz[i] /= total
		f.meanBidSz[i] /= total
	}
	for i := range k {
		slices.Sort(askSz[i])
		f.medianAskSz = append(f.medianAskSz, askSz[i][len(askSz[i])/2])
	}
	f.nbboOneTick /= total
	f.aes = addShares / adds
	for i := range k {
		f.tradedShares1s += float64(f.tradedShares[i]) / total
	}
	f.nboSizeBelow5k /= total
	f.meanNBOSize /= total
	f.asksDiffer /= total
	f.addCorr = make([][]float64, k)
	for i := range k {
		f.addCorr[i] = make([]float64, k)
		for j := range k {
			f.addCorr[i][j] = corr(joins[i][:windows], joins[j][:windows])
		}
	}
	return f
}

// trade is a market order: when, its sign (+1 a buy, -1 a sell) and the
// consolidated mid just before it, in cents.
type trade struct {
	ts   int64
	sign float64
	mid  float64
}

// midAt is the consolidated mid at time ts (after every event at ts).
func (f *facts) midAt(ts int64) float64 {
	i, found := slices.BinarySearch(f.midTimes, ts)
	if !found {
		i--
	}
	return f.midPath[max(i, 0)]
}

// response is the response function of Bouchaud et al. at lag tau: the
// mean of sign·(mid(t+tau) − mid(t−)) over market orders, in ticks; trades
// too close to the end to have a mid tau later are left out.
func (f *facts) response(tau time.Duration, end int64) float64 {
	var sum float64
	n := 0
	for _, tr := range f.trades {
		if tr.ts+int64(tau) >= end {
			break
		}
		sum += tr.sign * (f.midAt(tr.ts+int64(tau)) - tr.mid)
		n++
	}
	return sum / float64(n)
}

// realizedVol is the annualised volatility of the consolidated mid sampled
// every step seconds: sqrt(Σ Δmid² / T · seconds a year) / price, with the
// year of 252 days of 6.5 hours that Params.Volatility uses.
func (f *facts) realizedVol(step int) float64 {
	var sum float64
	n := 0
	for i := step; i < len(f.mids); i += step {
		d := f.mids[i] - f.mids[i-step]
		sum += d * d
		n++
	}
	const secondsPerYear = 252 * 6.5 * 3600
	return math.Sqrt(sum/float64(n*step)*secondsPerYear) / f.mids[0]
}

func corr(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= n
	my /= n
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

// The stylized facts below are checked on three seeds with the default
// parameters (four minutes, six venues, as in the sample); the mid's
// volatility and the response of prices to trades on twenty minutes, which
// they need to be measured at all. Each test states the fact and its
// source, what seed 1 gives and the tolerance, so a reader sees how much
// room there is. The package doc's Calibration section sums them up.

var factSeeds = []uint64{1, 2, 3}

// measured caches measurements of the default parameters, by duration and
// seed: a run is deterministic, and many tests read the same one.
var measured = map[[2]uint64]facts{}

func defaultFacts(t *testing.T, d time.Duration, seed uint64) facts {
	key := [2]uint64{uint64(d), seed}
	if f, ok := measured[key]; ok {
		return f
	}
	p := DefaultParams()
	p.Duration = d
	f := measure(t, p, seed)
	measured[key] = f
	return f
}

func forSeeds(t *testing.T, check func(t *testing.T, p Params, f facts)) {
	forSeedsOver(t, DefaultDuration, check)
}

func forSeedsOver(t *testing.T, d time.Duration, check func(t *testing.T, p Params, f facts)) {
	p := DefaultParams()
	p.Duration = d
	for _, seed := range factSeeds {
		f := defaultFacts(t, d, seed)
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) { check(t, p, f) })
	}
}

// longRun is the duration of the runs that measure volatility and
// response: 1,200 one-second returns, twenty 60-second ones.
const longRun = 20 * time.Minute

// Fact: in a large-tick stock, one whose tick is large next to its price
// moves (AAPL's cent is 0.45 bps of $220), the spread is one tick almost all
// the time (Bouchaud, Bonart, Donier and Gould, "Trades, Quotes and
// Prices", 2018, ch. 3 and 4).
func TestConsolidatedSpreadIsMostlyOneTick(t *testing.T) {
	forSeeds(t, func(t *testing.T, p Params, f facts) {
		// seed 1: 0.999 of the time
		if f.nbboOneTick < 0.97 {
			t.Errorf("consolidated spread is one tick %.3f of the time, want >= 0.97", f.nbboOneTick)
		}
	})
}

// Fact: each venue's own spread is one tick most of the time too (the
// target of issue 13; we know of no public per-venue statistic). A venue's
// spread widens when its quote has moved and the others' have not yet;
// in-spread orders (ImproveRate) and the withdrawal of stale quotes
// (StaleRate) close it within milliseconds. The model before them reached
// 0.50-0.59.
func TestVenueSpreadIsMostlyOneTick(t *testing.T) {
	forSeeds(t, func(t *testing.T, p Params, f facts) {
		// seed 1: one tick 0.76-0.78 of the time, at most two ticks 0.98-0.99
		for i, v := range p.Venues {
			if f.venueOneTick[i] < 0.7 || f.venueTwoTicks[i] < 0.95 {
				t.Errorf("%s: spread one tick %.3f, <= two ticks %.3f of the time; want >= 0.7 and >= 0.95",
					v.Name, f.venueOneTick[i], f.venueTwoTicks[i])
			}
		}
	})
}

func TestConsolidatedBookNeverLocksOrCrosses(t *testing.T) {
	stressed := DefaultParams()
	stressed.Volatility = 1.5 // six times the default
	stressed.Pull, stressed.MaxPull = 5, 1
	stressed.AddRate = 15
	stressed.GapFillProb = 1
	stressed.Duration = 3 * time.Minute
	for _, p := range []Params{DefaultParams(), stressed} {
		for seed := uint64(1); seed <= 4; seed++ {
			f := measure(t, p, seed)
			if f.crossedOrLock != 0 {
				t.Errorf("vol %.2f seed %d: consolidated book locked or crossed after %d events", p.Volatility, seed, f.crossedOrLock)
			}
			if f.ownCrossed != 0 {
				t.Errorf("vol %.2f seed %d: %d rows with a venue's own bid >= ask or an empty quote", p.Volatility, seed, f.ownCrossed)
			}
		}
	}
}

// Fact: a US large cap shows a few hundred shares at each venue's best, in
// a few orders: the exercise's real file (AAPL on XNAS, 2024-08-01,
// sor/testdata/l1_day_head.csv) starts with best queues of 36 to 421
// shares in 1 to 4 orders.
func TestQueueSizesAreAFewHundredShares(t *testing.T) {
	forSeeds(t, func(t *testing.T, p Params, f facts) {
		// seed 1: medians 100-200 shares, means 280-440 (pulled up by large quotes)
		for i, v := range p.Venues {
			if m := f.medianAskSz[i]; m < 100 || m > 800 {
				t.Errorf("%s: median best-ask size %d shares, want 100..800", v.Name, m)
			}
			if m := f.meanAskSz[i]; m < 150 || m > 2000 {
				t.Errorf("%s: mean best-ask size %.0f shares, want 150..2000", v.Name, m)
			}
			if m := f.meanBidSz[i]; m < 150 || m > 2000 {
				t.Errorf("%s: mean best-bid size %.0f shares, want 150..2000", v.Name, m)
			}
		}
	})
}

// aesEdges bin queue sizes in average event sizes (AES, about 200 shares
// here) between round lots, so that a queue of 100 or 200 shares does not
// sit on an edge: about one lot or less, two, three to five, six or more.
var aesEdges = []float64{0, 0.75, 1.25, 2.5}

// Fact (Huang, Lehalle and Rosenbaum, "Simulating and analyzing order book
// data: the queue-reactive model", JASA 2015): measured as functions of
// the queue's size at the best, in units of the average event size, the
// intensity of cancellations rises with the queue, that of market orders
// falls, and that of limit orders varies little. In the model, market
// orders fall by construction (MarketQueue) and by the pull, which sends
// them to the side whose quote is about to go; cancellations rise because
// every order is cancelled at a rate of its own; limit orders arrive at a
// constant rate. At the two smallest venues most cancellations are stale
// quotes being withdrawn, at a rate set by the efficient price rather
// than by the queue, and their cancel intensity is nearly flat: the test
// asks for a rise at the four venues of 10% share or more and for no fall
// at the others.
func TestQueueReactiveIntensities(t *testing.T) {
	forSeeds(t, func(t *testing.T, p Params, f facts) {
		last := len(aesEdges) - 1
		for v, venue := range p.Venues {
			tm, c := f.byAES(v, aesEdges)
			l, cc, m := intensities(c[qLimit], tm), intensities(c[qCancel], tm), intensities(c[qMarket], tm)
			t.Logf("%s: limit %.1f, cancel %.1f, market %.1f per second", venue.Name, l, cc, m)
			// seed 1: 2.8 (IEXG) to 8.5 (MEMX) times less often
			if m[0] < 2*m[last] {
				t.Errorf("%s: market orders at queues of %.2g+ AES %.2f/s, at < %.2g AES %.2f/s: want at least twice fewer at the long queues",
					venue.Name, aesEdges[last], m[last], aesEdges[1], m[0])
			}
			// seed 1: 1.5 (BATS) to 1.9 (XNAS) times more often at
			// the four largest venues, 1.6 and 1.3 at the others
			// (seeds 1-3: at least 1.48 and 1.17)
			want := 1.3
			if venue.Share < 0.1 {
				want = 1.1
			}
			if cc[last] < want*cc[0] {
				t.Errorf("%s: cancellations at queues of %.2g+ AES %.2f/s, at < %.2g AES %.2f/s: want at least %.1f times as many at the long queues",
					venue.Name, aesEdges[last], cc[last], aesEdges[1], cc[0], want)
			}
			// seed 1: within 9% of each other at XNAS, 26% at IEXG,
			// whose bins hold few events
			lo, hi := slices.Min(l), slices.Max(l)
			if hi > 1.3*lo {
				t.Errorf("%s: limit-order intensity ranges over %.2f..%.2f/s with the queue's size, want within 30%%", venue.Name, lo, hi)
			}
		}
	})
}

// Fact: the size of the best queue has a hump-shaped distribution with a
// long right tail: Huang, Lehalle and Rosenbaum's invariant distributions,
// and the Gamma-like distributions of Bouchaud, Mézard and Potters
// ("Statistical properties of stock order books", Quantitative Finance
// 2002). Their large-tick European stocks queue several AES at the best;
// a US large cap split over six venues queues less at each (see
// TestQueueSizesAreAFewHundredShares), and the model's hump is at about
// one round lot, half an AES.
func TestQueueSizeDistribution(t *testing.T) {
	forSeeds(t, func(t *testing.T, p Params, f facts) {
		edges := []float64{0, 0.375, 0.75, 1.25, 2.5, 5}
		tm, _ := f.byAES(-1, edges)
		total, mean := 0.0, 0.0
		for _, x := range tm {
			total += x
		}
		for v := range f.qTime {
			for b, x := range f.qTime[v] {
				mean += x * (float64(b) + 0.5) * qbin / f.aes / total
			}
		}
		density := make([]float64, len(edges)-1) // per AES, of the bounded bins
		for i := range density {
			density[i] = tm[i] / total / (edges[i+1] - edges[i])
		}
		tail := tm[len(tm)-1] / total
		t.Logf("AES %.0f shares; density per AES on %v: %.3f; above %g AES %.3f; mean %.2f AES", f.aes, edges, density, edges[len(edges)-1], tail, mean)
		// seed 1: densities 0.35 0.95 0.42 0.15 0.03, tail 0.05, mean 1.70
		if !(density[1] > density[0] && density[1] > density[2] && density[2] > density[3] && density[3] > density[4]) {
			t.Errorf("density per AES %.3f: want a hump on [%g, %g) AES falling away on both sides", density, edges[1], edges[2])
		}
		if mean < 1 || mean > 3 {
			t.Errorf("mean queue %.2f AES, want 1..3", mean)
		}
		if tail < 0.01 || tail > 0.15 {
			t.Errorf("queues above %g AES %.3f of the time, want 0.01..0.15", edges[len(edges)-1], tail)
		}
	})
}

// Fact: a liquid large cap trades thousands of shares a second. AAPL
// traded about 55 million shares a day in 2024, about half of them on
// lit exchanges: some 1,200 shares a second over the 6.5-hour day, and
// about twice that in the morning, volume being U-shaped over the day
// (Jain and Joh, JFQA 1988). The old model traded 1,280 shares a second;
// target 1,500..3,500. Book events at the six venues' best quotes follow
// from the queue sizes and the rates that set them (seed 1: 308 rows a
// second, 2.2 times the old model). A real feed carries more messages
// (levels behind the best, which the model does not track, and many more
// venues); the model does not claim to match its count.
func TestActivityOfALargeCap(t *testing.T) {
	forSeeds(t, func(t *testing.T, p Params, f facts) {
		var trades int64
		for _, n := range f.tradeRows {
			trades += n
		}
		rows, perTrade := float64(f.rows)/f.duration, float64(trades)/f.duration
		// seed 1: 2,320 shares, 29 trade rows and 308 rows a second
		if f.tradedShares1s < 1500 || f.tradedShares1s > 3500 {
			t.Errorf("%.0f shares traded a second, want 1,500..3,500", f.tradedShares1s)
		}
		if perTrade < 15 || perTrade > 50 {
			t.Errorf("%.1f trade rows a second, want 15..50", perTrade)
		}
		if rows < 250 || rows > 500 {
			t.Errorf("%.0f rows a second, want 250..500", rows)
		}
	})
}

func TestTradesSplitRoughlyByMarketShare(t *testing.T) {
	forSeeds(t, func(t *testing.T, p Params, f facts) {
		total := int64(0)
		for _, n := range f.tradeRows {
			total += n
		}
		// Routing to the best price moves trades from venues that lag
		// to venues at the best, and market orders are rarer at long
		// queues, so shares match only roughly (seed 1: XNAS 0.31 of
		// trades for a 0.34 share).
		for i, v := range p.Venues {
			got := float64(f.tradeRows[i]) / float64(total)
			if math.Abs(got-v.Share) > 0.06 {
				t.Errorf("%s: %.3f of trades, share %.2f: want within 0.06", v.Name, got, v.Share)
			}
		}
	})
}

// The common factor makes order flow correlated across venues. The test
// compares the correlation of the counts of limit orders joining a queue,
// per 100 ms, with the construction's prediction
// alpha*sqrt(s_v*s_w)/s_max: limit orders are neither thinned nor pulled,
// so the prediction is exact but for sampling error (2,400 windows: a
// standard error of about 0.02). Seeds 1-3 land within 0.04 of it on every
// pair and within 0.015 on average.
func TestOrderFlowIsCorrelatedAcrossVenues(t *testing.T) {
	forSeeds(t, func(t *testing.T, p Params, f facts) {
		smax := 0.0
		for _, v := range p.Venues {
			smax = max(smax, v.Share)
		}
		var sumDiff float64
		n := 0
		for i, v := range p.Venues {
			for j := i + 1; j < len(p.Venues); j++ {
				w := p.Venues[j]
				want := p.Alpha * math.Sqrt(v.Share*w.Share) / smax
				got := f.addCorr[i][j]
				sumDiff += got - want
				n++
				t.Logf("%s-%s: %.3f vs %.3f", v.Name, w.Name, got, want)
				if math.Abs(got-want) > 0.1 {
					t.Errorf("%s-%s: correlation %.3f, construction predicts %.3f", v.Name, w.Name, got, want)
				}
			}
		}
		t.Logf("mean correlation minus prediction: %.3f", sumDiff/float64(n))
		if d := sumDiff / float64(n); math.Abs(d) > 0.04 {
			t.Errorf("correlations are off the prediction by %.3f on average, want within 0.04", d)
		}
	})
}

func TestOrderFlowIsUncorrelatedWithoutCommonFactor(t *testing.T) {
	p := DefaultParams()
	p.Alpha = 0
	f := measure(t, p, 1)
	for i := range p.Venues {
		for j := i + 1; j < len(p.Venues); j++ {
			// 2,400 windows of 100 ms: a standard error of about 0.02
			t.Logf("alpha=0: %s-%s %.3f", p.Venues[i].Name, p.Venues[j].Name, f.addCorr[i][j])
			if c := f.addCorr[i][j]; math.Abs(c) > 0.08 {
				t.Errorf("alpha=0: %s-%s correlation %.3f, want about 0", p.Venues[i].Name, p.Venues[j].Name, c)
			}
		}
	}
}

func TestBestAskIsOftenBelow5000Shares(t *testing.T) {
	forSeeds(t, func(t *testing.T, p Params, f facts) {
		// seed 1: below 5,000 shares 0.91 of the time, 1,850 on average
		if f.nboSizeBelow5k < 0.5 {
			t.Errorf("consolidated best ask shows < 5,000 shares only %.3f of the time, want >= 0.5", f.nboSizeBelow5k)
		}
		if f.meanNBOSize < 1000 || f.meanNBOSize > 8000 {
			t.Errorf("consolidated best ask shows %.0f shares on average, want 1,000..8,000", f.meanNBOSize)
		}
	})
}

// Fact: the price of a large-tick stock moves one tick at a time, and
// often: a volatility σ of 25% a year at p = $220 is a variance
// (σ·p)²/year of 5.1 squared cents a second, which steps of one cent
// carry only if they come several times a second (5.1 if they were
// independent). The old model moved 0.8 times a second, its quotes
// lagging the efficient price by about 3 ticks.
func TestPricesMoveOneTickAtATime(t *testing.T) {
	forSeeds(t, func(t *testing.T, p Params, f facts) {
		oneTick := float64(f.nboOneTickMove) / float64(f.nboMoves)
		perSecond := float64(f.nboMoves) / f.duration
		// seed 1: 4.4 moves a second, all of one tick
		if oneTick < 0.99 {
			t.Errorf("%.3f of the best ask's moves are one tick, want >= 0.99", oneTick)
		}
		if perSecond < 4 || perSecond > 15 {
			t.Errorf("the best ask moves %.1f times a second, want 4..15", perSecond)
		}
	})
}

func TestPriceMovesAndVenuesDiffer(t *testing.T) {
	forSeeds(t, func(t *testing.T, p Params, f facts) {
		// seed 1: range 40 cents, some venue's ask above the best 0.28
		// of the time
		if r := f.maxAsk - f.minAsk; r < 10 || r > 500 {
			t.Errorf("best ask ranged over %d ticks, want 10..500", r)
		}
		if f.asksDiffer < 0.15 || f.asksDiffer > 0.95 {
			t.Errorf("venues' asks differ %.3f of the time, want 0.15..0.95", f.asksDiffer)
		}
	})
}

// Fact: the consolidated mid carries the stock's volatility at every time
// scale from a second up: the volatility signature plot of liquid stocks
// is nearly flat there (Trades, Quotes and Prices, ch. 2), a large-tick
// stock's mid bouncing little. The target is Params.Volatility, 25%; the
// old model's mid had 12% at one second and 22% at ten, its quotes lagging
// the efficient price.
func TestMidCarriesTheVolatility(t *testing.T) {
	forSeedsOver(t, longRun, func(t *testing.T, p Params, f facts) {
		// seed 1: 0.25, 0.27 and 0.29 at 1, 10 and 60 seconds
		for _, step := range []int{1, 10, 60} {
			if v := f.realizedVol(step); v < 0.75*p.Volatility || v > 1.35*p.Volatility {
				t.Errorf("realized volatility of the mid at %d s: %.3f, want within 0.75..1.35 times %.2f", step, v, p.Volatility)
			}
		}
	})
}

// Fact: prices move the way trades go, and more so a while later: the
// response function R(τ) = E[ε·(mid(t+τ) − mid(t−))] of a market order of
// sign ε is positive and grows with τ before it levels off (Bouchaud,
// Gefen, Potters and Wyart, "Fluctuations and response in financial
// markets", Quantitative Finance 2004). In the model trades carry
// information because the pull sends market orders the efficient price's
// way; without it (Pull = 0) only their mechanical impact is left, which
// the quotes' return to the efficient price undoes within a second (seed
// 1: R = 0.04 tick at 10 ms, 0.02 at 1 s). Measured up to ten seconds:
// beyond, twenty minutes are too few to tell R from noise.
func TestTradesMovePricesTheirWay(t *testing.T) {
	forSeedsOver(t, longRun, func(t *testing.T, p Params, f facts) {
		end := p.Start.UnixNano() + int64(p.Duration)
		r0, r1, r10 := f.response(10*time.Millisecond, end), f.response(time.Second, end), f.response(10*time.Second, end)
		// seed 1: 0.05, 0.18 and 0.17 ticks
		t.Logf("R(10 ms) %.3f, R(1 s) %.3f, R(10 s) %.3f ticks", r0, r1, r10)
		if !(r0 > 0 && r1 > 2*r0 && r10 > 2*r0) {
			t.Errorf("response R(10 ms) %.3f, R(1 s) %.3f, R(10 s) %.3f ticks: want positive, and at 1 s and 10 s at least twice R(10 ms)", r0, r1, r10)
		}
	})
	p := DefaultParams()
	p.Pull, p.Duration = 0, longRun
	f := measure(t, p, 1)
	end := p.Start.UnixNano() + int64(p.Duration)
	if r0, r1 := f.response(10*time.Millisecond, end), f.response(time.Second, end); !(r0 > 0 && r1 < r0) {
		t.Errorf("Pull = 0: response R(10 ms) %.3f, R(1 s) %.3f ticks: want a mechanical impact that reverts", r0, r1)
	}
}

func TestLargeRestingQuotesAppear(t *testing.T) {
	p := DefaultParams()
	s, err := New(p, 1)
	if err != nil {
		t.Fatal(err)
	}
	var rows, large int
	s.Run(func(r *Row) error {
		rows++
		if r.AskSz >= int32(p.LargeMin) {
			large++
		}
		return nil
	})
	// seed 1: a venue shows >= 2,000 shares at its ask on 3.7% of rows
	t.Logf("%.3f of rows show an ask of >= %d shares", float64(large)/float64(rows), p.LargeMin)
	if frac := float64(large) / float64(rows); frac < 0.01 || frac > 0.3 {
		t.Errorf("%.3f of rows show an ask of >= %d shares, want 0.01..0.3", frac, p.LargeMin)
	}
}

// TestFactsReport logs the facts for seed 1, for a human reading go test -v.
func TestFactsReport(t *testing.T) {
	p := DefaultParams()
	f := defaultFacts(t, p.Duration, DefaultSeed)
	var trades int64
	for _, n := range f.tradeRows {
		trades += n
	}
	t.Logf("rows %d events %d (%.0f rows/s); %.0f shares and %.1f trade rows a second",
		f.rows, f.events, float64(f.rows)/f.duration, f.tradedShares1s, float64(trades)/f.duration)
	t.Logf("consolidated: one tick %.3f; locked/crossed %d; bad venue quotes %d; asks differ %.3f; best-ask moves %d (%.1f/s, %.3f of one tick), range %d..%d",
		f.nbboOneTick, f.crossedOrLock, f.ownCrossed, f.asksDiffer, f.nboMoves, float64(f.nboMoves)/f.duration, float64(f.nboOneTickMove)/float64(f.nboMoves), f.minAsk, f.maxAsk)
	t.Logf("consolidated best-ask size: mean %.0f, < 5000 %.3f of the time; AES %.0f shares", f.meanNBOSize, f.nboSizeBelow5k, f.aes)
	for i, v := range p.Venues {
		t.Logf("%s spread one tick %.3f, <= 2 ticks %.3f; ask size mean %.0f median %d; bid size mean %.0f; trades %d (%d shares)",
			v.Name, f.venueOneTick[i], f.venueTwoTicks[i], f.meanAskSz[i], f.medianAskSz[i], f.meanBidSz[i], f.tradeRows[i], f.tradedShares[i])
	}
	for i := range f.addCorr {
		t.Logf("limit-order count correlation %.2f", f.addCorr[i])
	}
	g := defaultFacts(t, longRun, DefaultSeed)
	end := p.Start.UnixNano() + int64(longRun)
	t.Logf("over %v: mid volatility %.3f (1 s), %.3f (10 s), %.3f (60 s); response %.3f (10 ms), %.3f (1 s), %.3f (10 s) ticks",
		longRun, g.realizedVol(1), g.realizedVol(10), g.realizedVol(60), g.response(10*time.Millisecond, end), g.response(time.Second, end), g.response(10*time.Second, end))
}
