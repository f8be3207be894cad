// Package secrets keeps the keys Keywizard handles in the OS keyring (or,
// with the admin's consent, in a passphrase-encrypted vault file), never in
// plain files.
package secrets

import "errors"

// ErrNotFound means no value is stored under that service and field.
var ErrNotFound = errors.New("no value stored")
