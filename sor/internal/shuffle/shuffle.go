// Package shuffle puts a CSV data file fully out of time order, for the
// tests of the reorder buffer and the external sort.
package shuffle

import (
	"math/rand/v2"
	"slices"
	"strings"
)

// CSV returns text (a header line, then rows, each ending in a line break)
// with its rows in an order drawn from seed, except that rows of equal
// ts_event keep their file order, in the places the draw gave their times:
// the exercise orders rows by ts_event, then by file order, so that text,
// when sorted, is the one exact order of the result. It panics when the
// header has no ts_event column.
func CSV(text string, seed uint64) string {
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" { // after the last line break
		lines = lines[:len(lines)-1]
	}
	col := slices.Index(strings.Split(strings.TrimSpace(lines[0]), ","), "ts_event")
	if col < 0 {
		panic("shuffle: no ts_event column")
	}
	ts := func(line string) string { return strings.Split(line, ",")[col] }
	body := slices.Clone(lines[1:])
	same := map[string][]string{} // the rows of each ts_event, in file order
	for _, l := range body {
		same[ts(l)] = append(same[ts(l)], l)
	}
	rand.New(rand.NewPCG(seed, seed)).Shuffle(len(body), func(i, j int) { body[i], body[j] = body[j], body[i] })
	for i, l := range body {
		k := ts(l)
		body[i], same[k] = same[k][0], same[k][1:]
	}
	return lines[0] + strings.Join(body, "")
}
