package portal_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"keywizard/wizard/portal"
)

func TestList(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keywizard")
	l := portal.List{Dir: dir}
	if got, err := l.Load(); err != nil || len(got) != 0 {
		t.Fatalf("empty list: %v %v", got, err)
	}
	a := portal.Entry{URL: "https://b.example.com", Product: portal.DocSpace, Version: "3.7.2", User: "admin@example.com"}
	b := portal.Entry{URL: "https://a.example.com", Product: portal.Workspace, Version: "12.7.1"}
	for _, e := range []portal.Entry{a, b} {
		if err := l.Put(e); err != nil {
			t.Fatal(err)
		}
	}
	a.Version = "3.7.3"
	if err := l.Put(a); err != nil {
		t.Fatal(err)
	}
	got, err := l.Load()
	if err != nil || len(got) != 2 || got[0].URL != b.URL || got[1].Version != "3.7.3" || got[1].Added.IsZero() {
		t.Fatalf("%+v %v", got, err)
	}
	if e, ok := portal.Find(got, "https://B.example.com/"); !ok || e.Host() != "b.example.com" {
		t.Fatalf("Find: %+v %v", e, ok)
	}
	fi, err := os.Stat(l.Path())
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v", fi.Mode(), err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "portals.json" && e.Name() != "portals.json.lock" {
			t.Fatalf("left-over file: %s", e.Name())
		}
	}
	if ok, err := l.Remove("https://a.example.com/"); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if got, _ := l.Load(); len(got) != 1 {
		t.Fatalf("%+v", got)
	}
}

func TestSessionStore(t *testing.T) {
	ctx := context.Background()
	store := newMemStore()
	exp := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	if err := portal.SaveSession(ctx, store, "Portal.Example.com:8443", portal.Session{Token: "tok", Expires: exp}, "pw"); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Get(ctx, "portal:portal.example.com:8443", "token"); err != nil {
		t.Fatal("not under portal:<host>")
	}
	s, err := portal.LoadSession(ctx, store, "portal.example.com:8443")
	if err != nil || s.Token != "tok" || !s.Expires.Equal(exp) || s.APIKey {
		t.Fatalf("%+v %v", s, err)
	}
	if pw, _ := portal.LoadPassword(ctx, store, "portal.example.com:8443"); pw != "pw" {
		t.Fatal("password")
	}
	if err := portal.ForgetSession(ctx, store, "portal.example.com:8443"); err != nil {
		t.Fatal(err)
	}
	if s, _ := portal.LoadSession(ctx, store, "portal.example.com:8443"); s.Token != "" || len(store.m) != 0 {
		t.Fatalf("left %v", store.m)
	}
	if (portal.Session{Token: "x", Expires: time.Now().Add(-time.Minute)}).Valid(time.Now()) {
		t.Fatal("expired session valid")
	}
}

func TestParseKeysPage(t *testing.T) {
	page := `<div id="Google" class="auth-service-item">
  <a id="switcherBtnGoogle" class="on_off_button  on"></a>
  <div id="popupDialogGoogle" class="popupContainerClass display-none">
    <input id="googleClientId" type="text" class="auth-service-key textEdit " placeholder="Google ID" " value="123.apps.googleusercontent.com" />
    <input id="googleClientSecret" type="password" autocomplete="new-password" class="auth-service-key textEdit " placeholder="Google Key" disabled = disabled" value="a&b<c" />
  </div>
</div>
<div id="Google Cloud Storage" class="auth-service-item">
  <a id="switcherBtnGoogleCloud" class="on_off_button  on"></a>
  <div id="popupDialogGoogleCloud" class="popupContainerClass display-none">
    <input id="json" type="text" class="auth-service-key textEdit " placeholder="json" " value="{"a": "b", "c": "<d> />"}" />
  </div>
</div>
<div id="S3" class="auth-service-item">
  <a id="switcherBtnS3" class="on_off_button disable on"></a>
</div>
<input id="other" value="not a key" />`
	got := portal.ParseKeysPage(page)
	g := got["google"]
	if !g.Offered || !g.CanSet || g.Values["googleClientId"] != "123.apps.googleusercontent.com" || g.Values["googleClientSecret"] != "a&b<c" || len(g.Inexact) != 0 {
		t.Fatalf("google %+v", g)
	}
	j := got["googlecloud"]
	if j.Values["json"] != `{"a": "b", "c": "<d> />"}` || !j.Inexact["json"] {
		t.Fatalf("json %q", j.Values["json"])
	}
	if s3 := got["s3"]; !s3.Offered || s3.CanSet || len(s3.Values) != 0 {
		t.Fatalf("s3 %+v", s3)
	}
	if len(got) != 3 || strings.Contains(g.Values["googleClientSecret"], "other") {
		t.Fatalf("%v", got)
	}
}

func FuzzParseKeysPage(f *testing.F) {
	f.Add(`<a id="switcherBtnX" class="on"></a><div id="popupDialogX"><input id="k" class="auth-service-key" " value="v" /></div>`)
	f.Add(`<a id="switcherBtn`)
	f.Fuzz(func(t *testing.T, page string) {
		_ = portal.ParseKeysPage(page)
	})
}
