package sim

import (
	"bytes"
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor"
	_ "github.com/sorlab/sorlab/sor/zstd"
)

func TestTimestampsAreRFC3339WithNineDigits(t *testing.T) {
	w := NewWriter(io.Discard, "SIMX", 1)
	for _, ns := range []int64{
		0, 1, 999_999_999, DefaultStart.UnixNano(), DefaultStart.UnixNano() + 491911683,
		time.Date(2024, 2, 29, 23, 59, 59, 999_999_999, time.UTC).UnixNano(),
		time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC).UnixNano(),
		time.Date(2099, 12, 31, 12, 0, 0, 5, time.UTC).UnixNano(),
	} {
		got := string(w.appendTime(nil, ns))
		want := time.Unix(0, ns).UTC().Format("2006-01-02T15:04:05.000000000Z")
		if got != want {
			t.Errorf("appendTime(%d) = %s, want %s", ns, got, want)
		}
	}
}

func TestPricesHaveTwoDecimals(t *testing.T) {
	for cents, want := range map[int64]string{22283: "222.83", 22280: "222.80", 5: "0.05", 0: "0.00", 100: "1.00", -150: "-1.50", UndefPrice: ""} {
		if got := string(appendPrice(nil, cents)); got != want {
			t.Errorf("appendPrice(%d) = %q, want %q", cents, got, want)
		}
	}
}

func TestVenueTableFormat(t *testing.T) {
	var b bytes.Buffer
	if err := WriteVenues(&b, DefaultParams().Venues); err != nil {
		t.Fatal(err)
	}
	want := "publisher_id,name,fee,rebate\n2,XNAS,0.0030,0.0020\n"
	if !strings.HasPrefix(b.String(), want) {
		t.Errorf("venue table starts\n%s\nwant\n%s", b.String(), want)
	}
}

// TestOutputReadsBackAsMBP1 parses a generated file with encoding/csv and
// checks every column against the MBP-1 layout and the model's invariants.
func TestOutputReadsBackAsMBP1(t *testing.T) {
	p := DefaultParams()
	p.Duration = time.Minute
	var buf bytes.Buffer
	st, err := Generate(&buf, p, 7)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != Header {
		t.Fatalf("header %s, want %s", got, Header)
	}
	if int64(len(recs)-1) != st.Rows {
		t.Fatalf("%d rows read, Stats says %d", len(recs)-1, st.Rows)
	}
	ids := map[string]bool{}
	for _, v := range p.Venues {
		ids[strconv.Itoa(int(v.PublisherID))] = true
	}
	ts := func(s string) int64 {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil || !strings.HasSuffix(s, "Z") || len(s) != len("2024-08-01T13:36:32.491911683Z") {
			t.Fatalf("bad timestamp %q", s)
		}
		return tm.UnixNano()
	}
	num := func(s string) int64 {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("bad integer %q", s)
		}
		return n
	}
	px := func(s string) int64 {
		i := strings.IndexByte(s, '.')
		if i < 1 || len(s)-i != 3 {
			t.Fatalf("bad price %q", s)
		}
		return num(s[:i])*100 + num(s[i+1:])
	}
	lastSeq := map[string]int64{}
	var lastRecv, lastEvent int64
	for n, r := range recs[1:] {
		if len(r) != 20 {
			t.Fatalf("row %d has %d fields", n+2, len(r))
		}
		recv, event := ts(r[0]), ts(r[1])
		if recv < lastRecv || event < lastEvent {
			t.Fatalf("row %d: time goes backwards", n+2)
		}
		lastRecv, lastEvent = recv, event
		if recv < event || num(r[11]) != recv-event || recv-event > int64(time.Millisecond) {
			t.Fatalf("row %d: ts_recv %d, ts_event %d, ts_in_delta %s", n+2, recv, event, r[11])
		}
		if r[2] != "1" || r[4] != "4242" || r[7] != "0" || r[19] != "SIMX" || !ids[r[3]] {
			t.Fatalf("row %d: bad rtype/instrument/depth/symbol/publisher: %v", n+2, r)
		}
		if !strings.Contains("ACT", r[5]) || len(r[5]) != 1 || (r[6] != "A" && r[6] != "B") {
			t.Fatalf("row %d: action %q side %q", n+2, r[5], r[6])
		}
		if r[10] != "0" && r[10] != "128" {
			t.Fatalf("row %d: flags %s", n+2, r[10])
		}
		if seq, ok := lastSeq[r[3]]; ok && num(r[12]) != seq+1 {
			t.Fatalf("row %d: sequence %s after %d", n+2, r[12], seq)
		}
		lastSeq[r[3]] = num(r[12])
		price, bid, ask := px(r[8]), px(r[13]), px(r[14])
		if bid >= ask || num(r[9]) <= 0 || num(r[15]) <= 0 || num(r[16]) <= 0 || num(r[17]) <= 0 || num(r[18]) <= 0 {
			t.Fatalf("row %d: bad book %v", n+2, r)
		}
		// Trades happen at the quote they take: a buy at or below the
		// ask that remains, a sell at or above the bid.
		if r[5] == "T" && ((r[6] == "B" && price > ask) || (r[6] == "A" && price < bid)) {
			t.Fatalf("row %d: trade at %d outside the book %d/%d", n+2, price, bid, ask)
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	p := DefaultParams()
	p.Duration = 20 * time.Second
	gen := func(seed uint64) []byte {
		var b bytes.Buffer
		if _, err := Generate(&b, p, seed); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, b, c := gen(5), gen(5), gen(6)
	if !bytes.Equal(a, b) {
		t.Error("two runs with seed 5 differ")
	}
	if bytes.Equal(a, c) {
		t.Error("seeds 5 and 6 give the same output")
	}
}

func TestCompressionRoundTrips(t *testing.T) {
	p := DefaultParams()
	p.Duration = 10 * time.Second
	var plain bytes.Buffer
	if _, err := Generate(&plain, p, 3); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"x.csv", "x.csv.gz", "x.csv.zst"} {
		var b bytes.Buffer
		if _, err := Encode(&b, name, p, 3); err != nil {
			t.Fatal(err)
		}
		r, err := sor.Decompress(&b, name)
		if err != nil {
			t.Fatal(name, err)
		}
		got, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(name, err)
		}
		if !bytes.Equal(got, plain.Bytes()) {
			t.Errorf("%s: decompressed output differs from plain CSV", name)
		}
	}
}

func TestEmptyDurationWritesHeaderOnly(t *testing.T) {
	p := DefaultParams()
	p.Duration = 0
	var b bytes.Buffer
	st, err := Generate(&b, p, 1)
	if err != nil || st.Rows != 0 || b.String() != Header+"\n" {
		t.Errorf("got %q, %+v, %v; want the header alone", b.String(), st, err)
	}
}

func TestValidateRejectsBadParams(t *testing.T) {
	for name, mod := range map[string]func(*Params){
		"no venues":        func(p *Params) { p.Venues = nil },
		"shares":           func(p *Params) { p.Venues[0].Share = 0.5 },
		"duplicate id":     func(p *Params) { p.Venues[1].PublisherID = p.Venues[0].PublisherID },
		"alpha":            func(p *Params) { p.Alpha = 1.5 },
		"negative rate":    func(p *Params) { p.AddRate = -1 },
		"fractional cent":  func(p *Params) { p.StartPrice = 220.005 },
		"depth":            func(p *Params) { p.Venues[2].Depth = 0.5 },
		"sizes":            func(p *Params) { p.LimitSizes = nil },
		"large":            func(p *Params) { p.LargeMin = 50 },
		"CancelSaturation": func(p *Params) { p.CancelSaturation = 0.5 },
		"ImproveRate":      func(p *Params) { p.ImproveRate = -1 },
		"StaleRate":        func(p *Params) { p.StaleRate = math.NaN() },
		"MarketQueue":      func(p *Params) { p.MarketQueue = math.Inf(1) },
	} {
		p := DefaultParams()
		mod(&p)
		err := p.Validate()
		if err == nil {
			t.Errorf("%s: Validate accepted it", name)
		} else if name[0] >= 'A' && name[0] <= 'Z' && !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %q does not name the setting", name, err)
		}
		if _, err := New(p, 1); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
	p := DefaultParams()
	if err := p.Validate(); err != nil {
		t.Errorf("default params: %v", err)
	}
}
