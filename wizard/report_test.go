package wizard

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestReport(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.Local)
	day := func(n int) time.Time { return now.AddDate(0, 0, n) }
	in := ReportInput{
		Now: now, Portal: "https://docspace.example.com", Product: "docspace", Version: "3.7.1",
		Where: "the OS keyring",
		Records: []ServiceRecord{
			{Service: "microsoft", Status: OnPortal, Filled: []string{"microsoftClientId", "microsoftClientSecret", "expiresOn"},
				Check:  &Recorded{OK: true, Message: "secret accepted by Microsoft", At: day(-3)},
				SignIn: &Recorded{OK: false, Message: "redirect_uri_mismatch", At: day(-4)},
				Push:   &Recorded{OK: true, Message: "pushed and read back", At: day(-2)},
				Keys:   KeyFacts{Saved: day(-5), Expires: now.AddDate(0, 0, 12).Format("2006-01-02")}},
			{Service: "telegram", Status: Problem, Filled: []string{"telegramBotToken"},
				Check:  &Recorded{OK: false, Message: "Telegram refused the token <script>", At: day(-1)},
				Portal: &Recorded{OK: false, Message: "not set", At: day(-1)}},
			{Service: "box", Status: NotStarted}, // nothing recorded: left out
		},
	}
	r := BuildReport(in)
	if len(r.Services) != 2 || r.Services[0].Service != "microsoft" || r.Services[1].Service != "telegram" {
		t.Fatalf("services %+v", r.Services)
	}
	ms := r.Services[0]
	if ms.Verified == nil || ms.Verified.By != "online check" || ms.Problem != nil {
		t.Errorf("microsoft verified %+v problem %+v", ms.Verified, ms.Problem)
	}
	if ms.Expiry == nil || ms.Expiry.Days != 12 || ms.Portal.By != "push" {
		t.Errorf("microsoft expiry %+v portal %+v", ms.Expiry, ms.Portal)
	}
	if len(ms.Set) != 3 || !ms.Set[1].Secret || !ms.Set[2].Local {
		t.Errorf("microsoft set %+v", ms.Set)
	}
	tg := r.Services[1]
	if tg.Verified != nil || tg.Problem == nil || tg.Portal.By != "portal reading" {
		t.Errorf("telegram %+v", tg)
	}

	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Portal: https://docspace.example.com (DocSpace 3.7.1)",
		"Microsoft (sign-in): on the portal",
		"set:      Application (client) ID, Client secret value, Secret expires on (for the expiry watch) (kept here only)",
		"by the online check: secret accepted by Microsoft",
		"portal:   pushed ",
		"expiry:   expires in 12 days (",
		"keys stored 5 days ago",
		"problem:  ",
		"portal:   not set (read ",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	var page bytes.Buffer
	if err := r.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(page.String(), "<script>") || !strings.Contains(page.String(), "&lt;script&gt;") {
		t.Error("the page does not escape outside text")
	}
	if !strings.Contains(page.String(), `class="warn">expires in 12 days`) {
		t.Errorf("the page does not mark the near expiry:\n%s", page.String())
	}
}

func TestReportScrub(t *testing.T) {
	r := BuildReport(ReportInput{Now: time.Now(), Records: []ServiceRecord{
		{Service: "telegram", Filled: []string{"telegramBotToken"}, Check: &Recorded{Message: "token 7123456789:AAH-canary refused", At: time.Now()}},
	}})
	r.Scrub([]string{"7123456789:AAH-canary", "", "ab"})
	if msg := r.Services[0].Problem.Message; msg != "token <redacted> refused" {
		t.Errorf("scrubbed %q", msg)
	}
	var empty bytes.Buffer
	if err := BuildReport(ReportInput{Now: time.Now()}).WriteText(&empty); err != nil || !strings.Contains(empty.String(), "No service has been set up yet") {
		t.Errorf("empty report %q %v", empty.String(), err)
	}
}
