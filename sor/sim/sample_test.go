package sim

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/sorlab/sorlab/sor"
)

// The shipped sample must be exactly what the simulator makes from the
// recorded seed and parameters (DefaultSeed, DefaultParams), so that data/
// is honest. To regenerate it after a deliberate change to the model:
//
//	go run ./sor/cmd/simulate -out data/sample.csv.zst -venues-out data/venues.csv

var dataDir = filepath.Join("..", "..", "data")

func TestSampleIsReproducible(t *testing.T) {
	path := filepath.Join(dataDir, "sample.csv.zst")
	committed, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var regen bytes.Buffer
	if _, err := Encode(&regen, path, DefaultParams(), DefaultSeed); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(regen.Bytes(), committed) {
		return
	}
	// Tell a change of the model from a change of the compressor.
	var plain bytes.Buffer
	if _, err := Generate(&plain, DefaultParams(), DefaultSeed); err != nil {
		t.Fatal(err)
	}
	r, err := sor.Decompress(bytes.NewReader(committed), path)
	if err != nil {
		t.Fatalf("%s differs from the regenerated sample and does not decompress: %v", path, err)
	}
	old, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s differs from the regenerated sample and does not decompress: %v", path, err)
	}
	if bytes.Equal(old, plain.Bytes()) {
		t.Fatalf("%s: the CSV is the same but the compressed bytes differ (%d vs %d bytes): "+
			"has the zstd library changed? Regenerate with go run ./sor/cmd/simulate -out data/sample.csv.zst",
			path, len(committed), regen.Len())
	}
	t.Fatalf("%s: the CSV differs from the regenerated one (%s): the model or its defaults changed; "+
		"regenerate with go run ./sor/cmd/simulate -out data/sample.csv.zst", path, firstDiff(old, plain.Bytes()))
}

func TestVenueTableIsReproducible(t *testing.T) {
	path := filepath.Join(dataDir, "venues.csv")
	committed, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteVenues(&b, DefaultParams().Venues); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), committed) {
		t.Fatalf("%s differs from WriteVenues(DefaultParams().Venues) (%s); regenerate with "+
			"go run ./sor/cmd/simulate -out data/sample.csv.zst -venues-out data/venues.csv", path, firstDiff(committed, b.Bytes()))
	}
}

// firstDiff describes where two byte slices first differ, by line.
func firstDiff(a, b []byte) string {
	line := 1
	for i := 0; i < min(len(a), len(b)); i++ {
		if a[i] != b[i] {
			return fmt.Sprintf("first difference on line %d", line)
		}
		if a[i] == '\n' {
			line++
		}
	}
	return fmt.Sprintf("one is a prefix of the other: %d vs %d bytes", len(a), len(b))
}
