package sor_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sorlab/sorlab/data"
	"github.com/sorlab/sorlab/sor"
)

// On one venue the only split that adds up to the remainder is "everything
// to that venue", so the router waits for a snapshot showing the whole order
// and buys it there (as on the real exercise file, where it buys all 5,000
// in the one snapshot offering 9,220 at 222.74).
func TestOneVenueRouterWaitsForTheWholeOrder(t *testing.T) {
	const quotes = `ts_event,publisher_id,ask_px_00,ask_sz_00
1,2,222.83,36
2,2,222.80,4900
3,2,222.74,9220
4,2,222.70,9999
`
	rows, err := sor.NewReader(strings.NewReader(quotes), "one.csv", sor.ReadOptions{}).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	o, err := sor.Run(sor.BuildSnapshots(rows, sor.Window{}), sor.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	// 5,000 × 222.74 = 1,113,700. Best Ask: 36 × 222.83 + 4,900 × 222.80 +
	// 64 × 222.74 = 8,021.88 + 1,091,720 + 14,255.36 = 1,113,997.24.
	if len(o.Router.Fills) != 1 || o.Router.Fills[0].Time != 3 || o.Router.Cash != 1_113_700*sor.Dollar {
		t.Errorf("router: %+v", o.Router)
	}
	if o.BestAsk.Cash != 111_399_724*sor.Cent {
		t.Errorf("best ask cash %v", o.BestAsk.Cash)
	}
	for _, g := range o.Grid {
		if g.Result.Cash != o.Router.Cash {
			t.Errorf("grid point %+v differs: penalties cannot matter on one venue", g.Params)
		}
	}
}

// Under the exercise's rules the penalties never change the router's answer,
// on six venues too: every grid point must give the same fills.
func TestPenaltiesDoNotMatterOnTheSample(t *testing.T) {
	rows, err := data.SampleRows()
	if err != nil {
		t.Fatal(err)
	}
	venues, _ := data.SampleVenues()
	cfg := sor.DefaultConfig()
	cfg.Venues = venues
	o, err := sor.Run(sor.BuildSnapshots(rows, sor.Window{}), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if o.Best != 0 || o.Router.Filled != 5000 {
		t.Errorf("best point %d, filled %d", o.Best, o.Router.Filled)
	}
	for _, g := range o.Grid[1:] {
		if g.Result.Cash != o.Router.Cash || len(g.Result.Fills) != len(o.Router.Fills) {
			t.Errorf("grid point %+v: cash %v, want %v", g.Params, g.Result.Cash, o.Router.Cash)
		}
	}
}

// FuzzRun drives arbitrary rows through the whole exercise: whatever the
// reader accepts must run without a panic, every strategy must stay within
// its order, and the cash must be the sum of its fills.
func FuzzRun(f *testing.F) {
	f.Add("1,2,10.00,300\n1,5,10.01,200\n2,2,10.02,300\n", uint8(3), "0.01")
	f.Add("5,2,222830000000,9220\n3,7,,0\n", uint8(50), "-0.002")
	f.Fuzz(func(t *testing.T, body string, lots uint8, fee string) {
		rows, err := sor.NewReader(strings.NewReader("ts_event,publisher_id,ask_px_00,ask_sz_00\n"+body), "f.csv", sor.ReadOptions{}).ReadAll()
		if err != nil {
			return
		}
		feeMoney, err := sor.ParseMoney(fee)
		if err != nil {
			return
		}
		cfg := sor.DefaultConfig()
		cfg.OrderSize = sor.Step * int64(1+lots%60)
		cfg.Venues = sor.Venues{2: {PublisherID: 2, Fee: feeMoney}}
		cfg.Workers = 1
		o, err := sor.RunRows(rows, sor.Window{}, cfg)
		if err != nil {
			return // no snapshots, or prices the money check refuses
		}
		for _, r := range o.Results() {
			var cash sor.Money
			var filled int64
			for _, fl := range r.Fills {
				cash += fl.Cash()
				filled += fl.Shares
			}
			if r.Filled > cfg.OrderSize || filled != r.Filled || cash != r.Cash || r.Filled < 0 {
				t.Fatalf("%s: filled %d of %d, fills add to %d shares and %v cash (result %v)", r.Strategy, r.Filled, cfg.OrderSize, filled, cash, r.Cash)
			}
		}
		_ = o.Summary().JSON() // must not panic on any outcome
	})
}

// Run sees snapshots, which list only the venues quoting an ask; RunRows
// sees the rows. On a file where publisher 1 shows no size and 3 no price,
// the two agree on every figure but the venues: Run reports the one that
// quoted, RunRows (and the command line) every publisher with a row.
func TestRunAndRunRowsVenues(t *testing.T) {
	rows, err := sor.NewReader(strings.NewReader("ts_event,publisher_id,ask_px_00,ask_sz_00\n1,2,10.00,6000\n2,3,,0\n3,1,10.00,0\n"), "silent.csv", sor.ReadOptions{}).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cfg := sor.DefaultConfig()
	cfg.OrderSize = 100
	fromSnaps, err := sor.Run(sor.BuildSnapshots(rows, sor.Window{}), cfg)
	if err != nil {
		t.Fatal(err)
	}
	fromRows, err := sor.RunRows(rows, sor.Window{}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(fromSnaps.VenueIDs, fromRows.VenueIDs); got != "[2] [1 2 3]" {
		t.Errorf("venues of Run and RunRows: %s, want [2] [1 2 3]", got)
	}
	a, b := fromSnaps.Summary(), fromRows.Summary()
	a.Venues, a.VenueNames, b.Venues, b.VenueNames = nil, nil, nil, nil
	if ja, jb := string(a.JSON()), string(b.JSON()); ja != jb {
		t.Errorf("Run and RunRows differ beyond the venues:\n%s\n%s", ja, jb)
	}
}
