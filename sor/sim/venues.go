package sim

import (
	"bufio"
	"io"
	"slices"
	"strconv"
)

// WriteVenues writes the venue table that goes with a simulated file: a CSV
// with the header publisher_id,name,fee,rebate, one venue a line in
// ascending publisher id, fees and rebates in dollars per share with four
// decimals. data/venues.csv is WriteVenues(DefaultParams().Venues).
func WriteVenues(w io.Writer, venues []Venue) error {
	vs := slices.Clone(venues)
	slices.SortFunc(vs, func(a, b Venue) int { return int(a.PublisherID) - int(b.PublisherID) })
	bw := bufio.NewWriter(w)
	bw.WriteString("publisher_id,name,fee,rebate\n")
	var b []byte
	for _, v := range vs {
		b = strconv.AppendUint(b[:0], uint64(v.PublisherID), 10)
		b = append(b, ',')
		b = append(b, v.Name...)
		b = append(b, ',')
		b = strconv.AppendFloat(b, v.Fee, 'f', 4, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, v.Rebate, 'f', 4, 64)
		b = append(b, '\n')
		bw.Write(b)
	}
	return bw.Flush()
}
