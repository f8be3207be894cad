package providers

import (
	"strings"
	"testing"
)

// placeholderCases are values that are never a real key, each with a piece
// of the message that must name it, and whether it applies to secret
// fields only.
var placeholderCases = []struct {
	value, msg string
	secretOnly bool
}{
	{"00000000-0000-0000-0000-000000000000", "all-zero GUID", false},
	{"{00000000-0000-0000-0000-000000000000}", "all-zero GUID", false},
	{"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", "same character over and over", false},
	{"XXXXXXXXXXXXXXXXXXXX", "same character over and over", false},
	{"AKIAXXXXXXXXXXXXXXXX", "same character over and over", false},
	{"GOCSPX-xxxxxxxxxxxxxxxxxxxxxxxxxxxx", "same character over and over", false},
	{"****", "hidden form", true},
	{"••••••••••••", "hidden form", true},
	{"GOCS****", "hidden form", true},
	{"●●●●●●●●", "hidden form", true},
	{"ya29.a0AfB_byC1xYz-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "Google access token", true},
	{"1//0gAbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEfGh", "Google refresh token", true},
	{"Bearer abcdefghijklmnopqrstuvwxyz0123456789", "Authorization header", true},
	{"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl", "JWT", true},
}

// TestPlaceholdersRefusedEverywhere pastes every placeholder into every
// single-line field of the catalogue: each is refused (a password only
// warns) with a message naming what was pasted and never repeating it.
func TestPlaceholdersRefusedEverywhere(t *testing.T) {
	for _, p := range All() {
		for _, f := range p.Fields {
			if f.Multiline {
				continue
			}
			for _, c := range placeholderCases {
				if c.secretOnly && !f.Secret {
					continue
				}
				if c.msg == "Authorization header" && f.Token {
					continue // the field's own check explains the prefix
				}
				err := f.Validate(c.value)
				switch {
				case f.Password && !IsWarning(err):
					t.Errorf("%s/%s: %q: a chosen password must only warn, got %v", p.ID, f.ID, c.value, err)
					continue
				case !f.Password && !Blocks(err):
					t.Errorf("%s/%s: %q: want a refusal, got %v", p.ID, f.ID, c.value, err)
					continue
				}
				if !strings.Contains(err.Error(), c.msg) {
					t.Errorf("%s/%s: %q: message %q should name %q", p.ID, f.ID, c.value, err, c.msg)
				}
				if f.Secret && strings.Contains(err.Error(), c.value) {
					t.Errorf("%s/%s: the message repeats the secret: %q", p.ID, f.ID, err)
				}
			}
		}
	}
}

func TestOneCharRun(t *testing.T) {
	for v, want := range map[string]bool{
		"AKIAXXXXXXXXXXXXXXXX":                      true,
		"aaaaaaaa":                                  true,
		"0000000000000000":                          true,
		"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx":      true,
		"aaaaaaa":                                   false, // too short to be sure
		"AKIA2OGYBAH6Q4XKZN5T":                      false,
		"AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid": false, // an X bearer token starts with a run
		"IQoJb3JpZ2luX2VjEKz//////////wEaCWV1":      false,
		"sk_live_xxxxxxxx":                          false, // the run is only half of it
		"--------":                                  false,
	} {
		if got := oneCharRun(v); got != want {
			t.Errorf("oneCharRun(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestPlaceholderLabel(t *testing.T) {
	f := Field{Label: "OAuth 2.0 Client Secret (for the test sign-in)", Secret: true}
	err := f.Validate("****")
	if err == nil || !strings.Contains(err.Error(), `the "OAuth 2.0 Client Secret":`) {
		t.Fatalf("message should name the field without its remark: %v", err)
	}
}
