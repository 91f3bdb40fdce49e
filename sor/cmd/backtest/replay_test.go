package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/sorlab/sorlab/sor/ck"
	"github.com/sorlab/sorlab/sor/replay"
)

// TestExitCode: a strategy that fails while running is the program's fault
// (1), even wrapped by the protocol; bad input, and penalties that break
// the model's assumptions, are the user's (2).
func TestExitCode(t *testing.T) {
	failed := &replay.StrategyError{Strategy: "router", Time: 1, Err: errors.New("order to unknown venue 7")}
	assumption := &replay.StrategyError{Strategy: "ck_router", Time: 1, Err: fmt.Errorf("ck router: %w", ck.ErrAssumption)}
	for _, c := range []struct {
		err  error
		want int
	}{
		{failed, 1},
		{fmt.Errorf("markets: market 3: %w", failed), 1},
		{assumption, 2},
		{errors.New("-seeds must be between 1 and 1000, got 0"), 2},
	} {
		if got := exitCode(c.err); got != c.want {
			t.Errorf("exitCode(%v) = %d, want %d", c.err, got, c.want)
		}
	}
}
