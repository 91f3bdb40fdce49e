package nb

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/sorlab/sorlab/sor/chart"
)

// TestInteractDrawsTheStartingValues: outside a notebook Interact draws
// once, with the sliders' starting values in order.
func TestInteractDrawsTheStartingValues(t *testing.T) {
	var got [][]float64
	err := Interact(func(v []float64) (chart.Figure, error) {
		got = append(got, slices.Clone(v))
		return smallPlot(), nil
	}, Slider{Label: "lambda_u", Min: 0.01, Max: 1, Step: 0.01, Value: 0.05}, Slider{Label: "Q", Min: 0, Max: 5000, Step: 100, Value: 2000})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !slices.Equal(got[0], []float64{0.05, 2000}) {
		t.Errorf("draw calls %v, want one with [0.05 2000]", got)
	}
}

func TestInteractRefusesBadSliders(t *testing.T) {
	draw := func([]float64) (chart.Figure, error) { return smallPlot(), nil }
	for _, tc := range []struct {
		s    Slider
		want string
	}{
		{Slider{Label: "a", Min: 0, Max: 1, Step: 0, Value: 0}, `slider "a": step 0 is not positive`},
		{Slider{Label: "b", Min: 1, Max: 1, Step: 0.1, Value: 1}, `slider "b": min 1 is not below max 1`},
		{Slider{Label: "c", Min: 0, Max: 1, Step: 0.1, Value: 2}, `slider "c": value 2 is outside [0, 1]`},
	} {
		if err := Interact(draw, tc.s); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Interact(%+v) = %v, want %q", tc.s, err, tc.want)
		}
	}
	if err := Interact(draw); err == nil {
		t.Error("Interact without sliders must fail")
	}
	boom := errors.New("boom")
	if err := Interact(func([]float64) (chart.Figure, error) { return nil, boom }, Slider{Label: "x", Min: 0, Max: 1, Step: 1}); !errors.Is(err, boom) {
		t.Errorf("draw's error: got %v", err)
	}
}

// TestSliderPositions: a slider moves in whole steps between Min and Max.
func TestSliderPositions(t *testing.T) {
	s := Slider{Min: 0.01, Max: 0.5, Step: 0.01}
	if n := s.positions(); n != 49 {
		t.Errorf("positions = %d, want 49", n)
	}
	for pos, want := range map[int]float64{0: 0.01, 4: 0.05, 49: 0.5, 60: 0.5, -1: 0.01} {
		if got := s.at(pos); got < want-1e-12 || got > want+1e-12 {
			t.Errorf("at(%d) = %v, want %v", pos, got, want)
		}
	}
	for v, want := range map[float64]int{0.05: 4, 0.01: 0, 0.5: 49, 9: 49, -3: 0} {
		if got := s.pos(v); got != want {
			t.Errorf("pos(%v) = %d, want %d", v, got, want)
		}
	}
	if formatValue(2000) != "2000" || formatValue(0.05) != "0.05" || formatValue(0.1234567) != "0.123457" {
		t.Errorf("formatValue: %q %q %q", formatValue(2000), formatValue(0.05), formatValue(0.1234567))
	}
}
