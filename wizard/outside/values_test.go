package outside

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValues(t *testing.T) {
	for in, want := range map[string]string{
		`{"a":"x","b":""}`:           "",
		` {"a":"x\u00e9"} `:          "",
		`null`:                       "null, not an object",
		` null `:                     "null, not an object",
		`{"a":null}`:                 `"a" is null`,
		`{"a":1}`:                    `"a" must be a JSON string`,
		`{"a":{"b":"c"}}`:            `"a" must be a JSON string`,
		"{\"a\":\"\xff\xfe\"}":       `"a" is not valid UTF-8`,
		"{\"a\xff\":\"x\"}":          "field name is not valid UTF-8",
		`{"a":"\ud800"}`:             "not a character",
		`{"a":"x","a":"y"}`:          `"a" is given twice`,
		`{"a":"x"} {"b":"y"}`:        "follows the object",
		`{"a":"x"`:                   "ends too early",
		`["a"]`:                      "expected an object",
		`"a"`:                        "expected an object",
		``:                           "ends too early",
		`{"a":"x",}`:                 "syntax error",
		`{"a":"GOCSPX-secret-value"`: "ends too early",
	} {
		got, err := Values([]byte(in))
		switch {
		case want == "" && err != nil:
			t.Errorf("%q: %v", in, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%q: got %v (%v), want %q", in, err, got, want)
		}
		if err != nil && strings.Contains(err.Error(), "GOCSPX") {
			t.Errorf("the message quotes a value: %v", err)
		}
	}
}

// FuzzValues: the values reader never panics; what it accepts is exactly
// what a strict JSON reading of a string object gives, all valid UTF-8;
// what it refuses says why without quoting a value.
func FuzzValues(f *testing.F) {
	for _, s := range []string{
		`{"googleClientId":"1-abc.apps.googleusercontent.com","googleClientSecret":"GOCSPX-x"}`,
		`null`, `{"a":null}`, "{\"a\":\"\xff\"}", `{"a":"x","a":"y"}`, `{"a":"\ud800"}`,
		`{"a":"line\u2028sep"}`, `{}`, `[]`, `{"a":"x"} x`, strings.Repeat("[", 20000),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Values(data)
		if err != nil {
			if got != nil {
				t.Fatal("values returned with an error")
			}
			return
		}
		if !utf8.Valid(data) {
			t.Fatalf("accepted invalid UTF-8 %q", data)
		}
		var want map[string]*string
		if json.Unmarshal(data, &want) != nil || want == nil {
			t.Fatalf("accepted %q, which is not a JSON object of strings", data)
		}
		if len(want) != len(got) {
			t.Fatalf("%q: %d values, want %d", data, len(got), len(want))
		}
		for k, v := range want {
			if v == nil || got[k] != *v || !utf8.ValidString(got[k]) {
				t.Fatalf("%q: %q = %q", data, k, got[k])
			}
		}
	})
}
