package loopback

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"

	"keywizard/providers"
)

// listenFunc is net.Listen; tests replace it to simulate a machine without
// IPv4 loopback or with a busy port.
type listenFunc func(network, address string) (net.Listener, error)

// binding is where the callback listener sits and what the browser will
// call it.
type binding struct {
	ln          net.Listener
	port        int
	host        string // Host header the browser sends: "127.0.0.1:53682"
	redirectURI string
	ipv6        bool // bound to [::1] because IPv4 loopback was unavailable
}

// portFor applies the provider's loopback rule: a fixed port where the
// redirect URI must match exactly, an ephemeral one otherwise, unless the
// admin asked for a port (needed for SSH port forwarding).
func portFor(o *providers.OAuth, requested int) int {
	if requested != 0 {
		return requested
	}
	if o.Loopback == providers.LoopbackExact {
		return o.DefaultPort
	}
	return 0
}

// bind opens the callback listener on the loopback interface only: never
// on all interfaces, IPv4 first, [::1] when IPv4 loopback is unavailable
// (RFC 8252 7.3 and 8.3). The redirect URI is built from the bound
// address; "localhost" is written only where the provider requires it.
func bind(listen listenFunc, o *providers.OAuth, port int) (*binding, error) {
	ln, err := listen("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	ipv6 := false
	if err != nil {
		if port != 0 && portProblem(err) {
			return nil, busy(o, port, err)
		}
		var err6 error
		ln, err6 = listen("tcp6", net.JoinHostPort("::1", strconv.Itoa(port)))
		if err6 != nil {
			if port != 0 && portProblem(err6) {
				return nil, busy(o, port, err6)
			}
			return nil, fmt.Errorf("listen on the loopback interface: IPv4: %v; IPv6: %v", err, err6)
		}
		ipv6 = true
	}
	tcp, ok := ln.Addr().(*net.TCPAddr)
	if !ok || !tcp.IP.IsLoopback() {
		ln.Close()
		return nil, fmt.Errorf("listener bound to %s, which is not a loopback address", ln.Addr())
	}
	b := &binding{ln: ln, port: tcp.Port, ipv6: ipv6}
	name := "127.0.0.1"
	switch {
	case o.LoopbackHost == "localhost":
		name = "localhost"
	case ipv6:
		name = "[::1]"
	}
	b.host = name + ":" + strconv.Itoa(b.port)
	b.redirectURI = "http://" + b.host + callbackPath(o)
	return b, nil
}

func callbackPath(o *providers.OAuth) string {
	if o.CallbackPath == "" {
		return "/callback"
	}
	return o.CallbackPath
}

// busyError names the port that could not be bound and how to pick another.
type busyError struct {
	port     int
	register bool // the provider matches the port exactly: the new URI must be registered
	uri      string
	err      error
}

func (e *busyError) Error() string {
	return fmt.Sprintf("port %d on 127.0.0.1 cannot be used (%v)", e.port, e.err)
}

func (e *busyError) Unwrap() []error { return []error{ErrPortBusy, e.err} }

// Fix says what to do about it, with a concrete other port.
func (e *busyError) Fix() string {
	other := e.port + 1
	if other > 65535 {
		other = e.port - 1
	}
	s := fmt.Sprintf("Close the program that uses port %d, or pick another port with --port (for example --port %d)", e.port, other)
	if errors.Is(e.err, os.ErrPermission) {
		// Nothing uses the port: this account may not listen on it.
		if other = 53682; e.port == other {
			other++
		}
		s = fmt.Sprintf("Port %d needs administrator rights on this computer (ports below 1024 usually do): pick a port from 1024 to 65535 with --port (for example --port %d)", e.port, other)
	}
	if e.register {
		s += " and register " + strings.Replace(e.uri, ":N/", ":"+strconv.Itoa(other)+"/", 1) + " (with the port you chose) as a redirect URI of the client in the console"
	}
	return s + "."
}

func busy(o *providers.OAuth, port int, err error) error {
	host := o.LoopbackHost
	if host == "" {
		host = "127.0.0.1"
	}
	uri := "http://" + host + ":N" + callbackPath(o)
	return &busyError{port: port, register: o.Loopback == providers.LoopbackExact, uri: uri, err: err}
}

// portProblem reports whether a bind error is about the port (in use, or
// reserved, as Windows does for excluded port ranges) rather than about the
// address family.
func portProblem(err error) bool {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return false
	}
	switch errno {
	case syscall.EADDRINUSE, syscall.EACCES, syscall.EPERM:
		return true
	}
	// WSAEADDRINUSE and WSAEACCES: Windows reports these numbers, which no
	// Unix errno uses.
	return errno == 10048 || errno == 10013
}
