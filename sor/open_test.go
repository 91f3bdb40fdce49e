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

// Compressed data that fails before its first bytes could tell the format
// is a read error, not a CSV file with a bad first line; one that fails a
// little later is the CSV reader's error, at its line. Both say how many
// compressed bytes were read.
func TestNewRowReaderReportsReadErrors(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("ts_event,publisher_id,ask_px_00,ask_sz_00\n1,2,10.5,3\n"))
	zw.Close()
	for _, tc := range []struct {
		n    int
		want string
	}{
		{11, "q.csv.gz: byte 0: reading: gzip data cut short: it ends after 11 compressed bytes, inside a compressed block"},
		{25, "q.csv.gz:1:1: reading: gzip data cut short: it ends after 25 compressed bytes, inside a compressed block"},
	} {
		rr, c, err := NewRowReader(bytes.NewReader(buf.Bytes()[:tc.n]), "q.csv.gz", ReadOptions{})
		if err == nil {
			_, err = rr.Read()
			c.Close()
		}
		var de *DecompressError
		if err == nil || err.Error() != tc.want || !errors.As(err, &de) || de.In != int64(tc.n) || !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("got  %v\nwant %s", err, tc.want)
		}
	}
}

// Content that no format claims and that is not text is refused before the
// CSV reader, which would only say that the first line lacks its columns:
// one line, the offset of the first byte that no CSV file holds, and what
// the file starts with.
func TestBinaryIsNeitherDBNNorCSV(t *testing.T) {
	gz := func(s string) string {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(s))
		zw.Close()
		return buf.String()
	}
	header := "ts_event,publisher_id,ask_px_00,ask_sz_00\n"
	for _, tc := range []struct{ name, data, want string }{
		{"DBX magic", "DBX\x03\x60\x01\x00\x00SORLAB.SIM", `x: byte 6: neither DBN nor CSV text (a NUL byte, 0x00): it starts with "DBX\x03` + "`" + `\x01\x00\x00SORLAB.S"...`},
		{"zip", "PK\x03\x04\x14\x00", `x: byte 5: neither DBN nor CSV text (a NUL byte, 0x00): it starts with "PK\x03\x04\x14\x00"`},
		{"NUL bytes", "\x00\x00\x00\x00", `x: byte 0: neither DBN nor CSV text (a NUL byte, 0x00): it starts with "\x00\x00\x00\x00"`},
		{"DBZ (a zstd skippable frame)", "P*M\x18\x60\x01\x00\x00", `x: byte 6: neither DBN nor CSV text (a NUL byte, 0x00): it starts with "P*M\x18` + "`" + `\x01\x00\x00"`},
		{"not UTF-8", "ts_event\xff,publisher_id", `x: byte 8: neither DBN nor CSV text (not UTF-8, 0xFF): it starts with "ts_event\xff,publis"...`},
		{"a NUL far in", header + strings.Repeat("1,2,10.5,3\n", 40) + "\x00", `x: byte 482: neither DBN nor CSV text (a NUL byte, 0x00): it starts with "ts_event,publish"...`},
		{"gzip of NULs", gz("\x00\x00\x00"), `x: byte 0: neither DBN nor CSV text (a NUL byte, 0x00): it starts with "\x00\x00\x00"`},
	} {
		_, _, err := NewRowReader(strings.NewReader(tc.data), "x", ReadOptions{})
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s:\n got  %v\n want %s", tc.name, err, tc.want)
		}
		if _, err := OpenMBO(tempFile(t, tc.data), ReadOptions{}); err == nil || !strings.Contains(err.Error(), ": neither DBN nor CSV text (") {
			t.Errorf("%s: OpenMBO: %v", tc.name, err)
		}
	}
	// Text passes: UTF-8 (a BOM, a symbol with an accent), and a character
	// cut by the end of what is looked at.
	cut := header + strings.Repeat("x", sniffLen-len(header)-1) + "é,1\n"
	for _, data := range []string{"\uFEFF" + header + "1,2,10.5,3\n", header + "1,2,10.5,3\n", cut} {
		if _, _, err := NewRowReader(strings.NewReader(data), "x", ReadOptions{}); err != nil {
			t.Errorf("%q: %v", data[:20], err)
		}
	}
}

func tempFile(t *testing.T, data string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x")
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestNewRowReaderExplainsMissingDBN(t *testing.T) {
	formatsMu.Lock()
	saved := rowFormats
	rowFormats = nil
	formatsMu.Unlock()
	defer func() { formatsMu.Lock(); rowFormats = saved; formatsMu.Unlock() }()
	_, _, err := NewRowReader(strings.NewReader("DBN\x03\x00\x00\x00\x00"), "q.dbn", ReadOptions{})
	want := `q.dbn: a Databento DBN file, and no DBN reader is registered: import _ "github.com/sorlab/sorlab/sor/dbn"`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// Compressed follows Open's rule: gzip and zstd by their magic numbers
// (zstd also without a decoder registered), anything else is plain.
func TestCompressed(t *testing.T) {
	for _, tc := range []struct {
		head []byte
		want bool
	}{
		{[]byte{0x1f, 0x8b, 0x08, 0x00}, true},
		{[]byte{0x28, 0xb5, 0x2f, 0xfd}, true},
		{[]byte("ts_r"), false},
		{[]byte{0x28, 0xb5}, false},
		{nil, false},
	} {
		if got := Compressed(tc.head); got != tc.want {
			t.Errorf("Compressed(% x) = %v, want %v", tc.head, got, tc.want)
		}
	}
}
