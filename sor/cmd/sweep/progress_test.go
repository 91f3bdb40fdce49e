package main

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sorlab/sorlab/sor/sweep"
)

// On a terminal the progress is a bar per stage, with the count, the rate
// and the ETA, ended by a newline when the stage is done.
func TestProgressBarOnATerminal(t *testing.T) {
	var out bytes.Buffer
	r := newReporter(&out, true, time.Hour, false)
	r.update(sweep.Progress{Stage: "census", Total: 2})
	r.update(sweep.Progress{Stage: "census", Total: 2, Done: 2, Elapsed: time.Second})
	for done := range 5 {
		r.update(sweep.Progress{Stage: "tasks", Total: 4, Done: done, Elapsed: time.Duration(done) * time.Second})
	}
	r.finish()
	got := out.String()
	for _, want := range []string{"census 100% |", "(2/2,", "tasks 100% |", "(4/4,", " tasks/s)"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in the bar's output %q", want, got)
		}
	}
	if strings.Contains(got, "sweep: tasks") {
		t.Errorf("plain lines on a terminal: %q", got)
	}
	if strings.Count(got, "\n") != 2 {
		t.Errorf("%d lines, want one per stage: %q", strings.Count(got, "\n"), got)
	}
}

// Off a terminal, a line comes once -progress-every has passed since the
// last (here at every step, in mid-run too), with the rate and the ETA, and
// always at the end of a stage; a quiet reporter prints nothing.
func TestProgressLines(t *testing.T) {
	var out bytes.Buffer
	r := newReporter(&out, false, time.Nanosecond, false)
	r.update(sweep.Progress{Stage: "tasks", Total: 4})
	for done := 1; done <= 4; done++ {
		time.Sleep(time.Millisecond)
		r.update(sweep.Progress{Stage: "tasks", Total: 4, Done: done, Failed: done / 4, Elapsed: time.Duration(done) * time.Second})
	}
	want := "sweep: tasks 0/4, 0 failed\n" +
		"sweep: tasks 1/4, 0 failed, 1.0/s, ETA 3s\n" +
		"sweep: tasks 2/4, 0 failed, 1.0/s, ETA 2s\n" +
		"sweep: tasks 3/4, 0 failed, 1.0/s, ETA 1s\n" +
		"sweep: tasks 4/4, 1 failed, 1.0/s, ETA 0s\n"
	if out.String() != want {
		t.Errorf("lines\n%s\nwant\n%s", out.String(), want)
	}

	out.Reset()
	r = newReporter(&out, false, time.Hour, false)
	for done := range 5 {
		r.update(sweep.Progress{Stage: "tasks", Total: 4, Done: done, Elapsed: time.Duration(done) * time.Second})
	}
	if want := "sweep: tasks 4/4, 0 failed, 1.0/s, ETA 0s\n"; out.String() != want {
		t.Errorf("with a long -progress-every: %q, want only the last line %q", out.String(), want)
	}

	out.Reset()
	r = newReporter(&out, false, time.Nanosecond, true)
	r.update(sweep.Progress{Stage: "tasks", Total: 4, Done: 4})
	if out.Len() != 0 {
		t.Errorf("quiet: %q", out.String())
	}
}

// The command with a tiny -progress-every prints a line per task in
// mid-run, not only the last.
func TestProgressEveryInMidRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	stderr, code := runMain(t, "-data", filepath.Join(days(t), "2024-08-0[12].csv"), "-all-instruments", "-out", out, "-workers", "1", "-progress-every", "1ns")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := regexp.MustCompile(`(?m)^sweep: tasks [0-4]/4, 0 failed.*$`).FindAllString(stderr, -1)
	if len(lines) != 5 || !strings.Contains(lines[2], "2/4, 0 failed, ") || !strings.Contains(lines[2], "/s, ETA ") {
		t.Errorf("task lines %q in\n%s", lines, stderr)
	}
}
