package mbo_test

import (
	"fmt"
	"strings"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/mbo"
)

// A buy of 300 shares at 100.00 joins XNAS's bid at t = 5 behind orders 1
// (200 shares) and 2 (100). Order 1 is cancelled and order 2 executed: no
// one is ahead any more. Order 3 joins behind us, and the next sell of 150
// executes it: in a FIFO queue with us in it, those 150 would have been
// ours.
func ExampleFillTimes() {
	const file = `ts_event,publisher_id,action,side,price,size,order_id,flags
1,2,A,B,100.00,200,1,0
1,2,A,B,100.00,100,2,0
1,2,A,A,100.01,300,10,128
10,2,C,B,100.00,200,1,128
20,2,T,A,100.00,100,0,0
20,2,F,B,100.00,100,2,0
20,2,C,B,100.00,100,2,128
30,2,A,B,100.00,500,3,128
40,2,T,A,100.00,150,0,0
40,2,F,B,100.00,150,3,0
40,2,C,B,100.00,150,3,128
`
	recs, err := sor.NewMBOReader(strings.NewReader(file), "example.csv", sor.ReadOptions{}).ReadAll()
	if err != nil {
		panic(err)
	}
	fills, err := mbo.FillTimes(recs, 2, 100*sor.Dollar, 300, 5)
	if err != nil {
		panic(err)
	}
	for _, f := range fills {
		fmt.Printf("t=%d: %d shares (%s), line %d\n", f.Time, f.Shares, f.Cause, f.Line)
	}
	// Output:
	// t=40: 150 shares (behind), line 11
}

// The book after each record: Queue lists a level's orders front first.
func ExampleBook() {
	b := mbo.NewBook()
	px := 100 * sor.Dollar
	for _, rec := range []sor.MBO{
		{PublisherID: 2, Action: 'A', Side: 'B', Price: px, Size: 200, OrderID: 1},
		{PublisherID: 2, Action: 'A', Side: 'B', Price: px, Size: 100, OrderID: 2},
		{PublisherID: 2, Action: 'M', Side: 'B', Price: px, Size: 150, OrderID: 1}, // fewer shares: keeps its place
		{PublisherID: 2, Action: 'M', Side: 'B', Price: px, Size: 300, OrderID: 1}, // more shares: to the back
		{PublisherID: 2, Action: 'C', Side: 'B', Price: px, Size: 40, OrderID: 2},
	} {
		if err := b.Apply(&rec); err != nil {
			panic(err)
		}
		fmt.Println(string(rec.Action), b.Queue(2, 'B', px), b.Top(2).BidSz)
	}
	// Output:
	// A [{1 200}] 200
	// A [{1 200} {2 100}] 300
	// M [{1 150} {2 100}] 250
	// M [{2 100} {1 300}] 400
	// C [{2 60} {1 300}] 360
}
