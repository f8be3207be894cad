package portal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"keywizard/wizard"
	"keywizard/wizard/secrets"
)

// Entry is a remembered portal. It holds nothing secret: the session and
// the password live in the secret store under SecretService(host).
type Entry struct {
	URL     string  `json:"url"`
	Product Product `json:"product"`
	Version string  `json:"version,omitempty"`
	User    string  `json:"user,omitempty"`    // e-mail; empty for an API key
	APIKey  bool    `json:"api_key,omitempty"` // signed in with a DocSpace API key
	CAFile  string  `json:"ca_file,omitempty"` // private CA to trust for this portal
	// TwoFactor means the portal asked for a two-factor code at sign-in:
	// the account is never signed in again without the admin asking.
	TwoFactor bool      `json:"two_factor,omitempty"`
	Added     time.Time `json:"added"`
}

// Host is the entry's host (and port): the key of its secrets.
func (e Entry) Host() string {
	u, err := ParseURL(e.URL)
	if err != nil {
		return e.URL
	}
	return u.Host
}

// List is the file of remembered portals.
type List struct {
	Dir string // folder of portals.json
}

// DefaultDir is the per-user configuration folder of Keywizard.
func DefaultDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the configuration folder: %w", err)
	}
	return filepath.Join(dir, "keywizard"), nil
}

const listFile = "portals.json"

// Path is the file's location.
func (l List) Path() string { return filepath.Join(l.Dir, listFile) }

// Load reads the list; a missing file is an empty list.
func (l List) Load() ([]Entry, error) {
	data, err := os.ReadFile(l.Path())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the portal list: %w", err)
	}
	var entries []Entry
	if err := json.Unmarshal(data, &entries); err != nil {
		return nil, fmt.Errorf("read the portal list %s: not valid JSON", l.Path())
	}
	return entries, nil
}

// Save writes the list atomically (temporary file, sync, rename), readable
// by the user only.
func (l List) Save(entries []Entry) error {
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].URL < entries[j].URL })
	data, err := json.MarshalIndent(entries, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(l.Dir, 0o700); err != nil {
		return fmt.Errorf("save the portal list: %w", err)
	}
	f, err := os.CreateTemp(l.Dir, listFile+".*.tmp")
	if err != nil {
		return fmt.Errorf("save the portal list: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op once renamed
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("save the portal list: %w", err)
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("save the portal list: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("save the portal list: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("save the portal list: %w", err)
	}
	if err := os.Rename(tmp, l.Path()); err != nil {
		return fmt.Errorf("save the portal list: %w", err)
	}
	return nil
}

// Put adds or replaces the entry with the same URL.
func (l List) Put(e Entry) error {
	entries, err := l.Load()
	if err != nil {
		return err
	}
	for i := range entries {
		if sameURL(entries[i].URL, e.URL) {
			if e.Added.IsZero() {
				e.Added = entries[i].Added
			}
			entries[i] = e
			return l.Save(entries)
		}
	}
	if e.Added.IsZero() {
		e.Added = time.Now().UTC().Truncate(time.Second)
	}
	return l.Save(append(entries, e))
}

// Find returns the remembered entry for rawURL, if there is one.
func (l List) Find(rawURL string) (Entry, bool, error) {
	entries, err := l.Load()
	if err != nil {
		return Entry{}, false, err
	}
	for _, e := range entries {
		if sameURL(e.URL, rawURL) {
			return e, true, nil
		}
	}
	return Entry{}, false, nil
}

// Remove drops the entry with that URL; it reports whether one was there.
func (l List) Remove(rawURL string) (bool, error) {
	entries, err := l.Load()
	if err != nil {
		return false, err
	}
	for i := range entries {
		if sameURL(entries[i].URL, rawURL) {
			return true, l.Save(append(entries[:i], entries[i+1:]...))
		}
	}
	return false, nil
}

// Find returns the entry for a URL.
func Find(entries []Entry, rawURL string) (Entry, bool) {
	for _, e := range entries {
		if sameURL(e.URL, rawURL) {
			return e, true
		}
	}
	return Entry{}, false
}

func sameURL(a, b string) bool {
	ua, err1 := ParseURL(a)
	ub, err2 := ParseURL(b)
	if err1 != nil || err2 != nil {
		return strings.EqualFold(strings.TrimSuffix(a, "/"), strings.TrimSuffix(b, "/"))
	}
	return strings.EqualFold(ua.Host, ub.Host) && ua.Scheme == ub.Scheme && strings.EqualFold(ua.Path, ub.Path)
}

// SecretService is the secret store's service name for a portal's session
// and password.
func SecretService(host string) string { return "portal:" + strings.ToLower(host) }

// Secret store fields of a portal.
const (
	fieldToken    = "token"
	fieldExpires  = "expires"
	fieldKind     = "kind" // "password" or "api-key"
	fieldPassword = "password"
)

// SaveSession keeps a session (and the password, when given, so that an
// expired session can be renewed) in the secret store.
func SaveSession(ctx context.Context, store wizard.SecretStore, host string, s Session, password string) error {
	svc := SecretService(host)
	kind := "password"
	if s.APIKey {
		kind = "api-key"
	}
	exp := ""
	if !s.Expires.IsZero() {
		exp = s.Expires.UTC().Format(time.RFC3339)
	}
	for _, kv := range [][2]string{{fieldToken, s.Token}, {fieldExpires, exp}, {fieldKind, kind}} {
		if err := store.Set(ctx, svc, kv[0], kv[1]); err != nil {
			return fmt.Errorf("keep the session in %s: %w", store.Where(), err)
		}
	}
	if password != "" {
		if err := store.Set(ctx, svc, fieldPassword, password); err != nil {
			return fmt.Errorf("keep the password in %s: %w", store.Where(), err)
		}
	}
	return nil
}

// LoadSession reads a portal's session; an empty Session when there is
// none.
func LoadSession(ctx context.Context, store wizard.SecretStore, host string) (Session, error) {
	svc := SecretService(host)
	token, err := store.Get(ctx, svc, fieldToken)
	if errors.Is(err, secrets.ErrNotFound) {
		return Session{}, nil
	}
	if err != nil {
		return Session{}, fmt.Errorf("read the session from %s: %w", store.Where(), err)
	}
	s := Session{Token: token}
	if exp, err := store.Get(ctx, svc, fieldExpires); err == nil && exp != "" {
		s.Expires, _ = time.Parse(time.RFC3339, exp)
	}
	if kind, err := store.Get(ctx, svc, fieldKind); err == nil {
		s.APIKey = kind == "api-key"
	}
	return s, nil
}

// LoadPassword reads the remembered password, "" when none.
func LoadPassword(ctx context.Context, store wizard.SecretStore, host string) (string, error) {
	pw, err := store.Get(ctx, SecretService(host), fieldPassword)
	if errors.Is(err, secrets.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the password from %s: %w", store.Where(), err)
	}
	return pw, nil
}

// ForgetSession deletes a portal's session and password.
func ForgetSession(ctx context.Context, store wizard.SecretStore, host string) error {
	svc := SecretService(host)
	for _, f := range []string{fieldToken, fieldExpires, fieldKind, fieldPassword} {
		if err := store.Delete(ctx, svc, f); err != nil && !errors.Is(err, secrets.ErrNotFound) {
			return fmt.Errorf("delete the session from %s: %w", store.Where(), err)
		}
	}
	return nil
}
