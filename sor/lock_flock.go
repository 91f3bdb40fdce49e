//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package sor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// hasFolderLock says that lockFolder keeps writers apart on this system.
const hasFolderLock = true

// lockFolder takes an exclusive lock on the folder dir for writing output
// files into it (see WriteFiles), waiting while another process or
// goroutine holds it, and returns the function that releases it. The lock
// is flock(2) on a file .sorlab.lock in the folder, which exists while the
// lock is held: the kernel releases it when its holder dies, even by kill
// -9, so a lock is never left stale. Waiting ends with ctx's error when ctx
// ends first.
//
// On systems without flock (Windows, Plan 9, Solaris) lockFolder does
// nothing: concurrent writers into one folder are then not kept apart.
func lockFolder(ctx context.Context, dir string) (unlock func(), err error) {
	path := filepath.Join(dir, lockName)
	for wait := time.Millisecond; ; {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("lock folder %s: %w", dir, pathErr(err))
		}
		for {
			err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
			if err == nil {
				break
			}
			if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
				f.Close()
				return nil, fmt.Errorf("lock folder %s: flock: %w", dir, err)
			}
			// Polling, not a blocking flock, so that an interrupt is
			// not kept waiting behind another writer.
			select {
			case <-ctx.Done():
				f.Close()
				return nil, ctx.Err()
			case <-time.After(wait):
			}
			wait = min(2*wait, 20*time.Millisecond)
		}
		// The holder before us removes the file as it unlocks (so that
		// none is left in the folder): if it did, our lock is on a file
		// that the next writer will not see. Start again.
		held, err1 := f.Stat()
		named, err2 := os.Stat(path)
		if err1 == nil && err2 == nil && os.SameFile(held, named) {
			return func() {
				os.Remove(path)
				f.Close()
			}, nil
		}
		f.Close()
	}
}

// syncFolder makes the renames in dir durable.
func syncFolder(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	// Some file systems cannot sync a folder; their renames are as
	// durable as they get.
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	return nil
}
