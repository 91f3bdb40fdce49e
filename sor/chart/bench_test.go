package chart

import (
	"sync"
	"testing"

	"github.com/sorlab/sorlab/data"
	"github.com/sorlab/sorlab/sor"
)

// sample is the shipped sample's snapshots and venues, read once: the
// ~72,000 decision points notebook 01 charts.
var sample = sync.OnceValues(func() (struct {
	snaps  []sor.Snapshot
	venues sor.Venues
}, error) {
	var s struct {
		snaps  []sor.Snapshot
		venues sor.Venues
	}
	rows, err := data.SampleRows()
	if err != nil {
		return s, err
	}
	s.snaps = sor.BuildSnapshots(rows, sor.Window{})
	s.venues, err = data.SampleVenues()
	return s, err
})

// BenchmarkSampleCharts draws and encodes notebook 01's charts of the whole
// sample, as nb.Plot does.
func BenchmarkSampleCharts(b *testing.B) {
	s, err := sample()
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		draw func() (Figure, error)
	}{
		{"VenueAsks", func() (Figure, error) { return VenueAsks(s.snaps, s.venues) }},
		{"Depth", func() (Figure, error) { return Depth(s.snaps, s.venues, 5000) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				f, err := c.draw()
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Encode(f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
