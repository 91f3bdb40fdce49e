package sor

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadVenues(t *testing.T) {
	vs, err := ReadVenues(strings.NewReader("publisher_id,name,fee,rebate\n2,XNAS,0.0030,0.0020\n41,BYX,-0.0005,-0.0003\n"), "v.csv")
	if err != nil {
		t.Fatal(err)
	}
	if v := vs.Get(41); v.Name != "BYX" || v.Fee != -500_000 || v.Rebate != -300_000 {
		t.Errorf("inverted venue = %+v", v)
	}
	if v := vs.Get(99); v != (Venue{PublisherID: 99}) {
		t.Errorf("unknown venue = %+v, want zero fees", v)
	}
}

// A table saved by a spreadsheet (with a byte order mark) and gzipped reads
// like the plain one, as a data file does.
func TestReadVenuesAcceptsBOMAndGzip(t *testing.T) {
	const table = "\ufeffpublisher_id,name,fee,rebate\n2,XNAS,0.0030,0.0020\n"
	path := writeGzip(t, "venues.csv.gz", table)
	gz, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, read := range map[string]func() (Venues, error){
		"plain with BOM": func() (Venues, error) { return ReadVenues(strings.NewReader(table), "v.csv") },
		"gzip file":      func() (Venues, error) { return ReadVenuesFile(path) },
		"gzip stream":    func() (Venues, error) { return ReadVenues(bytes.NewReader(gz), "v.csv.gz") },
	} {
		vs, err := read()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if v := vs.Get(2); len(vs) != 1 || v.Name != "XNAS" || v.Fee != 3_000_000 || v.Rebate != 2_000_000 {
			t.Errorf("%s: %+v", name, vs)
		}
	}
}

func TestReadVenuesErrors(t *testing.T) {
	tests := []struct{ csv, want string }{
		{"", "v.csv:1:1: empty venue table: want header publisher_id,name,fee,rebate"},
		{"id,name,fee,rebate\n", `v.csv:1:1: venue table header must be publisher_id,name,fee,rebate: "[id name fee rebate]"`},
		{"publisher_id,name,fee,rebate\n2,XNAS,0.003x,0\n", `v.csv:2:3 (fee): invalid number: "0.003x"`},
		{"publisher_id,name,fee,rebate\n2,XNAS,0.003\n", "v.csv:2:4: wrong number of fields: 3 fields, want 4"},
		{"publisher_id,name,fee,rebate\n2,A,0,0\n5,C,0,0\n2,B,0,0\n", `v.csv:4:1 (publisher_id): publisher listed twice (also line 2): "2"`},
		{"\ufeff\ufeffpublisher_id,name,fee,rebate\n", `v.csv:1:1: venue table header must be publisher_id,name,fee,rebate: "[\ufeffpublisher_id name fee rebate]"`},
		{"publisher_id,name,fee,rebate\n-2,A,0,0\n", `v.csv:2:1 (publisher_id): invalid number: "-2"`},
	}
	for _, tc := range tests {
		_, err := ReadVenues(strings.NewReader(tc.csv), "v.csv")
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q:\n got  %v\n want %s", tc.csv, err, tc.want)
		}
	}
}

func FuzzReadVenues(f *testing.F) {
	f.Add("2,XNAS,0.0030,0.0020\n")
	f.Add("41,\"B,YX\",-0.0005,-0.0003\n")
	f.Fuzz(func(t *testing.T, body string) {
		_, err := ReadVenues(strings.NewReader("publisher_id,name,fee,rebate\n"+body), "f.csv")
		var pe *ParseError
		if err != nil && (!errors.As(err, &pe) || pe.Line < 1 || pe.Column < 1) {
			t.Fatalf("error without position: %#v", err)
		}
	})
}

// writeGzip writes content gzipped to a file called name in a new folder
// and returns its path.
func writeGzip(t *testing.T, name, content string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(content))
	zw.Close()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
