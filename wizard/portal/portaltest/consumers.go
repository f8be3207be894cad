package portaltest

import "strings"

// consumer is one service in the emulated portal's settings.
type consumer struct {
	name      string   // as the portal lists it ("appleID", "Google")
	key       string   // DocSpace's case-sensitive lookup key ("appleid")
	title     string   // shown on the Workspace page
	props     []string // managed keys, in order
	values    map[string]string
	canSet    bool
	validated bool // Bitly, Telegram, Twilio, SMSC: checked on save
	login     bool // a sign-in provider, listed in capabilities when set
	paid      bool // DocSpace: needs the third-party quota on a cloud plan
	password  map[string]bool
	optional  map[string]bool
}

func (c *consumer) isSet() bool {
	for _, v := range c.values {
		if v != "" {
			return true
		}
	}
	return false
}

// enabled is the login provider's IsEnabled: every key it needs is set.
func (c *consumer) enabled() bool {
	for _, p := range c.props {
		if c.values[p] == "" && !c.optional[p] {
			return false
		}
	}
	return true
}

func (c *consumer) clear() {
	for _, p := range c.props {
		c.values[p] = ""
	}
}

func (c *consumer) managed(prop string) bool {
	for _, p := range c.props {
		if p == prop {
			return true
		}
	}
	return false
}

type def struct {
	name, title string
	props       string // space-separated; "*" marks a password field, "?" an optional one
	validated   bool
	login       bool
	paid        bool
}

// docSpaceConsumers follows DocSpace 3.7 (autofac.consumers.json): every
// name equals its lowercase key except Apple's.
var docSpaceConsumers = []def{
	{name: "s3", title: "Amazon AWS S3", props: "acesskey secretaccesskey*", paid: true},
	{name: "appleID", title: "Apple", props: "appleIdClientId appleIdTeamId appleIdKeyId appleIdPrivateKey* appleIdClientIdMobile?", login: true},
	{name: "box", title: "Box", props: "boxClientId boxClientSecret"},
	{name: "dropbox", title: "Dropbox", props: "dropboxClientId dropboxClientSecret*"},
	{name: "facebook", title: "Facebook", props: "facebookClientId facebookClientSecret*", login: true},
	{name: "firebase", title: "Firebase", props: "firebase_apiKey firebase_projectId firebase_messagingSenderId firebase_authorization*"},
	{name: "google", title: "Google", props: "googleClientId googleClientSecret*", login: true},
	{name: "googlecloud", title: "Google Cloud Storage", props: "json", paid: true},
	{name: "linkedin", title: "LinkedIn", props: "linkedInKey linkedInSecret*", login: true},
	{name: "microsoft", title: "Microsoft", props: "microsoftClientId microsoftClientSecret*", login: true},
	{name: "skydrive", title: "OneDrive", props: "skydriveappkey skydriveappsecret*"},
	{name: "rackspace", title: "Rackspace", props: "username apiKey*", paid: true},
	{name: "telegram", title: "Telegram", props: "telegramBotToken* telegramBotName", validated: true},
	{name: "twilio", title: "Twilio", props: "twilioAccountSid twilioAuthToken* twiliosender", validated: true},
	{name: "twitter", title: "X (Twitter)", props: "twitterKey twitterSecret*", login: true},
	{name: "zoom", title: "Zoom", props: "zoomClientId zoomClientSecret", login: true},
	{name: "weixin", title: "WeChat", props: "weixinClientId weixinClientSecret", login: true},
}

// workspaceConsumers follows Workspace 12.7 (web.consumers.config).
var workspaceConsumers = []def{
	{name: "S3", title: "Amazon AWS S3", props: "acesskey secretaccesskey*"},
	{name: "AppleID", title: "Apple", props: "appleIdClientId appleIdTeamId appleIdKeyId appleIdPrivateKey*", login: true},
	{name: "Bitly", title: "Bitly", props: "bitlyToken*", validated: true},
	{name: "Box", title: "Box", props: "boxClientId boxClientSecret"},
	{name: "Clickatell", title: "Clickatell", props: "clickatellapiKey*"},
	{name: "DocuSign", title: "DocuSign", props: "docuSignClientId docuSignClientSecret* docuSignHost"},
	{name: "DropBox", title: "Dropbox", props: "dropboxClientId dropboxClientSecret*"},
	{name: "Facebook", title: "Facebook", props: "facebookClientId facebookClientSecret*", login: true},
	{name: "Firebase", title: "Firebase", props: "firebase_apiKey firebase_projectId firebase_messagingSenderId firebase_authorization*"},
	{name: "Google", title: "Google", props: "googleClientId googleClientSecret*", login: true},
	{name: "GoogleCloud", title: "Google Cloud Storage", props: "json"},
	{name: "LinkedIn", title: "LinkedIn", props: "linkedInKey linkedInSecret*", login: true},
	{name: "Mailru", title: "Mail.ru", props: "mailRuClientId mailRuClientSecret*", login: true},
	{name: "Microsoft", title: "Microsoft", props: "microsoftClientId microsoftClientSecret*", login: true},
	{name: "SkyDrive", title: "OneDrive", props: "skydriveappkey skydriveappsecret*"},
	{name: "Rackspace", title: "Rackspace", props: "username apiKey*"},
	{name: "Selectel", title: "Selectel", props: "authUser authPwd*"},
	{name: "Smsc", title: "SMSC", props: "smsclogin smscpsw* smscsender", validated: true},
	{name: "Telegram", title: "Telegram", props: "telegramBotToken* telegramBotName", validated: true},
	{name: "Twilio", title: "Twilio", props: "twilioAccountSid twilioAuthToken* twiliosender", validated: true},
	{name: "Twitter", title: "X (Twitter)", props: "twitterKey twitterSecret*", login: true},
	{name: "Vk", title: "VK", props: "vkClientId vkClientSecret*", login: true},
	{name: "Yandex", title: "Yandex", props: "yandexClientId yandexClientSecret*", login: true},
}

func buildConsumers(defs []def) []*consumer {
	out := make([]*consumer, 0, len(defs))
	for _, d := range defs {
		c := &consumer{
			name: d.name, key: strings.ToLower(d.name), title: d.title,
			values: map[string]string{}, password: map[string]bool{}, optional: map[string]bool{},
			canSet: true, validated: d.validated, login: d.login, paid: d.paid,
		}
		for _, p := range strings.Fields(d.props) {
			name := strings.TrimRight(p, "*?")
			c.password[name] = strings.HasSuffix(p, "*")
			c.optional[name] = strings.HasSuffix(p, "?")
			c.props = append(c.props, name)
			c.values[name] = ""
		}
		out = append(out, c)
	}
	return out
}
