package runflags

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/sorlab/sorlab/data"
	"github.com/sorlab/sorlab/sor"
)

// Warnings says what a user may not have meant: a venue table that names
// no venue at all, or none of the data's publishers (no fee is charged), or
// only some of them, or some that are not in the data; the shipped sample passed by path (in any
// compression) without its venue table.
func Warnings(dataPath, venuesPath string, venues sor.Venues, publishers []int) []string {
	var out []string
	if venuesPath != "" && len(venues) == 0 {
		out = append(out, fmt.Sprintf("the venue table %s names no venue (a header only): no fee or rebate is charged", venuesPath))
	} else if venuesPath != "" {
		var absent []string
		for _, id := range venues.IDs() {
			if _, ok := slices.BinarySearch(publishers, id); !ok {
				absent = append(absent, strconv.Itoa(id))
			}
		}
		var missing []int // the data's publishers the table lacks
		for _, id := range publishers {
			if _, ok := venues[id]; !ok {
				missing = append(missing, id)
			}
		}
		switch {
		case len(absent) == len(venues):
			out = append(out, fmt.Sprintf("the venue table %s names none of the data's publishers (%s): no fee or rebate is charged", venuesPath, joinInts(publishers)))
		default:
			if len(missing) > 0 {
				out = append(out, fmt.Sprintf("the venue table %s does not name the data's publishers %s: no fee or rebate is charged there", venuesPath, joinInts(missing)))
			}
			if len(absent) > 0 {
				out = append(out, fmt.Sprintf("the venue table %s names publishers that are not in the data: %s", venuesPath, strings.Join(absent, ", ")))
			}
		}
	}
	if dataPath != "" && venuesPath == "" && data.IsSample(dataPath) {
		out = append(out, fmt.Sprintf("%s is the shipped sample, run without its venue table: no fee or rebate is charged (add -venues data/venues.csv, or omit -data)", dataPath))
	}
	return out
}

func joinInts(ids []int) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.Itoa(id)
	}
	return strings.Join(s, ", ")
}
