package outside

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Values reads a values file: one JSON object of field ids to strings.
// It refuses what a lenient decoder would quietly turn into something
// else: null (for the object or a value), invalid UTF-8 (which would be
// replaced by U+FFFD and stored corrupted), a field given twice, and
// anything after the object. Messages never quote a value, which may be a
// secret.
func Values(data []byte) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, errors.New(jsonProblem(err, len(data)))
	}
	if tok == nil {
		return nil, errors.New("the input is null, not an object")
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("expected an object with string values")
	}
	values := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, errors.New(jsonProblem(err, len(data)))
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, errors.New(jsonProblem(err, len(data)))
		}
		name := Name(key)
		if err := valueProblem(raw); err != "" {
			return nil, fmt.Errorf("the value of %q %s", name, err)
		}
		if _, dup := values[key]; dup {
			return nil, fmt.Errorf("%q is given twice", name)
		}
		var s string
		_ = json.Unmarshal(raw, &s) // checked by valueProblem
		values[key] = s
	}
	if _, err := dec.Token(); err != nil {
		return nil, errors.New(jsonProblem(err, len(data)))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("something follows the object")
	}
	if !utf8.Valid(data) {
		return nil, errors.New("a field name is not valid UTF-8")
	}
	return values, nil
}

// valueProblem says what is wrong with one value, or "".
func valueProblem(raw json.RawMessage) string {
	switch {
	case string(raw) == "null":
		return `is null: give a string, or "" to remove the stored value`
	case len(raw) == 0 || raw[0] != '"':
		return "must be a JSON string"
	case !utf8.Valid(raw):
		return "is not valid UTF-8 text: save the file as UTF-8"
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "must be a JSON string"
	}
	if strings.ContainsRune(s, utf8.RuneError) && !strings.Contains(string(raw), "\uFFFD") && !strings.Contains(strings.ToLower(string(raw)), `\ufffd`) {
		// A lone surrogate escape (\ud800) decodes to U+FFFD.
		return "holds an escape that is not a character (a lone \\ud800-\\udfff)"
	}
	return ""
}

// jsonProblem describes a JSON syntax error without quoting the input,
// which may hold a secret.
func jsonProblem(err error, size int) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "expected an object with string values"
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected end") {
		return fmt.Sprintf("syntax error at byte %d: the input ends too early", size)
	}
	return "not valid JSON"
}
