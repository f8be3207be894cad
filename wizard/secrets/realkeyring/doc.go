// Package realkeyring holds the tests of wizard/secrets against the real OS
// keyring. They live apart from the package's own tests because those swap
// go-keyring's global provider for its mock, which cannot be undone within
// one test binary. They run only with KEYRING_REAL=1 (make test sets it up
// inside a private D-Bus session with an unlocked gnome-keyring).
package realkeyring
