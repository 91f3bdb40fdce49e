package queuescore

import (
	"math"
	"math/big"
)

var nan = math.NaN()

// ratio is a/b exactly; nil when b is 0.
func ratio(a, b int64) *big.Rat {
	if b == 0 {
		return nil
	}
	return big.NewRat(a, b)
}

// toFloat is x as a float64, NaN for nil.
func toFloat(x *big.Rat) float64 {
	if x == nil {
		return nan
	}
	f, _ := x.Float64()
	return f
}

// cmpRat compares two exact values, nil (undefined) after every number.
func cmpRat(a, b *big.Rat) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return a.Cmp(b)
}
