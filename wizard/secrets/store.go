package secrets

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// AppID names Keywizard's entries in the OS keyring (the keyring "service";
// each entry's user is SERVICE/FIELD).
const AppID = "io.keywizard.app"

// Store is what every store of this package offers: the wizard's
// SecretStore (Get, Set, Delete, Where) plus listing and batch updates.
type Store interface {
	Get(ctx context.Context, service, field string) (string, error)
	Set(ctx context.Context, service, field, value string) error
	Delete(ctx context.Context, service, field string) error
	Where() string
	// List gives the ids of the fields stored for service, sorted. Names
	// only: keyrings cannot enumerate, so the keyring store keeps an index.
	List(ctx context.Context, service string) ([]string, error)
	// Services gives the services with at least one stored field, sorted.
	Services(ctx context.Context) ([]string, error)
	// Update sets the fields in set and deletes those in del (absent ones
	// are no error) in one go: the vault re-encrypts its file once.
	Update(ctx context.Context, service string, set map[string]string, del []string) error
}

// DefaultDir is Keywizard's folder in the user's config directory, which
// holds the vault file and the keyring index.
func DefaultDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the config folder: %w", err)
	}
	return filepath.Join(base, "keywizard"), nil
}

// checkName refuses names that would make entry names ambiguous: '/'
// separates service and field, '#' numbers chunks.
func checkName(service, field string) error {
	switch {
	case service == "" || field == "":
		return fmt.Errorf("a secret needs a service and a field name")
	case strings.ContainsAny(service, "/#"):
		return fmt.Errorf("service name %q may not contain '/' or '#'", service)
	case strings.ContainsAny(field, "/#"):
		return fmt.Errorf("field name %q may not contain '/' or '#'", field)
	}
	return nil
}
