package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// progress shows how far the passes over a large file have got, on one
// line of stderr rewritten in place, once a run has taken more than a
// second, and only when stderr is a terminal (never in logs or pipes).
type progress struct {
	mu     sync.Mutex
	w      io.Writer
	name   string
	start  time.Time
	shown  bool
	isTerm bool
}

func newProgress(stderr io.Writer, name string) *progress {
	p := &progress{w: stderr, name: filepath.Base(name), start: time.Now()}
	if f, ok := stderr.(*os.File); ok {
		if info, err := f.Stat(); err == nil && info.Mode()&os.ModeCharDevice != 0 {
			p.isTerm = true
		}
	}
	return p
}

// update is a sor.SourceOptions.Progress callback.
func (p *progress) update(pass string, done, total int64) {
	if !p.isTerm || time.Since(p.start) < time.Second {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	verb := "scanning"
	if pass == "play" {
		verb = "backtesting"
	}
	line := fmt.Sprintf("backtest: %s %s: %s", verb, p.name, mb(done))
	if total > 0 {
		line += fmt.Sprintf(" of %s (%d%%)", mb(total), 100*done/total)
	}
	fmt.Fprintf(p.w, "\r%-72s", line)
	p.shown = true
}

// done clears the progress line.
func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprintf(p.w, "\r%-72s\r", "")
		p.shown = false
	}
}

func mb(n int64) string { return fmt.Sprintf("%.0f MB", float64(n)/1e6) }
