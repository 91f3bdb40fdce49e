package sor

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// mboHeader is the header of Databento's MBO CSV, in its column order.
const mboHeader = "ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,price,size,channel_id,order_id,flags,ts_in_delta,sequence,symbol\n"

func TestMBOReaderReadsEveryColumn(t *testing.T) {
	tests := []struct {
		name string
		csv  string
		want []MBO
	}{
		{"Databento's raw form: integer nanoseconds, fixed-point prices, limits of each type",
			mboHeader +
				"1722519392000000000,1722519391999990000,160,2,38,R,N,9223372036854775807,0,0,0,32,0,0,AAPL\n" +
				"1722519392491911683,1722519392491900000,160,2,38,A,B,222810000000,100,255,18446744073709551615,160,-2147483648,4294967295,AAPL\n",
			[]MBO{
				{Line: 2, TsRecv: 1722519392000000000, TsEvent: 1722519391999990000, PublisherID: 2, InstrumentID: 38,
					Action: 'R', Side: 'N', Price: NoPrice, Flags: FlagSnapshot, Symbol: "AAPL"},
				{Line: 3, TsRecv: 1722519392491911683, TsEvent: 1722519392491900000, PublisherID: 2, InstrumentID: 38,
					Action: 'A', Side: 'B', Price: 22281 * Cent, Size: 100, ChannelID: 255, OrderID: 1<<64 - 1,
					Flags: FlagLast | FlagSnapshot, TsInDelta: -1 << 31, Sequence: 1<<32 - 1, Symbol: "AAPL"},
			}},
		{"pretty form as sor/sim writes it",
			mboHeader + "2024-08-01T13:36:32.009612993Z,2024-08-01T13:36:32.009599422Z,160,2,4242,C,A,220.01,500,0,17,128,13571,21914795,SIMX\n",
			[]MBO{{Line: 2, TsRecv: time.Date(2024, 8, 1, 13, 36, 32, 9612993, time.UTC).UnixNano(),
				TsEvent: time.Date(2024, 8, 1, 13, 36, 32, 9599422, time.UTC).UnixNano(), PublisherID: 2, InstrumentID: 4242,
				Action: 'C', Side: 'A', Price: 22001 * Cent, Size: 500, OrderID: 17, Flags: FlagLast, TsInDelta: 13571,
				Sequence: 21914795, Symbol: "SIMX"}}},
		{"only the required columns, in another order, and an unknown one",
			"order_id,size,price,side,action,publisher_id,ts_event,note\n5,300,1.25,B,T,9,7,x\n",
			[]MBO{{Line: 2, TsEvent: 7, PublisherID: 9, Action: 'T', Side: 'B', Price: 5 * Dollar / 4, Size: 300, OrderID: 5}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NewMBOReader(strings.NewReader(tc.csv), "x.csv", ReadOptions{}).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d records, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("record %d:\n got  %+v\n want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestMBOReaderErrors(t *testing.T) {
	const row = "1,1,160,2,38,A,B,1.5,100,0,7,0,0,1,X"
	tests := []struct {
		name, csv string
		want      error
		line, col int
		column    string
	}{
		{"an MBP file", "ts_event,publisher_id,action,side,price,size,ask_px_00,ask_sz_00\n1,2,A,B,1,1,1,1\n", ErrMissingColumn, 1, 9, "order_id"},
		{"unknown action", mboHeader + strings.Replace(row, ",A,B,", ",X,B,", 1), ErrAction, 2, 6, "action"},
		{"unknown side", mboHeader + strings.Replace(row, ",A,B,", ",A,S,", 1), ErrSide, 2, 7, "side"},
		{"empty action", mboHeader + strings.Replace(row, ",A,B,", ",,B,", 1), ErrAction, 2, 6, "action"},
		{"MBP record type", mboHeader + strings.Replace(row, ",160,", ",1,", 1), ErrRType, 2, 3, "rtype"},
		{"order id above 2^64-1", mboHeader + strings.Replace(row, ",7,0,0,1,", ",18446744073709551616,0,0,1,", 1), ErrNumber, 2, 11, "order_id"},
		{"ts_in_delta below int32", mboHeader + strings.Replace(row, ",7,0,0,1,", ",7,0,-2147483649,1,", 1), ErrNumber, 2, 13, "ts_in_delta"},
		{"ts_in_delta above int32", mboHeader + strings.Replace(row, ",7,0,0,1,", ",7,0,2147483648,1,", 1), ErrNumber, 2, 13, "ts_in_delta"},
		{"flags above 255", mboHeader + strings.Replace(row, ",7,0,0,1,", ",7,256,0,1,", 1), ErrNumber, 2, 12, "flags"},
		{"negative price", mboHeader + strings.Replace(row, ",1.5,", ",-1.5,", 1), ErrNegative, 2, 8, "price"},
		{"too few fields", mboHeader + "1,1,160,2,38,A,B,1.5\n", ErrFieldCount, 2, 9, "size"},
		{"too many fields", mboHeader + row + ",extra\n", ErrFieldCount, 2, 16, ""},
		{"no line breaks", strings.Repeat("ts_event,", MaxLine/9+1), ErrLineTooLong, 1, 1, ""},
		{"a line longer than MaxLine", mboHeader + strings.Replace(row, ",X", ","+strings.Repeat("X", MaxLine), 1), ErrLineTooLong, 2, 1, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewMBOReader(strings.NewReader(tc.csv), "in.csv", ReadOptions{}).ReadAll()
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want a *ParseError wrapping %v", err, tc.want)
			}
			if pe.File != "in.csv" || pe.Line != tc.line || pe.Column != tc.col || pe.Name != tc.column {
				t.Errorf("error at %s:%d:%d (%s), want in.csv:%d:%d (%s): %v", pe.File, pe.Line, pe.Column, pe.Name, tc.line, tc.col, tc.column, err)
			}
		})
	}
	_, err := NewMBOReader(strings.NewReader(mboHeader+strings.Replace(row, ",A,B,", ",Q,B,", 1)), "in.csv", ReadOptions{}).Read()
	if want := `in.csv:2:6 (action): want an action A, C, M, R, T, F or N: "Q"`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}

func TestReadMBOFile(t *testing.T) {
	dir := t.TempDir()
	gz := filepath.Join(dir, "mbo.csv.gz")
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	io.WriteString(zw, mboHeader+"1,1,160,2,38,A,B,1.5,100,0,7,128,0,1,X\n")
	zw.Close()
	if err := os.WriteFile(gz, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, err := ReadMBOFile(gz, ReadOptions{})
	if err != nil || len(recs) != 1 || recs[0].OrderID != 7 || recs[0].Price != 3*Dollar/2 {
		t.Fatalf("ReadMBOFile = %+v, %v", recs, err)
	}
	dbn := filepath.Join(dir, "mbo.dbn")
	if err := os.WriteFile(dbn, []byte("DBN\x03rest"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadMBOFile(dbn, ReadOptions{}); err == nil || !strings.Contains(err.Error(), "mbo.dbn: a Databento DBN file") {
		t.Errorf("DBN file: %v", err)
	}
}

func FuzzMBOReader(f *testing.F) {
	for _, s := range []string{
		"1722519392000000000,1722519391999990000,160,2,38,R,N,,0,0,0,32,0,0,AAPL\n",
		"2024-08-01T13:36:32.009612993Z,2024-08-01T13:36:32.009599422Z,160,2,4242,C,A,220.01,500,0,17,128,13571,21914795,SIMX\n",
		"1,1,160,2,38,A,B,222810000000,100,255,18446744073709551615,160,-2147483648,4294967295,\"A,\"\"B\"\r\n",
		"1,2,160,3,4,T,A,1.5,1,0,0,0,0,0,x\n1,2,160,3,4,F,B,1.5,1,0,9,128,0,0,x\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewMBOReader(io.MultiReader(strings.NewReader(mboHeader), bytes.NewReader(data)), "fuzz.csv", ReadOptions{})
		for {
			rec, err := r.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) || pe.Line < 2 || pe.Column < 1 || pe.Column > 16 || pe.File != "fuzz.csv" {
					t.Fatalf("error without position: %#v", err)
				}
				return
			}
			if !strings.ContainsRune("ACMRTFN", rune(rec.Action)) || !strings.ContainsRune("ABN", rune(rec.Side)) ||
				rec.Price < 0 || rec.Size < 0 || rec.TsEvent < 0 || rec.TsRecv < 0 || rec.Line < 2 {
				t.Fatalf("invalid record accepted: %+v", rec)
			}
		}
	})
}

// BenchmarkReadMBO reads 100,000 MBO records in Databento's pretty form with
// MBOReader and, as the baseline of the ratio, splits them with
// encoding/csv.
func BenchmarkReadMBO(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString(mboHeader)
	t0 := time.Date(2024, 8, 1, 13, 36, 32, 0, time.UTC)
	for i := range 100_000 {
		ts := t0.Add(time.Duration(i) * 5417 * time.Microsecond).Format("2006-01-02T15:04:05.000000000Z")
		fmt.Fprintf(&buf, "%s,%s,160,2,4242,%c,%c,220.%02d,%d,0,%d,128,13571,%d,SIMX\n",
			ts, ts, "ACTF"[i%4], "AB"[i%2], i%100, 1+i%900, 1000+i, 21914795+i)
	}
	benchRead(b, buf.Bytes(), 100_000, func(r io.Reader) func() (MBO, error) {
		return NewMBOReader(r, "bench.csv", ReadOptions{}).Read
	})
}
