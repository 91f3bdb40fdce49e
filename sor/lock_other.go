//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package sor

import "context"

// hasFolderLock says that lockFolder does nothing here.
const hasFolderLock = false

// lockFolder does nothing on this system, which has no flock(2): concurrent
// writers into one folder are not kept apart here (see the flock version).
func lockFolder(ctx context.Context, dir string) (unlock func(), err error) {
	return func() {}, ctx.Err()
}

// syncFolder does nothing: folders cannot be synced portably here.
func syncFolder(dir string) error { return nil }
