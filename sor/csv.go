package sor

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
)

// utf8BOM is the byte order mark some tools (Excel among them) write at the
// start of a UTF-8 CSV file; the readers skip it.
const utf8BOM = "\ufeff"

// csvFile reads small CSV files (venue tables) with errors as *ParseError.
type csvFile struct {
	name string
	r    *csv.Reader
	line int
}

// newCSV returns a reader of comma-separated records, skipping a UTF-8 byte
// order mark.
func newCSV(r io.Reader, name string) *csvFile {
	br := bufio.NewReader(r)
	if head, _ := br.Peek(len(utf8BOM)); string(head) == utf8BOM {
		br.Discard(len(utf8BOM))
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	return &csvFile{name: name, r: cr}
}

// Next returns the next record, or io.EOF.
func (c *csvFile) Next() ([]string, error) {
	rec, err := c.r.Read()
	if err == io.EOF {
		return nil, err
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, &ParseError{File: c.name, Line: pe.Line, Column: pe.Column, Err: pe.Err}
	}
	if err != nil {
		return nil, &ParseError{File: c.name, Line: c.line + 1, Column: 1, Err: err}
	}
	c.line, _ = c.r.FieldPos(0)
	return rec, nil
}

// Line is the line of the last record returned.
func (c *csvFile) Line() int { return c.line }
