package secrets

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

// serviceAccountJSON builds a Google Cloud service-account key file of the
// real shape; bits sets the size of the (random, not a real) RSA key body:
// 2048 gives the usual ~2.3 KB file.
func serviceAccountJSON(t testing.TB, bits int) string {
	t.Helper()
	body := make([]byte, bits*1217/2048) // PKCS#8 RSA-2048 is ~1217 bytes
	rand.Read(body)
	key := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: body}))
	doc := map[string]string{
		"type":                        "service_account",
		"project_id":                  "keywizard-test-123456",
		"private_key_id":              "3f8a0c9d2b7e41f6a5c8d9e0f1a2b3c4d5e6f708",
		"private_key":                 key,
		"client_email":                "onlyoffice-backup@keywizard-test-123456.iam.gserviceaccount.com",
		"client_id":                   "104857362918273645019",
		"auth_uri":                    "https://accounts.google.com/o/oauth2/auth",
		"token_uri":                   "https://oauth2.googleapis.com/token",
		"auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
		"client_x509_cert_url":        "https://www.googleapis.com/robot/v1/metadata/x509/onlyoffice-backup%40keywizard-test-123456.iam.gserviceaccount.com",
		"universe_domain":             "googleapis.com",
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// appleP8 makes a Sign in with Apple key file: an EC P-256 key in PKCS#8.
func appleP8(t testing.TB) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func randomSecret() string {
	b := make([]byte, 24)
	rand.Read(b)
	return "canary-" + base64.RawURLEncoding.EncodeToString(b)
}

// limited is go-keyring's mock with a platform's size limit enforced the
// way the real backends do, with ErrSetDataTooBig.
type limited struct {
	limit int
	sets  int
}

func (l *limited) Set(s, u, p string) error {
	if l.limit > 0 && len(p) > l.limit {
		return keyring.ErrSetDataTooBig
	}
	l.sets++
	return keyring.Set(s, u, p)
}
func (l *limited) Get(s, u string) (string, error) { return keyring.Get(s, u) }
func (l *limited) Delete(s, u string) error        { return keyring.Delete(s, u) }

// mockKeyring returns a keyring store over a fresh global go-keyring mock
// that enforces limit, with its index in a temp dir.
func mockKeyring(t *testing.T, limit int) *Keyring {
	t.Helper()
	keyring.MockInit()
	k := NewKeyring(NewIndex(t.TempDir() + "/index.json"))
	k.Limit = limit
	k.kr = &limited{limit: limit}
	t.Cleanup(k.wait) // before the temp dir goes: late calls write the index
	return k
}

// contract checks the behaviour every store shares.
func contract(t *testing.T, s Store) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Get(ctx, "google", "googleClientId"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get absent: %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, "google", "googleClientId"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("delete absent: %v, want ErrNotFound", err)
	}
	want := map[string]string{"googleClientId": "1234-abc.apps.googleusercontent.com", "googleClientSecret": "GOCSPX-" + strings.Repeat("x", 28)}
	for f, v := range want {
		if err := s.Set(ctx, "google", f, v); err != nil {
			t.Fatalf("set %s: %v", f, err)
		}
	}
	for f, v := range want {
		if got, err := s.Get(ctx, "google", f); err != nil || got != v {
			t.Fatalf("get %s = %q, %v", f, got, err)
		}
	}
	if got, _ := s.List(ctx, "google"); !slices.Equal(got, []string{"googleClientId", "googleClientSecret"}) {
		t.Fatalf("list = %v", got)
	}
	if got, _ := s.Services(ctx); !slices.Equal(got, []string{"google"}) {
		t.Fatalf("services = %v", got)
	}
	if err := s.Update(ctx, "google", map[string]string{"googleClientId": "other"}, []string{"googleClientSecret", "nope"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.List(ctx, "google"); !slices.Equal(got, []string{"googleClientId"}) {
		t.Fatalf("list after update = %v", got)
	}
	if err := s.Delete(ctx, "google", "googleClientId"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Services(ctx); len(got) != 0 {
		t.Fatalf("services after delete = %v", got)
	}
	if err := s.Set(ctx, "bad/service", "f", "v"); err == nil {
		t.Fatal("a '/' in a service name must be refused")
	}
	if s.Where() == "" {
		t.Fatal("Where is empty")
	}
}
