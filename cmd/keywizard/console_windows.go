//go:build windows

package main

import (
	"log"
	"os"
	"syscall"
)

// The Windows build is a GUI-subsystem program, so a double-click opens the
// window and no console. Windows gives such a program no console even when
// it is started from cmd or PowerShell; with a command to run, attachConsole
// joins the console of the program that started it and binds the standard
// streams to it. Streams the caller redirected (a file or a pipe) are
// already handed over by Windows and are kept as they are.

var (
	kernel32          = syscall.NewLazyDLL("kernel32.dll")
	procAttachConsole = kernel32.NewProc("AttachConsole")
	procSetStdHandle  = kernel32.NewProc("SetStdHandle")
)

const attachParentProcess = ^uintptr(0) // ATTACH_PARENT_PROCESS, (DWORD)-1

type stdStream struct {
	file  **os.File
	id    int    // STD_INPUT_HANDLE and friends
	name  string // the console device to open
	write bool
}

func attachConsole(args []string) {
	if len(args) == 0 {
		return
	}
	streams := []stdStream{
		{&os.Stdin, syscall.STD_INPUT_HANDLE, "CONIN$", false},
		{&os.Stdout, syscall.STD_OUTPUT_HANDLE, "CONOUT$", true},
		{&os.Stderr, syscall.STD_ERROR_HANDLE, "CONOUT$", true},
	}
	var missing []stdStream
	for _, s := range streams {
		if !redirected(s.id) {
			missing = append(missing, s)
		}
	}
	if len(missing) == 0 {
		return
	}
	if r, _, _ := procAttachConsole.Call(attachParentProcess); r == 0 {
		return // started with arguments but not from a console: nothing to attach to
	}
	for _, s := range missing {
		if f := openConsole(s.name, s.write); f != nil {
			*s.file = f
			procSetStdHandle.Call(uintptr(uint32(int32(s.id))), f.Fd())
		}
	}
	log.SetOutput(os.Stderr)
}

// redirected reports whether the standard handle is a file or a pipe that
// the caller set up.
func redirected(id int) bool {
	h, err := syscall.GetStdHandle(id)
	if err != nil || h == 0 || h == syscall.InvalidHandle {
		return false
	}
	t, err := syscall.GetFileType(h)
	return err == nil && (t == syscall.FILE_TYPE_DISK || t == syscall.FILE_TYPE_PIPE)
}

func openConsole(name string, write bool) *os.File {
	flag := os.O_RDONLY
	if write {
		flag = os.O_WRONLY
	}
	f, err := os.OpenFile(name, flag, 0)
	if err != nil {
		return nil
	}
	return f
}
