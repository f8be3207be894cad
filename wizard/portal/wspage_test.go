package portal_test

import (
	"testing"

	"keywizard/wizard/portal"
)

// The template line of AuthorizationKeys.ascx, as workspace-confirm.md
// quotes it, rendered for a password prop with SaveAvailable false (the
// "disabled = disabled" and the stray quote before value=).
const templatePage = `<div id="Google" class="auth-service-item">
  <a id="switcherBtnGoogle" class="on_off_button  on"></a>
  <div id="popupDialogGoogle" class="popupContainerClass display-none">
    <input id="googleClientId" type="text" class="auth-service-key textEdit " placeholder="Google ID" " value="111.apps.googleusercontent.com" />
    <input id="googleClientSecret" type="password" autocomplete="new-password" class="auth-service-key textEdit " placeholder="Google Key" disabled = disabled" value="GOCSPX-secret" />
    <a id="saveBtnGoogle" class="button blue">Save</a>
  </div>
</div>
<div id="Amazon AWS S3" class="auth-service-item">
  <a id="switcherBtnS3" class="on_off_button disable on"></a>
</div>
<div id="Google Cloud Storage" class="auth-service-item">
  <a id="switcherBtnGoogleCloud" class="on_off_button  on"></a>
  <div id="popupDialogGoogleCloud" class="popupContainerClass display-none">
    <input id="json" type="text" class="auth-service-key textEdit " placeholder="GoogleCloud json" " value="{"type": "service_account", "x": "<&>"}" />
  </div>
</div>`

func TestParseKeysPageTemplate(t *testing.T) {
	got := portal.ParseKeysPage(templatePage)
	g := got["google"]
	if !g.Offered || !g.CanSet || g.Name != "Google" || g.Values["googleClientId"] != "111.apps.googleusercontent.com" || g.Values["googleClientSecret"] != "GOCSPX-secret" || len(g.Values) != 2 {
		t.Fatalf("google %+v", g)
	}
	if len(g.Inexact) != 0 {
		t.Fatalf("plain values flagged inexact: %v", g.Inexact)
	}
	if s3 := got["s3"]; !s3.Offered || s3.CanSet || len(s3.Values) != 0 {
		t.Fatalf("fixed consumer %+v", s3)
	}
	gc := got["googlecloud"]
	if gc.Values["json"] != `{"type": "service_account", "x": "<&>"}` || !gc.Inexact["json"] {
		t.Fatalf("json %q %v", gc.Values["json"], gc.Inexact)
	}
}

// An implementation that renders the same page differently (attribute
// order, single quotes, encoded values, the dialog apart from the
// switcher) is still read.
func TestParseKeysPageVariants(t *testing.T) {
	page := `<html><body>
<ul><li><a class='on_off_button off' id='switcherBtnTelegram'></a></li>
<li><a id="switcherBtnGoogle" class="on_off_button on"></a></li></ul>
<div class="popupContainerClass" id="popupDialogGoogle">
  <INPUT type="password" class="auth-service-key textEdit" value="a&amp;b" id="googleClientSecret">
  <input value='plain' class="auth-service-key" id="googleClientId"/>
  <input type="button" id="saveBtnGoogle" value="Save">
</div>
<div id="popupDialogTelegram"><input id="telegramBotToken" value="" class="auth-service-key"><input id="telegramBotName" value class="auth-service-key"></div>
</body></html>`
	got := portal.ParseKeysPage(page)
	g := got["google"]
	if g.Values["googleClientId"] != "plain" || g.Values["googleClientSecret"] != "a&amp;b" || len(g.Values) != 2 {
		t.Fatalf("google %+v", g.Values)
	}
	if !g.Inexact["googleClientSecret"] || portal.CompareValue(g, "googleClientSecret", "a&b") != portal.Equal {
		t.Fatalf("encoded value: inexact %v", g.Inexact)
	}
	if portal.CompareValue(g, "googleClientSecret", "a&c") == portal.Equal {
		t.Fatal("different value compared equal")
	}
	tg := got["telegram"]
	if !tg.CanSet || tg.IsSet() || len(tg.Values) != 2 {
		t.Fatalf("telegram %+v", tg)
	}
}

// A large Workspace page (hundreds of kilobytes) parses quickly.
func BenchmarkParseKeysPage(b *testing.B) {
	var page []byte
	for len(page) < 400<<10 {
		page = append(page, templatePage...)
		page = append(page, `<input id="x" value="unterminated `...)
	}
	b.ResetTimer()
	for range b.N {
		portal.ParseKeysPage(string(page))
	}
}
