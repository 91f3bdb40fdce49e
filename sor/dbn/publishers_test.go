package dbn

import (
	"testing"

	dbngo "github.com/NimbleMarkets/dbn-go"
	"github.com/sorlab/sorlab/sor"
)

// sor's built-in publisher list (standard library only, so it cannot ask
// dbn-go) must say what dbn-go's says for every id, and know nothing dbn-go
// does not.
func TestPublisherListMatchesDbnGo(t *testing.T) {
	for id := 1; id <= 0xFFFF; id++ {
		p, ok := sor.Publisher(id)
		want := dbngo.Publisher(id)
		if name := want.String(); !ok || name == "" {
			if ok || name != "" {
				t.Errorf("publisher %d: sor has %+v (%v), dbn-go %q", id, p, ok, name)
			}
			continue
		}
		if p.ID != id || p.Dataset != want.Dataset().String() || p.Venue != want.Venue().String() || p.Dataset+"."+p.Venue != want.String() {
			t.Errorf("publisher %d: sor %+v, dbn-go %s (dataset %s, venue %s)", id, p, want, want.Dataset(), want.Venue())
		}
	}
}
