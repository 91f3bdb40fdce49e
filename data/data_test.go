package data_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/sorlab/sorlab/data"
	"github.com/sorlab/sorlab/sor"
)

// The embedded files are the ones in this folder (go:embed guarantees it at
// build time; this guards against a stale build cache or a renamed file).
func TestEmbeddedFilesAreTheCommittedOnes(t *testing.T) {
	for name, embedded := range map[string][]byte{"sample.csv.zst": data.SampleCSVZst, "venues.csv": data.VenuesCSV} {
		onDisk, err := os.ReadFile(name)
		if err != nil || !bytes.Equal(onDisk, embedded) {
			t.Errorf("%s: embedded copy differs from the file (%v)", name, err)
		}
	}
}

func ExampleSampleRows() {
	rows, err := data.SampleRows()
	if err != nil {
		panic(err)
	}
	venues, err := data.SampleVenues()
	if err != nil {
		panic(err)
	}
	snaps := sor.BuildSnapshots(rows, sor.Window{})
	fmt.Println(len(rows), "rows,", len(snaps), "snapshots from", sor.RFC3339(snaps[0].Time))
	for _, id := range venues.IDs() {
		v := venues[id]
		fmt.Printf("%2d %s fee %v rebate %v\n", id, v.Name, v.Fee, v.Rebate)
	}
	// Output:
	// 73813 rows, 71953 snapshots from 2024-08-01T13:36:32.002099087Z
	//  2 XNAS fee 0.003 rebate 0.002
	//  5 BATS fee 0.003 rebate 0.0016
	//  8 EDGX fee 0.003 rebate 0.0018
	// 15 MEMX fee 0.0029 rebate 0.0015
	// 38 IEXG fee 0.0009 rebate 0
	// 43 ARCX fee 0.003 rebate 0.0021
}

// The sample is recognised by its content, whatever its compression; any
// other file is not, after reading its first block only.
func TestIsSample(t *testing.T) {
	rc, err := sor.Open("sample.csv.zst")
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, rc)
	rc.Close()
	if err != nil || n != data.SampleSize {
		t.Errorf("the sample decompresses to %d bytes (%v); data.SampleSize says %d", n, err, data.SampleSize)
	}
	if !data.IsSample("sample.csv.zst") {
		t.Error("sample.csv.zst is not the sample")
	}
	for _, path := range []string{"venues.csv", "no-such-file", "."} {
		if data.IsSample(path) {
			t.Errorf("%s is the sample", path)
		}
	}
}
