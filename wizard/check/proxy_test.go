package check

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"keywizard/wizard"
)

// mitmProxy is an HTTPS proxy that records CONNECT targets, then terminates
// TLS with a certificate for the requested host signed by its own CA (as a
// TLS-inspecting corporate proxy does) and answers with handler.
type mitmProxy struct {
	ca      *x509.Certificate
	caKey   *ecdsa.PrivateKey
	handler http.Handler

	mu       sync.Mutex
	connects []string
	requests []string
}

func newMITM(t *testing.T, h http.Handler) *mitmProxy {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Keywizard test proxy CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(der)
	return &mitmProxy{ca: ca, caKey: key, handler: h}
}

func (m *mitmProxy) caPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: m.ca.Raw})
}

func (m *mitmProxy) leaf(host string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, m.ca, &key.PublicKey, m.caKey)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

func (m *mitmProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect {
		http.Error(w, "this proxy only tunnels", http.StatusMethodNotAllowed)
		return
	}
	m.mu.Lock()
	m.connects = append(m.connects, r.Host)
	m.mu.Unlock()
	host, _, _ := net.SplitHostPort(r.Host)
	cert, err := m.leaf(host)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	_, _ = io.WriteString(conn, "HTTP/1.1 200 Connection Established\r\n\r\n")
	tc := tls.Server(conn, &tls.Config{Certificates: []tls.Certificate{cert}})
	br := bufio.NewReader(tc)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		m.mu.Lock()
		m.requests = append(m.requests, req.Method+" "+req.Host+req.URL.Path)
		m.mu.Unlock()
		rec := httptest.NewRecorder()
		m.handler.ServeHTTP(rec, req)
		resp := rec.Result()
		body := rec.Body.Bytes()
		resp.ContentLength = int64(len(body))
		resp.Body = io.NopCloser(bytes.NewReader(body))
		if err := resp.Write(tc); err != nil {
			return
		}
	}
}

// TestHTTPSProxyAndCertFile runs a check in a fresh process (Go caches the
// proxy variables once per process) with HTTPS_PROXY pointing at a local
// TLS-inspecting proxy and SSL_CERT_FILE at its CA, using the production
// client from httpclient: the check must go through the proxy and trust
// the CA.
func TestHTTPSProxyAndCertFile(t *testing.T) {
	if os.Getenv("KEYWIZARD_CHECK_CHILD") == "1" {
		res := New().Check(context.Background(), "telegram", map[string]string{"telegramBotToken": tgToken, "telegramBotName": "portal_bot"})
		_ = json.NewEncoder(os.Stdout).Encode(res)
		return
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	p := newMITM(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reply{200, successes["api.telegram.org"], nil}.write(w)
	}))
	srv := httptest.NewServer(p)
	defer srv.Close()
	caFile := filepath.Join(t.TempDir(), "proxy-ca.pem")
	if err := os.WriteFile(caFile, p.caPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(certFile string) wizard.CheckResult {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHTTPSProxyAndCertFile$", "-test.count=1")
		for _, e := range os.Environ() {
			if k, _, _ := strings.Cut(e, "="); !strings.HasSuffix(strings.ToLower(k), "_proxy") && k != "SSL_CERT_FILE" {
				cmd.Env = append(cmd.Env, e)
			}
		}
		cmd.Env = append(cmd.Env, "KEYWIZARD_CHECK_CHILD=1", "HTTPS_PROXY="+srv.URL, "NO_PROXY=", "SSL_CERT_FILE="+certFile)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		var res wizard.CheckResult
		line := out[:bytes.IndexByte(out, '\n')+1]
		if err := json.Unmarshal(line, &res); err != nil {
			t.Fatalf("child output %q: %v", out, err)
		}
		return res
	}
	res := run(caFile)
	if !res.OK || res.Identity == nil || res.Identity.ID != "@portal_bot" {
		t.Fatalf("through the proxy: %+v", res)
	}
	p.mu.Lock()
	connects, requests := append([]string(nil), p.connects...), append([]string(nil), p.requests...)
	p.mu.Unlock()
	if len(connects) != 1 || connects[0] != "api.telegram.org:443" {
		t.Errorf("CONNECTs %v, want api.telegram.org:443", connects)
	}
	if len(requests) != 1 || !strings.HasPrefix(requests[0], "GET api.telegram.org/bot") || !strings.HasSuffix(requests[0], "/getMe") {
		t.Errorf("requests %v", requests)
	}

	// Without the CA the proxy's certificate is refused, and the result
	// says what to do about it.
	empty := filepath.Join(t.TempDir(), "other-ca.pem")
	other := newMITM(t, nil)
	if err := os.WriteFile(empty, other.caPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	res = run(empty)
	if res.OK || !res.Unreachable || !strings.Contains(res.Fix, "SSL_CERT_FILE") {
		t.Fatalf("untrusted proxy: %+v", res)
	}
	if strings.Contains(res.Details, tgToken[10:]) {
		t.Fatalf("token in details: %s", res.Details)
	}

	// A SSL_CERT_FILE that cannot be read is named as the cause.
	res = run(filepath.Join(t.TempDir(), "missing.pem"))
	if res.OK || !res.Unreachable || !strings.Contains(res.Fix, "cannot be used") {
		t.Fatalf("unreadable SSL_CERT_FILE: %+v", res)
	}
}
