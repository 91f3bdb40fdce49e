// Package interrupt lets a command end on SIGINT or SIGTERM without leaving
// temporary files behind. The commands write their outputs with
// sor.WriteFiles inside Guard.Write; a signal cancels the context that
// writing gets, waits until writing has returned (it removes its temporary
// files, or finishes the renames it had begun), and then ends the process by
// the same signal, as if it had not been caught. A second signal ends it
// without waiting.
package interrupt

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// Guard serialises writing with the end of the process. The zero Guard
// catches no signal (for running a command's code in a test).
type Guard struct {
	ctx context.Context
	mu  sync.Mutex // held while writing; taken for good by a signal
}

// Handle catches SIGINT and SIGTERM from now on.
func Handle() *Guard {
	ctx, cancel := context.WithCancel(context.Background())
	g := &Guard{ctx: ctx}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-ch
		cancel()
		locked := make(chan struct{})
		go func() {
			g.mu.Lock() // never released: nothing more is written
			close(locked)
		}()
		// Writing stops at its next step; a second signal does not wait
		// (say, for standard output to drain), at the price of leaving
		// the temporary files to the next run.
		select {
		case <-locked:
		case sig = <-ch:
		}
		signal.Reset(os.Interrupt, syscall.SIGTERM)
		if p, err := os.FindProcess(os.Getpid()); err == nil && p.Signal(sig) == nil {
			time.Sleep(time.Second) // the signal's default action ends the process
		}
		code := 1
		if s, ok := sig.(syscall.Signal); ok {
			code = 128 + int(s) // the shell's status for a death by signal
		}
		os.Exit(code)
	}()
	return g
}

// Write calls write, which writes output files, with a context that a
// signal cancels. After a signal Write does not return: the process ends
// once write has.
func (g *Guard) Write(write func(ctx context.Context) error) error {
	g.mu.Lock()
	ctx := g.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	err := write(ctx)
	g.mu.Unlock()
	if ctx.Err() != nil {
		select {} // the signal handler ends the process
	}
	return err
}
