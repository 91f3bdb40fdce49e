package sor

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// Money is an exact amount of dollars in units of 1e-9 dollars (nano-dollars),
// the same fixed-point unit Databento uses for prices. Cash for 5,000 shares at
// $1,000 is 5e15 units, three orders of magnitude below the int64 limit, so
// sums and comparisons of costs are exact: two splits tie only when they
// really cost the same.
type Money int64

// Units of Money.
const (
	Nano   Money = 1
	Cent   Money = 10_000_000
	Dollar Money = 1_000_000_000
)

// NoPrice marks a side of the book without a quote. Real prices are > 0.
const NoPrice Money = 0

// undefPrice is Databento's UNDEF_PRICE (int64 max), which also means "no quote".
const undefPrice = math.MaxInt64

// Dollars returns m as a float64 number of dollars, for reports and charts only.
func (m Money) Dollars() float64 { return float64(m) / float64(Dollar) }

// String formats m as a decimal number of dollars without trailing zeros,
// for example "222.83" or "-0.0025".
func (m Money) String() string { return string(m.AppendText(nil)) }

// AppendText appends the String form of m to b.
func (m Money) AppendText(b []byte) []byte {
	u := uint64(m)
	if m < 0 {
		b = append(b, '-')
		u = -u
	}
	b = strconv.AppendUint(b, u/uint64(Dollar), 10)
	frac := u % uint64(Dollar)
	if frac == 0 {
		return b
	}
	var digits [9]byte
	for i := 8; i >= 0; i-- {
		digits[i] = byte('0' + frac%10)
		frac /= 10
	}
	n := 9
	for digits[n-1] == '0' {
		n--
	}
	b = append(b, '.')
	return append(b, digits[:n]...)
}

// MarshalText lets Money appear in text formats as its exact decimal form.
func (m Money) MarshalText() ([]byte, error) { return m.AppendText(nil), nil }

// UnmarshalText parses the output of MarshalText (see ParseMoney).
func (m *Money) UnmarshalText(b []byte) error {
	v, err := ParseMoney(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// ParseMoney parses a decimal number of dollars such as "222.83", "-0.0015" or
// "1e-4" is refused: only plain decimals with at most 9 fractional digits are
// exact in Money, and anything else would be rounded silently.
func ParseMoney(s string) (Money, error) {
	neg := false
	t := s
	if len(t) > 0 && (t[0] == '-' || t[0] == '+') {
		neg = t[0] == '-'
		t = t[1:]
	}
	v, err := parseDecimal([]byte(t))
	if err != nil {
		return 0, fmt.Errorf("invalid dollar amount %q: %w", s, err)
	}
	if neg {
		v = -v
	}
	return v, nil
}

var (
	errSyntax   = errors.New("not a decimal number")
	errTooFine  = errors.New("more than 9 fractional digits")
	errOverflow = errors.New("out of range")
)

// parseDecimal parses unsigned decimal text ("222.83", "5", ".5") into Money.
func parseDecimal(b []byte) (Money, error) {
	var intPart, frac uint64
	i, digits := 0, 0
	for ; i < len(b) && b[i] != '.'; i++ {
		c := b[i] - '0'
		if c > 9 {
			return 0, errSyntax
		}
		if intPart > (math.MaxInt64/uint64(Dollar)-9)/10 {
			return 0, errOverflow
		}
		intPart = intPart*10 + uint64(c)
		digits++
	}
	fracDigits := 0
	if i < len(b) {
		i++ // the '.'
		for ; i < len(b); i++ {
			c := b[i] - '0'
			if c > 9 {
				return 0, errSyntax
			}
			digits++
			if fracDigits == 9 {
				if c != 0 {
					return 0, errTooFine
				}
				continue
			}
			frac = frac*10 + uint64(c)
			fracDigits++
		}
	}
	if digits == 0 {
		return 0, errSyntax
	}
	for ; fracDigits < 9; fracDigits++ {
		frac *= 10
	}
	return Money(intPart*uint64(Dollar) + frac), nil
}
