package check

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	"golang.org/x/oauth2/jwt"

	"keywizard/wizard"
)

const (
	awsIAMURL     = "https://console.aws.amazon.com/iam/home#/users"
	awsBucketsURL = "https://s3.console.aws.amazon.com/s3/buckets"
)

// awsAdvice maps AWS error codes (STS and S3) to what they mean.
var awsAdvice = map[string]struct{ msg, fix string }{
	"InvalidClientTokenId":  {"AWS does not know this access key ID: it is wrong, deleted or inactive", "in IAM → Users → your user → Security credentials, check the key is Active, or create a new access key"},
	"InvalidAccessKeyId":    {"AWS does not know this access key ID: it is wrong, deleted or inactive", "in IAM → Users → your user → Security credentials, check the key is Active, or create a new access key"},
	"SignatureDoesNotMatch": {"AWS rejected the secret access key: it does not belong to this access key ID", "paste the secret shown when the key was created (it is shown only once); if it is lost, create a new access key"},
	"ExpiredToken":          {"the session token has expired", "temporary (ASIA…) keys expire: get new ones with their session token, or use a long-term AKIA… key"},
	"InvalidToken":          {"the session token is not valid for this key", "paste the session token issued with this temporary key"},
	"RequestExpired":        {"AWS refused the request as too old: this computer's clock is wrong", "set the system clock (turn on automatic time) and check again"},
	"RequestTimeTooSkewed":  {"AWS refused the request: this computer's clock is wrong", "set the system clock (turn on automatic time) and check again"},
	"AccessDenied":          {"the keys work but this user may not do that", "attach a policy that allows the S3 actions on the bucket to the IAM user"},
}

func checkS3(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	if r := v.missing(awsIAMURL, "acesskey", "secretaccesskey"); r != nil {
		return *r
	}
	keyID, secret, token := strings.TrimSpace(v["acesskey"]), v["secretaccesskey"], v["sessiontoken"]
	if strings.HasPrefix(keyID, "ASIA") && token == "" {
		return fail("ASIA… keys are temporary STS keys and need their session token", "give the session token (sessiontoken), or create a long-term AKIA… access key in IAM", awsIAMURL)
	}
	region := strings.TrimSpace(v["region"])
	if region == "" {
		region = "us-east-1"
	}
	creds := aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(keyID, secret, token))
	serviceURL := strings.TrimSpace(v["serviceurl"])
	var id *wizard.Identity
	if serviceURL == "" {
		arn, r := k.callerIdentity(ctx, creds, region)
		if r != nil {
			return *r
		}
		id = &wizard.Identity{ID: arn}
	}
	r := k.s3Access(ctx, creds, region, serviceURL, v)
	r.Identity = id
	return r
}

// callerIdentity asks STS who the keys belong to: it needs no permission,
// so any error is about the keys themselves.
func (k *Checker) callerIdentity(ctx context.Context, creds aws.CredentialsProvider, region string) (string, *wizard.CheckResult) {
	opts := sts.Options{Region: "us-east-1", Credentials: creds, HTTPClient: k.client, Retryer: aws.NopRetryer{}}
	if strings.HasPrefix(region, "cn-") || strings.HasPrefix(region, "us-gov-") {
		opts.Region = region // other partitions have their own STS
	} else {
		opts.BaseEndpoint = aws.String("https://sts.amazonaws.com")
	}
	out, err := sts.New(opts).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		r := awsFailure(ctx, "AWS STS", "sts.amazonaws.com", err, awsIAMURL)
		return "", &r
	}
	return aws.ToString(out.Arn), nil
}

func (k *Checker) s3Access(ctx context.Context, creds aws.CredentialsProvider, region, serviceURL string, v values) wizard.CheckResult {
	opts := s3.Options{Region: region, Credentials: creds, HTTPClient: k.client, Retryer: aws.NopRetryer{},
		UsePathStyle: strings.EqualFold(v["forcepathstyle"], "true")}
	who, accepted := "Amazon S3", "AWS accepted the access key and secret (STS GetCallerIdentity)"
	if serviceURL != "" {
		if !strings.Contains(serviceURL, "://") {
			scheme := "https://"
			if strings.EqualFold(v["usehttp"], "true") {
				scheme = "http://"
			}
			serviceURL = scheme + serviceURL
		}
		opts.BaseEndpoint = aws.String(serviceURL)
		who, accepted = "the S3 service at "+serviceURL, "the S3 service at "+serviceURL+" accepted the access key and secret"
	}
	client := s3.New(opts)
	bucket := strings.TrimSpace(v["bucket"])
	if bucket == "" {
		_, err := client.ListBuckets(ctx, &s3.ListBucketsInput{MaxBuckets: aws.Int32(1)})
		switch {
		case err == nil:
			if serviceURL == "" {
				accepted += "; S3 lists the account's buckets"
			}
			return pass(accepted, "no bucket was given, so access to the portal's bucket was not checked", wizard.Proven)
		case awsCode(err) == "AccessDenied" && serviceURL == "":
			return pass(accepted, "the user may not list buckets (s3:ListAllMyBuckets): give the bucket to check access to it", wizard.Proven)
		}
		return awsFailure(ctx, who, "s3", err, awsIAMURL)
	}
	out, err := client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)})
	if err == nil {
		if got := aws.ToString(out.BucketRegion); got != "" && got != region {
			return failLikely(fmt.Sprintf("the bucket %s is in %s, not %s", bucket, got, region), "set the region to "+got, awsBucketsURL)
		}
		return pass(accepted+"; the bucket "+bucket+" exists in "+region+" and the keys may access it",
			"writing to the bucket was not tried", wizard.Proven)
	}
	return k.bucketFailure(ctx, client, who, bucket, region, err)
}

// bucketFailure reads a failed HeadBucket. HEAD answers carry no error
// body, so a 403 cannot tell unknown keys from a missing permission:
// ListObjectsV2 (max-keys=1, read-only) is asked to name the error. The
// outcomes of HeadBucket are standard S3 behaviour but were not verified
// against AWS for this tool, hence "likely".
func (k *Checker) bucketFailure(ctx context.Context, client *s3.Client, who, bucket, region string, err error) wizard.CheckResult {
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		return awsFailure(ctx, who, "s3", err, awsBucketsURL)
	}
	status := re.HTTPStatusCode()
	if got := re.Response.Header.Get("x-amz-bucket-region"); got != "" && got != region && status < 500 {
		return failLikely(fmt.Sprintf("the bucket %s is in %s, not %s (S3 answered %d)", bucket, got, region, status), "set the region to "+got, awsBucketsURL)
	}
	switch status {
	case http.StatusNotFound:
		return failLikely("there is no bucket named "+bucket, "check the bucket name, or create the bucket in the S3 console", awsBucketsURL)
	case http.StatusForbidden:
		code := awsCode(err)
		if code != "InvalidAccessKeyId" && code != "SignatureDoesNotMatch" && code != "AccessDenied" {
			_, lerr := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), MaxKeys: aws.Int32(1)})
			if lerr == nil {
				return pass("the keys may list the bucket "+bucket, "S3 refused HeadBucket but allowed listing; writing was not tried", wizard.Likely)
			}
			var lre *awshttp.ResponseError
			if !errors.As(lerr, &lre) || lre.HTTPStatusCode() >= 500 || lre.HTTPStatusCode() == http.StatusTooManyRequests {
				return awsFailure(ctx, who, "s3", lerr, awsBucketsURL)
			}
			err, code = lerr, awsCode(lerr)
		}
		switch code {
		case "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "RequestTimeTooSkewed":
			return awsFailure(ctx, who, "s3", err, awsIAMURL)
		case "AccessDenied", "AllAccessDisabled", "AccountProblem":
			return failLikely("the keys are valid but may not access the bucket "+bucket+" (403 AccessDenied)",
				"attach a policy to the IAM user that allows s3:ListBucket on the bucket and s3:GetObject, s3:PutObject, s3:DeleteObject on its objects", awsIAMURL)
		}
		return uncertain(fmt.Sprintf("%s refused the bucket %s (HTTP 403 %s), which this check cannot read", who, bucket, code), err.Error(), awsBucketsURL)
	case http.StatusMovedPermanently, http.StatusBadRequest:
		return failLikely(fmt.Sprintf("S3 says the bucket %s is not in %s (HTTP %d)", bucket, region, status), "set the bucket's region (shown in the S3 console's bucket list)", awsBucketsURL)
	}
	return awsFailure(ctx, who, "s3", err, awsBucketsURL)
}

// awsThrottle are the AWS error codes of rate limiting, which come with
// HTTP 400 or 503 as well as 429.
var awsThrottle = map[string]bool{
	"Throttling": true, "ThrottlingException": true, "SlowDown": true, "RequestLimitExceeded": true,
	"TooManyRequestsException": true, "RequestThrottled": true, "RequestThrottledException": true,
}

func awsCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// awsFailure explains an SDK error: a known code, a server error or rate
// limit, or a network failure.
func awsFailure(ctx context.Context, who, host string, err error, fixURL string) wizard.CheckResult {
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		return netFailure(ctx, who, host, err)
	}
	status := re.HTTPStatusCode()
	code := awsCode(err)
	if status == http.StatusTooManyRequests || status >= 500 || awsThrottle[code] {
		a := &answer{status: status, header: re.Response.Header}
		if a.status < 500 && a.status != http.StatusTooManyRequests {
			a.status = http.StatusTooManyRequests
		}
		return *serverTrouble(who, a)
	}
	if adv, ok := awsAdvice[code]; ok {
		r := fail(fmt.Sprintf("%s (%s)", adv.msg, code), adv.fix, fixURL)
		r.Details = err.Error()
		return r
	}
	return uncertain(fmt.Sprintf("%s answered HTTP %d %s, which this check cannot read", who, status, code), err.Error(), fixURL)
}

const (
	gcpServiceAccountsURL = "https://console.cloud.google.com/iam-admin/serviceaccounts"
	gcsBrowserURL         = "https://console.cloud.google.com/storage/browser"
)

type serviceAccount struct {
	ProjectID   string `json:"project_id"`
	ClientEmail string `json:"client_email"`
}

// googleToken exchanges a service-account key for an access token (the
// JWT-bearer grant at the key's token_uri).
func (k *Checker) googleToken(ctx context.Context, raw, scope string) (string, serviceAccount, *wizard.CheckResult) {
	var sa serviceAccount
	cfg, err := google.JWTConfigFromJSON([]byte(raw), scope)
	if err == nil {
		err = json.Unmarshal([]byte(raw), &sa)
	}
	if err != nil {
		r := fail("the service-account JSON cannot be used: "+err.Error(), "create a new JSON key for the service account (Keys → Add key → JSON) and paste the whole file", gcpServiceAccountsURL)
		return "", sa, &r
	}
	tok, err := tokenFrom(ctx, k.client, cfg)
	if err == nil {
		return tok, sa, nil
	}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		r := netFailure(ctx, "Google", "oauth2.googleapis.com", err)
		return "", sa, &r
	}
	if r := serverTrouble("Google", &answer{status: re.Response.StatusCode, header: re.Response.Header, body: re.Body}); r != nil {
		return "", sa, r
	}
	r := googleGrantFailure(re, sa.ClientEmail)
	return "", sa, &r
}

func tokenFrom(ctx context.Context, c *http.Client, cfg *jwt.Config) (string, error) {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, c)
	t, err := cfg.TokenSource(ctx).Token()
	if err != nil {
		return "", err
	}
	return t.AccessToken, nil
}

func googleGrantFailure(re *oauth2.RetrieveError, email string) wizard.CheckResult {
	code, desc := re.ErrorCode, re.ErrorDescription
	if code == "" { // x/oauth2/jwt leaves the error body unparsed
		e := parseTokenError(re.Body)
		code, desc = e.Code, e.Description
	}
	var r wizard.CheckResult
	switch {
	case strings.Contains(desc, "Invalid JWT Signature"):
		r = fail("Google rejected the key's signature: the key was deleted or rotated (invalid_grant: Invalid JWT Signature)",
			"open the service account "+email+", Keys tab: create a new JSON key and paste it", gcpServiceAccountsURL)
	case strings.Contains(desc, "short-lived") || strings.Contains(desc, "reasonable timeframe") || strings.Contains(desc, "iat and exp"):
		r = fail("Google refused the token request as badly timed: this computer's clock is wrong", "set the system clock (turn on automatic time) and check again", "")
	case code == "invalid_client" || strings.Contains(strings.ToLower(desc), "not found") || strings.Contains(desc, "disabled"):
		r = fail("Google does not accept the service account "+email+" ("+code+": "+desc+"): it was deleted or disabled",
			"enable the service account, or create a new one and a JSON key for it", gcpServiceAccountsURL)
	default:
		r = uncertain(fmt.Sprintf("Google refused the service-account token (HTTP %d %s: %s)", re.Response.StatusCode, code, desc), snippet(re.Body), gcpServiceAccountsURL)
	}
	r.Details = snippet(re.Body)
	return r
}

func (k *Checker) bearerGet(ctx context.Context, who, u, token string) (*answer, *wizard.CheckResult) {
	req, r := newRequest(ctx, http.MethodGet, u, nil)
	if r != nil {
		return nil, r
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return k.doGoogle(req, who)
}

// doGoogle is do for Google APIs, which report quota and rate limits as
// 403 (reason rateLimitExceeded) or RESOURCE_EXHAUSTED as well as 429.
func (k *Checker) doGoogle(req *http.Request, who string) (*answer, *wizard.CheckResult) {
	a, bad := k.do(req, who)
	if bad != nil || !googleThrottled(a.body) {
		return a, bad
	}
	r := unreachable(fmt.Sprintf("%s is rate limiting these requests or the quota is used up (HTTP %d: %s): the keys were not judged", who, a.status, googleErrorMessage(a.body)), snippet(a.body))
	r.Fix = "wait a minute and check again; do not retry in a loop"
	return nil, &r
}

func googleThrottled(b []byte) bool {
	var e struct {
		Error struct {
			Status string `json:"status"`
			Errors []struct {
				Reason string `json:"reason"`
			} `json:"errors"`
		} `json:"error"`
	}
	if json.Unmarshal(b, &e) != nil {
		return false
	}
	if e.Error.Status == "RESOURCE_EXHAUSTED" {
		return true
	}
	for _, x := range e.Error.Errors {
		switch x.Reason {
		case "rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "dailyLimitExceeded":
			return true
		}
	}
	return false
}

func googleErrorMessage(b []byte) string {
	var e struct {
		Error struct {
			Message string `json:"message"`
			Status  string `json:"status"`
		} `json:"error"`
	}
	if json.Unmarshal(b, &e) == nil && e.Error.Message != "" {
		return e.Error.Message
	}
	return snippet(b)
}

func checkGoogleCloud(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	if r := v.missing(gcpServiceAccountsURL, "json"); r != nil {
		return *r
	}
	tok, sa, r := k.googleToken(ctx, v["json"], "https://www.googleapis.com/auth/devstorage.read_only")
	if r != nil {
		return *r
	}
	id := &wizard.Identity{Email: sa.ClientEmail, ID: sa.ProjectID}
	accepted := "Google accepted the service-account key of " + sa.ClientEmail
	bucket := strings.TrimSpace(v["bucket"])
	var res wizard.CheckResult
	if bucket == "" {
		res = k.gcsList(ctx, tok, sa.ProjectID, accepted)
	} else {
		res = k.gcsBucket(ctx, tok, bucket, accepted)
	}
	res.Identity = id
	return res
}

func (k *Checker) gcsList(ctx context.Context, tok, project, accepted string) wizard.CheckResult {
	if project == "" {
		return pass(accepted, "the JSON has no project_id and no bucket was given: storage access was not checked", wizard.Proven)
	}
	u := "https://storage.googleapis.com/storage/v1/b?" + url.Values{"project": {project}, "maxResults": {"1"}}.Encode()
	a, bad := k.bearerGet(ctx, "Google Cloud Storage", u, tok)
	if bad != nil {
		bad.Message = accepted + ", but " + bad.Message
		return *bad
	}
	switch a.status {
	case http.StatusOK:
		return pass(accepted+"; it may list the buckets of project "+project, "no bucket was given, so access to the portal's bucket was not checked", wizard.Proven)
	case http.StatusForbidden:
		return pass(accepted, "it may not list the buckets of project "+project+" ("+googleErrorMessage(a.body)+"): give the bucket to check access to it", wizard.Proven)
	}
	return uncertain(fmt.Sprintf("%s, but listing buckets answered HTTP %d: %s", accepted, a.status, googleErrorMessage(a.body)), snippet(a.body), gcsBrowserURL)
}

func (k *Checker) gcsBucket(ctx context.Context, tok, bucket, accepted string) wizard.CheckResult {
	base := "https://storage.googleapis.com/storage/v1/b/" + url.PathEscape(bucket)
	a, bad := k.bearerGet(ctx, "Google Cloud Storage", base, tok)
	if bad != nil {
		bad.Message = accepted + ", but " + bad.Message
		return *bad
	}
	switch a.status {
	case http.StatusOK:
		return pass(accepted+"; the bucket "+bucket+" exists and the account may read it", "writing to the bucket was not tried", wizard.Proven)
	case http.StatusNotFound:
		return fail(accepted+", but there is no bucket named "+bucket, "check the bucket name, or create the bucket", gcsBrowserURL)
	case http.StatusForbidden:
		// Object roles (Storage Object Admin) do not include
		// storage.buckets.get: listing objects is what the portal needs.
		o, bad := k.bearerGet(ctx, "Google Cloud Storage", base+"/o?maxResults=1", tok)
		if bad == nil && o.status == http.StatusOK {
			return pass(accepted+"; it may list the objects of the bucket "+bucket, "writing to the bucket was not tried", wizard.Proven)
		}
		return fail(accepted+", but it may not access the bucket "+bucket+" ("+googleErrorMessage(a.body)+")",
			"on the bucket's Permissions tab, grant the service account Storage Object Admin", gcsBrowserURL)
	}
	return uncertain(fmt.Sprintf("%s, but reading the bucket answered HTTP %d: %s", accepted, a.status, googleErrorMessage(a.body)), snippet(a.body), gcsBrowserURL)
}

const firebaseConsoleURL = "https://console.firebase.google.com/"

func checkFirebase(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	if r := v.missing(firebaseConsoleURL, "firebase_apiKey"); r != nil {
		return *r
	}
	res := k.firebaseAPIKey(ctx, v["firebase_apiKey"], strings.TrimSpace(v["firebase_projectId"]))
	if !res.OK {
		return res
	}
	var notes []string
	if res.NotProven != "" {
		notes = append(notes, res.NotProven)
	}
	if sa := v["serviceaccount"]; sa != "" {
		fcm := k.firebaseSend(ctx, sa, strings.TrimSpace(v["firebase_projectId"]))
		if !fcm.OK {
			fcm.Message = res.Message + "; " + fcm.Message
			return fcm
		}
		res.Message += "; " + fcm.Message
		res.Certainty = wizard.Proven
		res.Identity = fcm.Identity
	} else {
		notes = append(notes, "sending was not checked: give the service-account JSON (serviceaccount) to check it with FCM's validate_only")
	}
	if v["firebase_authorization"] != "" {
		notes = append(notes, "the Web Push public key (firebase_authorization) cannot be checked online: only its shape is checked offline")
	}
	res.NotProven = strings.Join(notes, "; ")
	return res
}

func (k *Checker) firebaseAPIKey(ctx context.Context, key, project string) wizard.CheckResult {
	u := "https://www.googleapis.com/identitytoolkit/v3/relyingparty/getProjectConfig?" + url.Values{"key": {key}}.Encode()
	req, r := newRequest(ctx, http.MethodGet, u, nil)
	if r != nil {
		return *r
	}
	a, bad := k.doGoogle(req, "Google")
	if bad != nil {
		return *bad
	}
	msg := googleErrorMessage(a.body)
	switch {
	case a.status == http.StatusOK:
		var cfg struct {
			ProjectID string `json:"projectId"`
		}
		_ = json.Unmarshal(a.body, &cfg)
		if project != "" && cfg.ProjectID != "" && cfg.ProjectID != project {
			return fail("the Web API key belongs to project "+cfg.ProjectID+", not "+project, "copy the Web API key and the Project ID from the same project's settings", firebaseConsoleURL)
		}
		return pass("Google accepted the Web API key (project "+cfg.ProjectID+")", "", wizard.Likely)
	case a.status == http.StatusBadRequest && strings.Contains(msg, "API key not valid"):
		r := failLikely("Google rejected the Web API key (\"API key not valid\")", "copy the Web API key from Project settings → General", firebaseConsoleURL)
		r.Details = snippet(a.body)
		return r
	case a.status == http.StatusForbidden:
		return uncertain("Google refused the call with this key (403: "+msg+"): a key restricted to some APIs or apps is refused here even when it is right", snippet(a.body), firebaseConsoleURL)
	}
	return uncertain(fmt.Sprintf("Google answered HTTP %d (%s), which this check cannot read", a.status, msg), snippet(a.body), firebaseConsoleURL)
}

// firebaseSend asks FCM to validate (not deliver) a message to a topic.
func (k *Checker) firebaseSend(ctx context.Context, raw, project string) wizard.CheckResult {
	tok, sa, r := k.googleToken(ctx, raw, "https://www.googleapis.com/auth/firebase.messaging")
	if r != nil {
		return *r
	}
	if project == "" {
		project = sa.ProjectID
	}
	body := `{"validate_only":true,"message":{"topic":"wizard-check","notification":{"title":"t"}}}`
	req, r := newRequest(ctx, http.MethodPost, "https://fcm.googleapis.com/v1/projects/"+url.PathEscape(project)+"/messages:send", strings.NewReader(body))
	if r != nil {
		return *r
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	a, bad := k.doGoogle(req, "Firebase Cloud Messaging")
	if bad != nil {
		return *bad
	}
	id := &wizard.Identity{Email: sa.ClientEmail, ID: project}
	var res wizard.CheckResult
	switch a.status {
	case http.StatusOK:
		res = pass("FCM validated a test message for project "+project+" with the service account (validate_only: nothing was delivered)", "", wizard.Proven)
	case http.StatusForbidden, http.StatusUnauthorized:
		res = fail("FCM refused the service account "+sa.ClientEmail+" for project "+project+" ("+googleErrorMessage(a.body)+")",
			"use a key of the project's Firebase Admin SDK service account (Project settings → Service accounts → Generate new private key)", firebaseConsoleURL)
		res.Details = snippet(a.body)
	case http.StatusNotFound:
		res = fail("FCM does not know project "+project+" ("+googleErrorMessage(a.body)+")", "check the Project ID, and that the Firebase Cloud Messaging API is enabled", firebaseConsoleURL)
		res.Details = snippet(a.body)
	default:
		res = uncertain(fmt.Sprintf("FCM answered HTTP %d (%s), which this check cannot read", a.status, googleErrorMessage(a.body)), snippet(a.body), firebaseConsoleURL)
	}
	res.Identity = id
	return res
}
