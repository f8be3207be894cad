package display

import (
	"net"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func TestAddress(t *testing.T) {
	cases := []struct{ in, network, addr string }{
		{":0", "unix", "/tmp/.X11-unix/X0"},
		{":99.0", "unix", "/tmp/.X11-unix/X99"},
		{"unix:1", "unix", "/tmp/.X11-unix/X1"},
		{"localhost:10.0", "tcp", "localhost:6010"},
		{"192.0.2.7:2", "tcp", "192.0.2.7:6002"},
		{"[::1]:3", "tcp", "[::1]:6003"},
		{"/private/tmp/com.apple.launchd.x/org.xquartz:0", "unix", "/private/tmp/com.apple.launchd.x/org.xquartz"},
	}
	for _, c := range cases {
		n, a, err := Address(c.in)
		if err != nil || n != c.network || a != c.addr {
			t.Errorf("%q: %s %s %v, want %s %s", c.in, n, a, err, c.network, c.addr)
		}
	}
	for _, bad := range []string{"nodisplay", ":x", "host:"} {
		if _, _, err := Address(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestProblem(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if p := Problem(env(nil)); !strings.Contains(p, "no display found") {
		t.Errorf("no display: %q", p)
	}
	if p := Problem(env(map[string]string{"WAYLAND_DISPLAY": "wayland-0"})); !strings.Contains(p, "XWayland") {
		t.Errorf("Wayland only: %q", p)
	}
	if p := Problem(env(map[string]string{"DISPLAY": "bad"})); !strings.Contains(p, "not a display name") {
		t.Errorf("bad name: %q", p)
	}

	// A display whose server is gone (a stale DISPLAY over SSH): a closed
	// TCP port on this machine.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	if port < 6000 {
		t.Logf("port %d is below 6000; checking the unix socket path instead", port)
	} else {
		d := "127.0.0.1:" + strconv.Itoa(port-6000)
		if p := Problem(env(map[string]string{"DISPLAY": d})); !strings.Contains(p, "cannot be reached") {
			t.Errorf("closed port: %q", p)
		}
	}
	dir := t.TempDir()
	sock := filepath.Join(dir, "X")
	if p := Problem(env(map[string]string{"DISPLAY": sock + ":0"})); !strings.Contains(p, "cannot be reached") {
		t.Errorf("no socket: %q", p)
	}

	// A server that listens: no problem.
	ul, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	serve(t, ul)
	if p := Problem(env(map[string]string{"DISPLAY": sock + ":0"})); p != "" {
		t.Errorf("listening server: %q", p)
	}
}

// TestAbstractSocket: an X server seen only through its abstract socket
// (a container that does not share /tmp) is reachable.
func TestAbstractSocket(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("abstract sockets are Linux only")
	}
	path := filepath.Join(t.TempDir(), "X5")
	l, err := net.Listen("unix", "@"+path)
	if err != nil {
		t.Fatal(err)
	}
	serve(t, l)
	env := func(k string) string {
		if k == "DISPLAY" {
			return path + ":0"
		}
		return ""
	}
	if p := Problem(env); p != "" {
		t.Fatalf("abstract socket: %q", p)
	}
}

// serve accepts and drops connections on l, like a display server that
// answers, until the test ends.
func serve(t *testing.T, l net.Listener) {
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
}
