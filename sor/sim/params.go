package sim

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Venue is one exchange in the simulated market.
//
// Share, Depth and Latency shape the venue's order flow and book; Fee and
// Rebate are carried along for the venue table (see WriteVenues) and do not
// influence the simulation itself.
type Venue struct {
	PublisherID uint16  // Databento publisher id, e.g. 2 for XNAS
	Name        string  // MIC-like short name, e.g. "XNAS"
	Share       float64 // fraction of the market-wide order flow sent here (shares sum to 1)
	Depth       float64 // mean number of orders in a queue revealed at the best after a price move
	Fee         float64 // taker fee in dollars per share (negative on an inverted venue)
	Rebate      float64 // maker rebate in dollars per share (negative on an inverted venue)

	// Latency is the typical delay from the venue's matching engine to the
	// capture server; each row's ts_recv is ts_event plus Latency plus an
	// exponential jitter of mean Latency/4.
	Latency time.Duration
}

// SizeBucket is one bucket of an order-size distribution: with probability
// proportional to Weight the size is drawn uniformly from Min, Min+Step, ...,
// Max.
type SizeBucket struct {
	Min, Max, Step int
	Weight         float64
}

// Params holds every setting of the simulator. DefaultParams returns the
// values that generated the shipped sample, data/sample.csv.zst.
//
// Rates are market-wide, in events per second, for one side of the book (so
// AddRate is the arrival rate of limit buys at the best bid and, separately,
// of limit sells at the best ask), and are split over venues by Share.
type Params struct {
	Symbol       string    // ticker written in every row
	InstrumentID uint32    // instrument_id written in every row
	Start        time.Time // time of the first possible event
	Duration     time.Duration
	StartPrice   float64 // initial best bid in dollars (a whole number of cents); the ask is one cent above

	Venues []Venue

	AddRate    float64 // limit orders joining the best queue, per side
	CancelRate float64 // cancel attempts at the best queue, per side (see CancelSaturation)
	MarketRate float64 // market orders, per side, at an almost empty queue (see MarketQueue); buys lift the ask, sells hit the bid

	// CancelSaturation sets how cancellations grow with the queue: a
	// cancellation attempt at a queue of n orders at venue v succeeds with
	// probability min(1, n/(CancelSaturation·Depth_v)), so every order is
	// cancelled at a rate of its own until the queue holds
	// CancelSaturation·Depth_v orders, and the queue's cancel rate grows no
	// further beyond.
	CancelSaturation float64

	// MarketQueue (shares) makes market orders less frequent at long queues,
	// as Huang, Lehalle and Rosenbaum measured: a market order that would
	// take from a queue of Q shares is sent with probability
	// MarketQueue/(MarketQueue+Q), so MarketRate is the rate at an almost
	// empty queue. Zero turns this off.
	MarketQueue float64

	// Alpha is the common-factor share of every order-flow stream: a fraction
	// Alpha of each venue's events comes from market-wide streams shared by
	// all venues, the rest from the venue's own streams (see the package doc).
	Alpha float64

	// Volatility is the annualised volatility of the efficient price, a
	// random walk that all venues follow (252 days of 6.5 hours a year).
	Volatility float64

	// Pull and MaxPull set how strongly market orders follow the efficient
	// price: when the efficient price is x ticks above a venue's mid, a
	// market sell there becomes a buy with probability min(MaxPull, Pull*x),
	// and symmetrically below.
	Pull    float64
	MaxPull float64

	// ImproveRate is the rate, per venue, of limit orders arriving inside a
	// venue's spread while it is two ticks or wider: on the side of the
	// efficient price (a bid when it is above the venue's mid), one tick
	// inside the venue's quote or at the consolidated best if the quote is
	// further behind, unless that would lock or cross another venue. The
	// same at every venue whatever its share: it is how fast market makers
	// close a gap.
	ImproveRate float64

	// StaleRate is the rate at which each order of a stale quote is
	// withdrawn: while the efficient price is above a venue's ask (or below
	// its bid), a random order of that queue is cancelled at StaleRate
	// times the number of its orders. Large quotes are not spared.
	StaleRate float64

	// GapFillProb is the probability that, when a best queue empties and the
	// price ticks away, a new order is posted on the other side at the price
	// just vacated, keeping the venue's spread at one tick (the
	// Cont-de Larrard price move). Otherwise the spread widens by a tick.
	GapFillProb float64

	LimitSizes  []SizeBucket // size of each limit order, in shares
	MarketSizes []SizeBucket // size of each market order, in shares

	// LargeProb is the probability that a limit order is a large resting
	// quote instead, its size drawn uniformly in [LargeMin, LargeMax] in
	// round lots. LargeStickiness is the probability that a cancellation
	// that picked a large order spares it and cancels the newest order in
	// the queue instead, so large quotes rest longer than small ones.
	LargeProb        float64
	LargeMin         int
	LargeMax         int
	LargeStickiness  float64
	SweepLatencyMean time.Duration // mean delay between deliveries of one common event to successive venues
}

// Default start of the simulated session: the start of the exercise's
// window, 2024-08-01 13:36:32 UTC (09:36:32 New York time).
var DefaultStart = time.Date(2024, 8, 1, 13, 36, 32, 0, time.UTC)

// DefaultDuration is the length of the shipped sample: four minutes hold
// four of TWAP's 60-second buckets in about 2 MB (see the package doc).
const DefaultDuration = 4 * time.Minute

// DefaultSeed is the seed of the shipped sample.
const DefaultSeed = 1

// DefaultParams returns the parameters of the shipped sample, calibrated to
// the stylized facts of a liquid US large cap trading near $220 with a
// one-cent tick, in the morning (the package doc's Calibration section
// lists them, with their sources and what the model reaches).
//
// Venue shares are the venues' rough shares of lit exchange volume in a
// large cap, renormalised to these six venues. Fees and rebates are
// base-tier figures in the spirit of the venues' public fee schedules; they
// are illustrative, not a quote of any current schedule. Queue sizes (a few
// hundred shares per venue) are realistic for the displayed top of book;
// the rates give some 2,300 shares traded and 300 book events a second.
func DefaultParams() Params {
	return Params{
		Symbol:       "SIMX",
		InstrumentID: 4242,
		Start:        DefaultStart,
		Duration:     DefaultDuration,
		StartPrice:   220.00,
		Venues: []Venue{
			{PublisherID: 2, Name: "XNAS", Share: 0.34, Depth: 2.0, Fee: 0.0030, Rebate: 0.0020, Latency: 12 * time.Microsecond},
			{PublisherID: 43, Name: "ARCX", Share: 0.20, Depth: 1.8, Fee: 0.0030, Rebate: 0.0021, Latency: 20 * time.Microsecond},
			{PublisherID: 8, Name: "EDGX", Share: 0.16, Depth: 1.6, Fee: 0.0030, Rebate: 0.0018, Latency: 15 * time.Microsecond},
			{PublisherID: 5, Name: "BATS", Share: 0.14, Depth: 1.6, Fee: 0.0030, Rebate: 0.0016, Latency: 15 * time.Microsecond},
			{PublisherID: 15, Name: "MEMX", Share: 0.09, Depth: 1.4, Fee: 0.0029, Rebate: 0.0015, Latency: 14 * time.Microsecond},
			{PublisherID: 38, Name: "IEXG", Share: 0.07, Depth: 1.3, Fee: 0.0009, Rebate: 0.0000, Latency: 30 * time.Microsecond},
		},
		AddRate:          40,
		CancelRate:       600,
		CancelSaturation: 20,
		MarketRate:       20,
		MarketQueue:      300,
		ImproveRate:      200,
		StaleRate:        40,
		Alpha:            0.6,
		Volatility:       0.25,
		Pull:             1,
		MaxPull:          0.5,
		GapFillProb:      0.8,
		LimitSizes: []SizeBucket{
			{Min: 100, Max: 100, Step: 1, Weight: 0.50},
			{Min: 1, Max: 99, Step: 1, Weight: 0.25},
			{Min: 200, Max: 200, Step: 1, Weight: 0.15},
			{Min: 300, Max: 500, Step: 100, Weight: 0.08},
			{Min: 600, Max: 1000, Step: 100, Weight: 0.02},
		},
		MarketSizes: []SizeBucket{
			{Min: 1, Max: 99, Step: 1, Weight: 0.35},
			{Min: 100, Max: 100, Step: 1, Weight: 0.35},
			{Min: 200, Max: 500, Step: 100, Weight: 0.20},
			{Min: 600, Max: 2000, Step: 100, Weight: 0.10},
		},
		LargeProb:        0.02,
		LargeMin:         2000,
		LargeMax:         5000,
		LargeStickiness:  0.9,
		SweepLatencyMean: 3 * time.Microsecond,
	}
}

// Validate reports the first setting that the simulator cannot use.
func (p *Params) Validate() error {
	if len(p.Venues) == 0 {
		return errors.New("sim: no venues")
	}
	if len(p.Venues) > 64 {
		return errors.New("sim: more than 64 venues")
	}
	sum := 0.0
	for i, v := range p.Venues {
		if !(v.Share > 0) {
			return fmt.Errorf("sim: venue %s: share must be > 0", v.Name)
		}
		if v.Depth < 1 || v.Depth > 50 {
			return fmt.Errorf("sim: venue %s: depth must be in [1, 50]", v.Name)
		}
		if v.Latency < 0 {
			return fmt.Errorf("sim: venue %s: negative latency", v.Name)
		}
		for _, w := range p.Venues[:i] {
			if w.PublisherID == v.PublisherID {
				return fmt.Errorf("sim: publisher id %d used twice", v.PublisherID)
			}
		}
		sum += v.Share
	}
	if math.Abs(sum-1) > 1e-9 {
		return fmt.Errorf("sim: venue shares sum to %g, want 1", sum)
	}
	for _, r := range []struct {
		name string
		v    float64
	}{{"AddRate", p.AddRate}, {"CancelRate", p.CancelRate}, {"MarketRate", p.MarketRate}, {"ImproveRate", p.ImproveRate}, {"StaleRate", p.StaleRate}, {"MarketQueue", p.MarketQueue}} {
		if !(r.v >= 0) || math.IsInf(r.v, 0) {
			return fmt.Errorf("sim: %s must be a finite rate >= 0", r.name)
		}
	}
	if !(p.CancelSaturation >= 1) || math.IsInf(p.CancelSaturation, 0) {
		return errors.New("sim: CancelSaturation must be finite and >= 1")
	}
	if !(p.Volatility >= 0 && p.Volatility < 10) || !(p.Pull >= 0) || math.IsInf(p.Pull, 0) {
		return errors.New("sim: Volatility must be in [0, 10) and Pull finite and >= 0")
	}
	if p.AddRate+p.CancelRate+p.MarketRate == 0 {
		return errors.New("sim: all rates are zero")
	}
	for _, pr := range []struct {
		name string
		v    float64
	}{{"Alpha", p.Alpha}, {"GapFillProb", p.GapFillProb}, {"MaxPull", p.MaxPull}, {"LargeProb", p.LargeProb}, {"LargeStickiness", p.LargeStickiness}} {
		if !(pr.v >= 0 && pr.v <= 1) {
			return fmt.Errorf("sim: %s must be in [0, 1]", pr.name)
		}
	}
	cents := math.Round(p.StartPrice * 100)
	if !(p.StartPrice > 0) || math.Abs(cents-p.StartPrice*100) > 1e-6 || cents > 1e9 {
		return fmt.Errorf("sim: start price %v must be a positive whole number of cents", p.StartPrice)
	}
	if p.Duration < 0 {
		return errors.New("sim: negative duration")
	}
	if p.LargeProb > 0 && (p.LargeMin < 100 || p.LargeMax < p.LargeMin) {
		return errors.New("sim: need 100 <= LargeMin <= LargeMax")
	}
	if err := checkSizes("LimitSizes", p.LimitSizes); err != nil {
		return err
	}
	if err := checkSizes("MarketSizes", p.MarketSizes); err != nil {
		return err
	}
	if p.SweepLatencyMean < 0 {
		return errors.New("sim: negative SweepLatencyMean")
	}
	return nil
}

func checkSizes(name string, bs []SizeBucket) error {
	total := 0.0
	for _, b := range bs {
		if b.Min < 1 || b.Max < b.Min || b.Step < 1 || !(b.Weight >= 0) {
			return fmt.Errorf("sim: %s: bad bucket %+v", name, b)
		}
		total += b.Weight
	}
	if !(total > 0) || math.IsInf(total, 0) {
		return fmt.Errorf("sim: %s: weights must sum to > 0", name)
	}
	return nil
}

// WithVenues returns p's venues, or as many more as n asks for: the extra
// venues repeat the profiles of p's venues in turn (depth, fees, latency)
// under publisher ids 101, 102, ... and names V101, V102, ..., and every
// share is scaled so that they sum to 1. It is for trying the tools on
// markets with many venues; the venues are not real ones.
func (p Params) WithVenues(n int) (Params, error) {
	if n < 1 || n > 64 {
		return p, fmt.Errorf("sim: %d venues: want 1 to 64", n)
	}
	base := p.Venues
	if n <= len(base) {
		p.Venues = append([]Venue(nil), base[:n]...)
	} else {
		p.Venues = append([]Venue(nil), base...)
		for i := len(base); i < n; i++ {
			v := base[i%len(base)]
			v.PublisherID = uint16(101 + i - len(base))
			v.Name = fmt.Sprintf("V%d", v.PublisherID)
			p.Venues = append(p.Venues, v)
		}
	}
	sum := 0.0
	for _, v := range p.Venues {
		sum += v.Share
	}
	for i := range p.Venues {
		p.Venues[i].Share /= sum
	}
	return p, nil
}
