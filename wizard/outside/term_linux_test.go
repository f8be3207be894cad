package outside

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY returns the two ends of a new pseudo-terminal.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlock the pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetUint32(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("pseudo-terminal number: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open the pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return m, s
}

func echoOn(t *testing.T, fd int) bool {
	t.Helper()
	tio, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return tio.Lflag&unix.ECHO != 0
}

// Ctrl-C during a password prompt ends the read and turns echo back on:
// the admin's shell is not left typing blind.
func TestReadSecretInterruptedRestoresEcho(t *testing.T) {
	_, tty := openPTY(t)
	fd := int(tty.Fd())
	if !echoOn(t, fd) {
		t.Fatal("a new terminal has echo off")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := ReadSecret(ctx, fd)
		done <- err
	}()
	deadline := time.Now().Add(5 * time.Second)
	for echoOn(t, fd) {
		if time.Now().After(deadline) {
			t.Fatal("the prompt never turned echo off")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the prompt did not end")
	}
	if !echoOn(t, fd) {
		t.Fatal("echo is still off after the interrupted prompt")
	}
}

// A typed line is read without echo and returned.
func TestReadSecretReadsALine(t *testing.T) {
	master, tty := openPTY(t)
	done := make(chan string, 1)
	go func() {
		s, _ := ReadSecret(context.Background(), int(tty.Fd()))
		done <- s
	}()
	time.Sleep(50 * time.Millisecond)
	if _, err := master.WriteString("hunter2-secret\n"); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-done:
		if got != "hunter2-secret" {
			t.Fatalf("got %q", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no line read")
	}
}
