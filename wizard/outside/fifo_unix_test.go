//go:build unix

package outside

import "syscall"

// mkfifo makes a named pipe, for the tests of reads that block.
func mkfifo(path string) error { return syscall.Mkfifo(path, 0o600) }
