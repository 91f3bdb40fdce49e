package sim

import (
	"io"
	"testing"
	"time"
)

// BenchmarkGenerate measures simulation plus CSV formatting (no
// compression), reported as rows (events written) per second.
func BenchmarkGenerate(b *testing.B) {
	benchmarkEncode(b, "x.csv", Encode)
}

// BenchmarkGenerateMBO writes the order-level view of the same markets:
// events/s counts the MBP-1 rows of the run, as above, so the two compare.
func BenchmarkGenerateMBO(b *testing.B) {
	benchmarkEncode(b, "x.csv", EncodeMBO)
}

// BenchmarkGenerateZstd adds zstd compression at the sample's level.
func BenchmarkGenerateZstd(b *testing.B) {
	benchmarkEncode(b, "x.csv.zst", Encode)
}

func benchmarkEncode(b *testing.B, name string, encode func(io.Writer, string, Params, uint64) (Stats, error)) {
	p := DefaultParams()
	p.Duration = 10 * time.Minute
	var rows, bytes int64
	cw := &countWriter{}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		st, err := encode(cw, name, p, uint64(i))
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
