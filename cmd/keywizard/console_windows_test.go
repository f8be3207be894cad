//go:build windows

package main

import (
	"os"
	"syscall"
	"testing"
)

func setStdHandle(t *testing.T, id int, h syscall.Handle) {
	t.Helper()
	if r, _, err := procSetStdHandle.Call(uintptr(uint32(int32(id))), uintptr(h)); r == 0 {
		t.Fatalf("SetStdHandle: %v", err)
	}
}

// pipeStd makes the standard stream id a pipe, as a caller's redirection
// does, and restores it after the test.
func pipeStd(t *testing.T, id int, file **os.File) *os.File {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	end := w
	if id == syscall.STD_INPUT_HANDLE {
		end = r
	}
	old, _ := syscall.GetStdHandle(id)
	oldFile := *file
	setStdHandle(t, id, syscall.Handle(end.Fd()))
	*file = end
	t.Cleanup(func() {
		setStdHandle(t, id, old)
		*file = oldFile
		r.Close()
		w.Close()
	})
	return end
}

func TestRedirectedStreamsAreKept(t *testing.T) {
	in := pipeStd(t, syscall.STD_INPUT_HANDLE, &os.Stdin)
	out := pipeStd(t, syscall.STD_OUTPUT_HANDLE, &os.Stdout)
	errf := pipeStd(t, syscall.STD_ERROR_HANDLE, &os.Stderr)
	for _, id := range []int{syscall.STD_INPUT_HANDLE, syscall.STD_OUTPUT_HANDLE, syscall.STD_ERROR_HANDLE} {
		if !redirected(id) {
			t.Fatalf("a pipe on standard handle %d is not seen as redirected", id)
		}
	}
	attachConsole([]string{"version"})
	if os.Stdin != in || os.Stdout != out || os.Stderr != errf {
		t.Fatal("attachConsole replaced streams the caller redirected")
	}
}

func TestMissingStreamIsNotRedirected(t *testing.T) {
	old, _ := syscall.GetStdHandle(syscall.STD_OUTPUT_HANDLE)
	setStdHandle(t, syscall.STD_OUTPUT_HANDLE, 0)
	defer setStdHandle(t, syscall.STD_OUTPUT_HANDLE, old)
	if redirected(syscall.STD_OUTPUT_HANDLE) {
		t.Fatal("no standard output handle is taken for a redirection")
	}
}

func TestNoCommandNoConsole(t *testing.T) {
	old, _ := syscall.GetStdHandle(syscall.STD_OUTPUT_HANDLE)
	setStdHandle(t, syscall.STD_OUTPUT_HANDLE, 0)
	defer setStdHandle(t, syscall.STD_OUTPUT_HANDLE, old)
	before := os.Stdout
	attachConsole(nil) // a double-click: the window only
	if os.Stdout != before {
		t.Fatal("attachConsole bound the streams without a command")
	}
}
