package sim_test

import (
	"bufio"
	"bytes"
	"fmt"
	"time"

	"github.com/sorlab/sorlab/sor/sim"
)

// Generate writes Databento MBP-1 CSV; here two seconds of it.
func ExampleGenerate() {
	p := sim.DefaultParams()
	p.Duration = 2 * time.Second
	var buf bytes.Buffer
	st, err := sim.Generate(&buf, p, 1)
	if err != nil {
		panic(err)
	}
	sc := bufio.NewScanner(&buf)
	for i := 0; i < 3 && sc.Scan(); i++ {
		fmt.Println(sc.Text())
	}
	fmt.Println(st.Rows, "rows")
	// Output:
	// ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,depth,price,size,flags,ts_in_delta,sequence,bid_px_00,ask_px_00,bid_sz_00,ask_sz_00,bid_ct_00,ask_ct_00,symbol
	// 2024-08-01T13:36:32.009612993Z,2024-08-01T13:36:32.009599422Z,1,2,4242,C,A,0,220.01,500,128,13571,21914795,220.00,220.02,275,100,3,1,SIMX
	// 2024-08-01T13:36:32.013383198Z,2024-08-01T13:36:32.013362971Z,1,43,4242,A,A,0,220.01,100,128,20227,3066817,220.00,220.01,200,200,2,2,SIMX
	// 275 rows
}

// A Sim can also be driven row by row, for statistics without any CSV.
func ExampleSim_Run() {
	p := sim.DefaultParams()
	p.Duration = time.Minute
	s, err := sim.New(p, 1)
	if err != nil {
		panic(err)
	}
	trades := make([]int, len(p.Venues))
	s.Run(func(r *sim.Row) error {
		if r.Action == 'T' {
			trades[r.Venue] += int(r.Size)
		}
		return nil
	})
	for i, v := range p.Venues {
		fmt.Printf("%s %6d shares traded\n", v.Name, trades[i])
	}
	// Output:
	// XNAS  24715 shares traded
	// ARCX  15262 shares traded
	// EDGX  10443 shares traded
	// BATS  13864 shares traded
	// MEMX   5293 shares traded
	// IEXG   3780 shares traded
}
