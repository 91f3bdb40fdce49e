package queuescore_test

import (
	"context"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/queuescore"
	"github.com/sorlab/sorlab/sor/sim"
	_ "github.com/sorlab/sorlab/sor/zstd"
)

func simulated(t testing.TB, n int) []queuescore.Market {
	t.Helper()
	ms, err := queuescore.SimulatedMarkets(n)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func score(t testing.TB, ms []queuescore.Market, s queuescore.Setup) queuescore.Report {
	t.Helper()
	res, err := queuescore.Score(ms, s)
	if err != nil {
		t.Fatal(err)
	}
	return res.Report()
}

// The same markets and setup give the same scores, on one CPU or several;
// another seed draws other orders.
func TestDeterministic(t *testing.T) {
	s := queuescore.Setup{Orders: 100, Seed: 7, Seeds: 3}
	a := score(t, simulated(t, 2), s)
	b := score(t, simulated(t, 2), s)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	c := score(t, simulated(t, 2), s)
	if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(a, c) {
		t.Errorf("two runs differ:\n%+v\n%+v\n%+v", a.Table, b.Table, c.Table)
	}
	s.Seed = 8
	if d := score(t, simulated(t, 2), s); reflect.DeepEqual(a.Truth, d.Truth) {
		t.Errorf("seeds 7 and 8 drew orders with the same truth: %+v", d.Truth)
	}
}

// On simulated markets every order finds a bid, and the MBO book always
// shows the bid the MBP-1 rows placed the order at (the simulator writes
// both from one run).
func TestSimulatedBooksAgree(t *testing.T) {
	rep := score(t, simulated(t, 3), queuescore.Setup{Orders: 300, Seeds: 2})
	if rep.Orders != 900 || rep.Skipped != 0 || rep.Mismatched != 0 {
		t.Fatalf("orders %d, skipped %d, mismatched %d; want 900, 0, 0", rep.Orders, rep.Skipped, rep.Mismatched)
	}
	if len(rep.Models) != len(queuescore.Models()) {
		t.Fatalf("%d models, want %d", len(rep.Models), len(queuescore.Models()))
	}
	for _, h := range rep.Truth.Horizons {
		if f := h.FillRate.Float64(); !(f > 0 && f < 1) {
			t.Errorf("truth fill rate %v at %s: the orders should fill sometimes", f, h.Horizon)
		}
	}
}

// A market read from the simulator's files scores as the simulated market
// itself.
func TestOpenMarket(t *testing.T) {
	dir := t.TempDir()
	mbp, mbo := filepath.Join(dir, "mbp.csv.zst"), filepath.Join(dir, "mbo.csv.zst")
	p := sim.DefaultParams()
	if _, err := sim.WriteFile(context.Background(), mbp, p, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.WriteMBOFile(context.Background(), mbo, p, 1); err != nil {
		t.Fatal(err)
	}
	m, err := queuescore.OpenMarket(mbp, mbo, sor.SourceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := queuescore.Setup{Orders: 200, Seeds: 2}
	got, want := score(t, []queuescore.Market{m}, s), score(t, simulated(t, 1), s)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("from files:\n%+v\nsimulated:\n%+v", got.Table, want.Table)
	}

	if _, err := queuescore.OpenMarket(mbp, mbp, sor.SourceOptions{}); err == nil || !strings.Contains(err.Error(), "order_id") {
		t.Errorf("an MBP-1 file as MBO: %v, want the missing column order_id named", err)
	}
	if _, err := queuescore.OpenMarket(mbp, filepath.Join(dir, "none.csv"), sor.SourceOptions{}); err == nil || !strings.Contains(err.Error(), "none.csv") {
		t.Errorf("a missing MBO file: %v", err)
	}
}
