package sor

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Decimal is a number as the JSON reports write it: a decimal with at most
// nine digits after the point, written with exactly those digits. A float64
// cannot promise that: a mean of shares such as 0.92984 comes out of float
// arithmetic as 0.9298400000000001, a rate of 1 as 1.0000000000000002, and
// cash beyond 15 significant digits is not even representable. So report
// numbers are computed exactly, from Money and share counts (Money.Rat), and
// rounded once, by RoundDecimal: to the nearest 1e-9 of their unit, halves
// away from zero. Money converts without rounding (Money.Decimal).
//
// The zero Decimal is 0.
type Decimal struct{ text string }

var (
	nanosPerUnit = big.NewInt(int64(Dollar))
	bigOne       = big.NewInt(1)
)

// Decimal is m in dollars, exactly.
func (m Money) Decimal() Decimal { return Decimal{m.String()} }

// Rat is m in dollars as an exact fraction, for computing averages and
// ratios of money without rounding.
func (m Money) Rat() *big.Rat { return new(big.Rat).SetFrac(big.NewInt(int64(m)), nanosPerUnit) }

// RoundDecimal rounds x to the nearest multiple of 1e-9, halves away from
// zero (0.0000000005 → 0.000000001, −0.0000000005 → −0.000000001).
func RoundDecimal(x *big.Rat) Decimal {
	num := new(big.Int).Mul(x.Num(), nanosPerUnit)
	q, r := new(big.Int).QuoRem(num, x.Denom(), new(big.Int)) // q truncated toward zero
	if r.Abs(r).Lsh(r, 1).Cmp(x.Denom()) >= 0 {
		if num.Sign() < 0 {
			q.Sub(q, bigOne)
		} else {
			q.Add(q, bigOne)
		}
	}
	if q.IsInt64() {
		return Money(q.Int64()).Decimal()
	}
	// Beyond int64 nano-units (about 9.2e9) there are at least 19 digits.
	digits := new(big.Int).Abs(q).String()
	s := digits[:len(digits)-9]
	if frac := strings.TrimRight(digits[len(digits)-9:], "0"); frac != "" {
		s += "." + frac
	}
	if q.Sign() < 0 {
		s = "-" + s
	}
	return Decimal{s}
}

// FloatDecimal rounds x as RoundDecimal does; ok is false when x is NaN or
// infinite. For quantities that are not ratios of integers (a confidence
// interval's bounds involve a square root).
func FloatDecimal(x float64) (d Decimal, ok bool) {
	r := new(big.Rat).SetFloat64(x)
	if r == nil {
		return Decimal{}, false
	}
	return RoundDecimal(r), true
}

// String is the decimal text, for example "220.012998", "1" or "-0.5".
func (d Decimal) String() string {
	if d.text == "" {
		return "0"
	}
	return d.text
}

// Float64 is d as the nearest float64.
func (d Decimal) Float64() float64 {
	f, _ := strconv.ParseFloat(d.String(), 64)
	return f
}

// MarshalJSON writes d as a JSON number with exactly its digits.
func (d Decimal) MarshalJSON() ([]byte, error) { return []byte(d.String()), nil }

var errDecimalDigits = errors.New("more than 9 digits after the point")

// UnmarshalJSON reads a JSON number that is a multiple of 1e-9 (any number
// a report holds); null leaves d as it is.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	// big.Rat also reads fractions and hexadecimal: allow only what a JSON
	// number can hold.
	r, ok := new(big.Rat).SetString(string(b))
	if !ok || bytes.ContainsFunc(b, func(c rune) bool { return !strings.ContainsRune("0123456789.eE+-", c) }) {
		return fmt.Errorf("decimal: not a JSON number: %q", b)
	}
	n := new(big.Int).Mul(r.Num(), nanosPerUnit)
	if n.Rem(n, r.Denom()).Sign() != 0 {
		return fmt.Errorf("decimal %s: %w", b, errDecimalDigits)
	}
	*d = RoundDecimal(r)
	return nil
}
