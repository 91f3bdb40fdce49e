package runflags

import (
	"flag"
	"io"
	"os"
	"path/filepath"
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

// A venue table is refused as soon as it is read when a fee or rebate times
// the order size passes the cash guard's bound, MaxInt64/4 nano-dollars
// (2305843009213693951): for 5000 shares the largest amount accepted is
// $461168.601842738 (5000 × 461168601842738 = 2305843009213690000), one
// nano-dollar more is refused, as a fee or as a rebate of either sign.
func TestVenueTableFeesMustFitTheCashGuard(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		fee, rebate, size string
		want              string // "" when accepted
	}{
		{"461168.601842738", "-461168.601842738", "5000", ""},
		{"461168.601842739", "0", "5000", "publisher 2 fee: order of 5000 shares at up to $461168.601842739 a share is too large for exact money arithmetic"},
		{"0.003", "-461168.601842739", "5000", "publisher 2 rebate: order of 5000 shares at up to $-461168.601842739 a share is too large for exact money arithmetic"},
		{"0.003", "461168.601842739", "5000", "publisher 2 rebate: order of 5000 shares at up to $461168.601842739 a share is too large for exact money arithmetic"},
		{"0.003", "461168.601842739", "100", ""},
		{"2.5", "0.002", "1000000000", "publisher 2 fee: order of 1000000000 shares at up to $2.5 a share is too large for exact money arithmetic"},
	} {
		path := filepath.Join(dir, "v.csv")
		table := "publisher_id,name,fee,rebate\n1,A,0,0\n2,B," + c.fee + "," + c.rebate + "\n"
		if err := os.WriteFile(path, []byte(table), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := run(t, "-venues", path, "-order-size", c.size)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("fee %s rebate %s x %s: %v", c.fee, c.rebate, c.size, err)
		case c.want != "" && (err == nil || err.Error() != path+": "+c.want):
			t.Errorf("fee %s rebate %s x %s: %v, want %s: %s", c.fee, c.rebate, c.size, err, path, c.want)
		}
	}
}

// Flags whose value is out of bounds, or empty where an unset shell
// variable is the likely cause, are refused with one line naming the flag.
func TestFlagLimits(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-order-size", "1000000100"}, "-order-size must be at most 1000000000 shares, got 1000000100"},
		{[]string{"-order-size", "100000000000000"}, "-order-size must be at most 1000000000 shares, got 100000000000000"},
		{[]string{"-venues="}, "-venues is empty (an unset shell variable?); omit it for the default venue table"},
		{[]string{"-seeds", "3"}, "-seeds applies only to a replay: add -fill, -latency, -feed-delay, -router ck, -markets or -experiment"},
		{[]string{"-seeds", "3", "-horizon", "1s"}, "-horizon and -seeds apply only to a replay: add -fill, -latency, -feed-delay, -router ck, -markets or -experiment"},
		{[]string{"-seeds", "3", "-horizon", "1s", "-queue-power", "3"}, "-horizon, -queue-power and -seeds apply only to a replay: add -fill, -latency, -feed-delay, -router ck, -markets or -experiment"},
	} {
		if _, err := run(t, c.args...); err == nil || err.Error() != c.want {
			t.Errorf("%q: %v, want %s", c.args, err, c.want)
		}
	}
	if r, err := run(t, "-order-size", "1000000000"); err != nil || r.Config.OrderSize != MaxOrderSize {
		t.Errorf("-order-size 1000000000: %v", err)
	}
}

// run parses args as a command's flags and checks them.
func run(t *testing.T, args ...string) (Run, error) {
	t.Helper()
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := Add(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return f.Run()
}
