package portal_test

import (
	"strings"
	"testing"

	"keywizard/wizard/portal"
)

// hostilePages are keys pages built to make a careless parser slow: marks
// with no tag end, unclosed inputs, values full of quotes.
func hostilePages(size int) map[string]string {
	fill := func(unit string) string { return strings.Repeat(unit, size/len(unit)) }
	return map[string]string{
		"switchers without tag end": fill(`id="switcherBtnX" class="disable" `),
		"dialogs without tag end":   fill(`id="popupDialogX" `),
		"switchers without class":   fill(`id="switcherBtnX" `),
		"switchers in one tag":      "<a " + fill(`id="switcherBtnX" `),
		"entities in values":        `id="popupDialogX"` + fill(`<input id="a" value="&amp;&#1;&#x1;" />`),
		"inputs in one dialog":      `id="popupDialogX"` + fill(`<input id="a" class="auth-service-key" value="v" />`),
		"unclosed single quotes":    `id="popupDialogX"` + fill(`<input id='a `),
		"inputs without tag end":    `id="popupDialogX"` + fill(`<input id="a" value="`),
		"quotes in a value":         `id="popupDialogX"<input id="a" value="` + fill(`" x `),
		"spaces after quotes":       `id="popupDialogX"<input id="a" value="` + fill(`"          `),
		"services":                  fill(`<a id="switcherBtnS" class="on_off_button on"></a><div id="popupDialogS"><input id="k" class="auth-service-key" value="v" /></div>`),
	}
}

func BenchmarkParseKeysPageHostile(b *testing.B) {
	for name, page := range hostilePages(8 << 20) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				portal.ParseKeysPage(page)
			}
		})
	}
}

// A switcher's class is read from its own tag only: a tag that never
// closes does not borrow the class of the next one (and so a page of such
// tags is not read again for each of them).
func TestParseKeysPageSwitcherOwnTag(t *testing.T) {
	page := `<a id="switcherBtnGoogle" <a id="switcherBtnS3" class="on_off_button disable on">` +
		`<a id="switcherBtnBox" ` + strings.Repeat("x ", 100) + `</a> <b class="disable">`
	got := portal.ParseKeysPage(page)
	if !got["google"].CanSet || got["s3"].CanSet || !got["box"].CanSet {
		t.Fatalf("google %+v, s3 %+v, box %+v", got["google"], got["s3"], got["box"])
	}
}
