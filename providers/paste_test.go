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
