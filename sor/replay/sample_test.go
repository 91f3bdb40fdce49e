package replay

import (
	"sync"
	"testing"

	"github.com/sorlab/sorlab/sor"
	_ "github.com/sorlab/sorlab/sor/zstd"
)

var sample struct {
	once   sync.Once
	rows   []sor.Row
	venues sor.Venues
	st     *Stream
	err    error
}

// loadSample reads data/sample.csv.zst and data/venues.csv once.
func loadSample(t testing.TB) ([]sor.Row, sor.Venues, *Stream) {
	t.Helper()
	sample.once.Do(func() {
		rc, err := sor.Open("../../data/sample.csv.zst")
		if err != nil {
			sample.err = err
			return
		}
		defer rc.Close()
		if sample.rows, sample.err = sor.NewReader(rc, "sample.csv.zst", sor.ReadOptions{}).ReadAll(); sample.err != nil {
			return
		}
		if sample.venues, sample.err = sor.ReadVenuesFile("../../data/venues.csv"); sample.err != nil {
			return
		}
		sample.st = NewStream(sample.rows, sor.Window{})
	})
	if sample.err != nil {
		t.Fatal(sample.err)
	}
	return sample.rows, sample.venues, sample.st
}

// TestVisibleMatchesExercise ties the engine to the exercise: with the
// Visible model and no latency, the baselines run through the adapter give
// exactly the fills and cash of sor.Backtest on the same data.
func TestVisibleMatchesExercise(t *testing.T) {
	rows, venues, st := loadSample(t)
	snaps := sor.BuildSnapshots(rows, sor.Window{})
	for _, size := range []int64{5000, 60000} {
		for _, mk := range []func() sor.Strategy{
			func() sor.Strategy { return sor.BestAsk{} },
			func() sor.Strategy { return &sor.TWAP{Bucket: 60e9} },
			func() sor.Strategy { return sor.VWAP{} },
		} {
			want, err := sor.Backtest(snaps, venues, size, mk())
			if err != nil {
				t.Fatal(err)
			}
			got, err := Run(st, Config{OrderSize: size, Venues: venues}, &Baseline{S: mk()})
			if err != nil {
				t.Fatal(err)
			}
			name := want.Strategy
			if got.Filled != want.Filled || got.Cash != want.Cash || len(got.Fills) != len(want.Fills) {
				t.Fatalf("%s size %d: got filled %d cash %v (%d fills), want %d %v (%d fills)", name, size,
					got.Filled, got.Cash, len(got.Fills), want.Filled, want.Cash, len(want.Fills))
			}
			for i := range want.Fills {
				if got.Fills[i] != want.Fills[i] {
					t.Fatalf("%s size %d fill %d: got %+v want %+v", name, size, i, got.Fills[i], want.Fills[i])
				}
			}
			if got.SlippageCash != 0 || got.MakerShares != 0 {
				t.Errorf("%s: slippage %v maker %d without latency or limit orders", name, got.SlippageCash, got.MakerShares)
			}
		}
	}
}
