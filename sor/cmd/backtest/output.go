package main

import (
	"context"
	"io"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/cmd/internal/interrupt"
	"github.com/sorlab/sorlab/sor/cmd/internal/outpath"
)

// interrupts is replaced by main with a Guard that catches SIGINT and
// SIGTERM; tests that call run directly catch nothing.
var interrupts = &interrupt.Guard{}

// checkOutDir tells a missing folder from a file in the way.
func checkOutDir(dir string) error { return outpath.Folder("-out", dir) }

// writeResults writes results.json and results.png into dir
// (sor.WriteResults), with the summary written to stdout once both are
// written and before either replaces its old version: if stdout fails (a
// full disk, a closed pipe) the old files stay.
func writeResults(dir string, summary, png []byte, stdout io.Writer) error {
	return interrupts.Write(func(ctx context.Context) error {
		return sor.WriteResults(ctx, dir, summary, png, func() error {
			_, err := stdout.Write(summary)
			return err
		})
	})
}
