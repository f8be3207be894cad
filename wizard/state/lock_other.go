//go:build !unix && !windows

package state

import (
	"os"
	"sync"
)

// Without file locks (js, wasip1, plan9) one process at a time is all
// there is; a process-wide table of held paths keeps its goroutines apart.
var (
	heldMu sync.Mutex
	held   = map[string]bool{}
)

func tryLock(f *os.File) (bool, error) {
	heldMu.Lock()
	defer heldMu.Unlock()
	if held[f.Name()] {
		return false, nil
	}
	held[f.Name()] = true
	return true, nil
}

func unlockFile(f *os.File) {
	heldMu.Lock()
	delete(held, f.Name())
	heldMu.Unlock()
}
