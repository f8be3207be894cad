package providers

import "testing"

// U+2028 and U+2029 are invisible in a form and never part of a key.
func TestLineSeparatorsAreInvisible(t *testing.T) {
	f := Field{ID: "x", Label: "X", Check: func(string) error { return nil }}
	for _, v := range []string{"ke\u2028y", "key\u2029", "\u2028key"} {
		if err := f.Validate(v); !IsTrimmable(err) {
			t.Errorf("%q: want a trimmable error, got %v", v, err)
		}
		if Trim(v) != "key" {
			t.Errorf("Trim(%q) = %q", v, Trim(v))
		}
	}
}

func TestCheckRedirectURL(t *testing.T) {
	for v, ok := range map[string]bool{
		DefaultRedirectURL:                         true,
		"https://portal.example.com/oauth2.aspx":   true,
		"":                                         false,
		"javascript:alert(1)":                      false,
		"http://portal.example.com/oauth2.aspx":    false,
		"https://":                                 false,
		"https://user:pw@portal.example.com/x":     false,
		"https://portal.example.com/a b":           false,
		"https://portal.example.com/\x1b[2J":       false,
		"HTTPS://portal.example.com/oauth2.aspx":   true,
		"https:portal.example.com":                 false,
		"//portal.example.com/oauth2.aspx":         false,
		"ftp://portal.example.com/oauth2.aspx":     false,
		"https://portal.example.com/oauth2.aspx#x": true,
	} {
		if err := CheckRedirectURL(v); (err == nil) != ok {
			t.Errorf("%q: %v", v, err)
		}
	}
}
