// Package display tells whether the window can reach a desktop session
// before the toolkit tries, so that a missing or stale display gets one
// clear line instead of a crash inside the graphics library.
package display

import (
	"fmt"
	"net"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// dialTimeout bounds the probe of the display server.
const dialTimeout = 2 * time.Second

// Problem says why the window cannot open on this Linux or BSD desktop, or
// "" when the X server named by DISPLAY accepts a connection. The toolkit
// draws through X11 (XWayland on a Wayland desktop), so DISPLAY is what
// counts; WAYLAND_DISPLAY alone only changes the message.
func Problem(getenv func(string) string) string {
	d := getenv("DISPLAY")
	if d == "" {
		if getenv("WAYLAND_DISPLAY") != "" {
			return "the window needs X11 or XWayland, and DISPLAY is not set in this Wayland session"
		}
		return "the window needs a desktop session (no display found)"
	}
	network, addr, err := Address(d)
	if err != nil {
		return fmt.Sprintf("DISPLAY=%q is not a display name (%v)", d, err)
	}
	if network == "unix" && runtime.GOOS == "linux" {
		// libX11 tries the abstract socket first: it is there even when
		// /tmp is not shared with the X server (containers, sandboxes).
		if c, err := net.DialTimeout(network, "@"+addr, dialTimeout); err == nil {
			c.Close()
			return ""
		}
	}
	c, err := net.DialTimeout(network, addr, dialTimeout)
	if err != nil {
		return fmt.Sprintf("the display DISPLAY=%s cannot be reached (%v)", d, unwrapOp(err))
	}
	c.Close()
	return ""
}

// Address turns an X11 display name ([host]:N[.screen], or a socket path)
// into the address of its server: the local socket /tmp/.X11-unix/XN, or
// TCP port 6000+N on host.
func Address(display string) (network, addr string, err error) {
	if strings.HasPrefix(display, "/") { // a socket path, as XQuartz sets
		path, _, _ := strings.Cut(display, ":")
		return "unix", path, nil
	}
	i := strings.LastIndex(display, ":")
	if i < 0 {
		return "", "", fmt.Errorf("no ':' before the display number")
	}
	host, rest := display[:i], display[i+1:]
	num, _, _ := strings.Cut(rest, ".")
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 || n > 59535 {
		return "", "", fmt.Errorf("bad display number %q", num)
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	switch host {
	case "", "unix":
		return "unix", filepath.Join("/tmp/.X11-unix", "X"+num), nil
	}
	host = strings.TrimPrefix(host, "tcp/")
	return "tcp", net.JoinHostPort(host, strconv.Itoa(6000+n)), nil
}

// unwrapOp keeps the reason of a dial error without repeating the address.
func unwrapOp(err error) error {
	if op, ok := err.(*net.OpError); ok && op.Err != nil {
		return op.Err
	}
	return err
}
