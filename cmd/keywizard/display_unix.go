//go:build linux || freebsd || openbsd || netbsd || dragonfly

package main

import (
	"os"

	"keywizard/cmd/keywizard/internal/display"
)

// displayProblem says why no window can open here, or "" when the X11 (or
// XWayland) server answers.
func displayProblem() string { return display.Problem(os.Getenv) }
