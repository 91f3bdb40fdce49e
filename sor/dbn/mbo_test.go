package dbn

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	dbngo "github.com/NimbleMarkets/dbn-go"
	"github.com/klauspost/compress/zstd"
	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/sim"
)

// appendMbo encodes an MBO record (56 bytes in every DBN version).
func appendMbo(b []byte, m *dbngo.MboMsg) []byte {
	le := binary.LittleEndian
	b = append(b, dbngo.MboMsg_Size/4, byte(dbngo.RType_Mbo))
	b = le.AppendUint16(b, m.Header.PublisherID)
	b = le.AppendUint32(b, m.Header.InstrumentID)
	b = le.AppendUint64(b, m.Header.TsEvent)
	b = le.AppendUint64(b, m.OrderID)
	b = le.AppendUint64(b, uint64(m.Price))
	b = le.AppendUint32(b, m.Size)
	b = append(b, m.Flags, m.ChannelID, m.Action, m.Side)
	b = le.AppendUint64(b, m.TsRecv)
	b = le.AppendUint32(b, uint32(m.TsInDelta))
	return le.AppendUint32(b, m.Sequence)
}

// mboDBN encodes MBO records read from CSV as a DBN stream of the mbo
// schema, version v, with the symbol mappings of their instruments.
func mboDBN(t *testing.T, recs []sor.MBO, v uint8) []byte {
	t.Helper()
	return mboDBNBytes(recs, v)
}

func mboDBNBytes(recs []sor.MBO, v uint8) []byte {
	var fr []fixtureRecord
	for _, r := range recs {
		var m dbngo.Mbp1Msg
		m.Header.InstrumentID, m.Header.TsEvent, m.TsRecv = r.InstrumentID, uint64(r.TsEvent), uint64(r.TsRecv)
		fr = append(fr, fixtureRecord{m: m, symbol: r.Symbol})
	}
	b := encodeMetadata(fixtureMetadata(fr, v, dbngo.Schema_Mbo))
	for _, r := range recs {
		m := dbngo.MboMsg{OrderID: r.OrderID, Price: int64(r.Price), Size: uint32(r.Size), Flags: r.Flags, ChannelID: r.ChannelID,
			Action: r.Action, Side: r.Side, TsRecv: uint64(r.TsRecv), TsInDelta: r.TsInDelta, Sequence: r.Sequence}
		if r.Price == sor.NoPrice {
			m.Price = undefPrice
		}
		m.Header.PublisherID, m.Header.InstrumentID, m.Header.TsEvent = uint16(r.PublisherID), r.InstrumentID, uint64(r.TsEvent)
		b = appendMbo(b, &m)
	}
	return b
}

// A DBN file of the mbo schema reads, through sor.OpenMBO, as exactly the
// records of its CSV export: every version, plain and zstd, on the
// simulator's order-by-order view of five seconds of three venues.
func TestMBOIsItsCSV(t *testing.T) {
	p := sim.DefaultParams()
	p.Duration = 5 * time.Second
	var csv bytes.Buffer
	if _, err := sim.GenerateMBO(&csv, p, 3); err != nil {
		t.Fatal(err)
	}
	want, err := sor.NewMBOReader(bytes.NewReader(csv.Bytes()), "mbo.csv", sor.ReadOptions{}).ReadAll()
	if err != nil || len(want) < 100 {
		t.Fatalf("the CSV: %d records, %v", len(want), err)
	}
	dir := t.TempDir()
	for v := uint8(1); v <= 3; v++ {
		for _, z := range []bool{false, true} {
			data := mboDBN(t, want, v)
			name := fmt.Sprintf("mbo.v%d.dbn", v)
			if z {
				enc, _ := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
				data, name = enc.EncodeAll(data, nil), name+".zst"
			}
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := sor.OpenMBO(path, sor.ReadOptions{})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got, err := f.ReadAll()
			f.Close()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !reflect.DeepEqual(got, want) {
				for i := range min(len(got), len(want)) {
					if got[i] != want[i] {
						t.Fatalf("%s: record %d\n got  %+v\n want %+v", name, i+1, got[i], want[i])
					}
				}
				t.Fatalf("%s: %d records, want %d", name, len(got), len(want))
			}
		}
	}
}

// Each reader refuses the other's schema, naming it; bad MBO fields name
// their record, field and byte offset.
func TestMBOErrors(t *testing.T) {
	dir := t.TempDir()
	mbp := filepath.Join(dir, "mbp1.dbn")
	if err := os.WriteFile(mbp, readFixture(t, "mbp1.v3.dbn"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := sor.OpenMBO(mbp, sor.ReadOptions{}); err == nil || !errors.Is(err, ErrSchema) ||
		err.Error() != mbp+": byte 24, metadata: unsupported schema mbp-1: order-by-order records are read from the mbo schema" {
		t.Errorf("an mbp-1 file as MBO: %v", err)
	}
	rec := sor.MBO{TsRecv: 1722519392002116154, TsEvent: 1722519392002099087, PublisherID: 2, InstrumentID: 38, Action: 'A', Side: 'B',
		Price: 221 * sor.Dollar, Size: 100, OrderID: 7, Symbol: "AAPL"}
	good := mboDBN(t, []sor.MBO{rec}, 3)
	mbo := filepath.Join(dir, "mbo.dbn")
	if err := os.WriteFile(mbo, good, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := sor.OpenRows(mbo, sor.ReadOptions{}); err == nil || !errors.Is(err, ErrSchema) ||
		err.Error() != mbo+": byte 24, metadata: unsupported schema mbo: sorlab reads the mbp-1 and mbp-10 schemas" {
		t.Errorf("an mbo file as quotes: %v", err)
	}
	h := len(good) - dbngo.MboMsg_Size
	for _, c := range []struct {
		name string
		edit func(b []byte)
		want string
	}{
		{"negative price", func(b []byte) { binary.LittleEndian.PutUint64(b[h+24:], uint64(1<<63)) }, fmt.Sprintf("byte %d, record 1 (price): negative number: -9223372036854775808", h+24)},
		{"action", func(b []byte) { b[h+38] = 'Q' }, fmt.Sprintf(`byte %d, record 1 (action): want an action A, C, M, R, T, F or N, got 'Q'`, h+38)},
		{"side", func(b []byte) { b[h+39] = 0 }, fmt.Sprintf(`byte %d, record 1 (side): want a side A, B or N, got '\x00'`, h+39)},
		{"ts_recv", func(b []byte) { binary.LittleEndian.PutUint64(b[h+40:], 1<<63) }, fmt.Sprintf("byte %d, record 1 (ts_recv): invalid timestamp: 9223372036854775808 is out of range (undefined?)", h+40)},
		{"cut", nil, fmt.Sprintf("byte %d, record 1: truncated: the file ends after 30 of the record's 56 bytes", h)},
	} {
		b := bytes.Clone(good)
		if c.edit != nil {
			c.edit(b)
		} else {
			b = b[:h+30]
		}
		r, err := NewMBOReader(bytes.NewReader(b), "x.dbn")
		if err != nil {
			t.Fatal(err)
		}
		_, err = r.Read()
		var e *Error
		if !errors.As(err, &e) || err.Error() != "x.dbn: "+c.want || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s:\n got  %v\n want x.dbn: %s", c.name, err, c.want)
		}
	}
}
