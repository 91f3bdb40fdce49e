package sweep

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor"
)

// A run removes the temporary files that killed writers left in tasks/ and
// census/ when they are older than staleTemp, and leaves younger ones,
// which may be another shard's writes in progress, and every result.
func TestRunRemovesOnlyStaleTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"tasks", "census"} {
		os.MkdirAll(filepath.Join(dir, sub), 0o755)
	}
	old := time.Now().Add(-staleTemp - time.Minute)
	files := map[string]bool{ // name: kept
		"tasks/.a.json.tmp-123":        false,
		"census/.b.json.tmp-9":         false,
		"tasks/.c.error.json.tmp-77":   true, // young
		"tasks/a.json":                 true, // a result, however old
		"tasks/.hidden-but-not-a-temp": true,
	}
	for name := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
		if name != "tasks/.c.error.json.tmp-77" {
			os.Chtimes(path, old, old)
		}
	}
	removeStaleTemps(dir, time.Now().Add(-staleTemp))
	for name, kept := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if got := err == nil; got != kept {
			t.Errorf("%s: kept %v, want %v", name, got, kept)
		}
	}
}

// BenchmarkTaskWrite writes one task result (a 5 KB JSON file) into a
// tasks/ folder that already holds N results: the sweep's own writer
// (owned) against the folder-locked sor.WriteBytesAtomic it replaced
// (locked), whose lock and listing of the folder grow with N. Compare the
// sizes with go tool benchstat (-benchtime 100x: the locked writer at
// 20,000 results takes a while).
func BenchmarkTaskWrite(b *testing.B) {
	data := make([]byte, 5000)
	for i := range data {
		data[i] = 'x'
	}
	for _, n := range []int{0, 1000, 20000} {
		dir := b.TempDir()
		for i := range n {
			if err := os.WriteFile(filepath.Join(dir, "r"+strconv.Itoa(i)+".json"), data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		for _, w := range []struct {
			name  string
			write func(string, []byte) error
		}{{"owned", sor.WriteOwnedBytes}, {"locked", sor.WriteBytesAtomic}} {
			b.Run(fmt.Sprintf("writer=%s/results=%d", w.name, n), func(b *testing.B) {
				for i := 0; b.Loop(); i++ {
					if err := w.write(filepath.Join(dir, "new"+strconv.Itoa(i%100)+".json"), data); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
