package sor_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sorlab/sorlab/sor"
)

func ExampleAllocate() {
	// 1,000 shares over three venues. XNAS charges a 0.003 fee, so its
	// 222.83 costs 222.833 all in; BATS's 222.83 is cheapest; EDGX is a
	// cent higher. BATS shows 649 shares: 600 in whole lots.
	offers := []sor.Offer{
		{Venue: 2, Ask: 22283 * sor.Cent, Fee: 3 * sor.Dollar / 1000, Available: 500},
		{Venue: 5, Ask: 22283 * sor.Cent, Available: 649},
		{Venue: 8, Ask: 22284 * sor.Cent, Available: 2000},
	}
	split, cost, err := sor.Allocate(1000, offers, sor.Params{})
	if err != nil {
		panic(err)
	}
	fmt.Println(split, cost)
	// Output: [400 600 0] 222831.2
}

func ExampleBacktest() {
	const quotes = `ts_event,publisher_id,ask_px_00,ask_sz_00
2024-08-01T13:36:32Z,2,10.00,300
2024-08-01T13:36:32Z,5,10.01,200
2024-08-01T13:36:33Z,2,10.02,300
`
	rows, err := sor.NewReader(strings.NewReader(quotes), "quotes.csv", sor.ReadOptions{}).ReadAll()
	if err != nil {
		panic(err)
	}
	snaps := sor.BuildSnapshots(rows, sor.Window{})
	res, err := sor.Backtest(snaps, nil, 600, sor.BestAsk{})
	if err != nil {
		panic(err)
	}
	for _, f := range res.Fills {
		fmt.Println(sor.RFC3339(f.Time), f.Venue, f.Shares, f.Price)
	}
	avg, _ := res.AvgPrice()
	fmt.Printf("filled %d for $%v, avg %.4f, %d unfilled\n", res.Filled, res.Cash, avg, res.Unfilled())
	// At 13:36:32 venue 2 is cheapest: all 300. At 13:36:33 venue 2 has a new
	// quote at 10.02, but venue 5 still shows 200 at 10.01: Best Ask takes
	// those. The data ends with 100 shares unbought.
	//
	// Output:
	// 2024-08-01T13:36:32Z 2 300 10
	// 2024-08-01T13:36:33Z 5 200 10.01
	// filled 500 for $5002, avg 10.0040, 100 unfilled
}

func ExampleParseMoney() {
	fee, _ := sor.ParseMoney("0.0030")
	fmt.Println(int64(fee), fee, fee*5000)
	_, err := sor.ParseMoney("1e-4")
	fmt.Println(err)
	// Output:
	// 3000000 0.003 15
	// invalid dollar amount "1e-4": not a decimal number
}

func ExampleNewReader() {
	// Columns are found by name; prices may be decimal or fixed point, and
	// an empty price means the side has no quote.
	const mbp = `ts_event,publisher_id,bid_px_00,ask_px_00,ask_sz_00,symbol
2024-08-01T13:36:32.491911683Z,2,222.81,222.83,36,AAPL
1722519392491912675,2,,222.83,46,AAPL
`
	r := sor.NewReader(strings.NewReader(mbp), "head.csv", sor.ReadOptions{})
	for {
		row, err := r.Read()
		if err != nil {
			break // io.EOF at the end; a *sor.ParseError names line and column
		}
		fmt.Println(row.Line, row.TsEvent, row.PublisherID, row.BidPx, row.AskPx, row.AskSz, row.Symbol)
	}
	_, err := sor.NewReader(strings.NewReader("ts_event,publisher_id,ask_px_00,ask_sz_00\n1,2,-5,36\n"), "bad.csv", sor.ReadOptions{}).ReadAll()
	fmt.Println(err)
	// Output:
	// 2 1722519392491911683 2 222.81 222.83 36 AAPL
	// 3 1722519392491912675 2 0 222.83 46 AAPL
	// bad.csv:2:3 (ask_px_00): negative number: "-5"
}

func ExampleRunRows() {
	const quotes = `ts_event,publisher_id,ask_px_00,ask_sz_00
2024-08-01T13:36:32Z,2,10.00,300
2024-08-01T13:36:32Z,5,10.01,300
2024-08-01T13:36:33Z,2,10.02,300
`
	rows, _ := sor.NewReader(strings.NewReader(quotes), "quotes.csv", sor.ReadOptions{}).ReadAll()
	cfg := sor.DefaultConfig()
	cfg.OrderSize = 500
	o, err := sor.RunRows(rows, sor.Window{}, cfg)
	if err != nil {
		panic(err)
	}
	for _, r := range o.Results() {
		avg, _ := r.AvgPrice()
		fmt.Printf("%-8s %d shares, $%v, avg %.4f\n", r.Strategy, r.Filled, r.Cash, avg)
	}
	bps, _ := sor.SavingsBps(o.Router, o.VWAP)
	fmt.Printf("router saves %.2f bps against VWAP\n", bps)
	// The router takes 300 at 10.00 and 200 at 10.01 at 13:36:32. Best Ask
	// and TWAP (a single bucket: the data spans one second) take the 300 at
	// 10.00 then, and 200 more at 10.01 from venue 5 at 13:36:33: the same
	// cash. VWAP splits 500 in proportion to the 300 and 300 shown at
	// 13:36:32: 250 at each price.
	//
	// Output:
	// router   500 shares, $5002, avg 10.0040
	// best_ask 500 shares, $5002, avg 10.0040
	// twap     500 shares, $5002, avg 10.0040
	// vwap     500 shares, $5002.5, avg 10.0050
	// router saves 1.00 bps against VWAP
}

func ExampleBook() {
	rows, _ := sor.NewReader(strings.NewReader(`ts_event,publisher_id,ask_px_00,ask_sz_00
1,2,10.00,300
1,5,10.01,200
1,2,9.00,999
2,2,10.02,300
`), "quotes.csv", sor.ReadOptions{}).ReadAll()
	venues := sor.Venues{5: {PublisherID: 5, Fee: -sor.Cent / 10}} // an inverted venue: it pays takers
	b := sor.NewBook(venues)
	var mine sor.Taken // what one strategy has taken
	for i := range rows[:3] {
		b.Apply(&rows[i]) // the third row is venue 2's second at t=1: it does not count
	}
	fmt.Println(b.Offers(nil, &mine))
	b.Take(&mine, 2, 100)
	fmt.Println(b.Offers(nil, &mine))
	price, size := b.Cheapest()
	fmt.Println("cheapest all-in ask", price, "x", size)
	b.Apply(&rows[3]) // venue 2's new row: the shares taken from it come back
	fmt.Println(b.Offers(nil, &mine))
	// Output:
	// [{2 10 0 0 300} {5 10.01 -0.001 0 200}]
	// [{2 10 0 0 200} {5 10.01 -0.001 0 200}]
	// cheapest all-in ask 10 x 300
	// [{2 10.02 0 0 300} {5 10.01 -0.001 0 200}]
}

func ExampleOpenSource() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "two.csv")
	os.WriteFile(path, []byte(`ts_event,publisher_id,instrument_id,ask_px_00,ask_sz_00,symbol
2,2,38,221.60,3000,AAPL
1,2,99,22.16,3000,XYZ
1,5,38,221.61,3000,AAPL
3,2,38,221.59,9000,AAPL
`), 0o644)
	_, err := sor.OpenSource(path, sor.SourceOptions{})
	fmt.Println(strings.TrimPrefix(err.Error(), path+": "))
	src, err := sor.OpenSource(path, sor.SourceOptions{Symbol: "AAPL"})
	if err != nil {
		panic(err)
	}
	span := src.Span()
	hold, _ := src.Reorder()
	fmt.Println(src.Instrument(), "from", span.First, "to", span.Last, "venues", span.Publishers, "reorder buffer", hold)
	cfg := sor.DefaultConfig()
	cfg.OrderSize = 3000
	o, err := sor.RunSource(src, cfg)
	if err != nil {
		panic(err)
	}
	fmt.Println(o.Snapshots, "snapshots; router paid", o.Router.Cash)
	// Output:
	// instruments: the file holds 2 instruments: 38 AAPL (3 rows), 99 XYZ (1 row); pick one with SourceOptions.Symbol or SourceOptions.InstrumentID (with ByID)
	// 38 AAPL (3 rows) from 1 to 3 venues [2 5] reorder buffer 1
	// 3 snapshots; router paid 664830
}

// quotesFile writes a small file out of time order and returns its path.
func quotesFile(dir string) string {
	path := filepath.Join(dir, "quotes.csv")
	os.WriteFile(path, []byte(`ts_event,publisher_id,ask_px_00,ask_sz_00
2024-08-01T13:36:33Z,5,10.01,200
2024-08-01T13:36:32Z,2,10.00,300
2024-08-01T13:36:32Z,8,10.03,100
2024-08-01T13:36:34Z,2,10.02,300
`), 0o644)
	return path
}

func ExampleCollectRows() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	// The source is cut to its window (here up to 13:36:34) and put in
	// time order; collecting holds its rows in memory, at most 1,000.
	src, err := sor.OpenSource(quotesFile(dir), sor.SourceOptions{Window: sor.Window{End: 1722519394e9}})
	if err != nil {
		panic(err)
	}
	rows, err := sor.CollectRows(src, 1000)
	if err != nil {
		panic(err)
	}
	for _, r := range rows {
		fmt.Println("line", r.Line, sor.RFC3339(r.TsEvent), r.PublisherID, r.AskPx, r.AskSz)
	}
	_, err = sor.CollectRows(src, 2)
	fmt.Println(err)
	// Output:
	// line 3 2024-08-01T13:36:32Z 2 10 300
	// line 4 2024-08-01T13:36:32Z 8 10.03 100
	// line 2 2024-08-01T13:36:33Z 5 10.01 200
	// too many rows to collect: the source holds 3 rows, more than 2: narrow the window, or allow more
}

func ExampleCollectSnapshots() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	src, err := sor.OpenSource(quotesFile(dir), sor.SourceOptions{})
	if err != nil {
		panic(err)
	}
	snaps, err := sor.CollectSnapshots(src)
	if err != nil {
		panic(err)
	}
	for _, s := range snaps {
		fmt.Print(sor.RFC3339(s.Time))
		for _, q := range s.Quotes {
			fmt.Printf(" %d:%vx%d", q.Venue, q.Ask, q.AskSize)
		}
		fmt.Println()
	}
	// The snapshots replay like the stream: Best Ask takes 300 at 10.00,
	// then 200 at 10.01 when venue 5 quotes.
	res, err := sor.Backtest(snaps, nil, 500, sor.BestAsk{})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Filled, "shares for $"+res.Cash.String())
	// Output:
	// 2024-08-01T13:36:32Z 2:10x300 8:10.03x100
	// 2024-08-01T13:36:33Z 2:10x300 5:10.01x200 8:10.03x100
	// 2024-08-01T13:36:34Z 2:10.02x300 5:10.01x200 8:10.03x100
	// 500 shares for $5002
}
