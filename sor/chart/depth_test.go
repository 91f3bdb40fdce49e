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
