package sor

import (
	"encoding/csv"
	"errors"
	"io"
)

// csvFile reads small CSV files (venue tables) with errors as *ParseError.
type csvFile struct {
	name string
	r    *csv.Reader
	line int
}

// newCSV returns a reader of comma-separated records.
func newCSV(r io.Reader, name string) *csvFile {
	cr := csv.NewReader(r)
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
