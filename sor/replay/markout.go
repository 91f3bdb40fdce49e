package replay

import (
	"fmt"
	"math"
	"time"

	"github.com/sorlab/sorlab/sor"
)

// ConsolidatedMid is (highest bid + lowest ask)/2 over the venues' latest
// rows in b (b.BestBidAsk(true): a side counts when its size is > 0), in
// dollars; NaN when no venue shows a bid or none an ask. A locked or
// crossed book still has a mid.
//
// Markouts measure adverse selection: for a buy filled at price p at time
// t, the markout at horizon h is
//
//	mid(t + h) − p   per share,
//
// where mid is the consolidated mid price, (highest bid + lowest ask)/2 over
// the venues' latest rows (ConsolidatedMid). A buyer whose fills are
// followed by falling prices (a negative markout) was picked off: the
// sellers who traded with her knew something. With Config.Markouts set, the
// engine records mid(t + h) for every fill and horizon in
// Result.MidAfter, reading the market as the replay passes t + h, so no
// rows are kept. A horizon that ends after the data has no mid (NaN).
func ConsolidatedMid(b *sor.Book) float64 {
	bid, ask := b.BestBidAsk(true)
	if bid == sor.NoPrice || ask == sor.NoPrice {
		return math.NaN()
	}
	return (bid.Dollars() + ask.Dollars()) / 2
}

func checkMarkouts(hs []time.Duration) error {
	for _, h := range hs {
		if h < 0 {
			return fmt.Errorf("negative markout horizon %v", h)
		}
	}
	return nil
}

// resolve records the mid for every fill and horizon whose time t + h is
// at most upTo, with the book as it stands (the market at upTo).
func (e *engine) resolve(b *sor.Book, upTo int64) {
	mid, have := 0.0, false
	for k, h := range e.cfg.Markouts {
		d := int64(h)
		for e.mk[k] < len(e.res.Fills) && e.res.Fills[e.mk[k]].Time <= upTo-d {
			if !have {
				mid, have = ConsolidatedMid(b), true
			}
			e.res.MidAfter[k][e.mk[k]] = mid
			e.mk[k]++
		}
	}
}

// markoutsPending reports whether some fill still waits for a mid.
func (e *engine) markoutsPending() bool {
	for _, n := range e.mk {
		if n < len(e.res.Fills) {
			return true
		}
	}
	return false
}
