package ui

import "testing"

// The window's rule for the redirect URL is the command line's: https only.
func TestCheckRedirectSharedRule(t *testing.T) {
	for v, ok := range map[string]bool{
		"":                                       true, // the default
		"https://portal.example.com/oauth2.aspx": true,
		"javascript:alert(1)":                    false,
		"http://portal.example.com/oauth2.aspx":  false,
		"https://user@portal.example.com/x":      false,
		"https://portal.example.com/a b":         false,
	} {
		if err := checkRedirect(v); (err == nil) != ok {
			t.Errorf("%q: %v", v, err)
		}
	}
}
