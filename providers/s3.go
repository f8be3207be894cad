package providers

import (
	"errors"
	"net"
	"regexp"
	"strings"
)

func s3() Provider {
	return Provider{
		ID:       "s3",
		Title:    "Amazon AWS S3",
		Category: BackupStorage,
		Purpose:  "Stores the portal's backups, and optionally its data and static files, in an Amazon S3 bucket.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "s3", Props: []string{"acesskey", "secretaccesskey"}, Paid: true},
			Workspace: &Consumer{Name: "S3", Props: []string{"acesskey", "secretaccesskey"}},
		},
		Fields: []Field{
			{
				ID: "acesskey", Label: "Access key ID",
				Help:    `In IAM, on the user's "Security credentials" tab under "Access keys": 20 capital letters and digits starting with AKIA.`,
				Example: "AKIA2OGYBAH6Q4XKZN5T",
				Check:   awsAccessKeyIDCheck(),
			},
			{
				ID: "secretaccesskey", Label: "Secret access key", Secret: true,
				Help:    "Shown once, next to the access key ID, when the key is created (also in the .csv file you can download then): 40 characters.",
				Example: "q7Rk2mZ9pLw4Xv8Tn3Yb6Hc1Jd5Fs0Ga/Ue+Wi7o",
				Check:   awsSecretKeyCheck(),
			},
			{
				ID: "bucket", Label: "Bucket (for the online check)", Optional: true, Local: true,
				Help:    "The name of the bucket the portal will use, as listed on the S3 buckets page; Keywizard only uses it to test access, the portal asks for it on its backup and storage pages.",
				Example: "acme-portal-backups",
				Check:   s3BucketCheck(),
			},
			{
				ID: "region", Label: "Region (for the online check)", Optional: true, Local: true,
				Help:    "The code of the bucket's AWS Region as shown in the bucket list, e.g. eu-central-1; Keywizard only uses it for the check.",
				Example: "eu-central-1",
				Check:   awsRegionCheck(),
			},
			{
				ID: "sessiontoken", Label: "Session token (temporary keys only)", Secret: true, Optional: true, Local: true,
				Help:    "Only for temporary keys starting with ASIA, which come with a session token; leave it empty for an IAM user's key. The portal cannot use temporary keys.",
				Example: "IQoJb3JpZ2luX2VjEKz//////////wEaCWV1LWNlbnRyYWwtMSJHMEUCIQDx7Kp2Lm9Qr4Tv8Wn3Yb6Hc1Jd5Fs0GaUeWi7oKZx2PcAiBn5Rt8Lq3Mv6Xw9Zb2Nc4Hd7Jf1Kg0Sp3Tr6Yu9Ia",
				Check:   awsSessionTokenCheck(),
			},
		},
		Steps: []Step{
			{
				Title: "Create the bucket",
				URL:   "https://s3.console.aws.amazon.com/s3/bucket/create",
				Lines: []string{
					"Pick the AWS Region the bucket lives in, at the top right of the console.",
					`Enter a bucket name, keep "Block all public access" on, and click "Create bucket".`,
					"Copy the bucket name and the Region code (e.g. eu-central-1) into Keywizard for the online check.",
				},
			},
			{
				Title: "Create an IAM user for the portal",
				URL:   "https://console.aws.amazon.com/iam/home#/users/create",
				Lines: []string{
					"Name the user after the portal and leave console access off: the portal needs keys, not a password.",
					`Under "Permissions options", choose "Attach policies directly" and attach the policy below, or a policy of your own limited to the backup bucket.`,
					`Click "Next" and "Create user".`,
				},
				Copy: []CopyValue{
					{Label: "Policy to attach", Value: "AmazonS3FullAccess", Note: "gives access to every bucket of the account; a policy limited to the portal's bucket is safer"},
				},
				Warning: "Do not create access keys for the root user: if they leak, the whole AWS account is exposed.",
			},
			{
				Title: "Create the access key",
				URL:   "https://console.aws.amazon.com/iam/home#/users",
				Lines: []string{
					`Open the new user, go to the "Security credentials" tab and click "Create access key".`,
					`Pick the use case "Application running outside AWS" and click "Next", then "Create access key".`,
					`Copy the "Access key ID" and the "Secret access key" into Keywizard, or download the .csv file.`,
				},
				Warning: "AWS shows the secret access key only on this page: if you leave without copying it, delete the key and create a new one.",
			},
		},
		Online: "Calls STS GetCallerIdentity with the keys, which needs no permission: an answer proves the key pair is valid and names the account and user. When a bucket is given it then asks S3 for the bucket, which shows whether these keys may reach it and whether the Region is right; writing is not tried, so write permission is not proven.",
		Notes: []string{
			"The portal asks for the bucket and Region on its backup and storage pages, not with the keys.",
			"On DocSpace in the cloud, S3 needs a plan that includes third-party storage.",
		},
		CheckAll: s3CheckAll,
	}
}

var (
	awsKeyID     = regexp.MustCompile(`^(AKIA|ASIA)[A-Z0-9]{16}$`)
	awsSecretKey = regexp.MustCompile(`^[A-Za-z0-9/+]{40}$`)
)

// awsOtherIDs are IAM identifier prefixes that people paste instead of an
// access key ID, with what each one is.
var awsOtherIDs = map[string]string{
	"ABIA": "an AWS STS service bearer token ID",
	"ACCA": "a context-specific credential ID",
	"AIDA": "the IAM user's unique ID",
	"AROA": "an IAM role's unique ID",
	"AGPA": "an IAM group's unique ID",
	"ANPA": "a managed policy's unique ID",
	"AIPA": "an EC2 instance profile's unique ID",
	"APKA": "a CloudFront public key ID",
	"ASCA": "a certificate ID",
}

func awsAccessKeyIDCheck() func(string) error {
	return func(v string) error {
		upper := strings.ToUpper(v)
		switch {
		case awsKeyID.MatchString(v) && strings.HasSuffix(v, "EXAMPLE"):
			return errors.New("this is an example access key ID from AWS's documentation (it ends in EXAMPLE), not a real key: create an access key on the IAM user's \"Security credentials\" tab")
		case awsSecretKey.MatchString(v) && !awsKeyID.MatchString(upper):
			return errors.New("this looks like the secret access key (40 characters): paste it in the secret field; the access key ID is 20 characters starting with AKIA")
		case len(v) >= 4 && awsOtherIDs[upper[:4]] != "":
			return errors.New("this is " + awsOtherIDs[upper[:4]] + ", not an access key: create an access key on the IAM user's \"Security credentials\" tab (it starts with AKIA)")
		case awsKeyID.MatchString(upper) && upper != v:
			return errors.New("access key IDs are written in capital letters: copy the key ID again as shown")
		case !awsKeyID.MatchString(v):
			return errors.New("an access key ID is 20 capital letters and digits starting with AKIA (or ASIA for temporary keys): copy it again")
		}
		return nil
	}
}

func awsSecretKeyCheck() func(string) error {
	shape := Expect(awsSecretKey.String(), "a secret access key has 40 letters, digits, / or +: check that you copied all of it")
	return func(v string) error {
		switch {
		case awsSecretKey.MatchString(v) && strings.HasSuffix(v, "EXAMPLEKEY"):
			return errors.New("this is the example secret access key from AWS's documentation (it ends in EXAMPLEKEY), not a real one: copy the secret shown when you create the access key")
		case awsKeyID.MatchString(strings.ToUpper(v)):
			return errors.New("this is the access key ID: paste it in the ID field; the secret access key is the 40-character value shown next to it")
		case strings.ContainsAny(v, "*•"):
			return errors.New("this is the masked secret: AWS shows it only once, so create a new access key if it was not copied")
		}
		return Chain(NoSpaces, shape)(v)
	}
}

func s3BucketCheck() func(string) error {
	shape := Expect(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`,
		"bucket names are 3 to 63 lowercase letters, digits, dots or dashes, starting and ending with a letter or digit: check the name")
	return func(v string) error {
		switch {
		case strings.ContainsAny(v, "/:"):
			return errors.New("bucket name only: leave out s3://, arn:aws:s3:::, https:// and any path, e.g. acme-portal-backups")
		case strings.ContainsAny(v, " \t"):
			return errors.New("bucket names never contain spaces: copy the name from the S3 bucket list")
		case net.ParseIP(v) != nil:
			return Warnf("a bucket name cannot look like an IP address: check the name")
		}
		return shape(v)
	}
}

func awsRegionCheck() func(string) error {
	zone := regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-[0-9]+[a-z]$`)
	shape := Expect(`^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+$`,
		"a Region code looks like eu-central-1 or us-east-1: check that you copied the code, not the Region's name")
	return func(v string) error {
		switch {
		case strings.ContainsAny(v, " ()"):
			return errors.New(`this is the Region's name: enter its code instead, e.g. eu-central-1 for "Europe (Frankfurt)"`)
		case zone.MatchString(v):
			return Warnf("this is an Availability Zone: the Region is the same without the last letter")
		}
		return shape(v)
	}
}

func awsSessionTokenCheck() func(string) error {
	return func(v string) error {
		switch {
		case awsKeyID.MatchString(strings.ToUpper(v)):
			return errors.New("this is an access key ID: the session token is the long value given together with a temporary (ASIA) key")
		case awsSecretKey.MatchString(v):
			return errors.New("this looks like the secret access key: the session token is much longer")
		}
		return NoSpaces(v)
	}
}

// s3CheckAll handles temporary keys, which only make sense together with
// the session token: it signs nothing without the token, and the portal,
// which has no token field, cannot use such a key at all. The warning
// lives here rather than in the field check so that a warning on the key
// does not keep the token rule from running.
func s3CheckAll(values map[string]string) []FieldError {
	if !strings.HasPrefix(values["acesskey"], "ASIA") {
		return nil
	}
	out := []FieldError{{Field: "acesskey", Err: Warnf("this is a temporary key (ASIA): it expires within hours and the portal cannot renew it. Use an IAM user's long-term key (AKIA) for the portal")}}
	if values["sessiontoken"] == "" {
		out = append(out, FieldError{Field: "sessiontoken", Err: errors.New("a temporary (ASIA) key works only with its session token: paste the token, or better create a long-term AKIA key for the portal")})
	}
	return out
}
