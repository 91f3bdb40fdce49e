package sor

import "testing"

func TestParsePriceFormat(t *testing.T) {
	for name, want := range map[string]PriceFormat{"auto": PriceAuto, "decimal": PriceDecimal, "fixed": PriceFixed} {
		if got, err := ParsePriceFormat(name); err != nil || got != want {
			t.Errorf("ParsePriceFormat(%q) = %v, %v; want %v", name, got, err, want)
		}
	}
	if _, err := ParsePriceFormat("cents"); err == nil || err.Error() != `want auto, decimal or fixed, got "cents"` {
		t.Errorf("cents: %v", err)
	}
}
