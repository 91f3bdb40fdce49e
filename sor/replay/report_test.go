package replay

import (
	"encoding/json"
	"testing"

	"github.com/sorlab/sorlab/sor"
)

// The report's statistics are exact means rounded to 1e-9. Three runs each
// buy 5,000 shares for $1,100,614.0842 (220.12281684 a share), of which
// 4,600, 4,607 and 4,650 as maker fills (maker share (4600 + 4607 +
// 4650)/15000 = 0.9238); their taker shares slipped $4, $1 and $0 in all:
// 4/400 = 0.01, 1/393 and 0 a share, a mean of (0.01 + 1/393)/3 =
// 0.00418150975…, rounded 0.00418151. Float sums printed
// 220.12281683999996 with the interval
// [220.12281683999987, 220.12281684000004] around it, and 0.9238000000000001.
func TestStatsJSONIsExact(t *testing.T) {
	var rs []*Result
	for i, maker := range []int64{4600, 4607, 4650} {
		rs = append(rs, &Result{
			Result:       sor.Result{Strategy: "s", OrderSize: 5000, Filled: 5000, Cash: 1_100_614_084_200_000},
			MakerShares:  maker,
			TakerShares:  5000 - maker,
			SlippageCash: []sor.Money{4 * sor.Dollar, sor.Dollar, 0}[i],
		})
	}
	b, err := json.Marshal(summarise(rs).JSON())
	want := `{"strategy":"s","runs":3,"cost_per_share":220.12281684,"cost_per_share_ci95":[220.12281684,220.12281684],` +
		`"expected_cost_per_share":220.12281684,"expected_cost_ci95":[220.12281684,220.12281684],` +
		`"fill_rate":1,"maker_share":0.9238,"slippage_per_taker_share":0.00418151}`
	if err != nil || string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	// A strategy that never filled has no cost per share and no maker
	// share; its expected cost charges the whole order at the end price
	// plus the penalty: 10.01 + 0.003333333 (a third of a cent in Money).
	none := &Result{Result: sor.Result{Strategy: "n", OrderSize: 300}, EndPrice: 1001 * sor.Cent, Penalty: sor.Cent / 3}
	b, err = json.Marshal(summarise([]*Result{none}).JSON())
	want = `{"strategy":"n","runs":1,"cost_per_share":null,"cost_per_share_ci95":[null,null],` +
		`"expected_cost_per_share":10.013333333,"expected_cost_ci95":[10.013333333,10.013333333],` +
		`"fill_rate":0,"maker_share":null,"slippage_per_taker_share":0}`
	if err != nil || string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}
