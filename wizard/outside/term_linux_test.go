package outside

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"keywizard/wizard/outside/ptytest"
)

func openPTY(t *testing.T) (master, tty *os.File) { return ptytest.Open(t) }

func echoOn(t *testing.T, fd int) bool { return ptytest.EchoOn(t, fd) }

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
