//go:build linux || freebsd || openbsd || netbsd || dragonfly

package main

import "os"

// hasDisplay reports whether an X11 or Wayland session is reachable.
func hasDisplay() bool {
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}
