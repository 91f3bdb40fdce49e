package sim_test

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
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
	// 2024-08-01T13:36:32.002116154Z,2024-08-01T13:36:32.002099087Z,1,2,4242,C,B,0,220.00,100,128,17067,21914795,220.00,220.01,175,500,2,1,SIMX
	// 2024-08-01T13:36:32.008047216Z,2024-08-01T13:36:32.008026094Z,1,43,4242,C,A,0,220.01,100,128,21122,3066817,220.00,220.02,200,161,2,2,SIMX
	// 650 rows
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
	// XNAS  42580 shares traded
	// ARCX  27440 shares traded
	// EDGX  20594 shares traded
	// BATS  21252 shares traded
	// MEMX  12290 shares traded
	// IEXG  11271 shares traded
}

// GenerateMBO writes the same market order by order, as Databento MBO. At
// XNAS (publisher 2): the book at the start (a clear, then each resting
// order, with the snapshot flag 32), and the first event, the cancel of
// the only ask at 220.01 (order 4), after which the next level, 220.02, is
// revealed with a fresh order.
func ExampleGenerateMBO() {
	p := sim.DefaultParams()
	p.Duration = 2 * time.Second
	var buf bytes.Buffer
	if _, err := sim.GenerateMBO(&buf, p, 1); err != nil {
		panic(err)
	}
	sc := bufio.NewScanner(&buf)
	sc.Scan()
	fmt.Println(sc.Text())
	for n := 0; n < 7 && sc.Scan(); {
		if f := strings.Split(sc.Text(), ","); f[3] == "2" {
			fmt.Println(sc.Text())
			n++
		}
	}
	// Output:
	// ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,price,size,channel_id,order_id,flags,ts_in_delta,sequence,symbol
	// 2024-08-01T13:36:32.000000000Z,2024-08-01T13:36:32.000000000Z,160,2,4242,R,N,,0,0,0,32,0,21914794,SIMX
	// 2024-08-01T13:36:32.000000000Z,2024-08-01T13:36:32.000000000Z,160,2,4242,A,B,220.00,100,0,1,32,0,21914794,SIMX
	// 2024-08-01T13:36:32.000000000Z,2024-08-01T13:36:32.000000000Z,160,2,4242,A,B,220.00,75,0,2,32,0,21914794,SIMX
	// 2024-08-01T13:36:32.000000000Z,2024-08-01T13:36:32.000000000Z,160,2,4242,A,B,220.00,100,0,3,32,0,21914794,SIMX
	// 2024-08-01T13:36:32.000000000Z,2024-08-01T13:36:32.000000000Z,160,2,4242,A,A,220.01,500,0,4,160,0,21914794,SIMX
	// 2024-08-01T13:36:32.002116154Z,2024-08-01T13:36:32.002099087Z,160,2,4242,C,B,220.00,100,0,1,128,17067,21914795,SIMX
	// 2024-08-01T13:36:32.026032922Z,2024-08-01T13:36:32.026019169Z,160,2,4242,C,B,220.00,75,0,2,128,13753,21914796,SIMX
}

// Several symbols and days for a sweep: each symbol has its own name, id and
// price, each day of each symbol its own seed.
func ExampleParams_ForSymbol() {
	p := sim.DefaultParams()
	for s := range 3 {
		q := p.ForSymbol(s)
		fmt.Printf("%-5s %d %.2f seed %d\n", q.Symbol, q.InstrumentID, q.StartPrice, sim.DaySeed(1, 0, s))
	}
	for _, d := range sim.TradingDays(p.Start, 3) {
		fmt.Println(d.Format("Mon 2006-01-02 15:04:05"))
	}
	// Output:
	// SIMX  4242 220.00 seed 6791897765849424158
	// SIMX2 4243 110.00 seed 15084463154327607902
	// SIMX3 4244 73.33 seed 14561809758597202676
	// Thu 2024-08-01 13:36:32
	// Fri 2024-08-02 13:36:32
	// Mon 2024-08-05 13:36:32
}
