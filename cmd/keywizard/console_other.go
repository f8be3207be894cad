//go:build !windows

package main

// attachConsole is needed on Windows only, where the program is built for
// the GUI subsystem; elsewhere the standard streams are always there.
func attachConsole([]string) {}
