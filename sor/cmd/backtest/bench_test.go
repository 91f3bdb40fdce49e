package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sorlab/sorlab/data"
	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/sim"
)

// writeMBP10 writes the first n rows of the sample as an MBP-10 file of the
// real exercise file's shape (74 columns, levels 1-9 a tick apart), so the
// benchmark reads as many bytes per row as the real thing.
func writeMBP10(tb testing.TB, n int) string {
	tb.Helper()
	rows, err := data.SampleRows()
	if err != nil {
		tb.Fatal(err)
	}
	rows = rows[:min(n, len(rows))]
	var b strings.Builder
	b.WriteString("ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,depth,price,size,flags,ts_in_delta,sequence")
	for l := range 10 {
		fmt.Fprintf(&b, ",bid_px_%02d,ask_px_%02d,bid_sz_%02d,ask_sz_%02d,bid_ct_%02d,ask_ct_%02d", l, l, l, l, l, l)
	}
	b.WriteString(",symbol\n")
	px := func(m sor.Money) string {
		if m == sor.NoPrice {
			return ""
		}
		return m.String()
	}
	for i, r := range rows {
		fmt.Fprintf(&b, "%s,%s,10,%d,38,%c,%c,0,%s,%d,0,170625,%d", sor.RFC3339(r.TsRecv), sor.RFC3339(r.TsEvent), r.PublisherID, r.Action, r.Side, px(r.Price), r.Size, 46542624+i)
		for l := range 10 {
			bid, ask := r.BidPx, r.AskPx
			if bid != sor.NoPrice {
				bid -= sor.Money(l) * sor.Cent
			}
			if ask != sor.NoPrice {
				ask += sor.Money(l) * sor.Cent
			}
			fmt.Fprintf(&b, ",%s,%s,%d,%d,%d,%d", px(bid), px(ask), r.BidSz+int64(100*l), r.AskSz+int64(100*l), 1+l, 2+l)
		}
		b.WriteString(",SIMX\n")
	}
	path := filepath.Join(tb.TempDir(), "mbp10.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkExercise is the whole job on a 60,000-row MBP-10 file: read,
// snapshots, the 27-point grid, three baselines, JSON and PNG written.
func BenchmarkExercise(b *testing.B) {
	path := writeMBP10(b, 60_000)
	info, _ := os.Stat(path)
	out := b.TempDir()
	b.SetBytes(info.Size())
	for b.Loop() {
		if err := run([]string{"-data", path, "-venues", "../../../data/venues.csv", "-out", out}, io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRun compares, on the same snapshots, the exercise with the fast
// allocator and with the textbook enumeration (the baseline of the ratio).
func BenchmarkRun(b *testing.B) {
	rows, err := sor.ReadFile(writeMBP10(b, 60_000), sor.ReadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	venues, _ := data.SampleVenues()
	snaps := sor.BuildSnapshots(rows, sor.Window{})
	for _, bc := range []struct {
		name  string
		alloc func(int64, []sor.Offer, sor.Params) ([]int64, sor.Money, error)
	}{{"textbook", sor.AllocateBrute}, {"fast", sor.Allocate}} {
		b.Run(bc.name, func(b *testing.B) {
			cfg := sor.DefaultConfig()
			cfg.Venues, cfg.Allocator = venues, bc.alloc
			for b.Loop() {
				if _, err := sor.Run(snaps, cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPipeline is the command line end to end on a 30-minute, 6-venue
// MBP-1 file from the simulator (about 550,000 rows, 75 MB): scan, stream,
// the 27-point grid and three baselines in one pass, JSON and PNG written.
// Its bytes per operation show the memory model: a few MB whatever the
// file's length.
func BenchmarkPipeline(b *testing.B) {
	p := sim.DefaultParams()
	p.Duration = 30 * time.Minute
	path := filepath.Join(b.TempDir(), "mbp1.csv")
	if _, err := sim.WriteFile(context.Background(), path, p, 1); err != nil {
		b.Fatal(err)
	}
	info, _ := os.Stat(path)
	out := b.TempDir()
	b.SetBytes(info.Size())
	b.ReportAllocs()
	for b.Loop() {
		if err := run([]string{"-data", path, "-venues", "../../../data/venues.csv", "-out", out}, io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
