// Package outside guards what comes into Keywizard from outside: it reads
// stdin, files and FIFOs with a size bound and gives up when the context
// ends (Ctrl-C), even in the middle of a blocked read; and it makes texts
// from portals, services and files safe to print or store, with no
// terminal control characters and a bounded length.
package outside

import (
	"errors"
	"fmt"
)

// Limits on what is read from outside.
const (
	// MaxFile bounds a values file (or stdin read as one).
	MaxFile = 1 << 20
	// MaxLine bounds one line typed or piped in: a password, an API key,
	// a code, one answer to a prompt.
	MaxLine = 64 << 10
	// MaxText is the length an outside text is cut to before it is shown
	// or stored: an error message, a description, a detail.
	MaxText = 1000
	// MaxName is the length of a short outside text: a version, a phone
	// hint, a consumer name.
	MaxName = 100
)

// ErrTooLarge wraps every read that went past its bound.
var ErrTooLarge = errors.New("too large")

// TooLargeError says what went past which bound.
type TooLargeError struct {
	What  string // "the values file", "the line"
	Limit int64  // bytes
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %s, the most Keywizard reads", e.What, size(e.Limit))
}

// Is makes errors.Is(err, ErrTooLarge) hold.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
