package sor

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
)

// readSequential reads every row with Read, and the error that stopped it.
func readSequential(csv string, opt ReadOptions) ([]Row, error) {
	r := NewReader(strings.NewReader(csv), "b.csv", opt)
	var rows []Row
	for {
		row, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		rows = append(rows, row)
	}
}

// readParallel reads every row with readBlocks in blocks of n bytes.
func readParallel(csv string, opt ReadOptions, n int) ([]Row, error) {
	r := NewReader(strings.NewReader(csv), "b.csv", opt)
	var rows []Row
	err := r.readBlocksOf(n, 3, n%2 == 0, func(b []Row) error {
		rows = append(rows, b...)
		return nil
	})
	return rows, err
}

// Parsing in parallel blocks gives the rows, line numbers and first error
// of reading line by line, wherever the block boundaries fall.
func TestBlocksMatchSequentialReading(t *testing.T) {
	const head = "ts_event,publisher_id,ask_px_00,ask_sz_00,symbol\n"
	var many strings.Builder
	many.WriteString(head)
	for i := range 500 {
		fmt.Fprintf(&many, "%d,%d,10.%02d,%d,S%d\n", i, i%7, i%100, 100+i, i%3)
		if i%37 == 0 {
			many.WriteString("\r\n\n") // blank lines count as lines
		}
	}
	inputs := map[string]string{
		"many rows":         many.String(),
		"no final newline":  head + "1,2,10.5,3,A\n2,2,10.6,4,B",
		"crlf":              strings.ReplaceAll(head+"1,2,10.5,3,A\n2,2,10.6,4,B\n", "\n", "\r\n"),
		"quoted":            head + "1,2,\"10.5\",3,\"A,\"\"B\"\n",
		"error late":        many.String() + "x,2,10.5,3,A\n" + many.String()[len(head):],
		"short row":         head + "1,2,10.5,3,A\n2,2,10.6\n",
		"long line":         head + "1,2,10.5,3," + strings.Repeat("Z", MaxLine+5) + "\n",
		"long line, no end": head + "1,2,10.5,3," + strings.Repeat("Z", 3*MaxLine),
	}
	for name, csv := range inputs {
		want, wantErr := readSequential(csv, ReadOptions{Prices: PriceDecimal})
		for _, n := range []int{7, 64, 1000, 1 << 20} {
			if strings.HasPrefix(name, "long") && n < 1<<20 {
				continue // a line longer than a block is MaxLine's business
			}
			got, err := readParallel(csv, ReadOptions{Prices: PriceDecimal}, n)
			if fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Errorf("%s, blocks of %d: error %v, want %v", name, n, err, wantErr)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s, blocks of %d: %d rows differ from the %d read line by line", name, n, len(got), len(want))
			}
		}
	}
	if _, err := readParallel(head+"1,2,10.5,3,A\n", ReadOptions{}, 64); err == nil {
		t.Error("an undecided price format must be refused")
	}
}

// FuzzBlocks reads arbitrary text both ways.
func FuzzBlocks(f *testing.F) {
	f.Add("1,2,10.5,3,A\n2,2,10.6,4,B\n", uint8(9))
	f.Add("1,2,\"10,5\",3,A\r\n\n\n2", uint8(3))
	f.Fuzz(func(t *testing.T, body string, n uint8) {
		csv := "ts_event,publisher_id,ask_px_00,ask_sz_00,symbol\n" + body
		want, wantErr := readSequential(csv, ReadOptions{Prices: PriceFixed})
		got, err := readParallel(csv, ReadOptions{Prices: PriceFixed}, int(n)+1)
		var pe *ParseError
		if errors.As(wantErr, &pe) && errors.Is(wantErr, ErrLineTooLong) {
			return
		}
		if fmt.Sprint(err) != fmt.Sprint(wantErr) || !slices.Equal(got, want) {
			t.Errorf("blocks of %d: %d rows, %v; line by line %d rows, %v", n, len(got), err, len(want), wantErr)
		}
	})
}
