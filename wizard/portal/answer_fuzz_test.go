package portal

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"keywizard/wizard/outside"
)

// clean reports a text with no character a terminal acts on.
func clean(s string) bool { return utf8.ValidString(s) && outside.Clean(s) == s }

// FuzzAnswer feeds any body to the portal's answer readers. Invariants:
// no panic; decode succeeds only on JSON that is not null, and otherwise
// fails with ErrPortalFailed; what the admin is shown (the description of
// the answer, its error message) is clean and bounded; a message never
// quotes the request's secret.
func FuzzAnswer(f *testing.F) {
	for _, s := range []string{
		`{"response":{"token":"t","expires":"2030-01-01T00:00:00Z"},"status":0,"statusCode":200}`,
		`null`, ``, `{"response":null}`, `<html><title>nginx` + "\x1b[2J" + `</title>`,
		strings.Repeat("[", 20000), `{"status":1,"statusCode":500,"error":{"message":"bad \u001b[2J pw-secret-1234"}}`,
		`{"docSpace":"3.1` + "\x1b" + `"}`, "\xff\xfe", `{"error":{"message":"` + strings.Repeat("x", 5000) + `"}}`,
	} {
		f.Add([]byte(s), 200, "application/json")
	}
	f.Add([]byte("<html>"), 502, "text/html")
	f.Fuzz(func(t *testing.T, body []byte, status int, ctype string) {
		r := &response{status: effectiveStatus(status, body), header: http.Header{"Content-Type": {ctype}}, body: body, sent: []string{"pw-secret-1234"}}
		var v struct {
			Token string `json:"token"`
		}
		err := r.decode(&v)
		if err != nil && !errors.Is(err, ErrPortalFailed) {
			t.Fatalf("decode error %v is not ErrPortalFailed", err)
		}
		if err == nil && (!r.isJSON()) {
			t.Fatalf("decoded %q", body)
		}
		if d := r.describe(); !clean(d) || len(d) > 200 {
			t.Fatalf("description %q", d)
		}
		m := r.message()
		if !clean(m) || len(m) > outside.MaxText || strings.Contains(m, "pw-secret-1234") {
			t.Fatalf("message %q", m)
		}
		if e := r.httpError("read"); !clean(e.Error()) {
			t.Fatalf("error %q", e)
		}
	})
}

// FuzzKeysPage feeds any page to the Workspace keys page parser.
// Invariants: no panic; services are keyed by their lowercase name; a
// service whose keys are fixed carries no values; every value read is
// part of the page.
func FuzzKeysPage(f *testing.F) {
	f.Add(`<a id="switcherBtnGoogle" class="on_off_button on"></a><div id="popupDialogGoogle"><input id="googleClientId" class="auth-service-key" " value="1.apps" /></div>`)
	f.Add(`<a id="switcherBtnS3" class="on_off_button disable on"></a><div id="popupDialogS3"><input id="k" value="v"></div>`)
	f.Add(`<a id="switcherBtnA" <a id="switcherBtnB" class="disable">`)
	f.Add(`id="popupDialogX"<input id="a" value="` + strings.Repeat(`" x `, 100))
	f.Add(`<div id='popupDialogX'><INPUT id=a value=b><input id="c" value='d&amp;e'>`)
	f.Fuzz(func(t *testing.T, page string) {
		for key, s := range ParseKeysPage(page) {
			if key != strings.ToLower(s.Name) {
				t.Fatalf("%q keyed as %q", s.Name, key)
			}
			if !s.CanSet && len(s.Values) > 0 {
				t.Fatalf("fixed service %q has values", s.Name)
			}
			for id, v := range s.Values {
				if !strings.Contains(page, id) || !strings.Contains(page, v) {
					t.Fatalf("%s=%q is not in the page", id, v)
				}
			}
		}
	})
}
