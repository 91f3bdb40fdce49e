package dbn_test

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/dbn"
	_ "github.com/sorlab/sorlab/sor/zstd"
)

// Once the package is imported, sor reads DBN files like CSV files, zstd
// compressed or not; the file's first bytes decide.
func Example() {
	rr, err := sor.OpenRows("testdata/two.v3.dbn.zst", sor.ReadOptions{})
	if err != nil {
		panic(err)
	}
	defer rr.Close()
	info := rr.Info()
	fmt.Println(info.Format, info.Prices, info.Symbols)
	rows := map[uint32]int{}
	for {
		row, err := rr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
		if rows[row.InstrumentID] == 0 {
			fmt.Printf("line %d: %s (%d) on %s, ask %v × %d\n", row.Line, row.Symbol, row.InstrumentID,
				sor.Venues(nil).Name(row.PublisherID), row.AskPx, row.AskSz)
		}
		rows[row.InstrumentID]++
	}
	fmt.Println(rows)
	// Output:
	// dbn v3 mbp-1 fixed-point map[38:AAPL 99:XYZ]
	// line 2: AAPL (38) on BATS, ask 221.6 × 212
	// line 3: XYZ (99) on BATS, ask 22.16 × 300
	// map[38:24 99:24]
}

// Bad input is one error naming the file, the byte offset and the record.
func ExampleNewReader_truncated() {
	data, err := os.ReadFile("testdata/mbp1.v3.dbn") // 360 bytes of metadata, 41 records of 80
	if err != nil {
		panic(err)
	}
	r, err := dbn.NewReader(bytes.NewReader(data[:len(data)-50]), "cut.dbn")
	if err != nil {
		panic(err)
	}
	for err == nil {
		_, err = r.Read()
	}
	fmt.Println(err)
	// Output:
	// cut.dbn: byte 3560, record 41: truncated: the file ends after 30 of the record's 80 bytes
}
