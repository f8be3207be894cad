// Package localeenv quiets the GUI toolkit's start-up complaint about the
// "C" locale (LANG=C.UTF-8, usual on servers and in containers), which it
// cannot parse as a language. Under that locale it sets LANGUAGE=en, which
// is the language the C locale means anyway.
//
// It must run before the toolkit's language package reads the locale in
// its own init. Go initialises packages in import-path order among those
// whose imports are ready; this package imports only os and strings, so it
// is ready, and runs, long before the language package, which waits for its
// translation libraries. The binary test in cmd/keywizard/cli checks that
// the order holds.
package localeenv

import (
	"os"
	"strings"
)

func init() { Apply(os.Getenv, os.Setenv) }

// Apply sets LANGUAGE=en when LANGUAGE is unset and the locale in force
// (LC_ALL, then LC_MESSAGES, then LANG) is C or POSIX.
func Apply(getenv func(string) string, setenv func(string, string) error) {
	if getenv("LANGUAGE") != "" {
		return
	}
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(k)
		if v == "" {
			continue
		}
		if isC(v) {
			_ = setenv("LANGUAGE", "en")
		}
		return
	}
}

func isC(v string) bool {
	base, _, _ := strings.Cut(v, ".")
	return base == "C" || base == "POSIX"
}
