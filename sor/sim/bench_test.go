package sim

import (
	"io"
	"testing"
	"time"
)

// BenchmarkGenerate measures simulation plus CSV formatting (no
// compression), reported as rows (events written) per second.
func BenchmarkGenerate(b *testing.B) {
	benchmarkEncode(b, "x.csv")
}

// BenchmarkGenerateZstd adds zstd compression at the sample's level.
func BenchmarkGenerateZstd(b *testing.B) {
	benchmarkEncode(b, "x.csv.zst")
}

func benchmarkEncode(b *testing.B, name string) {
	p := DefaultParams()
	p.Duration = 10 * time.Minute
	var rows, bytes int64
	cw := &countWriter{}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		st, err := Encode(cw, name, p, uint64(i))
		if err != nil {
			b.Fatal(err)
		}
		rows += st.Rows
	}
	bytes = cw.n
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(rows)/sec, "events/s")
	b.ReportMetric(float64(bytes)/sec/1e6, "MB/s")
	b.ReportMetric(0, "ns/op")
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return io.Discard.Write(p)
}
