//go:build !(linux || freebsd || openbsd || netbsd || dragonfly)

package main

// displayProblem is always "" on Windows and macOS, which always have a
// desktop.
func displayProblem() string { return "" }
