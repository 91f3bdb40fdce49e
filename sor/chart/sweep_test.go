package chart

import (
	"slices"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// The sweep charts render; the histogram's legend gives the mean and its
// interval (1, 2, 3, 4, 5: mean 3, sd 1.58, t(4) = 2.776, half-width 1.96);
// the y range takes in zero even when every saving is positive; bad input is
// refused.
func TestSweepChartsRender(t *testing.T) {
	bps := [][]float64{{1, 2, 3, 4, 5}, {0.5, 0.7}, {-2}}
	p, err := SavingsByGroup("Savings by symbol", []string{"A", "B", "C"}, bps)
	renderPNG(t, "savings-by-group", p, err)
	p, err = SavingsByGroup("Positive", []string{"A"}, bps[:1])
	renderPNG(t, "savings-positive", p, err)
	if p.Y.Min > 0 {
		t.Errorf("y axis from %v: zero is not shown", p.Y.Min)
	}
	p, err = SavingsHistogram("Savings per day", bps[0], 5)
	renderPNG(t, "savings-histogram", p, err)
	texts := drawnTexts(p)
	for _, want := range []string{"mean 3.00 bps", "95% interval 1.04 to 4.96"} {
		if !slices.Contains(texts, want) {
			t.Errorf("no %q among the texts drawn: %q", want, texts)
		}
	}
	if _, err := SavingsByGroup("x", []string{"A"}, nil); err == nil {
		t.Error("groups without values: no error")
	}
	if _, err := SavingsHistogram("x", nil, 5); err == nil {
		t.Error("no values: no error")
	}
}

// drawnTexts draws p on a recording canvas and returns the texts written.
func drawnTexts(p *plot.Plot) []string {
	c := &recorder.Canvas{}
	p.Draw(draw.NewCanvas(c, Width, Height))
	var texts []string
	for _, a := range c.Actions {
		if fs, ok := a.(*recorder.FillString); ok {
			texts = append(texts, fs.String)
		}
	}
	return texts
}
