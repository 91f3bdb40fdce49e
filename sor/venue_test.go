package sor

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
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
		{"publisher_id,name,fee,rebate\n2,XNAS,0.003,9223372036\n", `v.csv:2:4 (rebate): invalid number: out of range: "9223372036"`},
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

// A venue table is bounded like a data file: a line longer than MaxLine is a
// *ParseError wrapping ErrLineTooLong, found after reading about MaxLine
// bytes, whether the table is /dev/zero, a file without line breaks or a
// compressed bomb; and no error prints a long value whole.
func TestReadVenuesBoundsLines(t *testing.T) {
	long := strings.Repeat("x", MaxLine+1)
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	for range 64 { // 64 MiB of zeros in about 64 KB
		zw.Write(make([]byte, 1<<20))
	}
	zw.Close()
	for _, tc := range []struct {
		name string
		in   func() io.Reader
		line int
	}{
		{"no line break", func() io.Reader { return strings.NewReader(long) }, 1},
		{"long second line", func() io.Reader { return strings.NewReader("publisher_id,name,fee,rebate\n2,XNAS," + long + ",0\n") }, 2},
		{"gzip bomb", func() io.Reader { return bytes.NewReader(bomb.Bytes()) }, 1},
	} {
		_, err := ReadVenues(tc.in(), "v.csv")
		var pe *ParseError
		if !errors.Is(err, ErrLineTooLong) || !errors.As(err, &pe) || pe.Line != tc.line || pe.Column != 1 || len(err.Error()) > 100 {
			t.Errorf("%s: %v; want v.csv:%d:1: %v", tc.name, err, tc.line, ErrLineTooLong)
		}
	}
	z := &countingReader{r: zeros{}}
	_, err := ReadVenues(z, "/dev/zero")
	if want := "/dev/zero:1:1: " + ErrLineTooLong.Error(); err == nil || err.Error() != want || z.n > 4*MaxLine {
		t.Errorf("/dev/zero: %v after %d bytes; want %s within %d bytes", err, z.n, want, 4*MaxLine)
	}
}

// A value just short of MaxLine is reported cut short, not on a line of its
// own size.
func TestReadVenuesErrorsCutLongValues(t *testing.T) {
	long := strings.Repeat("9", MaxLine/2)
	for _, table := range []string{
		long + ",name,fee,rebate\n",
		"publisher_id,name,fee,rebate\n2,XNAS," + long + "x,0\n",
		"publisher_id,name,fee,rebate\n" + long + ",XNAS,0,0\n",
		"publisher_id,name,fee,rebate\n2,\"" + long + "\n",
	} {
		_, err := ReadVenues(strings.NewReader(table), "v.csv")
		var pe *ParseError
		if !errors.As(err, &pe) || len(err.Error()) > 200 || !strings.Contains(err.Error(), `999..."`) {
			t.Errorf("%.40q...: %.300v", table, err)
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
