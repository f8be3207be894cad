package state

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// LockTimeout bounds how long a writer waits for another Keywizard process
// (the window, a command) that holds the same file's lock. A vault write
// holds it for a few seconds (scrypt), everything else for milliseconds.
const LockTimeout = 2 * time.Minute

// LockSuffix names the lock file next to the file it guards.
const LockSuffix = ".lock"

// ErrLocked means another process held a file's lock for longer than
// LockTimeout.
var ErrLocked = errors.New("another Keywizard process is still writing")

// Lock takes the exclusive lock of path, shared by every process and
// goroutine that locks the same path: flock on Unix, LockFileEx on Windows,
// on the sibling file path+".lock" (which stays, so that every process
// locks the same file). It waits up to LockTimeout and returns the function
// that releases the lock. The lock file is created (0600) with its
// directory (0700) when missing.
func Lock(path string) (unlock func(), err error) {
	return lockWithin(path, LockTimeout)
}

func lockWithin(path string, limit time.Duration) (func(), error) {
	name := path + LockSuffix
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	deadline := time.Now().Add(limit)
	wait := time.Millisecond
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if ok {
			return func() {
				unlockFile(f)
				f.Close()
			}, nil
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("%w %s after %s (its lock is %s)", ErrLocked, path, limit, name)
		}
		time.Sleep(wait)
		wait = min(2*wait, 50*time.Millisecond)
	}
}

// Locked runs fn while holding path's lock.
func Locked(path string, fn func() error) error {
	unlock, err := Lock(path)
	if err != nil {
		return err
	}
	defer unlock()
	return fn()
}
