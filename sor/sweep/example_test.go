package sweep_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sorlab/sorlab/sor/sweep"
)

// A sweep of one file (the backtest's hand-computed market) on a two-point
// grid: plan, run, merge, and the first rows of the table.
func Example() {
	plan, err := sweep.NewPlan(sweep.Manifest{
		Inputs: []sweep.Input{{Data: "market.csv"}},
		Args:   []string{"-venues", "venues.csv", "-lambda-under", "0.01,0.1", "-lambda-over", "0.05", "-theta-queue", "0.001"},
	}, "testdata")
	if err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "sweep-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	rep, err := plan.Run(sweep.Options{Dir: dir})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d task run, %d failed\n", rep.Ran, len(rep.Failures))
	merged, err := sweep.Merge(dir)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d rows\n", merged.Rows)
	f, err := os.Open(filepath.Join(dir, "results.csv"))
	if err != nil {
		panic(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for i := 0; i < 5 && sc.Scan(); i++ {
		cols := strings.Split(sc.Text(), ",")[15:22] // best strategy filled unfilled cash avg savings
		if cols[6] == "" {
			cols[6] = "(null)"
		}
		fmt.Println(strings.Join(cols, " "))
	}
	// Output:
	// 1 task run, 0 failed
	// 8 rows
	// best strategy filled_shares unfilled_shares total_cash avg_fill_px savings_bps
	// true router 5000 0 50050 10.01 (null)
	// true best_ask 5000 0 50080 10.016 5.9904153354632586
	// true twap 5000 0 50052.5 10.0105 0.4994755506717946
	// true vwap 5000 0 50093.63 10.018726 8.709690234067685
}
