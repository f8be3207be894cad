//go:build !(linux || freebsd || openbsd || netbsd || dragonfly)

package main

// hasDisplay is always true on Windows and macOS, which always have a desktop.
func hasDisplay() bool { return true }
