package portal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"keywizard/wizard"
	"keywizard/wizard/secrets"
	"keywizard/wizard/state"
)

// Entry is a remembered portal. It holds nothing secret: the session and
// the password live in the secret store under SecretService(Key()).
type Entry = wizard.PortalEntry

func urlKey(u *url.URL) string { return wizard.PortalKey(u) }

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

// Save writes the list atomically, readable by the user only. It replaces
// what is there: to add or drop one portal while other processes may be
// writing too, use Put and Remove.
func (l List) Save(entries []Entry) error {
	return state.Locked(l.Path(), func() error { return l.save(entries) })
}

func (l List) save(entries []Entry) error {
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].URL < entries[j].URL })
	data, err := json.MarshalIndent(entries, "", "  ")
	if err != nil {
		return err
	}
	if err := state.WriteFile(l.Path(), append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("save the portal list: %w", err)
	}
	return nil
}

// update changes the list under its cross-process lock, reading the file
// afresh first, so that the window and a command never drop each other's
// portals.
func (l List) update(fn func([]Entry) ([]Entry, bool)) error {
	return state.Locked(l.Path(), func() error {
		entries, err := l.Load()
		if err != nil {
			return err
		}
		if next, changed := fn(entries); changed {
			return l.save(next)
		}
		return nil
	})
}

// Put adds or replaces the entry with the same URL.
func (l List) Put(e Entry) error {
	return l.update(func(entries []Entry) ([]Entry, bool) {
		for i := range entries {
			if sameURL(entries[i].URL, e.URL) {
				if e.Added.IsZero() {
					e.Added = entries[i].Added
				}
				entries[i] = e
				return entries, true
			}
		}
		if e.Added.IsZero() {
			e.Added = time.Now().UTC().Truncate(time.Second)
		}
		return append(entries, e), true
	})
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
	found := false
	err := l.update(func(entries []Entry) ([]Entry, bool) {
		for i := range entries {
			if sameURL(entries[i].URL, rawURL) {
				found = true
				return append(entries[:i], entries[i+1:]...), true
			}
		}
		return entries, false
	})
	return found && err == nil, err
}

// Find returns the entry for a URL.
func Find(entries []Entry, rawURL string) (Entry, bool) { return wizard.FindPortal(entries, rawURL) }

func sameURL(a, b string) bool { return wizard.SamePortal(a, b) }

// SecretService is the secret store's service name for a portal's session
// and password, given its Key: "portal:" and the key in lowercase, with
// each "/" of the path written "%2f" (store names may not hold "/"). A
// root portal's name is "portal:<host>", as before paths counted.
func SecretService(key string) string {
	return "portal:" + strings.ReplaceAll(strings.ToLower(key), "/", "%2f")
}

// Secret store fields of a portal.
const (
	fieldToken    = "token"
	fieldExpires  = "expires"
	fieldKind     = "kind" // "password" or "api-key"
	fieldPassword = "password"
)

// SaveSession keeps a session (and the password, when given, so that an
// expired session can be renewed) in the secret store, under the portal's
// Key.
func SaveSession(ctx context.Context, store wizard.SecretStore, key string, s Session, password string) error {
	svc := SecretService(key)
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
func LoadSession(ctx context.Context, store wizard.SecretStore, key string) (Session, error) {
	svc := SecretService(key)
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
func LoadPassword(ctx context.Context, store wizard.SecretStore, key string) (string, error) {
	pw, err := store.Get(ctx, SecretService(key), fieldPassword)
	if errors.Is(err, secrets.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the password from %s: %w", store.Where(), err)
	}
	return pw, nil
}

// ForgetSession deletes a portal's session and password.
func ForgetSession(ctx context.Context, store wizard.SecretStore, key string) error {
	svc := SecretService(key)
	for _, f := range []string{fieldToken, fieldExpires, fieldKind, fieldPassword} {
		if err := store.Delete(ctx, svc, f); err != nil && !errors.Is(err, secrets.ErrNotFound) {
			return fmt.Errorf("delete the session from %s: %w", store.Where(), err)
		}
	}
	return nil
}
