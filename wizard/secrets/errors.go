// Package secrets keeps the keys Keywizard handles in the OS keyring (or,
// with the admin's consent, in a passphrase-encrypted vault file), never in
// plain files.
package secrets

import "errors"

// ErrNotFound means no value is stored under that service and field.
var ErrNotFound = errors.New("no value stored")

// Sentinels callers branch on.
var (
	// ErrTooBig means a value does not fit in the store even split in chunks.
	ErrTooBig = errors.New("the value is too big for the secret store")
	// ErrTimeout means the OS keyring did not answer in time; an unlock
	// prompt may be waiting on the desktop.
	ErrTimeout = errors.New("the OS keyring did not answer in time")
	// ErrWrongPassphrase means the vault file does not open with the given
	// passphrase. The file is left untouched.
	ErrWrongPassphrase = errors.New("wrong passphrase for the vault file")
	// ErrUnreachable means there is no usable OS keyring; see
	// UnreachableError for the reason and the vault option.
	ErrUnreachable = errors.New("the OS keyring is not reachable")
	// ErrMayFinish comes with a timeout or a cancellation of a keyring
	// write: Keywizard stopped waiting, but the keyring may still carry it
	// out (the index then follows). Do not report "nothing was changed".
	ErrMayFinish = errors.New("the OS keyring may still finish the write")
)
