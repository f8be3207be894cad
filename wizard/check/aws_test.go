package check

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"keywizard/wizard"
)

const (
	akid      = "AKIAIOSFODNN7EXAMPLE"
	awsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	asid      = "ASIAIOSFODNN7EXAMPLE"
	asSecret  = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"
	asToken   = "IQoJb3JpZ2luX2VjEXAMPLEsessiontoken"
	callerARN = "arn:aws:iam::123456789012:user/portal-backup"
)

var authRE = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$`)

// sigV4 verifies every request's signature by signing it again with the
// known secret (aws-sdk-go-v2's own signer) and comparing. A mismatch is
// answered the way AWS answers it, and counted.
type sigV4 struct {
	secrets map[string]string // access key id -> secret
	tokens  map[string]string // access key id -> session token
	next    http.Handler
	bad     atomic.Int32
	seen    atomic.Int32
}

func (s *sigV4) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.seen.Add(1)
	m := authRE.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		s.bad.Add(1)
		awsError(w, r, "s3", 403, "AccessDenied", "no SigV4 Authorization header")
		return
	}
	id, region, service, signed, sig := m[1], m[3], m[4], m[5], m[6]
	secret, ok := s.secrets[id]
	if !ok {
		code := "InvalidAccessKeyId"
		if service == "sts" {
			code = "InvalidClientTokenId"
		}
		awsError(w, r, service, 403, code, "The AWS Access Key Id you provided does not exist in our records.")
		return
	}
	if tok := s.tokens[id]; tok != "" && r.Header.Get("X-Amz-Security-Token") != tok {
		awsError(w, r, service, 403, "InvalidToken", "The provided token is malformed or otherwise invalid.")
		return
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	want, err := resign(r, body, id, secret, region, service, signed)
	if err != nil || want != sig {
		s.bad.Add(1)
		awsError(w, r, service, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
		return
	}
	s.next.ServeHTTP(w, r)
}

func resign(r *http.Request, body []byte, id, secret, region, service, signed string) (string, error) {
	payload := r.Header.Get("X-Amz-Content-Sha256")
	if payload == "" {
		sum := sha256.Sum256(body)
		payload = hex.EncodeToString(sum[:])
	}
	when, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return "", err
	}
	req, err := http.NewRequest(r.Method, "https://"+r.Host+r.URL.RequestURI(), nil)
	if err != nil {
		return "", err
	}
	req.ContentLength = r.ContentLength
	for _, h := range strings.Split(signed, ";") {
		if h != "host" && h != "content-length" {
			req.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = service == "s3" })
	creds := aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: r.Header.Get("X-Amz-Security-Token")}
	if err := signer.SignHTTP(context.Background(), creds, req, payload, service, region, when); err != nil {
		return "", err
	}
	m := authRE.FindStringSubmatch(req.Header.Get("Authorization"))
	if m == nil {
		return "", fmt.Errorf("re-signed header unreadable")
	}
	if m[5] != signed {
		return "", fmt.Errorf("signed headers differ: %s vs %s", m[5], signed)
	}
	return m[6], nil
}

func awsError(w http.ResponseWriter, r *http.Request, service string, status int, code, msg string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	if service == "sts" {
		fmt.Fprintf(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>`, code, msg)
		return
	}
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>`, code, msg)
}

// stsFake answers GetCallerIdentity as documented, or a forced error.
func stsFake(t testing.TB, force *atomic.Value) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		q, _ := url.ParseQuery(string(b))
		if r.Method != http.MethodPost || q.Get("Action") != "GetCallerIdentity" || q.Get("Version") != "2011-06-15" {
			t.Errorf("STS request %s %v", r.Method, q)
		}
		if f, _ := force.Load().(reply); f.status != 0 {
			f.write(w)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>%s</Arn><UserId>AIDASAMPLEUSERID</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata></GetCallerIdentityResponse>`, callerARN)
	})
}

type awsWorld struct {
	k     *Checker
	sig   *sigV4
	force *atomic.Value
}

func newAWSWorld(t testing.TB) *awsWorld {
	backend := s3mem.New()
	for _, b := range []string{"portal-backup", "portal-eu", "locked"} {
		if err := backend.CreateBucket(b); err != nil {
			t.Fatal(err)
		}
	}
	faker := gofakes3.New(backend, gofakes3.WithHostBucketBase("s3.us-east-1.amazonaws.com", "s3.eu-west-1.amazonaws.com", "s3.amazonaws.com"))
	s3h := faker.Server()
	bucketRegion := map[string]string{"portal-backup": "us-east-1", "portal-eu": "eu-west-1", "locked": "us-east-1"}
	front := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// What gofakes3 does not model: regions and bucket policies.
		if b, rest, ok := strings.Cut(r.Host, ".s3."); ok {
			region := strings.TrimSuffix(rest, ".amazonaws.com")
			if want := bucketRegion[b]; want != "" && want != region {
				w.Header().Set("x-amz-bucket-region", want)
				awsError(w, r, "s3", http.StatusMovedPermanently, "PermanentRedirect", "The bucket you are attempting to access must be addressed using the specified endpoint.")
				return
			}
			if b == "locked" {
				awsError(w, r, "s3", http.StatusForbidden, "AccessDenied", "Access Denied")
				return
			}
		}
		s3h.ServeHTTP(w, r)
	})
	force := &atomic.Value{}
	sts := stsFake(t, force)
	sig := &sigV4{
		secrets: map[string]string{akid: awsSecret, asid: asSecret},
		tokens:  map[string]string{asid: asToken},
		next: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Host == "sts.amazonaws.com" {
				sts.ServeHTTP(w, r)
				return
			}
			front.ServeHTTP(w, r)
		}),
	}
	return &awsWorld{k: fakeChecker(t, sig), sig: sig, force: force}
}

func TestS3(t *testing.T) {
	good := map[string]string{"acesskey": akid, "secretaccesskey": awsSecret}
	with := func(extra map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range good {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	cases := []struct {
		name    string
		vals    map[string]string
		force   reply
		want    want
		signBad bool // the wrapper must have refused a signature
	}{
		{name: "keys and bucket", vals: with(map[string]string{"bucket": "portal-backup", "region": "us-east-1"}), want: want{ok: true, certainty: wizard.Proven, text: "portal-backup exists"}},
		{name: "keys, default region, list buckets", vals: good, want: want{ok: true, certainty: wizard.Proven, text: "lists the account's buckets"}},
		{name: "temporary keys with session token", vals: map[string]string{"acesskey": asid, "secretaccesskey": asSecret, "sessiontoken": asToken, "bucket": "portal-backup"}, want: want{ok: true, certainty: wizard.Proven}},
		{name: "temporary keys without token", vals: map[string]string{"acesskey": asid, "secretaccesskey": asSecret}, want: want{certainty: wizard.Proven, text: "session token"}},
		{name: "wrong secret", vals: with(map[string]string{"secretaccesskey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY00"}), want: want{certainty: wizard.Proven, text: "SignatureDoesNotMatch"}, signBad: true},
		{name: "unknown key", vals: with(map[string]string{"acesskey": "AKIAUNKNOWNKEY000000"}), want: want{certainty: wizard.Proven, text: "InvalidClientTokenId"}},
		{name: "wrong region", vals: with(map[string]string{"bucket": "portal-eu", "region": "us-east-1"}), want: want{certainty: wizard.Likely, text: "is in eu-west-1"}},
		{name: "no such bucket", vals: with(map[string]string{"bucket": "nobucket"}), want: want{certainty: wizard.Likely, text: "no bucket named nobucket"}},
		{name: "access denied", vals: with(map[string]string{"bucket": "locked"}), want: want{certainty: wizard.Likely, text: "may not access the bucket locked"}},
		{name: "expired session", vals: good, force: reply{403, `<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error></ErrorResponse>`, nil}, want: want{certainty: wizard.Proven, text: "expired"}},
		{name: "throttled", vals: good, force: reply{400, `<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>`, nil}, want: want{unreachable: true, text: "rate limit"}},
		{name: "server error", vals: good, force: reply{500, `<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>x</Message></Error></ErrorResponse>`, nil}, want: want{unreachable: true, text: "server error"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newAWSWorld(t)
			w.force.Store(tc.force)
			res := w.k.Check(context.Background(), "s3", tc.vals)
			assertResult(t, res, tc.want)
			assertNoSecrets(t, res, tc.vals)
			if tc.want.ok && (res.Identity == nil || res.Identity.ID != callerARN) {
				t.Errorf("identity %+v, want the caller ARN", res.Identity)
			}
			if bad := w.sig.bad.Load(); (bad > 0) != tc.signBad {
				t.Errorf("%d requests failed SigV4 verification (of %d)", bad, w.sig.seen.Load())
			}
		})
	}
}

// TestSigV4WrapperCatchesBadSignatures makes sure the verification wrapper
// is not a rubber stamp: a request signed with another secret for a known
// key id is refused.
func TestSigV4WrapperCatchesBadSignatures(t *testing.T) {
	sig := &sigV4{secrets: map[string]string{akid: awsSecret}, next: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(200) })}
	for _, secret := range []string{awsSecret, "not-the-secret"} {
		req, _ := http.NewRequest("GET", "https://s3.us-east-1.amazonaws.com/?x-id=ListBuckets", http.NoBody)
		sum := sha256.Sum256(nil)
		payload := hex.EncodeToString(sum[:])
		req.Header.Set("X-Amz-Content-Sha256", payload)
		err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret}, req, payload, "s3", "us-east-1", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		rec := &recorder{header: http.Header{}}
		req.Host = req.URL.Host
		sig.ServeHTTP(rec, req)
		if ok := rec.status == 200; ok != (secret == awsSecret) {
			t.Fatalf("secret %q: status %d", secret, rec.status)
		}
	}
}

type recorder struct {
	header http.Header
	status int
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return len(b), nil }
func (r *recorder) WriteHeader(s int)           { r.status = s }
