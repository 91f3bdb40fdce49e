package chart

import (
	"bytes"
	"image/png"
	"testing"
)

func TestDepthRenders(t *testing.T) {
	_, snaps := outcome(t)
	p, err := Depth(snaps, nil, 500)
	if err != nil {
		t.Fatal(err)
	}
	b, err := PNG(p, Width, Height)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	if _, err := Depth(nil, nil, 500); err != nil {
		t.Errorf("no snapshots: %v", err)
	}
}

func TestPriceLabel(t *testing.T) {
	for v, want := range map[float64]string{220: "220.00", 220.5: "220.50", 220.013: "220.013", 220.0209: "220.0209", 219.99999: "220.00"} {
		if got := priceLabel(v); got != want {
			t.Errorf("priceLabel(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestFlatHeatmapIsFilled checks that a grid where every point costs the
// same (the exercise's case) still paints its cells: gonum's heat map draws
// nothing when its range is empty.
func TestFlatHeatmapIsFilled(t *testing.T) {
	o, _ := outcome(t)
	p, err := GridHeatmap(o.Grid, o.Config.Grid.ThetaQueue[0])
	if err != nil {
		t.Fatal(err)
	}
	b, err := PNG(p, Width, Height)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	coloured := 0
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y += 4 {
		for x := bounds.Min.X; x < bounds.Max.X; x += 4 {
			r, g, b, _ := img.At(x, y).RGBA()
			if !(r == g && g == b) { // neither white, black nor grey text
				coloured++
			}
		}
	}
	if total := (bounds.Dx() / 4) * (bounds.Dy() / 4); coloured < total/4 {
		t.Errorf("only %d of %d sampled pixels are coloured: the cells are not painted", coloured, total)
	}
}
