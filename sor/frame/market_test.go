package frame

import (
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
	"github.com/sorlab/sorlab/sor"
)

const market = `ts_event,publisher_id,ask_px_00,ask_sz_00,bid_px_00,bid_sz_00
1000000000,2,10.00,300,9.99,100
1000000000,5,10.01,250,10.00,100
2000000000,8,10.00,400,9.98,100
3000000000,5,,0,,0
`

var venues = sor.Venues{
	2: {PublisherID: 2, Name: "XNAS", Fee: 3 * sor.Cent / 10, Rebate: 2 * sor.Cent / 10},
	8: {PublisherID: 8, Name: "EDGX", Fee: sor.Cent / 10},
}

func snapshots(t *testing.T) []sor.Snapshot {
	t.Helper()
	rows, err := sor.NewReader(strings.NewReader(market), "m.csv", sor.ReadOptions{}).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return sor.BuildSnapshots(rows, sor.Window{})
}

func records(df dataframe.DataFrame) string {
	var b strings.Builder
	for _, r := range df.Records() {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	return b.String()
}

func TestVenues(t *testing.T) {
	want := "publisher_id,name,fee,rebate\n2,XNAS,0.003000,0.002000\n8,EDGX,0.001000,0.000000\n"
	if got := records(Venues(venues)); got != want {
		t.Errorf("Venues:\n%s\nwant\n%s", got, want)
	}
}

func TestDepth(t *testing.T) {
	df := Depth(snapshots(t), venues)
	// t=1: XNAS 10.003 x300, BATS 10.01 x250; t=2: + EDGX 10.001 x400;
	// t=3: BATS withdraws.
	want := "venues,best_all_in,best_size,displayed\n" +
		"2,10.003000,300,550\n3,10.001000,400,950\n2,10.001000,400,700\n"
	if got := records(df.Select([]string{"venues", "best_all_in", "best_size", "displayed"})); got != want {
		t.Errorf("Depth:\n%s\nwant\n%s", got, want)
	}
}

func TestSnapshotOffers(t *testing.T) {
	snaps := snapshots(t)
	got := SnapshotOffers(snaps[1], venues)
	want := []sor.Offer{
		{Venue: 2, Ask: 10 * sor.Dollar, Fee: 3 * sor.Cent / 10, Rebate: 2 * sor.Cent / 10, Available: 300},
		{Venue: 5, Ask: 10*sor.Dollar + sor.Cent, Available: 250},
		{Venue: 8, Ask: 10 * sor.Dollar, Fee: sor.Cent / 10, Available: 400},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d offers, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("offer %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestCostTerms(t *testing.T) {
	offers := SnapshotOffers(snapshots(t)[1], venues)
	small := sor.Params{LambdaUnder: sor.Cent, LambdaOver: sor.Cent, ThetaQueue: sor.Cent / 100}
	big := sor.Params{LambdaUnder: 100 * sor.Dollar, LambdaOver: 100 * sor.Dollar, ThetaQueue: 10 * sor.Dollar}
	// A candidate: everything executes, the penalties vanish.
	df := CostTerms(500, offers, []int64{100, 0, 400}, small, big)
	want := "sent,executed,resting,underfill,overfill,penalties,cost\n" +
		"500,500,0,0,0,0.000000,5000.700000\n500,500,0,0,0,0.000000,5000.700000\n"
	cols := []string{"sent", "executed", "resting", "underfill", "overfill", "penalties", "cost"}
	if got := records(df.Select(cols)); got != want {
		t.Errorf("candidate:\n%s\nwant\n%s", got, want)
	}
	// Not a candidate: 600 sent to XNAS, which shows 300.
	df = CostTerms(500, offers, []int64{600, 0, 0}, small, big)
	for i, p := range []sor.Params{small, big} {
		split := []int64{600, 0, 0}
		cost := sor.Cost(500, offers, split, p).Dollars()
		cash, pen := df.Col("cash").Elem(i).Float(), df.Col("penalties").Elem(i).Float()
		if got := df.Col("cost").Elem(i).Float(); got != cost || cash+pen-cost > 1e-6 || cost-cash-pen > 1e-6 {
			t.Errorf("row %d: cash %v + penalties %v vs cost %v (sor.Cost %v)", i, cash, pen, got, cost)
		}
		if u := df.Col("underfill").Elem(i).Float(); u != 200 {
			t.Errorf("row %d: underfill %v, want 200", i, u)
		}
	}
}

func TestCompareAllocators(t *testing.T) {
	snaps := snapshots(t)
	df, err := CompareAllocators(snaps, venues, 50, 5000, 1)
	if err != nil {
		t.Fatal(err)
	}
	if df.Nrow() != 50 {
		t.Fatalf("%d rows, want 50", df.Nrow())
	}
	agree := df.Filter(dataframe.F{Colname: "agree", Comparator: series.Eq, Comparando: true}).Nrow()
	if agree != 50 {
		t.Errorf("%d of 50 agree\n%v", agree, df)
	}
	for i := range df.Nrow() {
		if rem := df.Col("rem").Elem(i).Float(); rem < 100 || rem > 900 {
			t.Errorf("row %d: rem %v outside [100, 900]", i, rem)
		}
	}
	again, _ := CompareAllocators(snaps, venues, 50, 5000, 1)
	if records(again) != records(df) {
		t.Error("same seed, different draws")
	}
	if _, err := CompareAllocators(nil, venues, 5, 5000, 1); err == nil {
		t.Error("no snapshots must fail")
	}
}
