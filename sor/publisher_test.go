package sor

import (
	"fmt"
	"testing"
)

func TestPublisherKnownIDs(t *testing.T) {
	tests := []PublisherInfo{
		{ID: 1, Dataset: "GLBX.MDP3", Venue: "GLBX", Description: "CME Globex MDP 3.0"},
		// The exercise file's only publisher.
		{ID: 2, Dataset: "XNAS.ITCH", Venue: "XNAS", Description: "Nasdaq TotalView-ITCH"},
		{ID: 5, Dataset: "BATS.PITCH", Venue: "BATS", Description: "Cboe BZX Depth"},
		{ID: 38, Dataset: "IEXG.TOPS", Venue: "IEXG", Description: "IEX TOPS"},
		{ID: 43, Dataset: "ARCX.PILLAR", Venue: "ARCX", Description: "NYSE Arca Integrated"},
		// One venue, another dataset: the venue is what names it.
		{ID: 52, Dataset: "EQUS.PLUS", Venue: "XNAS", Description: "Databento US Equities Plus - Nasdaq"},
		{ID: 107, Dataset: "OCEA.MEMOIR", Venue: "OCEA", Description: "Blue Ocean ATS MEMOIR"},
	}
	for _, want := range tests {
		got, ok := Publisher(want.ID)
		if !ok || got != want {
			t.Errorf("Publisher(%d) = %+v, %v; want %+v", want.ID, got, ok, want)
		}
	}
	for _, id := range []int{-1, 0, 108, 65535} {
		if p, ok := Publisher(id); ok || p != (PublisherInfo{}) {
			t.Errorf("Publisher(%d) = %+v, %v; want unknown", id, p, ok)
		}
	}
}

func TestPublisherTableIsWellFormed(t *testing.T) {
	for id := 1; id <= len(publishers); id++ {
		p, _ := Publisher(id)
		if len(p.Venue) != 4 || p.Dataset == "" || p.Description == "" {
			t.Errorf("publisher %d = %+v: want a four-letter venue, a dataset and a description", id, p)
		}
	}
}

func TestVenuesName(t *testing.T) {
	vs := Venues{
		2:   {PublisherID: 2, Name: "Nasdaq (my fees)"},
		5:   {PublisherID: 5, Fee: Cent}, // in the table without a name
		500: {PublisherID: 500, Name: "DARK1"},
	}
	tests := []struct {
		id   int
		want string
	}{
		{2, "Nasdaq (my fees)"}, // the table's name wins
		{5, "BATS"},             // no name in the table: Databento's venue
		{38, "IEXG"},            // not in the table
		{500, "DARK1"},          // only in the table
		{999, "999"},            // in neither
	}
	for _, tc := range tests {
		if got := vs.Name(tc.id); got != tc.want {
			t.Errorf("Name(%d) = %q, want %q", tc.id, got, tc.want)
		}
	}
	var none Venues
	if got := none.Name(8); got != "EDGX" {
		t.Errorf("nil Venues: Name(8) = %q, want EDGX", got)
	}
}

func ExampleVenues_Name() {
	vs := Venues{2: {PublisherID: 2, Name: "Nasdaq"}}
	for _, id := range []int{2, 5, 12345} {
		fmt.Println(id, vs.Name(id))
	}
	// Output:
	// 2 Nasdaq
	// 5 BATS
	// 12345 12345
}
