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
		return Interact(func(v []float64) (chart.Figure, error) { return smallPlot(), nil },
			Slider{Label: "x", Min: 0, Max: 1, Step: 0.5, Value: 0.5})
	},
}

// message is one display message as the fake kernel saw it.
type message struct {
	mime      string // the MIME type, or "sync" for a sync request
	content   any
	displayID string
}

// fakeKernel runs the helper scenario in a child process and returns the
// messages it sent, in order.
func fakeKernel(t *testing.T, scenario string, env ...string) []message {
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
	var w *os.File
	var enc *gob.Encoder
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
			if cv, ok := content.(protocol.CommValue); ok && cv.Address == protocol.GonbuiSyncAddress {
				msgs = append(msgs, message{mime: "sync"})
				if w == nil {
					o := <-wc
					if o.err != nil {
						t.Fatal(o.err)
					}
					w, enc = o.f, gob.NewEncoder(o.f)
					defer w.Close()
				}
				if err := enc.Encode(&protocol.CommValue{Address: protocol.GonbuiSyncAckAddress, Value: cv.Value}); err != nil {
					t.Fatal(err)
				}
				continue
			}
			msgs = append(msgs, message{string(mime), content, d.DisplayID})
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v\n%s", err, stderr.String())
	}
	return msgs
}

// TestDisplaysArriveInCodeOrder checks that text, tables and charts reach
// the kernel in the order the code produced them, each followed by a sync
// request that the program waits for: without it a display can still be in
// the pipe when the program exits, and GoNB drops it.
func TestDisplaysArriveInCodeOrder(t *testing.T) {
	msgs := fakeKernel(t, "order")
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
	msgs := fakeKernel(t, "interact", "SORLAB_HEADLESS=1")
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
