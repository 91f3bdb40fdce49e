package sor_test

import (
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/sorlab/sorlab/sor"
)

// An average price and a share as the JSON report writes them: computed as
// exact fractions and rounded once to 1e-9, where float arithmetic prints
// the float nearest to a float result.
func ExampleRoundDecimal() {
	cash, filled := sor.Money(1_100_064_990_000_000), int64(5000) // $1,100,064.99 for 5,000 shares
	avg := sor.RoundDecimal(new(big.Rat).Quo(cash.Rat(), big.NewRat(filled, 1)))
	maker := sor.RoundDecimal(big.NewRat(4600+4607+4650, 3*5000)) // mean of three runs' maker shares
	third := sor.RoundDecimal(big.NewRat(-1, 3))
	b, _ := json.Marshal(map[string]any{"avg_fill_px": avg, "maker_share": maker, "third": third, "total_cash": cash.Decimal()})
	fmt.Println(string(b))
	var sum float64 // the same share in floats
	for _, m := range []float64{4600, 4607, 4650} {
		sum += m / 5000
	}
	fmt.Println(sum / 3)
	// Output:
	// {"avg_fill_px":220.012998,"maker_share":0.9238,"third":-0.333333333,"total_cash":1100064.99}
	// 0.9238000000000001
}
