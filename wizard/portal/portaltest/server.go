// Package portaltest emulates an ONLYOFFICE portal, DocSpace or Workspace,
// for tests: sign-in with two-factor authentication, the authorization keys
// (DocSpace REST, Workspace AjaxPro and settings page), the products' real
// status codes, envelopes and token forms, "Bad keys" clearing, DocSpace's
// per-version length limits, and injected faults (500, a hang, a reset
// connection) on the Nth matching request.
package portaltest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Product is the emulated product.
type Product string

// Products.
const (
	DocSpace  Product = "docspace"
	Workspace Product = "workspace"
)

// TwoFactor is the account's two-factor set-up.
type TwoFactor int

// Two-factor set-ups.
const (
	NoTwoFactor TwoFactor = iota
	App                   // authenticator app, configured
	AppSetup              // authenticator app, not configured yet (tfaKey sent)
	SMS                   // SMS to a known phone
	SMSNoPhone            // SMS, phone number not set yet
)

// Defaults of Config.
const (
	DefaultUser     = "admin@example.com"
	DefaultPassword = "correct horse battery staple"
	DefaultCode     = "123456"
	DefaultAPIKey   = "sk-0123456789abcdef0123456789abcdef"
	SetupKey        = "JBSWY3DPEHPK3PXP"
	PhoneNoise      = "+1(555)***-**-42"
)

// Config sets up the emulated portal. The zero value is a DocSpace 3.7.2
// with one admin and no two-factor authentication.
type Config struct {
	Product   Product
	Version   string // default "3.7.2.1461" (DocSpace) or "12.7.1.1896" (Workspace)
	User      string
	Password  string
	TwoFactor TwoFactor
	Code      string
	APIKey    string // DocSpace only
	TLS       bool   // serve https with a self-signed certificate (see CAFile)
	// TokenLifetime is how long a session lasts; default 24 hours.
	TokenLifetime time.Duration
	// MaxAttempts is how many failed sign-ins block the account; default 5.
	MaxAttempts int
	// NotAdmin makes the account a plain user: DocSpace answers 403 on the
	// keys, Workspace redirects its settings page and refuses the save with
	// an AuthorizingException.
	NotAdmin bool
	// NoThirdPartyQuota is a cloud plan without third-party services:
	// DocSpace answers 402 for the paid consumers (s3, googlecloud,
	// rackspace), Workspace a BillingException for every save.
	NoThirdPartyQuota bool
}

// Request is one request the portal received.
type Request struct {
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   []byte
}

// Server is a running emulated portal.
type Server struct {
	*httptest.Server
	cfg     Config
	closing chan struct{}
	once    sync.Once

	mu        sync.Mutex
	consumers []*consumer
	tokens    map[string]time.Time
	failures  map[string]int // failed sign-ins per lowercase user
	bad       map[string]bool
	faults    []*Fault
	requests  []Request
}

// New starts an emulated portal and stops it when the test ends.
func New(t testing.TB, cfg Config) *Server {
	t.Helper()
	if cfg.Product == "" {
		cfg.Product = DocSpace
	}
	if cfg.Version == "" {
		cfg.Version = "3.7.2.1461"
		if cfg.Product == Workspace {
			cfg.Version = "12.7.1.1896"
		}
	}
	if cfg.User == "" {
		cfg.User = DefaultUser
	}
	if cfg.Password == "" {
		cfg.Password = DefaultPassword
	}
	if cfg.Code == "" {
		cfg.Code = DefaultCode
	}
	if cfg.APIKey == "" && cfg.Product == DocSpace {
		cfg.APIKey = DefaultAPIKey
	}
	if cfg.TokenLifetime == 0 {
		cfg.TokenLifetime = 24 * time.Hour
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = 5
	}
	s := &Server{cfg: cfg, closing: make(chan struct{}), tokens: map[string]time.Time{}, failures: map[string]int{}, bad: map[string]bool{}}
	if cfg.Product == DocSpace {
		s.consumers = buildConsumers(docSpaceConsumers)
	} else {
		s.consumers = buildConsumers(workspaceConsumers)
	}
	h := http.HandlerFunc(s.serve)
	if cfg.TLS {
		s.Server = httptest.NewTLSServer(h)
	} else {
		s.Server = httptest.NewServer(h)
	}
	t.Cleanup(s.Close)
	return s
}

// Close stops the portal, releasing requests held by a timeout fault.
func (s *Server) Close() {
	s.once.Do(func() { close(s.closing) })
	s.Server.CloseClientConnections()
	s.Server.Close()
}

// Product is the emulated product.
func (s *Server) Product() Product { return s.cfg.Product }

// CAFile writes the TLS server's certificate to a PEM file for a client's
// CA option.
func (s *Server) CAFile(t testing.TB) string {
	t.Helper()
	if s.Certificate() == nil {
		t.Fatal("portaltest: CAFile needs Config.TLS")
	}
	path := filepath.Join(t.TempDir(), "portal-ca.pem")
	data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Token issues a session without signing in.
func (s *Server) Token() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issue()
}

// ExpireSessions ends every session.
func (s *Server) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens = map[string]time.Time{}
}

func (s *Server) issue() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	tok := hex.EncodeToString(b)
	s.tokens[tok] = time.Now().Add(s.cfg.TokenLifetime)
	return tok
}

// byConfigName is Workspace's ConsumerFactory.GetByName: a consumer is
// registered under its configuration name and its lowercase form.
func (s *Server) byConfigName(name string) *consumer {
	for _, c := range s.consumers {
		if c.name == name || strings.ToLower(c.name) == name {
			return c
		}
	}
	return nil
}

// find looks a consumer up by name, ignoring case (tests only).
func (s *Server) find(name string) *consumer {
	for _, c := range s.consumers {
		if strings.EqualFold(c.name, name) {
			return c
		}
	}
	return nil
}

func (s *Server) mustFind(name string) *consumer {
	c := s.find(name)
	if c == nil {
		panic("portaltest: no consumer " + name)
	}
	return c
}

// Keys returns a consumer's stored values (empty strings included).
func (s *Server) Keys(name string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.mustFind(name)
	out := make(map[string]string, len(c.values))
	for k, v := range c.values {
		out[k] = v
	}
	return out
}

// IsSet reports whether any of a consumer's keys is non-empty.
func (s *Server) IsSet(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mustFind(name).isSet()
}

// SetKeys stores values directly, as an earlier save would have.
func (s *Server) SetKeys(name string, values map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.mustFind(name)
	for k, v := range values {
		c.values[k] = v
	}
}

// SetReadOnly makes a consumer's keys fixed in the server configuration
// (canSet false): DocSpace lists it with null props and answers 403,
// Workspace renders no dialog and answers "Key for read only".
func (s *Server) SetReadOnly(name string, values map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.mustFind(name)
	c.canSet = false
	for k, v := range values {
		c.values[k] = v
	}
}

// Drop removes a consumer, as a version that no longer offers it.
func (s *Server) Drop(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, c := range s.consumers {
		if strings.EqualFold(c.name, name) {
			s.consumers = append(s.consumers[:i], s.consumers[i+1:]...)
			return
		}
	}
}

// SetValidated makes the portal check a consumer's keys on save, as it
// does for Bitly, Telegram, Twilio and SMSC.
func (s *Server) SetValidated(name string, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustFind(name).validated = on
}

// MarkBad makes validation fail for any save holding this value: the
// portal then clears the consumer and answers "Bad keys".
func (s *Server) MarkBad(value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bad[value] = true
}

// Requests returns every request received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// SaveRequests returns the requests to the product's save endpoint.
func (s *Server) SaveRequests() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Method == http.MethodPost && r.Path == s.SavePath() {
			out = append(out, r)
		}
	}
	return out
}

// SavePath is the path of the product's key-saving endpoint.
func (s *Server) SavePath() string {
	if s.cfg.Product == DocSpace {
		return "/api/2.0/settings/authservice"
	}
	return "/ajaxpro/ASC.Web.Studio.UserControls.Management.AuthorizationKeys,ASC.Web.Studio.ashx"
}

// lengthLimit is DocSpace's [StringLength] on AuthKey.Value per version.
func (s *Server) lengthLimit() int {
	if s.cfg.Product != DocSpace {
		return 0
	}
	switch v := s.cfg.Version; {
	case versionLess(v, "3.1.0"):
		return 0
	case versionLess(v, "3.7.1"):
		return 255
	}
	return 4000
}

func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) || i < len(pb); i++ {
		var x, y int
		if i < len(pa) {
			x = atoi(pa[i])
		}
		if i < len(pb) {
			y = atoi(pb[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			break
		}
		n = n*10 + int(r-'0')
	}
	return n
}
