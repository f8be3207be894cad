package check

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// world is a set of fakes that answer every service's check with success
// when the keys are the known good ones, as the real services would.
type world struct {
	apple   *ecdsa.PrivateKey
	gcp     *rsa.PrivateKey
	now     func() time.Time
	latency time.Duration
	aws     *awsWorld
}

var (
	worldKeys     sync.Once
	appleKey      *ecdsa.PrivateKey
	gcpKey, gcpK2 *rsa.PrivateKey
)

func keys(t testing.TB) {
	worldKeys.Do(func() {
		var err error
		if appleKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			t.Fatal(err)
		}
		if gcpKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			t.Fatal(err)
		}
		if gcpK2, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			t.Fatal(err)
		}
	})
}

func p8(t testing.TB, k *ecdsa.PrivateKey) string {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func serviceAccountJSON(t testing.TB, k *rsa.PrivateKey, project string) string {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]string{
		"type": "service_account", "project_id": project, "private_key_id": "0123456789abcdef0123456789abcdef01234567",
		"private_key":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email": "portal@" + project + ".iam.gserviceaccount.com", "client_id": "123456789012345678901",
		"auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": "https://oauth2.googleapis.com/token",
	})
	return string(b)
}

const appleClient = "com.example.portal.signin"

// allValues are good keys for every service.
func allValues(t testing.TB) map[string]map[string]string {
	keys(t)
	return map[string]map[string]string{
		"s3":          {"acesskey": akid, "secretaccesskey": awsSecret, "bucket": "portal-backup", "region": "us-east-1"},
		"apple":       {"appleIdClientId": appleClient, "appleIdTeamId": "ABCDE12345", "appleIdKeyId": "KEY1234567", "appleIdPrivateKey": p8(t, appleKey)},
		"bitly":       {"bitlyToken": "0123456789abcdef0123456789abcdef01234567"},
		"box":         {"boxClientId": "d0374ba6pgmaguie02ge15sv1mllndho", "boxClientSecret": "boxsecretboxsecretboxsecret12345"},
		"clickatell":  {"clickatellapiKey": "AbCdEfGhIjKlMnOpQrStUv=="},
		"docusign":    {"docuSignClientId": "6a2e5e8c-1111-2222-3333-444444444444", "docuSignClientSecret": "7b3f6f9d-1111-2222-3333-555555555555", "docuSignHost": "account-d.docusign.com"},
		"dropbox":     {"dropboxClientId": "5jcck7diasz0rqy", "dropboxClientSecret": "abcdefghijklmno"},
		"easybib":     {"easyBibappkey": "easybib-app-key-1234"},
		"facebook":    {"facebookClientId": "123456789012345", "facebookClientSecret": "0123456789abcdef0123456789abcdef"},
		"firebase":    {"firebase_apiKey": "AIzaSyA0123456789abcdefghijklmnopqrstuv", "firebase_projectId": "portal-push", "serviceaccount": serviceAccountJSON(t, gcpKey, "portal-push")},
		"google":      {"googleClientId": "1-abc.apps.googleusercontent.com", "googleClientSecret": "GOCSPX-AbCdEfGhIjKlMnOpQrStUvWxYz12"},
		"googlecloud": {"json": serviceAccountJSON(t, gcpKey, "portal-files"), "bucket": "portal-files"},
		"linkedin":    {"linkedInKey": "86embapip2hnsy", "linkedInSecret": "WPL_AP1.abcdefghijklmnop.abcdef=="},
		"mailru":      {"mailRuClientId": "abc123", "mailRuClientSecret": "mailrusecret123"},
		"mendeley":    {"mendeleyClientId": "3849", "mendeleyClientSecret": "0Oa7TAnpEYw04m1w"},
		"microsoft":   {"microsoftClientId": "00000000-1111-2222-3333-444444444444", "microsoftClientSecret": "abc8Q~abcdefghijklmnopqrstuvwxyz0123456", "tenant": "contoso.onmicrosoft.com"},
		"onedrive":    {"skydriveappkey": "00000000-1111-2222-3333-444444444444", "skydriveappsecret": "abc8Q~abcdefghijklmnopqrstuvwxyz0123456", "tenant": "contoso.onmicrosoft.com"},
		"rackspace":   {"username": "admin", "apiKey": "0123456789abcdef0123456789abcdef"},
		"selectel":    {"authUser": "84713_portal", "authPwd": "storage-password"},
		"smsc":        {"smsclogin": "portal", "smscpsw": "s3cret"},
		"telegram":    {"telegramBotToken": tgToken, "telegramBotName": "portal_bot"},
		"twilio":      {"twilioAccountSid": twilioSID, "twilioAuthToken": twilioToken},
		"twitter":     {"twitterKey": "abcdefghijklmnopqrstuvwxy", "twitterSecret": strings.Repeat("s", 50)},
		"vk":          {"vkClientId": "51234567", "vkClientSecret": "AbCdEfGhIjKlMnOpQrSt"},
		"wordpress":   {"wpClientId": "12345", "wpClientSecret": strings.Repeat("a1", 32)},
		"yahoo":       {"yahooClientId": "dj0yJmk9abc", "yahooClientSecret": "0123456789abcdef0123456789abcdef01234567"},
		"yandex":      {"yandexClientId": "ac39b43b9eba4cae8ffb788c06d816a8", "yandexClientSecret": "0123456789abcdef0123456789abcdef"},
		"zotero":      {"zoteroApiKey": "P9NiFoyLeZu2bZNvvuQPDWsd", "zoteroUserId": "12345"},
	}
}

func newWorld(t testing.TB, latency time.Duration) (*world, http.Handler) {
	keys(t)
	w := &world{apple: appleKey, gcp: gcpKey, now: time.Now, latency: latency, aws: newAWSWorld(t)}
	return w, w
}

var successes = map[string]string{
	"api.telegram.org":                `{"ok":true,"result":{"id":123456789,"is_bot":true,"first_name":"Portal","username":"portal_bot"}}`,
	"api.twilio.com":                  `{"status":"active","friendly_name":"Portal"}`,
	"api-ssl.bitly.com":               `{"login":"admin","name":"Ann"}`,
	"smsc.ru":                         `{"balance":"84.75"}`,
	"platform.clickatell.com":         `{"balance":12.5,"currency":"USD"}`,
	"identity.api.rackspacecloud.com": `{"access":{"user":{"id":"42","name":"admin"},"serviceCatalog":[]}}`,
	"api.zotero.org":                  `{"userID":12345,"username":"ann","access":{"user":{"library":true,"write":true}}}`,
	"api.citation-api.com":            `{"status":"ok","data":"x"}`,
	"graph.facebook.com":              `{"access_token":"1|x","token_type":"bearer"}`,
	"oauth.vk.com":                    `{"access_token":"x","expires_in":0}`,
	"api.twitter.com":                 `{"token_type":"bearer","access_token":"AAAA"}`,
	"api.mendeley.com":                `{"access_token":"x","token_type":"bearer"}`,
	"login.microsoftonline.com":       `{"token_type":"Bearer","access_token":"eyJ.x.y"}`,
	"account-d.docusign.com":          `{"access_token":"eyJ0.x.y","token_type":"Bearer"}`,
}

func (w *world) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if w.latency > 0 {
		time.Sleep(w.latency)
	}
	if strings.HasSuffix(r.Host, ".amazonaws.com") {
		w.aws.sig.ServeHTTP(rw, r)
		return
	}
	if body, ok := successes[r.Host]; ok {
		reply{200, body, nil}.write(rw)
		return
	}
	b, _ := io.ReadAll(r.Body)
	switch r.Host {
	case "api.selcdn.ru":
		reply{204, "", map[string]string{"X-Auth-Token": "tok"}}.write(rw)
	case "api.dropboxapi.com":
		var q struct {
			Query string `json:"query"`
		}
		_ = json.Unmarshal(b, &q)
		reply{200, `{"result":"` + q.Query + `"}`, nil}.write(rw)
	case "api.box.com":
		reply{400, `{"error":"unauthorized_client","error_description":"The \"box_subject_type\" value is unauthorized for this client_id"}`, nil}.write(rw)
	case "appleid.apple.com":
		w.appleToken(rw, string(b))
	case "oauth2.googleapis.com":
		w.googleToken(rw, string(b))
	case "www.googleapis.com":
		reply{200, `{"projectId":"portal-push"}`, nil}.write(rw)
	case "storage.googleapis.com", "fcm.googleapis.com":
		w.googleAPI(rw, r, string(b))
	case "www.linkedin.com", "oauth.yandex.com", "connect.mail.ru", "public-api.wordpress.com", "api.login.yahoo.com":
		reply{400, badGrant, nil}.write(rw)
	default:
		reply{404, "no fake for " + r.Host, nil}.write(rw)
	}
}

// appleToken verifies the client secret JWT as Apple does and answers the
// made-up code with invalid_grant, or invalid_client for a bad secret.
func (w *world) appleToken(rw http.ResponseWriter, body string) {
	q, _ := url.ParseQuery(body)
	tok, err := jwt.Parse(q.Get("client_secret"), func(tk *jwt.Token) (any, error) {
		return &w.apple.PublicKey, nil
	}, jwt.WithValidMethods([]string{"ES256"}), jwt.WithAudience("https://appleid.apple.com"), jwt.WithIssuer("ABCDE12345"),
		jwt.WithSubject(q.Get("client_id")), jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithTimeFunc(w.now))
	ok := err == nil && tok.Header["kid"] == "KEY1234567" && q.Get("client_id") == appleClient && q.Get("grant_type") == "authorization_code"
	if ok {
		claims := tok.Claims.(jwt.MapClaims)
		exp, _ := claims.GetExpirationTime()
		iat, _ := claims.GetIssuedAt()
		ok = exp.Sub(iat.Time) <= 15777000*time.Second
	}
	if !ok {
		reply{400, `{"error":"invalid_client"}`, nil}.write(rw)
		return
	}
	reply{400, `{"error":"invalid_grant","error_description":"The code has expired or has been revoked."}`, nil}.write(rw)
}

// googleToken verifies the service-account JWT assertion (RS256, aud =
// token_uri) and issues an access token carrying the scope.
func (w *world) googleToken(rw http.ResponseWriter, body string) {
	q, _ := url.ParseQuery(body)
	if q.Get("grant_type") == "authorization_code" { // the OAuth client's probe
		reply{400, `{"error":"invalid_grant","error_description":"Malformed auth code."}`, nil}.write(rw)
		return
	}
	if q.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		reply{400, `{"error":"unsupported_grant_type"}`, nil}.write(rw)
		return
	}
	tok, err := jwt.Parse(q.Get("assertion"), func(*jwt.Token) (any, error) { return &w.gcp.PublicKey, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithAudience("https://oauth2.googleapis.com/token"))
	if err != nil {
		reply{400, `{"error":"invalid_grant","error_description":"Invalid JWT Signature."}`, nil}.write(rw)
		return
	}
	scope, _ := tok.Claims.(jwt.MapClaims)["scope"].(string)
	reply{200, `{"access_token":"ya29.` + url.QueryEscape(scope) + `","expires_in":3599,"token_type":"Bearer"}`, nil}.write(rw)
}

func (w *world) googleAPI(rw http.ResponseWriter, r *http.Request, body string) {
	auth := r.Header.Get("Authorization")
	switch {
	case r.Host == "fcm.googleapis.com":
		if !strings.Contains(auth, "firebase.messaging") || !strings.Contains(body, `"validate_only":true`) {
			reply{403, `{"error":{"code":403,"message":"Permission denied","status":"PERMISSION_DENIED"}}`, nil}.write(rw)
			return
		}
		reply{200, `{"name":"projects/portal-push/messages/fake_message_id"}`, nil}.write(rw)
	case !strings.Contains(auth, "devstorage.read_only"):
		reply{401, `{"error":{"code":401,"message":"Invalid Credentials"}}`, nil}.write(rw)
	case r.URL.Path == "/storage/v1/b" && r.URL.Query().Get("project") != "":
		reply{200, `{"kind":"storage#buckets","items":[{"name":"portal-files"}]}`, nil}.write(rw)
	case r.URL.Path == "/storage/v1/b/portal-files":
		reply{200, `{"kind":"storage#bucket","name":"portal-files"}`, nil}.write(rw)
	case r.URL.Path == "/storage/v1/b/objects-only/o":
		reply{200, `{"kind":"storage#objects"}`, nil}.write(rw)
	case strings.HasPrefix(r.URL.Path, "/storage/v1/b/objects-only"), strings.HasPrefix(r.URL.Path, "/storage/v1/b/locked"):
		reply{403, `{"error":{"code":403,"message":"portal@x.iam.gserviceaccount.com does not have storage.buckets.get access to the Google Cloud Storage bucket."}}`, nil}.write(rw)
	default:
		reply{404, `{"error":{"code":404,"message":"The specified bucket does not exist."}}`, nil}.write(rw)
	}
}
