package runflags

import (
	"flag"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor"
)

// Args gives the run's flags that were set, one -name=value each, by name,
// whatever their spelling and order, and not the other flags of the set;
// Run reads them as the exercise's set-up.
func TestArgsAreCanonical(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	other := fs.String("out", "", "not a run flag")
	f := Add(fs)
	if err := fs.Parse([]string{"-twap-bucket", "90s", "--order-size=1000", "-out", "dir", "-lambda-under", "0.1,0.01", "-fill", "risk-averse"}); err != nil {
		t.Fatal(err)
	}
	want := []string{"-fill=risk-averse", "-lambda-under=0.1,0.01", "-order-size=1000", "-twap-bucket=1m30s"}
	if got := f.Args(); !slices.Equal(got, want) || *other != "dir" {
		t.Errorf("args %q, want %q", got, want)
	}
	r, err := f.Run()
	if err != nil {
		t.Fatal(err)
	}
	if r.Config.OrderSize != 1000 || r.Config.TWAPBucket != 90*time.Second || !slices.Equal(r.Config.Grid.LambdaUnder, []sor.Money{10 * sor.Cent, sor.Cent}) {
		t.Errorf("config %+v", r.Config)
	}
	if r.Replay == nil || r.Replay.Protocol.Router != "static" || r.Replay.Protocol.Seeds != 10 || r.Source.Read.QuotesOnly {
		t.Errorf("replay %+v", r.Replay)
	}
	// Parsing the canonical form again gives it back.
	fs2 := flag.NewFlagSet("y", flag.ContinueOnError)
	f2 := Add(fs2)
	if err := fs2.Parse(want); err != nil {
		t.Fatal(err)
	}
	if got := f2.Args(); !slices.Equal(got, want) {
		t.Errorf("round trip: %q", got)
	}
}
