package check

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"keywizard/wizard"
)

// Checks of services whose keys are an API key, a token or a login: each
// asks one documented, read-only question.

const botFatherURL = "https://t.me/BotFather"

func checkTelegram(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	if r := v.missing(botFatherURL, "telegramBotToken"); r != nil {
		return *r
	}
	token := v["telegramBotToken"]
	botID, _, found := strings.Cut(token, ":")
	if !found || botID == "" {
		return fail("the bot token has no \"<bot id>:\" prefix", "send /token to @BotFather, pick the bot and copy the whole token", botFatherURL)
	}
	// The token travels in the path: every error string built from this
	// request is redacted by Check before it leaves the package.
	req, r := newRequest(ctx, http.MethodGet, "https://api.telegram.org/bot"+token+"/getMe", nil)
	if r != nil {
		r.Message = "the request could not be built: the bot token has characters a token never has"
		return *r
	}
	a, bad := k.do(req, "Telegram")
	if bad != nil {
		return *bad
	}
	var me struct {
		OK     bool `json:"ok"`
		Result struct {
			ID       int64  `json:"id"`
			IsBot    bool   `json:"is_bot"`
			Username string `json:"username"`
			Name     string `json:"first_name"`
		} `json:"result"`
		Description string `json:"description"`
	}
	_ = json.Unmarshal(a.body, &me)
	switch {
	case a.status == http.StatusUnauthorized:
		return fail("Telegram rejected the bot token (401 Unauthorized): it is wrong or was revoked",
			"send /token to @BotFather, pick the bot and paste the current token", botFatherURL)
	case a.status == http.StatusNotFound:
		return failLikely("Telegram does not recognise this as a bot token (404 Not Found)", "copy the whole token from @BotFather: digits, a colon and 35 characters", botFatherURL)
	case a.status != http.StatusOK || !me.OK:
		return uncertain(fmt.Sprintf("Telegram answered HTTP %d (%s), which this check cannot read", a.status, me.Description), snippet(a.body), botFatherURL)
	}
	id := &wizard.Identity{Name: me.Result.Name, ID: "@" + me.Result.Username}
	if strconv.FormatInt(me.Result.ID, 10) != botID {
		r := fail(fmt.Sprintf("Telegram answered for bot id %d, not %s: the token's prefix does not match", me.Result.ID, botID), "copy the whole token from @BotFather again", botFatherURL)
		r.Identity = id
		return r
	}
	want := strings.TrimPrefix(strings.TrimSpace(v["telegramBotName"]), "@")
	if want != "" && !strings.EqualFold(want, me.Result.Username) {
		r := fail(fmt.Sprintf("the token belongs to @%s, but the bot username entered is @%s", me.Result.Username, want),
			"enter "+me.Result.Username+" as the bot username, or paste the token of @"+want, botFatherURL)
		r.Identity = id
		return r
	}
	res := pass("Telegram accepted the bot token of @"+me.Result.Username, "", wizard.Proven)
	if want == "" {
		res.NotProven = "no bot username was given to compare with: the portal needs it (" + me.Result.Username + ")"
	}
	res.Identity = id
	return res
}

const twilioConsoleURL = "https://console.twilio.com/"

func checkTwilio(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	if r := v.missing(twilioConsoleURL, "twilioAccountSid", "twilioAuthToken"); r != nil {
		return *r
	}
	sid, token := v["twilioAccountSid"], v["twilioAuthToken"]
	base := "https://api.twilio.com/2010-04-01/Accounts/" + url.PathEscape(sid)
	a, bad := k.twilioGet(ctx, base+".json", sid, token)
	if bad != nil {
		return *bad
	}
	var acct struct {
		Status       string `json:"status"`
		FriendlyName string `json:"friendly_name"`
		Code         int    `json:"code"`
		Message      string `json:"message"`
	}
	_ = json.Unmarshal(a.body, &acct)
	switch {
	case a.status == http.StatusUnauthorized:
		return fail(fmt.Sprintf("Twilio rejected the Account SID or Auth Token (%d %s)", acct.Code, acct.Message),
			"copy the Account SID and the Auth Token from Account Info on the console's home page", twilioConsoleURL)
	case a.status == http.StatusNotFound:
		return fail("Twilio has no account with this SID for these credentials (404)", "copy the Account SID from Account Info on the console's home page", twilioConsoleURL)
	case a.status != http.StatusOK:
		return uncertain(fmt.Sprintf("Twilio answered HTTP %d, which this check cannot read", a.status), snippet(a.body), twilioConsoleURL)
	}
	id := &wizard.Identity{Name: acct.FriendlyName, ID: sid}
	if acct.Status != "" && acct.Status != "active" {
		r := fail("the Twilio account is "+acct.Status+", not active: it cannot send SMS", "reactivate the account or upgrade it in the console", twilioConsoleURL)
		r.Identity = id
		return r
	}
	r := k.twilioSender(ctx, base, sid, token, v["twiliosender"])
	r.Identity = id
	return r
}

func (k *Checker) twilioGet(ctx context.Context, u, sid, token string) (*answer, *wizard.CheckResult) {
	req, r := newRequest(ctx, http.MethodGet, u, nil)
	if r != nil {
		return nil, r
	}
	req.SetBasicAuth(sid, token)
	return k.do(req, "Twilio")
}

// twilioSender checks that an E.164 sender is a number of the account, as
// the portal's own check lists the account's numbers.
func (k *Checker) twilioSender(ctx context.Context, base, sid, token, sender string) wizard.CheckResult {
	const accepted = "Twilio accepted the Account SID and Auth Token (the account is active)"
	sender = strings.TrimSpace(sender)
	if !strings.HasPrefix(sender, "+") {
		np := "the sender was not checked"
		if sender == "" {
			np = "no sender was given: the portal needs a Twilio phone number"
		}
		return pass(accepted, np+"; no SMS was sent", wizard.Proven)
	}
	a, bad := k.twilioGet(ctx, base+"/IncomingPhoneNumbers.json?"+url.Values{"PhoneNumber": {sender}}.Encode(), sid, token)
	if bad != nil {
		r := *bad
		r.Message = accepted + ", but the sender could not be checked: " + r.Message
		return r
	}
	var list struct {
		Numbers []struct {
			PhoneNumber  string `json:"phone_number"`
			Capabilities struct {
				SMS bool `json:"sms"`
			} `json:"capabilities"`
		} `json:"incoming_phone_numbers"`
	}
	if a.status != http.StatusOK || json.Unmarshal(a.body, &list) != nil {
		return uncertain(fmt.Sprintf("%s, but listing its numbers answered HTTP %d", accepted, a.status), snippet(a.body), twilioConsoleURL)
	}
	for _, n := range list.Numbers {
		if n.PhoneNumber == sender {
			if !n.Capabilities.SMS {
				return failLikely(accepted+", but the sender "+sender+" cannot send SMS", "pick a number with SMS capability under Phone Numbers", "https://console.twilio.com/us1/develop/phone-numbers/manage/incoming")
			}
			return pass(accepted+"; the sender "+sender+" is a number of this account", "no SMS was sent", wizard.Likely)
		}
	}
	return failLikely(accepted+", but the sender "+sender+" is not a phone number of this account",
		"enter one of the account's numbers (Phone Numbers → Active numbers) as the sender", "https://console.twilio.com/us1/develop/phone-numbers/manage/incoming")
}

func checkDropbox(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	const fixURL = "https://www.dropbox.com/developers/apps"
	if r := v.missing(fixURL, "dropboxClientId", "dropboxClientSecret"); r != nil {
		return *r
	}
	// check/app echoes the query; "ping" is the value Dropbox's own
	// documentation uses.
	const echo = "ping"
	body, _ := json.Marshal(map[string]string{"query": echo})
	req, r := newRequest(ctx, http.MethodPost, "https://api.dropboxapi.com/2/check/app", bytes.NewReader(body))
	if r != nil {
		return *r
	}
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(v["dropboxClientId"], v["dropboxClientSecret"])
	a, bad := k.do(req, "Dropbox")
	if bad != nil {
		return *bad
	}
	var out struct {
		Result string `json:"result"`
	}
	switch {
	case a.status == http.StatusOK && json.Unmarshal(a.body, &out) == nil && out.Result == echo:
		return pass("Dropbox authenticated the app key and app secret (check/app echoed the query)", signInNotProven+"; the app's permissions were not checked", wizard.Proven)
	case a.status == http.StatusOK:
		return uncertain("Dropbox answered check/app without echoing the query", snippet(a.body), fixURL)
	case a.status == http.StatusUnauthorized || a.status == http.StatusBadRequest:
		r := fail(fmt.Sprintf("Dropbox rejected the app key or app secret (HTTP %d)", a.status),
			`open the app's Settings tab and copy "App key" and "App secret" again`, fixURL)
		r.Details = snippet(a.body)
		return r
	}
	return uncertain(fmt.Sprintf("Dropbox answered HTTP %d, which this check cannot read", a.status), snippet(a.body), fixURL)
}

func checkSmsc(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	const fixURL = "https://smsc.ru/"
	if r := v.missing(fixURL, "smsclogin", "smscpsw"); r != nil {
		return *r
	}
	q := url.Values{"login": {v["smsclogin"]}, "psw": {v["smscpsw"]}, "fmt": {"3"}}
	req, r := newRequest(ctx, http.MethodGet, "https://smsc.ru/sys/balance.php?"+q.Encode(), nil)
	if r != nil {
		return *r
	}
	a, bad := k.do(req, "smsc.ru")
	if bad != nil {
		return *bad
	}
	var b struct {
		Balance   json.RawMessage `json:"balance"`
		Error     string          `json:"error"`
		ErrorCode int             `json:"error_code"`
	}
	if a.status != http.StatusOK || json.Unmarshal(a.body, &b) != nil {
		return uncertain(fmt.Sprintf("smsc.ru answered HTTP %d, which this check cannot read", a.status), snippet(a.body), fixURL)
	}
	switch b.ErrorCode {
	case 0:
	case 2:
		// Code 2 is "authorise error" in smsc.ru's API description; the
		// code table is not confirmed by a public error report.
		return failLikely("smsc.ru rejected the login or password (error 2: "+b.Error+")", "check the login, and paste the password or its lowercase MD5 hash", fixURL)
	case 4:
		// A block after too many bad requests says nothing about the keys.
		r := unreachable("smsc.ru blocked this computer's IP address for now (error 4): the keys were not judged", snippet(a.body))
		r.Fix = "wait, or allow this address in the smsc.ru account settings; do not retry in a loop"
		return r
	case 9:
		r := unreachable("smsc.ru refused a too-frequent request (error 9, rate limit): the keys were not judged", snippet(a.body))
		r.Fix = "wait a minute and check again; do not retry in a loop"
		return r
	default:
		return uncertain(fmt.Sprintf("smsc.ru answered error %d (%s)", b.ErrorCode, b.Error), snippet(a.body), fixURL)
	}
	raw := strings.Trim(string(b.Balance), `"`)
	bal, err := strconv.ParseFloat(raw, 64)
	switch {
	case err != nil:
		return uncertain("smsc.ru answered without a readable balance", snippet(a.body), fixURL)
	case bal <= 0:
		// The keys are right; the portal's own check wants money on the
		// account, which is worth saying loudly but is not a rejection.
		return pass("smsc.ru accepted the login and password, but the balance is "+raw+": top up the account first, the portal refuses to save SMS keys while the balance is zero",
			"the sender name was not checked; no SMS was sent", wizard.Proven)
	}
	return pass("smsc.ru accepted the login and password; balance "+raw, "the sender name was not checked; no SMS was sent", wizard.Proven)
}

func checkClickatell(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	const fixURL = "https://portal.clickatell.com/"
	if r := v.missing(fixURL, "clickatellapiKey"); r != nil {
		return *r
	}
	req, r := newRequest(ctx, http.MethodGet, "https://platform.clickatell.com/public-client/balance", nil)
	if r != nil {
		return *r
	}
	req.Header.Set("Authorization", v["clickatellapiKey"]) // the raw key, no scheme
	a, bad := k.do(req, "Clickatell")
	if bad != nil {
		return *bad
	}
	var b struct {
		Balance  *float64 `json:"balance"`
		Currency string   `json:"currency"`
	}
	switch {
	case a.status == http.StatusOK && json.Unmarshal(a.body, &b) == nil && b.Balance != nil:
		msg := fmt.Sprintf("Clickatell accepted the API key; balance %g %s", *b.Balance, b.Currency)
		np := "the balance call is used by public clients but not documented as a key check; no SMS was sent"
		if *b.Balance <= 0 {
			np = "the balance is zero: SMS will not be sent until it is topped up; " + np
		}
		return pass(msg, np, wizard.Likely)
	case a.status == http.StatusUnauthorized || a.status == http.StatusForbidden:
		r := failLikely(fmt.Sprintf("Clickatell rejected the API key (HTTP %d)", a.status), "copy the API key of your HTTP or REST integration again", fixURL)
		r.Details = snippet(a.body)
		return r
	}
	return uncertain(fmt.Sprintf("Clickatell answered HTTP %d, which this check cannot read", a.status), snippet(a.body), fixURL)
}

func checkRackspace(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	const fixURL = "https://login.rackspace.com/"
	if r := v.missing(fixURL, "username", "apiKey"); r != nil {
		return *r
	}
	body, _ := json.Marshal(map[string]any{"auth": map[string]any{"RAX-KSKEY:apiKeyCredentials": map[string]string{"username": v["username"], "apiKey": v["apiKey"]}}})
	req, r := newRequest(ctx, http.MethodPost, "https://identity.api.rackspacecloud.com/v2.0/tokens", bytes.NewReader(body))
	if r != nil {
		return *r
	}
	req.Header.Set("Content-Type", "application/json")
	a, bad := k.do(req, "Rackspace")
	if bad != nil {
		return *bad
	}
	switch {
	case a.status == http.StatusUnauthorized:
		var e struct {
			Unauthorized struct {
				Message string `json:"message"`
			} `json:"unauthorized"`
		}
		_ = json.Unmarshal(a.body, &e)
		msg := "Rackspace rejected the username or API key (HTTP 401)"
		if e.Unauthorized.Message != "" {
			msg = "Rackspace rejected the username or API key (" + strings.TrimSpace(e.Unauthorized.Message) + ")"
		}
		r := fail(msg, "under My Profile & Settings, show the API key and copy it with your username", fixURL)
		r.Details = snippet(a.body)
		return r
	case a.status != http.StatusOK:
		return uncertain(fmt.Sprintf("Rackspace answered HTTP %d, which this check cannot read", a.status), snippet(a.body), fixURL)
	}
	var t struct {
		Access struct {
			User struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			} `json:"user"`
			Catalog []struct {
				Type      string `json:"type"`
				Name      string `json:"name"`
				Endpoints []struct {
					Region string `json:"region"`
				} `json:"endpoints"`
			} `json:"serviceCatalog"`
		} `json:"access"`
	}
	_ = json.Unmarshal(a.body, &t)
	id := &wizard.Identity{Name: t.Access.User.Name, ID: t.Access.User.ID}
	region := strings.ToUpper(strings.TrimSpace(v["region"]))
	if region == "" {
		res := pass("Rackspace accepted the username and API key", "no region was given, so Cloud Files in that region was not checked", wizard.Proven)
		res.Identity = id
		return res
	}
	var regions []string
	for _, s := range t.Access.Catalog {
		if s.Type != "object-store" && s.Name != "cloudFiles" {
			continue
		}
		for _, e := range s.Endpoints {
			if strings.EqualFold(e.Region, region) {
				res := pass("Rackspace accepted the username and API key; Cloud Files is offered in "+region, "the containers were not checked", wizard.Proven)
				res.Identity = id
				return res
			}
			regions = append(regions, e.Region)
		}
	}
	res := failLikely("Rackspace accepted the username and API key, but the account has no Cloud Files endpoint in "+region,
		"pick one of the account's regions: "+strings.Join(regions, ", "), fixURL)
	res.Identity = id
	return res
}

func checkSelectel(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	const fixURL = "https://my.selectel.ru/"
	if r := v.missing(fixURL, "authUser", "authPwd"); r != nil {
		return *r
	}
	req, r := newRequest(ctx, http.MethodGet, "https://api.selcdn.ru/auth/v1.0", nil)
	if r != nil {
		return *r
	}
	req.Header.Set("X-Auth-User", v["authUser"])
	req.Header.Set("X-Auth-Key", v["authPwd"])
	a, bad := k.do(req, "Selectel")
	if bad != nil {
		return *bad
	}
	switch {
	case (a.status == http.StatusNoContent || a.status == http.StatusOK) && a.header.Get("X-Auth-Token") != "":
		return pass("Selectel accepted the storage user and password (legacy Swift auth)", "the containers were not checked", wizard.Proven)
	case a.status == http.StatusUnauthorized || a.status == http.StatusForbidden:
		r := failLikely(fmt.Sprintf("Selectel rejected the storage user or password (HTTP %d)", a.status),
			"the user is <account id>_<user name> as shown under Object Storage → Users; reset the user's password if unsure", fixURL)
		r.Details = snippet(a.body)
		return r
	}
	return uncertain(fmt.Sprintf("Selectel answered HTTP %d, which this check cannot read (the legacy auth endpoint may be gone for this account)", a.status), snippet(a.body), fixURL)
}

func checkZotero(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	const fixURL = "https://www.zotero.org/settings/keys"
	if r := v.missing(fixURL, "zoteroApiKey"); r != nil {
		return *r
	}
	key := strings.TrimSpace(v["zoteroApiKey"])
	a, bad := k.zoteroKey(ctx, "https://api.zotero.org/keys/current", key)
	if bad == nil && a.status == http.StatusNotFound {
		// The documented alternative names the key in the path; the
		// answer is the same JSON. The path is redacted like any secret.
		a, bad = k.zoteroKey(ctx, "https://api.zotero.org/keys/"+url.PathEscape(key), key)
	}
	if bad != nil {
		return *bad
	}
	switch {
	case a.status == http.StatusForbidden || a.status == http.StatusNotFound || a.status == http.StatusUnauthorized:
		r := failLikely(fmt.Sprintf("Zotero rejected the API key (HTTP %d): it is wrong or was revoked", a.status), "create a new key at zotero.org/settings/keys/new and paste it", fixURL)
		r.Details = snippet(a.body)
		return r
	case a.status != http.StatusOK:
		return uncertain(fmt.Sprintf("Zotero answered HTTP %d, which this check cannot read", a.status), snippet(a.body), fixURL)
	}
	var info struct {
		UserID   int64  `json:"userID"`
		Username string `json:"username"`
		Access   struct {
			User struct {
				Library bool `json:"library"`
				Write   bool `json:"write"`
			} `json:"user"`
		} `json:"access"`
	}
	_ = json.Unmarshal(a.body, &info)
	uid := strconv.FormatInt(info.UserID, 10)
	id := &wizard.Identity{Name: info.Username, ID: uid}
	if want := strings.TrimSpace(v["zoteroUserId"]); want != "" && want != uid {
		r := fail("the key belongs to user ID "+uid+", not "+want, "enter "+uid+" as the user ID (shown as \"Your userID for use in API calls\")", fixURL)
		r.Identity = id
		return r
	}
	write := "without write access"
	if info.Access.User.Write {
		write = "with write access"
	}
	res := pass("Zotero accepted the API key of "+info.Username+" (user ID "+uid+"), "+write+" to the personal library", "", wizard.Proven)
	if !info.Access.User.Library {
		res.NotProven = "the key cannot read the personal library"
	}
	res.Identity = id
	return res
}

// zoteroKey asks Zotero about an API key (GET /keys/...), with the key in
// the Zotero-API-Key header and API version 3.
func (k *Checker) zoteroKey(ctx context.Context, u, key string) (*answer, *wizard.CheckResult) {
	req, r := newRequest(ctx, http.MethodGet, u, nil)
	if r != nil {
		return nil, r
	}
	req.Header.Set("Zotero-API-Key", key)
	req.Header.Set("Zotero-API-Version", "3")
	return k.do(req, "Zotero")
}

func checkEasyBib(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	if r := v.missing("", "easyBibappkey"); r != nil {
		return *r
	}
	// A pure formatting call: nothing is stored or sent anywhere.
	body, _ := json.Marshal(map[string]any{
		"key":     v["easyBibappkey"],
		"source":  "website",
		"style":   "mla7",
		"pubtype": map[string]string{"main": "pubonline"},
		"website": map[string]string{"title": "ONLYOFFICE"},
		"pubonline": map[string]string{
			"title": "ONLYOFFICE", "inst": "Ascensio System SIA", "url": "https://www.onlyoffice.com",
		},
	})
	req, r := newRequest(ctx, http.MethodPost, "https://api.citation-api.com/2.0/rest/cite", bytes.NewReader(body))
	if r != nil {
		return *r
	}
	req.Header.Set("Content-Type", "application/json")
	a, bad := k.do(req, "EasyBib")
	if bad != nil {
		return *bad
	}
	var out struct {
		Status  string `json:"status"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(a.body, &out)
	const np = "EasyBib documents no key check and its answer to a bad key is unknown: this verdict is uncertain"
	if a.status == http.StatusOK && out.Status == "ok" {
		return pass("EasyBib formatted a citation with this key (status \"ok\")", np, wizard.Uncertain)
	}
	res := uncertain(fmt.Sprintf("EasyBib did not format the citation (HTTP %d, status %q %s): the key is probably wrong or the API is gone", a.status, out.Status, out.Message), snippet(a.body), "")
	res.NotProven = np
	res.Fix = "check the key; the EasyBib API program may no longer issue keys"
	return res
}
