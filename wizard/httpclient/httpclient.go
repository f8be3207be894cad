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
	"io"
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

// Default returns New(opts). When SSL_CERT_FILE (or opts.CAFile) cannot be
// used, the client it returns fails every request with that error instead
// of quietly trusting the system roots alone: the tool still starts, and the
// first request says what is wrong with the certificate file.
func Default(opts Options) *http.Client {
	c, err := New(opts)
	if err != nil {
		return &http.Client{Transport: failing{err}, Timeout: DefaultTimeout}
	}
	return c
}

// failing is a transport that refuses every request with one error.
type failing struct{ err error }

func (f failing) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	return nil, f.err
}

// ErrRedirect wraps a redirect that a client made by RefuseRedirects did
// not follow.
var ErrRedirect = errors.New("refused to follow a redirect")

// RefuseRedirects returns a copy of c that never follows a redirect: a
// request that carries a secret (a client secret in a form, a token in a
// header) must not be sent again to wherever a 307 or 308 points. The
// request fails with an error wrapping ErrRedirect that names the host the
// answer pointed to.
func RefuseRedirects(c *http.Client) *http.Client {
	cc := *c
	cc.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		return fmt.Errorf("%w to %s", ErrRedirect, req.URL.Host)
	}
	return &cc
}

// MaxCAFile bounds a certificate file: a CA bundle is a few hundred KiB.
const MaxCAFile = 4 << 20

// ErrCAFile wraps every certificate file that cannot be used.
var ErrCAFile = errors.New("cannot use the certificate file")

// roots returns the system pool plus the certificates in the given files;
// nil (meaning "system roots") when no file is given.
func roots(files ...string) (*x509.CertPool, error) {
	var pool *x509.CertPool
	for i, f := range files {
		if f == "" {
			continue
		}
		what := "--ca-file " + f
		if i == 0 {
			what = "SSL_CERT_FILE=" + f
		}
		pem, err := readCAFile(f)
		if err != nil {
			return nil, fmt.Errorf("%w %s: %v", ErrCAFile, what, err)
		}
		if pool == nil {
			if pool, err = x509.SystemCertPool(); err != nil || pool == nil {
				pool = x509.NewCertPool()
			}
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%w %s: it holds no PEM certificate", ErrCAFile, what)
		}
	}
	return pool, nil
}

// readCAFile reads at most MaxCAFile bytes of a regular file (or a pipe):
// a device such as /dev/zero never ends, and a huge file is not a bundle.
func readCAFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, errors.Unwrap(err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, errors.New("it is a folder")
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxCAFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxCAFile {
		return nil, fmt.Errorf("it is larger than %d MiB, too large for a certificate bundle", MaxCAFile>>20)
	}
	return data, nil
}
