package sor

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
)

func TestRoundDecimal(t *testing.T) {
	rat := func(s string) *big.Rat {
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("bad test value %q", s)
		}
		return r
	}
	tests := []struct{ x, want string }{
		{"0", "0"},
		{"5", "5"},
		{"1/3", "0.333333333"},
		{"2/3", "0.666666667"},
		{"-2/3", "-0.666666667"},
		{"1/2000000000", "0.000000001"},   // a half rounds away from zero
		{"-1/2000000000", "-0.000000001"}, // on both sides
		{"4999999999/10000000000000000000", "0"},
		{"46492/50000", "0.92984"},                                 // a maker share that floats print as 0.9298400000000001
		{"1100065970812345/1000000000", "1100065.970812345"},       // 16 digits, exact
		{"9223372036854775807/1000000000", "9223372036.854775807"}, // the largest Money
		{"10000000000001/1000", "10000000000.001"},                 // beyond int64 nano-units
		{"-30000000000000000000000000001/3", "-10000000000000000000000000000.333333333"}, // and negative
		{"100000000000000000000", "100000000000000000000"},
	}
	for _, tc := range tests {
		if got := RoundDecimal(rat(tc.x)).String(); got != tc.want {
			t.Errorf("RoundDecimal(%s) = %s, want %s", tc.x, got, tc.want)
		}
	}
	if got := (Decimal{}).String(); got != "0" {
		t.Errorf("zero Decimal = %q", got)
	}
	if got := Money(22283 * Cent).Decimal().String(); got != "222.83" {
		t.Errorf("Money.Decimal = %s", got)
	}
	if got := Money(-3 * Cent / 2).Rat().String(); got != "-3/200" {
		t.Errorf("Money.Rat = %s", got)
	}
}

func TestFloatDecimal(t *testing.T) {
	for x, want := range map[float64]string{0.1: "0.1", 1.0000000000000002: "1", 220.12281683999996: "220.12281684", -0.0089158289233: "-0.008915829", 1e20: "100000000000000000000"} {
		if d, ok := FloatDecimal(x); !ok || d.String() != want {
			t.Errorf("FloatDecimal(%v) = %s, %v; want %s", x, d, ok, want)
		}
	}
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if d, ok := FloatDecimal(x); ok {
			t.Errorf("FloatDecimal(%v) = %s, want not ok", x, d)
		}
	}
}

func TestDecimalJSON(t *testing.T) {
	var v struct {
		A Decimal  `json:"a"`
		B *Decimal `json:"b"`
		C Decimal  `json:"c"`
	}
	if err := json.Unmarshal([]byte(`{"a": 1e-9, "b": -220.013194160, "c": null}`), &v); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(v)
	if err != nil || string(out) != `{"a":0.000000001,"b":-220.01319416,"c":0}` {
		t.Errorf("round trip: %s, %v", out, err)
	}
	if v.B.Float64() != -220.01319416 {
		t.Errorf("Float64 = %v", v.B.Float64())
	}
	for in, want := range map[string]string{
		`{"a": 0.0000000001}`: "decimal 0.0000000001: more than 9 digits after the point",
		`{"a": "1"}`:          `decimal: not a JSON number: "\"1\""`,
	} {
		err := json.Unmarshal([]byte(in), &v)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %s", in, err, want)
		}
	}
	if err := v.A.UnmarshalJSON([]byte("0x10")); err == nil {
		t.Error("hexadecimal accepted")
	}
	if err := v.A.UnmarshalJSON([]byte("1.00000000001")); !errors.Is(err, errDecimalDigits) {
		t.Errorf("got %v", err)
	}
}
