package sor

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
)

// Compressed data that fails before its first bytes could tell the format
// is a read error, not a CSV file with a bad first line.
func TestNewRowReaderReportsReadErrors(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("ts_event,publisher_id,ask_px_00,ask_sz_00\n1,2,10.5,3\n"))
	zw.Close()
	cut := buf.Bytes()[:15]
	_, _, err := NewRowReader(bytes.NewReader(cut), "q.csv.gz", ReadOptions{})
	if err == nil || err.Error() != "q.csv.gz: reading: unexpected EOF" {
		t.Errorf("got %v", err)
	}
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
