package sor

import (
	"bytes"
	"io"
)

// utf8BOM is the byte order mark some tools (Excel among them) write at the
// start of a UTF-8 CSV file; the readers skip it.
const utf8BOM = "\ufeff"

// csvFile reads small CSV files (venue tables) record by record with the
// data reader's rules, so that both kinds of file are read alike: lines of
// at most MaxLine bytes (a file without line breaks fails at once, in
// little memory), empty lines skipped, a UTF-8 byte order mark skipped at
// the start, RFC 4180 quoting without line breaks inside quotes, and every
// error a *ParseError whose text is cut short.
type csvFile struct {
	r       *Reader
	started bool
}

// newCSV returns a reader of comma-separated records; name prefixes errors.
func newCSV(r io.Reader, name string) *csvFile {
	return &csvFile{r: NewReader(r, name, ReadOptions{})}
}

// Next returns the next record, or io.EOF.
func (c *csvFile) Next() ([]string, error) {
	b, err := c.r.nextLine()
	if err != nil {
		return nil, err
	}
	if !c.started {
		c.started = true
		b = bytes.TrimPrefix(b, []byte(utf8BOM))
	}
	var rec []string
	for col := 1; ; col++ {
		f, rest, _, err := c.r.field(b, col, "")
		if err != nil {
			return nil, err
		}
		rec = append(rec, string(f))
		if rest == nil {
			return rec, nil
		}
		b = rest
	}
}

// Line is the line of the last record returned.
func (c *csvFile) Line() int { return c.r.line }

// errf is a *ParseError at the last record's line, its text cut short as
// the data reader's are.
func (c *csvFile) errf(col int, name, text string, err error) *ParseError {
	return c.r.errf(c.r.line, col, name, text, err)
}
