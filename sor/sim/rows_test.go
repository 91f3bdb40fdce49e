package sim

import (
	"bytes"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor"
)

// Rows must give exactly what the reader gets from the CSV of the same run.
func TestRowsEqualTheCSVReadBack(t *testing.T) {
	p := DefaultParams()
	p.Duration = 20 * time.Second
	var buf bytes.Buffer
	if _, err := Generate(&buf, p, 7); err != nil {
		t.Fatal(err)
	}
	want, err := sor.NewReader(&buf, "sim.csv", sor.ReadOptions{}).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Rows(p, 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(got) < 1000 {
		t.Fatalf("%d rows, CSV has %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("row %d:\n got  %+v\n want %+v", i, got[i], want[i])
		}
	}
}
