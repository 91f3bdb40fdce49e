package sim

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/mbo"
)

// The MBO records of a run, applied to a book, must give after each MBP-1
// row's records (same publisher and sequence number) exactly the top of book
// that row shows: price, shares and number of orders on both sides.
func TestMBOBookEqualsMBP1RowByRow(t *testing.T) {
	for _, seed := range []uint64{1, 7, 42} {
		p := DefaultParams()
		p.Duration = 2 * time.Minute
		s, err := New(p, seed)
		if err != nil {
			t.Fatal(err)
		}
		var rows []Row
		var recs []sor.MBO
		err = s.RunMBO(func(r *Row) error {
			rows = append(rows, *r)
			return nil
		}, func(m *MBO) error {
			recs = append(recs, m.sor(&p, len(recs)+2))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		n := compareBooks(t, rows, recs, func(r *Row, top mbo.Top) string {
			want := mbo.Top{BidPx: money(r.BidPx), AskPx: money(r.AskPx), BidSz: int64(r.BidSz), AskSz: int64(r.AskSz), BidCt: int(r.BidCt), AskCt: int(r.AskCt)}
			if top != want {
				return fmt.Sprintf("book %+v, row %+v", top, want)
			}
			return ""
		}, func(r *Row) (int, uint32, int64) { return int(r.Publisher), r.Sequence, r.TsEvent })
		if n < 10000 {
			t.Errorf("seed %d: only %d rows compared", seed, n)
		}
	}
}

// The same through the files: the shipped sample's MBO CSV, read back with
// sor.NewMBOReader, rebuilds the top of book of its MBP-1 CSV read with
// sor.NewReader, row by row, and reads back as the records Orders returns.
func TestMBOCSVReadBackEqualsMBP1CSV(t *testing.T) {
	p := DefaultParams()
	var mbp, mboCSV bytes.Buffer
	if _, err := Generate(&mbp, p, DefaultSeed); err != nil {
		t.Fatal(err)
	}
	if _, err := GenerateMBO(&mboCSV, p, DefaultSeed); err != nil {
		t.Fatal(err)
	}
	rows, err := sor.NewReader(&mbp, "sample.csv", sor.ReadOptions{}).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	recs, err := sor.NewMBOReader(&mboCSV, "sample.mbo.csv", sor.ReadOptions{}).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	mem, err := Orders(p, DefaultSeed)
	if err != nil {
		t.Fatal(err)
	}
	if len(mem) != len(recs) {
		t.Fatalf("Orders gives %d records, the CSV %d", len(mem), len(recs))
	}
	for i := range mem {
		if mem[i] != recs[i] {
			t.Fatalf("record %d:\n Orders %+v\n CSV    %+v", i, mem[i], recs[i])
		}
	}
	// Rows know no sequence numbers: match them to the records by order.
	seqs := make([]uint32, 0, len(rows))
	for i := range recs {
		if recs[i].Flags&FlagSnapshot == 0 && (i+1 == len(recs) || recs[i+1].Sequence != recs[i].Sequence || recs[i+1].PublisherID != recs[i].PublisherID) {
			seqs = append(seqs, recs[i].Sequence)
		}
	}
	if len(seqs) != len(rows) {
		t.Fatalf("%d MBP-1 rows, %d groups of MBO records", len(rows), len(seqs))
	}
	k := 0
	n := compareBooks(t, rows, recs, func(r *sor.Row, top mbo.Top) string {
		if top.BidPx != r.BidPx || top.AskPx != r.AskPx || top.BidSz != r.BidSz || top.AskSz != r.AskSz {
			return fmt.Sprintf("book %v x %d / %v x %d, row %v x %d / %v x %d", top.BidPx, top.BidSz, top.AskPx, top.AskSz, r.BidPx, r.BidSz, r.AskPx, r.AskSz)
		}
		return ""
	}, func(r *sor.Row) (int, uint32, int64) { k++; return r.PublisherID, seqs[k-1], r.TsEvent })
	if n != len(rows) || n < 50000 {
		t.Errorf("%d of %d rows compared", n, len(rows))
	}
}

// compareBooks applies recs to a book and, after the last record of each
// event row (same publisher and sequence number), checks the book's top
// against the row with check; key gives a row's publisher, sequence and
// ts_event. It returns the number of rows compared and stops at the first
// difference.
func compareBooks[R any](t *testing.T, rows []R, recs []sor.MBO, check func(*R, mbo.Top) string, key func(*R) (int, uint32, int64)) int {
	t.Helper()
	b := mbo.NewBook()
	k := 0
	for i := range recs {
		rec := &recs[i]
		if err := b.Apply(rec); err != nil {
			t.Fatal(err)
		}
		if i+1 < len(recs) && recs[i+1].PublisherID == rec.PublisherID && recs[i+1].Sequence == rec.Sequence {
			continue // the row's records go on
		}
		if rec.Flags&FlagSnapshot != 0 {
			continue // the book at the start: no row
		}
		if k == len(rows) {
			t.Fatalf("line %d: records after the last row", rec.Line)
		}
		r := &rows[k]
		pub, seq, ts := key(r)
		if pub != rec.PublisherID || seq != rec.Sequence || ts != rec.TsEvent {
			t.Fatalf("line %d: records of publisher %d, sequence %d at %d; row %d is publisher %d, sequence %d at %d",
				rec.Line, rec.PublisherID, rec.Sequence, rec.TsEvent, k, pub, seq, ts)
		}
		if d := check(r, b.Top(pub)); d != "" {
			t.Fatalf("line %d (row %d): %s", rec.Line, k, d)
		}
		k++
	}
	if k != len(rows) {
		t.Fatalf("%d rows, only %d matched by records", len(rows), k)
	}
	return k
}
