package sor

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
)

// Venue is a trading venue, identified by its Databento publisher id, with
// what it charges a taker per share (Fee) and pays a maker per share
// (Rebate). Either may be negative, as on inverted venues.
type Venue struct {
	PublisherID int
	Name        string
	Fee         Money
	Rebate      Money
}

// Venues maps publisher ids to venues. A publisher missing from it is a venue
// with no name, fee 0 and rebate 0; the nil Venues is therefore a fee-free
// market.
type Venues map[int]Venue

// Get returns the venue of a publisher id, with zero fees if it is unknown.
func (vs Venues) Get(id int) Venue {
	if v, ok := vs[id]; ok {
		return v
	}
	return Venue{PublisherID: id}
}

// Name is how a publisher is shown: the venue table's name when it has one,
// else the venue of Databento's publisher list ("XNAS" for 2), else the id
// itself, so that a real file reads with venue names even without a table.
func (vs Venues) Name(id int) string {
	if v, ok := vs[id]; ok && v.Name != "" {
		return v.Name
	}
	if p, ok := Publisher(id); ok {
		return p.Venue
	}
	return strconv.Itoa(id)
}

// IDs returns the publisher ids in the table, ascending.
func (vs Venues) IDs() []int {
	ids := make([]int, 0, len(vs))
	for id := range vs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

var venueHeader = []string{"publisher_id", "name", "fee", "rebate"}

// ReadVenues parses a venue table: a CSV file with the header
// publisher_id,name,fee,rebate and fees and rebates in dollars per share.
// It is read by the data reader's rules: a UTF-8 byte order mark and a
// gzip- or zstd-compressed table are accepted (see Decompress: the content
// decides, not the name), and a line longer than MaxLine is a *ParseError
// wrapping ErrLineTooLong, so that /dev/zero or a decompression bomb given
// as a venue table fails at once. name prefixes errors.
func ReadVenues(r io.Reader, name string) (Venues, error) {
	rc, err := Decompress(r, name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	cr := newCSV(rc, name)
	head, err := cr.Next()
	if err == io.EOF {
		return nil, &ParseError{File: name, Line: 1, Column: 1, Err: errors.New("empty venue table: want header publisher_id,name,fee,rebate")}
	}
	if err != nil {
		return nil, err
	}
	if !slices.Equal(head, venueHeader) {
		return nil, cr.errf(1, "", fmt.Sprint(head), errors.New("venue table header must be publisher_id,name,fee,rebate"))
	}
	vs := Venues{}
	lines := map[int]int{} // publisher id → line of its row
	for {
		rec, err := cr.Next()
		if err == io.EOF {
			return vs, nil
		}
		if err != nil {
			return nil, err
		}
		bad := func(col int, err error) error {
			return cr.errf(col+1, venueHeader[col], rec[col], err)
		}
		if len(rec) != len(venueHeader) {
			return nil, cr.errf(min(len(rec), len(venueHeader))+1, "", "", fmt.Errorf("%w: %d fields, want 4", ErrFieldCount, len(rec)))
		}
		id, err := strconv.ParseUint(rec[0], 10, 16)
		if err != nil {
			return nil, bad(0, ErrNumber)
		}
		v := Venue{PublisherID: int(id), Name: rec[1]}
		if v.Fee, err = ParseMoney(rec[2]); err != nil {
			return nil, bad(2, moneyErr(err))
		}
		if v.Rebate, err = ParseMoney(rec[3]); err != nil {
			return nil, bad(3, moneyErr(err))
		}
		if prev, dup := lines[v.PublisherID]; dup {
			return nil, bad(0, fmt.Errorf("publisher listed twice (also line %d)", prev))
		}
		vs[v.PublisherID], lines[v.PublisherID] = v, cr.Line()
	}
}

// ReadVenuesFile reads a venue table from a file (see ReadVenues).
func ReadVenuesFile(path string) (Venues, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadVenues(f, path)
}

// moneyErr says why a fee or rebate is not a number of dollars: out of
// the exact range, or not a number at all.
func moneyErr(err error) error {
	if errors.Is(err, errOverflow) {
		return fmt.Errorf("%w: out of range", ErrNumber)
	}
	return ErrNumber
}
