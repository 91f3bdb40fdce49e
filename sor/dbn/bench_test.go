package dbn

import (
	"bytes"
	"sync"
	"testing"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/sim"
)

var benchOnce struct {
	sync.Once
	csv, dbn []byte
	rows     int
}

// benchData is the simulator's shipped sample (four minutes, six venues) as
// Databento MBP-1 CSV and as DBN v3 MBP-1: the same records both ways.
func benchData(b *testing.B) (csvData, dbnData []byte, rows int) {
	benchOnce.Do(func() {
		var buf bytes.Buffer
		st, err := sim.Generate(&buf, sim.DefaultParams(), sim.DefaultSeed)
		if err != nil {
			b.Fatal(err)
		}
		benchOnce.csv, benchOnce.rows = buf.Bytes(), int(st.Rows)
		benchOnce.dbn = encodeFixture(b, benchOnce.csv, dbnFixture{version: 3})
	})
	return benchOnce.csv, benchOnce.dbn, benchOnce.rows
}

// BenchmarkRead reads the same MBP-1 records from CSV and from DBN through
// sor.NewRowReader, as a file is read (without the disk). Compare with
//
//	go test ./sor/dbn -run '^$' -bench Read -cpu 1 -count 6 > bench.txt
//	go tool -modfile=docker/tools/go.mod benchstat -col /format bench.txt
func BenchmarkRead(b *testing.B) {
	csvData, dbnData, rows := benchData(b)
	for _, bc := range []struct {
		name string
		data []byte
	}{{"format=csv", csvData}, {"format=dbn", dbnData}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.data)))
			b.ReportAllocs()
			for b.Loop() {
				rr, c, err := sor.NewRowReader(bytes.NewReader(bc.data), "bench", sor.ReadOptions{})
				if err != nil {
					b.Fatal(err)
				}
				n, err := count(rr)
				c.Close()
				if err != nil {
					b.Fatal(err)
				}
				if n != rows {
					b.Fatalf("%d rows, want %d", n, rows)
				}
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
