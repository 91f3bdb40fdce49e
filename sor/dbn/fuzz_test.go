package dbn

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/sorlab/sorlab/sor"
)

// FuzzReader feeds the reader arbitrary bytes, directly and the way files
// are opened (decompression, then the format by its magic bytes): it must
// never panic, and every error must be one *Error on one line.
func FuzzReader(f *testing.F) {
	for _, name := range []string{"mbp1.v1.dbn", "mbp1.v2.dbn", "two.v3.dbn", "mbp1.v3.dbn.zst"} {
		f.Add(readFixture(f, name))
	}
	f.Add([]byte("DBN\x03"))
	f.Add([]byte("DBN\x01\x78\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rr, c, err := sor.NewRowReader(bytes.NewReader(data), "f", sor.ReadOptions{})
		if err == nil {
			count(rr)
			c.Close()
		}
		if _, err := readAll(data, "f"); err != nil {
			var e *Error
			if !errors.As(err, &e) || strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "f: byte ") {
				t.Fatalf("error %q: want one line, an *Error naming the file and the byte", err)
			}
		}
	})
}

// FuzzMBOReader is FuzzReader for the mbo schema's reader.
func FuzzMBOReader(f *testing.F) {
	rec := sor.MBO{TsRecv: 1722519392002116154, TsEvent: 1722519392002099087, PublisherID: 2, InstrumentID: 38, Action: 'A', Side: 'B',
		Price: 221 * sor.Dollar, Size: 100, OrderID: 7, Symbol: "AAPL"}
	clear := sor.MBO{TsRecv: 1722519392002116155, TsEvent: 1722519392002099088, PublisherID: 2, InstrumentID: 38, Action: 'R', Side: 'N', Price: sor.NoPrice, Symbol: "AAPL"}
	for v := uint8(1); v <= 3; v++ {
		f.Add(mboDBNBytes([]sor.MBO{rec, clear}, v))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewMBOReader(bytes.NewReader(data), "f")
		for err == nil {
			_, err = r.Read()
		}
		if err == io.EOF {
			return
		}
		var e *Error
		if !errors.As(err, &e) || strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "f: byte ") {
			t.Fatalf("error %q: want one line, an *Error naming the file and the byte", err)
		}
	})
}
