package portal_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"keywizard/providers"
	"keywizard/wizard/portal"
	"keywizard/wizard/portal/portaltest"
	"keywizard/wizard/secrets"
)

// memStore is an in-memory wizard.SecretStore.
type memStore struct {
	mu sync.Mutex
	m  map[string]string
}

func newMemStore() *memStore { return &memStore{m: map[string]string{}} }

func (s *memStore) Get(_ context.Context, service, field string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[service+"\x00"+field]
	if !ok {
		return "", secrets.ErrNotFound
	}
	return v, nil
}

func (s *memStore) Set(_ context.Context, service, field, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[service+"\x00"+field] = value
	return nil
}

func (s *memStore) Delete(_ context.Context, service, field string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[service+"\x00"+field]; !ok {
		return secrets.ErrNotFound
	}
	delete(s.m, service+"\x00"+field)
	return nil
}

func (s *memStore) Where() string { return "memory" }

// svc builds a test service with the same prop keys on both products.
func svc(id, title, dsName, wsName string, cat providers.Category, fields ...providers.Field) providers.Provider {
	props := make([]string, 0, len(fields))
	for _, f := range fields {
		if !f.Local {
			props = append(props, f.ID)
		}
	}
	p := providers.Provider{ID: id, Title: title, Category: cat, Fields: fields}
	if dsName != "" {
		p.Portal.DocSpace = &providers.Consumer{Name: dsName, Props: props}
	}
	if wsName != "" {
		p.Portal.Workspace = &providers.Consumer{Name: wsName, Props: props}
	}
	return p
}

var (
	googleSvc = svc("google", "Google", "google", "Google", providers.SignIn,
		providers.Field{ID: "googleClientId", Label: "Client ID"},
		providers.Field{ID: "googleClientSecret", Label: "Client secret", Secret: true},
		providers.Field{ID: "googleProjectNote", Label: "Local note", Local: true, Optional: true})
	telegramSvc = svc("telegram", "Telegram", "telegram", "Telegram", providers.Notifications,
		providers.Field{ID: "telegramBotToken", Label: "Bot token", Secret: true},
		providers.Field{ID: "telegramBotName", Label: "Bot username"})
	gcsSvc = svc("googlecloud", "Google Cloud Storage", "googlecloud", "GoogleCloud", providers.BackupStorage,
		providers.Field{ID: "json", Label: "Service account JSON", Secret: true, Multiline: true})
	appleSvc = svc("apple", "Apple", "appleid", "AppleID", providers.SignIn,
		providers.Field{ID: "appleIdClientId", Label: "Services ID"},
		providers.Field{ID: "appleIdTeamId", Label: "Team ID"},
		providers.Field{ID: "appleIdKeyId", Label: "Key ID"},
		providers.Field{ID: "appleIdPrivateKey", Label: "Private key", Secret: true, Multiline: true})
	bitlySvc = svc("bitly", "Bitly", "bitly", "Bitly", providers.Links,
		providers.Field{ID: "bitlyToken", Label: "Access token", Secret: true})
)

var (
	googleOld = map[string]string{"googleClientId": "111-old.apps.googleusercontent.com", "googleClientSecret": "GOCSPX-old-secret-value-000000000"}
	googleNew = map[string]string{"googleClientId": "222-new.apps.googleusercontent.com", "googleClientSecret": "GOCSPX-new-secret-value-111111111", "googleProjectNote": "never sent"}
	tgOld     = map[string]string{"telegramBotToken": "111:old-token-AAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "telegramBotName": "old_bot"}
	tgNew     = map[string]string{"telegramBotToken": "222:new-token-BBBBBBBBBBBBBBBBBBBBBBBBBBBBB", "telegramBotName": "new_bot"}
)

// signedIn starts an emulator and a client signed in to it.
func signedIn(t *testing.T, cfg portaltest.Config) (*portaltest.Server, *portal.Client) {
	t.Helper()
	srv := portaltest.New(t, cfg)
	c, err := portal.New(srv.URL, portal.Options{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Detect(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Login(ctx, portaltest.DefaultUser, portaltest.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// signedInVersionUnknown is signedIn to a portal whose version/build
// fails: the client tells DocSpace by its authservice endpoint and knows
// no version.
func signedInVersionUnknown(t *testing.T, cfg portaltest.Config) (*portaltest.Server, *portal.Client) {
	t.Helper()
	srv := portaltest.New(t, cfg)
	srv.Fail(portaltest.Fault{Kind: portaltest.Fail500, Path: "/api/2.0/settings/version/build"})
	c, err := portal.New(srv.URL, portal.Options{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if info, err := c.Detect(ctx); err != nil || info.Version != "" {
		t.Fatalf("detect: %+v, %v", info, err)
	}
	if err := c.Login(ctx, portaltest.DefaultUser, portaltest.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// sent returns the non-Local values of a service.
func sent(p providers.Provider, values map[string]string) map[string]string {
	out := map[string]string{}
	for _, f := range p.Fields {
		if !f.Local {
			out[f.ID] = values[f.ID]
		}
	}
	return out
}

func equalMaps(a, b map[string]string) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	for k, v := range b {
		if a[k] != v {
			return false
		}
	}
	return true
}

func products() []portaltest.Product {
	return []portaltest.Product{portaltest.DocSpace, portaltest.Workspace}
}
