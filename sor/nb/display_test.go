package nb

import (
	"encoding/gob"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
	"github.com/janpfeifer/gonb/gonbui/protocol"
	"github.com/sorlab/sorlab/sor/chart"
	"gonum.org/v1/plot"
)

// This file runs the display functions in a child process (this test binary
// again, with NB_HELPER naming the scenario) connected to a fake GoNB
// kernel: the two named pipes of gonbui, GONB_PIPE (displays from the
// program) and GONB_PIPE_BACK (acknowledgements to it). The kernel records
// every message and acknowledges sync requests as GoNB does.

// TestMain runs a helper scenario instead of the tests in the child.
func TestMain(m *testing.M) {
	if s := os.Getenv("NB_HELPER"); s != "" {
		if err := helpers[s](); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func smallPlot() chart.Figure {
	p := plot.New()
	p.Title.Text = "t"
	return p
}

// helpers are the child's scenarios.
var helpers = map[string]func() error{
	"order": func() error {
		Printf("first %d\n", 1)
		Table(dataframe.New(series.New([]int{1}, series.Int, "x")), 0)
		if err := Plot(smallPlot(), nil); err != nil {
			return err
		}
		Println("last")
		return nil
	},
	"interact": func() error {
		return Interact(func(v []float64) (chart.Figure, error) {
			fmt.Fprintf(os.Stderr, "draw %v\n", v) // the test reads the draws from stderr
			return smallPlot(), nil
		}, Slider{Label: "x", Min: 0, Max: 1, Step: 0.5, Value: 0.5}, Slider{Label: "y", Min: 10, Max: 20, Step: 5, Value: 10})
	},
}

// message is one display message as the fake kernel saw it.
type message struct {
	mime      string // the MIME type, "sync" for a sync request, "subscribe" for a comms subscription
	content   any    // for a subscription, its address
	displayID string
}

// frontend plays the browser in TestInteractLive: it sees every message
// and may send values back to the program.
type frontend func(m message, send func(address string, value any))

// fakeKernel runs the helper scenario in a child process and returns the
// messages it sent, in order, and its standard error; fe, if not nil,
// answers the messages.
func fakeKernel(t *testing.T, scenario string, fe frontend, env ...string) ([]message, string) {
	t.Helper()
	dir := t.TempDir()
	out, back := filepath.Join(dir, "pipe"), filepath.Join(dir, "back")
	for _, p := range []string{out, back} {
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Skipf("no named pipes here: %v", err)
		}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append(env, "NB_HELPER="+scenario,
		protocol.GONB_PIPE_ENV+"="+out, protocol.GONB_PIPE_BACK_ENV+"="+back)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	type opened struct {
		f   *os.File
		err error
	}
	rc, wc := make(chan opened, 1), make(chan opened, 1)
	go func() { f, err := os.OpenFile(out, os.O_RDONLY, 0); rc <- opened{f, err} }()
	go func() { f, err := os.OpenFile(back, os.O_WRONLY, 0); wc <- opened{f, err} }()
	r := <-rc
	if r.err != nil {
		t.Fatal(r.err)
	}
	defer r.f.Close()
	dec := gob.NewDecoder(r.f)
	var enc *gob.Encoder
	send := func(v *protocol.CommValue) {
		if enc == nil {
			o := <-wc
			if o.err != nil {
				t.Fatal(o.err)
			}
			enc = gob.NewEncoder(o.f)
			t.Cleanup(func() { o.f.Close() })
		}
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
	}
	var msgs []message
	for {
		var d protocol.DisplayData
		if err := dec.Decode(&d); err != nil {
			if !errors.Is(err, io.EOF) {
				t.Errorf("decoding the child's messages: %v", err)
			}
			break
		}
		for mime, content := range d.Data {
			m := message{string(mime), content, d.DisplayID}
			switch c := content.(type) {
			case protocol.CommValue:
				if c.Address == protocol.GonbuiSyncAddress {
					msgs = append(msgs, message{mime: "sync"})
					send(&protocol.CommValue{Address: protocol.GonbuiSyncAckAddress, Value: c.Value})
					continue
				}
			case protocol.CommSubscription:
				m = message{mime: "subscribe", content: c.Address}
			}
			msgs = append(msgs, m)
			if fe != nil {
				fe(m, func(address string, value any) { send(&protocol.CommValue{Address: address, Value: value}) })
			}
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v\n%s", err, stderr.String())
	}
	return msgs, stderr.String()
}

// TestDisplaysArriveInCodeOrder checks that text, tables and charts reach
// the kernel in the order the code produced them, each followed by a sync
// request that the program waits for: without it a display can still be in
// the pipe when the program exits, and GoNB drops it.
func TestDisplaysArriveInCodeOrder(t *testing.T) {
	msgs, _ := fakeKernel(t, "order", nil)
	want := []string{"text/plain", "sync", "text/html", "sync", "image/png", "sync", "text/plain", "sync"}
	var got []string
	for _, m := range msgs {
		got = append(got, m.mime)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("messages %v, want %v", got, want)
	}
	if msgs[0].content != "first 1\n" || msgs[6].content != "last\n" {
		t.Errorf("texts %q and %q, want \"first 1\\n\" and \"last\\n\"", msgs[0].content, msgs[6].content)
	}
	if h, _ := msgs[2].content.(string); !strings.Contains(h, "<th>x</th>") {
		t.Errorf("table HTML %q lacks its column", h)
	}
	png, _ := msgs[4].content.([]byte)
	cfg, format, err := image.DecodeConfig(strings.NewReader(string(png)))
	if err != nil || format != "png" || cfg.Width != 768 || cfg.Height != 432 {
		t.Errorf("the chart is %s %dx%d (%v), want a 768x432 png", format, cfg.Width, cfg.Height, err)
	}
}

// TestInteractHeadlessShowsTheStartingFigure checks the static fallback of
// the widgets: with SORLAB_HEADLESS set, one image with a display id (so a
// live notebook can replace it in place) and no controls.
func TestInteractHeadlessShowsTheStartingFigure(t *testing.T) {
	msgs, _ := fakeKernel(t, "interact", nil, "SORLAB_HEADLESS=1")
	var got []string
	for _, m := range msgs {
		got = append(got, m.mime)
	}
	if len(msgs) != 2 || msgs[0].mime != "image/png" || msgs[1].mime != "sync" {
		t.Fatalf("messages %v, want one image and its sync", got)
	}
	if !strings.HasPrefix(msgs[0].displayID, "sorlab_figure_") {
		t.Errorf("the figure's display id is %q", msgs[0].displayID)
	}
}

// TestInteractLive plays the browser: it answers the sliders' and the
// button's subscriptions with their first values, moves the second slider
// to its last position, and clicks Done once the figure was redrawn. The
// figure must be redrawn in place (same display id) with the new value, and
// the controls erased at the end.
func TestInteractLive(t *testing.T) {
	var sliders []string
	var button string
	images := 0
	msgs, stderr := fakeKernel(t, "interact", func(m message, send func(string, any)) {
		switch {
		case m.mime == "subscribe" && strings.HasPrefix(m.content.(string), "/select/"):
			sliders = append(sliders, m.content.(string))
			send(m.content.(string), []int{1, 0}[len(sliders)-1]) // the slider reports its position
		case m.mime == "subscribe" && strings.HasPrefix(m.content.(string), "/button/"):
			button = m.content.(string)
			send(button, 0) // a button reports 0 when it is created
			send(sliders[1], 2)
		case m.mime == "image/png":
			if images++; images == 2 {
				send(button, 1) // clicked
			}
		}
	})
	if want := "draw [0.5 10]\ndraw [0.5 20]\n"; stderr != want {
		t.Errorf("draws %q, want %q: the starting values, then the second slider at its end", stderr, want)
	}
	var figures []message
	var controls []message
	for _, m := range msgs {
		switch {
		case m.mime == "image/png":
			figures = append(figures, m)
		case m.mime == "text/html" && strings.HasPrefix(m.displayID, "sorlab_controls_"):
			controls = append(controls, m)
		}
	}
	if len(figures) != 2 || figures[0].displayID != figures[1].displayID || !strings.HasPrefix(figures[0].displayID, "sorlab_figure_") {
		t.Errorf("figures %d with display ids %v, want the starting one and one redraw in place", len(figures), figures)
	}
	if len(controls) != 2 || !strings.Contains(controls[0].content.(string), "<div id=") || controls[1].content != "" {
		t.Errorf("controls %v, want a div, then erased", controls)
	}
	if len(sliders) != 2 || button == "" {
		t.Errorf("%d sliders and button %q subscribed, want 2 and one", len(sliders), button)
	}
}
