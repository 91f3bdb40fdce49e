package nb

import (
	"errors"
	"fmt"
	"html"
	"math"
	"os"
	"strings"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/comms"
	"github.com/janpfeifer/gonb/gonbui/dom"
	"github.com/janpfeifer/gonb/gonbui/protocol"
	"github.com/janpfeifer/gonb/gonbui/widgets"
	"github.com/sorlab/sorlab/sor/chart"
)

// Slider is one control of Interact: what it sets, its range, its step and
// the value it starts at.
type Slider struct {
	Label          string
	Min, Max, Step float64
	Value          float64
}

// positions is the number of steps from Min to Max.
func (s Slider) positions() int { return int(math.Round((s.Max - s.Min) / s.Step)) }

// at is the value at a slider position, clamped to [Min, Max].
func (s Slider) at(pos int) float64 {
	return math.Min(math.Max(s.Min+float64(pos)*s.Step, s.Min), s.Max)
}

// pos is the position nearest to v.
func (s Slider) pos(v float64) int {
	return min(max(int(math.Round((v-s.Min)/s.Step)), 0), s.positions())
}

func (s Slider) check() error {
	switch {
	case !(s.Step > 0):
		return fmt.Errorf("slider %q: step %v is not positive", s.Label, s.Step)
	case !(s.Min < s.Max):
		return fmt.Errorf("slider %q: min %v is not below max %v", s.Label, s.Min, s.Max)
	case s.Value < s.Min || s.Value > s.Max:
		return fmt.Errorf("slider %q: value %v is outside [%v, %v]", s.Label, s.Value, s.Min, s.Max)
	}
	return nil
}

// How long Interact waits for a browser to show its sliders, and for the
// next move before it leaves the figure as it is.
var (
	connectTimeout = 8 * time.Second
	idleTimeout    = 15 * time.Minute
)

// Interact shows the figure draw makes for the sliders' starting values
// and, in a live notebook, the sliders and a Done button below it: moving a
// slider calls draw with the new values (in the sliders' order) and
// replaces the figure in place. It returns when Done is clicked or after 15
// minutes without a move, leaving the last figure in the cell's output; the
// kernel runs no other cell meanwhile.
//
// Headless (the runner sets SORLAB_HEADLESS=1), or when no browser answers
// within 8 seconds (nbconvert run by hand), it shows the starting figure
// only: an ordinary image output, the same as nb.Plot's.
func Interact(draw func(values []float64) (chart.Figure, error), sliders ...Slider) error {
	if len(sliders) == 0 {
		return errors.New("nb.Interact: no sliders")
	}
	values := make([]float64, len(sliders))
	for i, s := range sliders {
		if err := s.check(); err != nil {
			return fmt.Errorf("nb.Interact: %w", err)
		}
		values[i] = s.Value
	}
	figID := "sorlab_figure_" + gonbui.UniqueId()
	if err := redraw(draw, values, figID); err != nil {
		return err
	}
	if !gonbui.IsNotebook || os.Getenv("SORLAB_HEADLESS") != "" {
		return nil
	}
	controlsID := "sorlab_controls_" + gonbui.UniqueId()
	divID := "sorlab_div_" + gonbui.UniqueId()
	show(protocol.MIMETextHTML, fmt.Sprintf(`<div id="%s"></div>`, divID), controlsID)
	defer show(protocol.MIMETextHTML, "", controlsID) // the controls only work while the cell runs

	type built struct {
		moved   []*comms.AddressChan[int]
		done    *comms.AddressChan[int]
		valueID []string
	}
	ready := make(chan built, 1)
	go func() {
		var b built
		for _, s := range sliders {
			id := "sorlab_value_" + gonbui.UniqueId()
			dom.Append(divID, fmt.Sprintf(`<div style="font-family:monospace">%s = <span id="%s">%s</span></div>`,
				html.EscapeString(s.Label), id, formatValue(s.Value)))
			w := widgets.Slider(0, s.positions(), s.pos(s.Value)).AppendTo(divID).Done()
			b.moved = append(b.moved, w.Listen().LatestOnly())
			b.valueID = append(b.valueID, id)
		}
		b.done = widgets.Button("Done").AppendTo(divID).Done().Listen()
		ready <- b
	}()
	var b built
	select {
	case b = <-ready:
	case <-time.After(connectTimeout):
		return nil // no browser: the starting figure stays
	}
	moves := make(chan [2]int)
	for i, c := range b.moved {
		go func() {
			for p := range c.C {
				moves <- [2]int{i, p}
			}
		}()
	}
	for {
		select {
		case m := <-moves:
			i, p := m[0], m[1]
			values[i] = sliders[i].at(p)
			dom.SetInnerText(b.valueID[i], formatValue(values[i]))
			if err := redraw(draw, values, figID); err != nil {
				return err
			}
		case <-b.done.C:
			return nil
		case <-time.After(idleTimeout):
			return nil
		}
	}
}

// redraw draws the figure for values and shows it under figID, replacing
// the one shown before.
func redraw(draw func([]float64) (chart.Figure, error), values []float64, figID string) error {
	f, err := draw(values)
	if err != nil {
		return err
	}
	png, err := chart.Encode(f)
	if err != nil {
		return err
	}
	show(protocol.MIMEImagePNG, png, figID)
	return nil
}

// formatValue writes a slider value without trailing zeros.
func formatValue(v float64) string {
	s := fmt.Sprintf("%.6f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}
