package chart

import (
	"testing"

	"gonum.org/v1/plot/vg"
)

// TestSegmentCrosses checks the clipping test that places legends on hand
// cases around the box [10, 20] × [10, 20].
func TestSegmentCrosses(t *testing.T) {
	r := vg.Rectangle{Min: vg.Point{X: 10, Y: 10}, Max: vg.Point{X: 20, Y: 20}}
	pt := func(x, y vg.Length) vg.Point { return vg.Point{X: x, Y: y} }
	for _, tc := range []struct {
		name string
		a, b vg.Point
		want bool
	}{
		{"wholly inside", pt(12, 12), pt(18, 18), true},
		{"through, no end inside", pt(0, 15), pt(30, 15), true},
		{"diagonal through the corners", pt(0, 0), pt(30, 30), true},
		{"one end inside", pt(15, 15), pt(40, 0), true},
		{"vertical, left of the box", pt(9, 0), pt(9, 30), false},
		{"vertical, through the box", pt(15, 0), pt(15, 30), true},
		{"stops short", pt(0, 15), pt(9.9, 15), false},
		{"passes the corner outside", pt(0, 21), pt(11, 32), false},
		{"touches an edge", pt(0, 20), pt(30, 20), true},
		{"a point inside", pt(15, 15), pt(15, 15), true},
		{"a point outside", pt(5, 15), pt(5, 15), false},
	} {
		if got := segmentCrosses(tc.a, tc.b, r); got != tc.want {
			t.Errorf("%s: segmentCrosses(%v, %v) = %v, want %v", tc.name, tc.a, tc.b, got, tc.want)
		}
	}
}
