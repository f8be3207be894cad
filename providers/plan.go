package providers

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Goal is one thing an administrator wants the portal to do, in their own
// words, and the service that does it. Several goals may need the same
// service (Google does sign-in and Google Drive).
type Goal struct {
	ID       string   // "signin:google": the category's word, then the service id
	Category Category // the question it answers
	Service  string   // the service id
	Words    string   // "Sign in with Google"
}

// Goals lists every goal, grouped by category in display order, the usual
// choices first within each category.
func Goals() []Goal {
	var out []Goal
	for _, c := range Categories {
		for _, id := range goalServices[c] {
			out = append(out, Goal{ID: CategoryWord(c) + ":" + id, Category: c, Service: id, Words: goalWords[CategoryWord(c)+":"+id]})
		}
	}
	return out
}

// goalServices are the services that answer each category's question, the
// usual choices first.
var goalServices = map[Category][]string{
	SignIn:          {"google", "microsoft", "apple", "facebook", "linkedin", "twitter", "yandex", "vk", "mailru"},
	DocumentStorage: {"google", "onedrive", "dropbox", "box"},
	BackupStorage:   {"s3", "googlecloud", "rackspace", "selectel"},
	SMS:             {"twilio", "clickatell", "smsc"},
	Notifications:   {"telegram", "firebase"},
	Links:           {"bitly"},
	ESignature:      {"docusign"},
	EditorPlugins:   {"zotero", "mendeley", "easybib", "wordpress"},
	Contacts:        {"yahoo"},
}

var goalWords = map[string]string{
	"signin:google":          "Sign in with Google",
	"signin:microsoft":       "Sign in with Microsoft",
	"signin:apple":           "Sign in with Apple",
	"signin:facebook":        "Sign in with Facebook",
	"signin:linkedin":        "Sign in with LinkedIn",
	"signin:twitter":         "Sign in with X (Twitter)",
	"signin:yandex":          "Sign in with Yandex",
	"signin:vk":              "Sign in with VK",
	"signin:mailru":          "Sign in with Mail.ru",
	"storage:google":         "Connect Google Drive to the documents",
	"storage:onedrive":       "Connect OneDrive to the documents",
	"storage:dropbox":        "Connect Dropbox to the documents",
	"storage:box":            "Connect Box to the documents",
	"backup:s3":              "Keep backups in Amazon S3",
	"backup:googlecloud":     "Keep backups in Google Cloud Storage",
	"backup:rackspace":       "Keep backups in Rackspace Cloud Files",
	"backup:selectel":        "Keep backups in Selectel Cloud Storage",
	"sms:twilio":             "Send two-factor codes by SMS with Twilio",
	"sms:clickatell":         "Send two-factor codes by SMS with Clickatell",
	"sms:smsc":               "Send two-factor codes by SMS with smsc.ru",
	"notifications:telegram": "Send notifications to Telegram",
	"notifications:firebase": "Send push notifications to the mobile apps (Firebase)",
	"links:bitly":            "Shorten shared links with Bitly",
	"esign:docusign":         "Send documents for e-signature with DocuSign",
	"plugins:zotero":         "Zotero references in the editors",
	"plugins:mendeley":       "Mendeley references in the editors",
	"plugins:easybib":        "EasyBib citations in the editors",
	"plugins:wordpress":      "Publish to WordPress from the editors",
	"contacts:yahoo":         "Import contacts from Yahoo",
}

// categoryWords are the short words of the categories on the command line.
var categoryWords = map[Category]string{
	SignIn: "signin", DocumentStorage: "storage", BackupStorage: "backup", SMS: "sms",
	Notifications: "notifications", Links: "links", ESignature: "esign",
	EditorPlugins: "plugins", Contacts: "contacts",
}

// CategoryWord is the category's word on the command line: "signin",
// "storage", "backup", "sms", ...
func CategoryWord(c Category) string { return categoryWords[c] }

// Question is a category as the first run asks it.
func Question(c Category) string {
	switch c {
	case SignIn:
		return "Let people sign in with an account they already have"
	case DocumentStorage:
		return "Let people connect their cloud storage to the documents"
	case BackupStorage:
		return "Keep the portal's backups in a cloud storage (one is enough)"
	case SMS:
		return "Send two-factor codes by SMS (one provider is enough)"
	case Notifications:
		return "Send notifications"
	case Links:
		return "Shorten the links people share"
	case ESignature:
		return "Send documents for electronic signature"
	case EditorPlugins:
		return "Add plugins to the editors"
	case Contacts:
		return "Import contacts"
	}
	return capitalFirst(string(c))
}

func capitalFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// ParseGoals turns the command line's words into goal ids, in the order
// given, without repeats. A word is a goal id ("signin:google"), a service
// id ("google": every goal of that service), or a category word when the
// category has a single service ("links", "esign"). A category word with a
// choice is refused with the choices named.
func ParseGoals(words []string) ([]string, error) {
	all := Goals()
	var out []string
	seen := map[string]bool{}
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, w := range words {
		w = strings.ToLower(strings.TrimSpace(w))
		if w == "" {
			continue
		}
		ids, err := goalsFor(all, w)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			add(id)
		}
	}
	return out, nil
}

func goalsFor(all []Goal, w string) ([]string, error) {
	var byService, byCategory []string
	for _, g := range all {
		switch {
		case g.ID == w:
			return []string{g.ID}, nil
		case g.Service == w:
			byService = append(byService, g.ID)
		case CategoryWord(g.Category) == w:
			byCategory = append(byCategory, g.ID)
		}
	}
	switch {
	case len(byService) > 0:
		return byService, nil
	case len(byCategory) == 1:
		return byCategory, nil
	case len(byCategory) > 1:
		return nil, errors.New(w + " has a choice: name one or more of " + strings.Join(byCategory, ", "))
	}
	return nil, errors.New("unknown goal " + strconv.Quote(w) + ": run 'keywizard plan --goals' for the list")
}

// Setup is what setting a service up takes: the usual time, and what the
// administrator needs at hand before starting.
type Setup struct {
	Minutes int      // usual time for a first set-up, console included
	Needs   []string // accounts, projects, numbers to have at hand
}

// SetupOf returns the set-up facts of a service.
func SetupOf(id string) (Setup, bool) {
	s, ok := setups[id]
	return s, ok
}

var setups = map[string]Setup{
	"apple":       {30, []string{"a paid Apple Developer Program membership, signed in as its Account Holder or an Admin", "a safe place for the private key (.p8): Apple lets you download it only once"}},
	"google":      {20, []string{"a Google account that may create projects in the Google Cloud console", "a Google Cloud project for the portal, or the right to create one"}},
	"microsoft":   {15, []string{"a Microsoft Entra (Azure) account that may register applications", "the secret's expiry date, which the console shows when you create it"}},
	"facebook":    {20, []string{"a Meta for Developers account", "the address of the portal's privacy policy: an app cannot go Live without one"}},
	"linkedin":    {15, []string{"a LinkedIn account that administers the company page the app belongs to"}},
	"twitter":     {20, []string{"an X developer account (the free tier is enough)"}},
	"yandex":      {10, []string{"a Yandex account"}},
	"vk":          {10, []string{"a VK account"}},
	"mailru":      {15, []string{"a Mail.ru account"}},
	"onedrive":    {15, []string{"a Microsoft Entra (Azure) account that may register applications", "the secret's expiry date, which the console shows when you create it"}},
	"dropbox":     {10, []string{"a Dropbox account"}},
	"box":         {15, []string{"a Box account (a free developer account works)"}},
	"s3":          {20, []string{"an AWS account that may create IAM users and S3 buckets"}},
	"googlecloud": {20, []string{"a Google Cloud project with billing turned on", "the right to create service accounts and buckets in it"}},
	"rackspace":   {10, []string{"a Rackspace Cloud account with Cloud Files"}},
	"selectel":    {10, []string{"a Selectel account with Cloud Storage"}},
	"twilio":      {15, []string{"a Twilio account with a phone number that can send SMS", "an upgraded account: a trial one sends only to verified numbers", "for codes to US numbers, an A2P 10DLC registration of the number, or a verified toll-free number"}},
	"clickatell":  {10, []string{"a Clickatell account with SMS credit"}},
	"smsc":        {10, []string{"an smsc.ru account with credit"}},
	"telegram":    {5, []string{"the Telegram app, to talk to @BotFather"}},
	"firebase":    {20, []string{"a Firebase project (any Google account can create one)"}},
	"bitly":       {5, []string{"a Bitly account"}},
	"docusign":    {20, []string{"a DocuSign developer account; going live later needs a paid DocuSign account"}},
	"zotero":      {5, []string{"a Zotero account"}},
	"mendeley":    {10, []string{"an Elsevier developer account for Mendeley"}},
	"easybib":     {5, []string{"an EasyBib API key from Chegg"}},
	"wordpress":   {10, []string{"a WordPress.com account"}},
	"yahoo":       {10, []string{"a Yahoo account"}},
}

// OfferedIn says whether a product's consumer exists in a version of that
// product, and if not, why. An empty version means the newest release:
// services the product removed are left out, services it added are kept.
// Removal dates ("2024-08") are about the cloud service and every release
// since, so they count as removed too.
func OfferedIn(c *Consumer, version string) (bool, string) {
	if c == nil {
		return false, "never offered"
	}
	if c.Removed != "" {
		if !isVersion(c.Removed) || version == "" || CompareVersions(version, c.Removed) >= 0 {
			return false, "removed in " + c.Removed
		}
	}
	if c.Since != "" && version != "" && isVersion(c.Since) && CompareVersions(version, c.Since) < 0 {
		return false, "added in " + c.Since
	}
	return true, ""
}

func isVersion(v string) bool {
	v = strings.TrimLeft(v, "vV")
	return v != "" && v[0] >= '0' && v[0] <= '9' && !strings.Contains(v, "-")
}

// CompareVersions orders dotted versions such as "v12.5.2" and
// "3.7.1.1234" part by part as numbers, a missing part counting as zero:
// -1 when a is older, 0 when equal, 1 when newer.
func CompareVersions(a, b string) int {
	as := strings.Split(strings.TrimLeft(strings.TrimSpace(a), "vV"), ".")
	bs := strings.Split(strings.TrimLeft(strings.TrimSpace(b), "vV"), ".")
	for i := range max(len(as), len(bs)) {
		x, y := versionPart(as, i), versionPart(bs, i)
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// versionPart is the leading number of part i ("2-beta" counts as 2).
func versionPart(parts []string, i int) int {
	if i >= len(parts) {
		return 0
	}
	s := parts[i]
	end := 0
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, _ := strconv.Atoi(s[:end])
	return n
}

// Field ids of the facts Keywizard keeps for the expiry watch. They are
// Local fields: never sent to the portal.
const (
	// ExpiresField holds the date a secret stops working, as the console
	// shows it, in the form 2006-01-02.
	ExpiresField = "expiresOn"
	// PublishingField holds a Google app's publishing status: "Testing" or
	// "In production".
	PublishingField = "publishingStatus"
)

// DateLayout is how expiry dates are typed and kept.
const DateLayout = "2006-01-02"

// expiresField is the optional date a secret expires. maxMonths > 0 bounds
// how far ahead the console allows.
func expiresField(label, help string, maxMonths int) Field {
	return Field{
		ID: ExpiresField, Label: label, Optional: true, Local: true, Help: help,
		Example: time.Now().AddDate(0, 6, 0).Format(DateLayout),
		Check:   expiryDateCheck(maxMonths, time.Now),
	}
}

// expiryDateCheck accepts a date in the form 2006-01-02, warns when it has
// passed, and refuses one further ahead than the console allows.
func expiryDateCheck(maxMonths int, now func() time.Time) func(string) error {
	return func(v string) error {
		d, err := time.Parse(DateLayout, v)
		if err != nil {
			return errors.New("type the date as year-month-day, for example " + now().AddDate(1, 0, 0).Format(DateLayout))
		}
		today := now().UTC().Truncate(24 * time.Hour)
		if maxMonths > 0 && d.After(today.AddDate(0, maxMonths, 1)) {
			return errors.New("this is more than " + strconv.Itoa(maxMonths) + " months ahead, longer than the console allows: copy the date from the secret's \"Expires\" column again")
		}
		if d.Before(today) {
			return Warnf("this date has passed: the secret no longer works; create a new one and paste its value and date")
		}
		return nil
	}
}

// publishingField is a Google app's publishing status.
func publishingField() Field {
	return Field{
		ID: PublishingField, Label: "Publishing status (for the expiry watch)", Optional: true, Local: true,
		Help:    `On the "Audience" page (formerly "OAuth consent screen"), the "Publishing status": Testing or In production.`,
		Example: "In production",
		Check:   publishingCheck,
	}
}

func publishingCheck(v string) error {
	switch {
	case InTesting(v):
		return Warnf(`apps in Testing: only the listed test users can sign in and their Google Drive connections stop after 7 days; click "Publish app" on the Audience page`)
	case strings.EqualFold(v, "in production"), strings.EqualFold(v, "production"):
		return nil
	}
	return errors.New(`type the "Publishing status" as the Audience page shows it: Testing or In production`)
}

// InTesting reports whether a publishing status is Google's "Testing".
func InTesting(v string) bool { return strings.EqualFold(strings.TrimSpace(v), "testing") }
