// Package httpclient builds the HTTP clients every engine uses to reach
// services and portals: proxies from HTTPS_PROXY/NO_PROXY, extra trusted
// certificates from SSL_CERT_FILE (on every OS, not just Linux) or a CA file
// given by the admin, and bounded timeouts.
package httpclient

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

// DefaultTimeout bounds one request, headers and body included.
const DefaultTimeout = 30 * time.Second

// Options tune a client. The zero value is a good default.
type Options struct {
	Timeout time.Duration // whole request; DefaultTimeout when zero
	CAFile  string        // extra PEM certificates to trust (a portal's private CA)
	// NoRedirects makes the client return 3xx answers instead of following them.
	NoRedirects bool
}

// New returns a client that honours HTTPS_PROXY, HTTP_PROXY and NO_PROXY,
// trusts the system roots plus SSL_CERT_FILE and opts.CAFile, and gives up
// after opts.Timeout.
func New(opts Options) (*http.Client, error) {
	pool, err := roots(os.Getenv("SSL_CERT_FILE"), opts.CAFile)
	if err != nil {
		return nil, err
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: timeout,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       60 * time.Second,
		MaxIdleConnsPerHost:   4,
		ForceAttemptHTTP2:     true,
	}
	c := &http.Client{Transport: tr, Timeout: timeout}
	if opts.NoRedirects {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return c, nil
}

// MustDefault returns New(Options{}) and falls back to a plain client with
// proxies and a timeout if SSL_CERT_FILE cannot be read: a broken variable
// must not stop the tool, and the error surfaces on the first TLS failure.
func MustDefault() *http.Client {
	c, err := New(Options{})
	if err != nil {
		return &http.Client{Timeout: DefaultTimeout, Transport: &http.Transport{Proxy: http.ProxyFromEnvironment}}
	}
	return c
}

// roots returns the system pool plus the certificates in the given files;
// nil (meaning "system roots") when no file is given.
func roots(files ...string) (*x509.CertPool, error) {
	var pool *x509.CertPool
	for _, f := range files {
		if f == "" {
			continue
		}
		pem, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read certificates: %w", err)
		}
		if pool == nil {
			if pool, err = x509.SystemCertPool(); err != nil || pool == nil {
				pool = x509.NewCertPool()
			}
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, errors.New("read certificates: " + f + " holds no PEM certificate")
		}
	}
	return pool, nil
}
