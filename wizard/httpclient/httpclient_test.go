package httpclient

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A certificate file that never ends (a device, a FIFO fed forever) or is
// far too large is refused quickly, naming the variable or the flag.
func TestCAFileBounded(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.pem")
	if err := os.WriteFile(big, make([]byte, MaxCAFile+1), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ env, ca, want string }{
		{env: "/dev/zero", want: "SSL_CERT_FILE=/dev/zero: it is larger than"},
		{ca: "/dev/zero", want: "--ca-file /dev/zero: it is larger than"},
		{ca: big, want: "too large for a certificate bundle"},
		{ca: t.TempDir(), want: "it is a folder"},
		{ca: "/nonexistent/ca.pem", want: "no such file"},
	} {
		t.Setenv("SSL_CERT_FILE", tc.env)
		start := time.Now()
		_, err := New(Options{CAFile: tc.ca})
		if err == nil || !errors.Is(err, ErrCAFile) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v", tc, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%+v took %v", tc, d)
		}
	}
}

// A bundle of a few MiB (many certificates) is still accepted.
func TestCAFileOfSomeMiB(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	one := "-----BEGIN CERTIFICATE-----\n" + pemBody(srv) + "-----END CERTIFICATE-----\n"
	bundle := strings.Repeat(one, (3<<20)/len(one))
	f := filepath.Join(t.TempDir(), "bundle.pem")
	if err := os.WriteFile(f, []byte(bundle), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SSL_CERT_FILE", "")
	c, err := New(Options{CAFile: f})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// Default does not quietly drop a broken SSL_CERT_FILE: every request
// fails and says why.
func TestDefaultKeepsCertFileError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	t.Setenv("SSL_CERT_FILE", "/nonexistent/proxy-ca.pem")
	c := Default(Options{})
	req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("secret=1"))
	_, err := c.Do(req)
	if err == nil || !errors.Is(err, ErrCAFile) || !strings.Contains(err.Error(), "SSL_CERT_FILE=/nonexistent/proxy-ca.pem") {
		t.Fatalf("got %v", err)
	}
	t.Setenv("SSL_CERT_FILE", "")
	resp, err := Default(Options{}).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

func pemBody(srv *httptest.Server) string {
	der := srv.Certificate().Raw
	enc := base64.StdEncoding.EncodeToString(der)
	var b strings.Builder
	for len(enc) > 64 {
		b.WriteString(enc[:64] + "\n")
		enc = enc[64:]
	}
	b.WriteString(enc + "\n")
	return b.String()
}
