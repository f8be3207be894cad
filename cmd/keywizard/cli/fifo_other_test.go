//go:build !unix

package cli

import "errors"

// mkfifo reports that this system has no named pipes of that kind.
func mkfifo(string) error { return errors.New("no FIFOs on this system") }
