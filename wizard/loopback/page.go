package loopback

import (
	"html/template"
	"net/http"
)

// page is what the browser shows. It carries no code, token or secret:
// only whether the test passed and, on failure, the provider's (escaped)
// error text.
type page struct {
	Title  string
	Text   string
	Detail string
	OK     bool
}

// pageTemplate is self-contained: no scripts, images, fonts or links, so
// nothing leaves the page and no Referer can carry anything (RFC 9700
// 4.2.4). html/template escapes every value.
var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Keywizard: {{.Title}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#222}
main{max-width:34rem;margin:15vh auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
h1{font-size:1.4rem;margin-top:0}
.ok h1{color:#1a7f37}.fail h1{color:#b42318}
.detail{font-family:ui-monospace,monospace;font-size:.9rem;background:#f4f5f7;padding:.6rem;border-radius:4px;overflow-wrap:anywhere}
</style>
</head>
<body>
<main class="{{if .OK}}ok{{else}}fail{{end}}">
<h1>{{.Title}}</h1>
<p>{{.Text}}</p>
{{if .Detail}}<p class="detail">{{.Detail}}</p>{{end}}
<p>You can close this tab and go back to Keywizard.</p>
</main>
</body>
</html>
`))

// secureHeaders go on every answer of the listener.
func secureHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
}

func writePage(w http.ResponseWriter, status int, p page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = pageTemplate.Execute(w, p)
}

var (
	finishedPage = page{
		Title: "This sign-in already finished",
		Text:  "Keywizard accepts one answer per test sign-in and has already received it. Start a new test in Keywizard to sign in again.",
	}
	stillCheckingPage = page{
		Title: "Sign-in received",
		Text:  "Keywizard is still checking the answer with the service; the result will show in Keywizard.",
		OK:    true,
	}
	notAnswerPage = page{
		Title: "Not a sign-in answer",
		Text:  "This address only receives the answer of a test sign-in started in Keywizard.",
	}
)
