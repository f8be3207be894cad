package providers

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"regexp"
	"strings"
)

func googlecloud() Provider {
	return Provider{
		ID:       "googlecloud",
		Title:    "Google Cloud Storage",
		Category: BackupStorage,
		Purpose:  "Stores the portal's backups, and optionally its data and static files, in a Google Cloud Storage bucket.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "googlecloud", Props: []string{"json"}, Paid: true},
			Workspace: &Consumer{Name: "GoogleCloud", Props: []string{"json"}},
		},
		Fields: []Field{
			{
				ID: "json", Label: "Service account key (JSON)", Secret: true, Multiline: true,
				Help:    "Open the .json key file downloaded for the service account in a text editor and paste all of it, from the first { to the last }.",
				Example: exampleServiceAccount("acme-portal-backup", "portal-backup"),
				Check:   serviceAccountCheck,
			},
			{
				ID: "bucket", Label: "Bucket (for the online check)", Optional: true, Local: true,
				Help:    "The name of the bucket the portal will use, as listed in Cloud Storage; Keywizard only uses it to test access, the portal asks for it on its backup and storage pages.",
				Example: "acme-portal-backups",
				Check:   gcsBucketCheck(),
			},
		},
		Steps: []Step{
			{
				Title: "Create the bucket",
				URL:   "https://console.cloud.google.com/storage/create-bucket",
				Lines: []string{
					"Pick the project that will pay for the storage at the top of the page.",
					"Name the bucket, choose where it lives and keep public access prevention on.",
					`Click "Create", then copy the bucket's name into the bucket field in Keywizard.`,
				},
			},
			{
				Title: "Create a service account for the portal",
				URL:   "https://console.cloud.google.com/iam-admin/serviceaccounts/create",
				Lines: []string{
					"Give the account a name that says it belongs to the portal, and click \"Create and continue\".",
					"Skip the project-wide roles and click \"Done\": access is granted on the bucket alone in the next step.",
				},
			},
			{
				Title: "Let the account use the bucket",
				URL:   "https://console.cloud.google.com/storage/browser",
				Lines: []string{
					`Open the bucket, go to its "Permissions" tab and click "Grant access".`,
					"Paste the service account's e-mail address as the principal and pick the role below.",
					`Click "Save".`,
				},
				Copy: []CopyValue{
					{Label: "Role", Value: "Storage Object Admin", Note: "roles/storage.objectAdmin: read, write and delete objects in this bucket only"},
				},
			},
			{
				Title: "Download a JSON key",
				URL:   "https://console.cloud.google.com/iam-admin/serviceaccounts",
				Lines: []string{
					`Open the service account, go to the "Keys" tab and choose "Add key" > "Create new key".`,
					`Pick "JSON" and click "Create": the key file downloads at once.`,
					"Open the file in a text editor, copy everything and paste it into Keywizard.",
					"If Google answers that key creation is disabled, an organisation policy forbids keys: an organisation administrator has to allow them for this project.",
				},
				Warning: "The key file works like a password for the bucket and Google keeps no copy: store it safely and delete the local file once the keys are pushed.",
			},
			{
				Title: "Check the portal version",
				Lines: []string{
					"DocSpace 3.1 to 3.6 accepts at most 255 characters per key, and a key file has about 2,300: update DocSpace to 3.7.1 or later before pushing this key.",
					"Workspace and older DocSpace versions accept the whole file.",
				},
				Warning: "On DocSpace 3.1 to 3.6 the key file cannot be saved at all: the portal refuses values longer than 255 characters.",
			},
		},
		Online: "Signs a token request with the key (JWT bearer grant) and, when a bucket is given, reads the bucket or lists one object in it: a token proves the key is valid and not deleted, and the bucket answer shows whether the account may reach it. Writing is not tried, so write permission is not proven.",
		Notes: []string{
			"On DocSpace in the cloud, Google Cloud Storage needs a plan that includes third-party storage.",
			"The bucket is entered on the portal's backup and storage pages, not with the keys.",
		},
	}
}

// serviceAccount holds the parts of a Google service-account key file
// that the checks read. The OAuth client file ("installed" or "web") is a
// different download that people often take for it.
type serviceAccount struct {
	Type         string          `json:"type"`
	ProjectID    string          `json:"project_id"`
	PrivateKeyID string          `json:"private_key_id"`
	PrivateKey   string          `json:"private_key"`
	ClientEmail  string          `json:"client_email"`
	ClientID     string          `json:"client_id"`
	TokenURI     string          `json:"token_uri"`
	Installed    json.RawMessage `json:"installed"`
	Web          json.RawMessage `json:"web"`
}

// parseServiceAccount reads a service-account key file and returns the
// first reason it cannot be used. Its messages never quote the file.
func parseServiceAccount(v string) (serviceAccount, error) {
	var sa serviceAccount
	v = strings.TrimSpace(v)
	switch {
	case strings.HasPrefix(v, "-----BEGIN"):
		return sa, errors.New("this is only a PEM key: paste the whole .json key file, which contains the key together with the account's e-mail address")
	case !strings.HasPrefix(v, "{"):
		return sa, errors.New("a service account key is a JSON file that starts with {: open the downloaded .json file in a text editor and copy all of it")
	}
	if err := json.Unmarshal([]byte(v), &sa); err != nil {
		return sa, errors.New("the text is not valid JSON (perhaps cut short or edited): copy the whole .json file again")
	}
	switch {
	case len(sa.Installed) > 0 || len(sa.Web) > 0:
		return sa, errors.New("this is an OAuth client file (client_secret_....json), not a service account key: create a JSON key on the service account's Keys tab")
	case sa.Type == "authorized_user":
		return sa, errors.New("this is a personal sign-in file made by gcloud, not a service account key: create a JSON key on the service account's Keys tab")
	case sa.Type == "external_account":
		return sa, errors.New("this is a workload identity federation file, which holds no key: create a JSON key on the service account's Keys tab")
	case sa.Type != "service_account":
		return sa, errors.New(`the file's "type" must be "service_account": download a JSON key from the service account's Keys tab`)
	case sa.PrivateKey == "":
		return sa, errors.New(`the file has no "private_key": download a new JSON key, the file was probably edited`)
	case sa.ClientEmail == "":
		return sa, errors.New(`the file has no "client_email": download a new JSON key, the file was probably edited`)
	case sa.TokenURI == "":
		return sa, errors.New(`the file has no "token_uri": download a new JSON key, the file was probably edited`)
	}
	if err := rsaKeyCheck(sa.PrivateKey); err != nil {
		return sa, err
	}
	return sa, nil
}

// rsaKeyCheck accepts a PEM RSA private key in PKCS#8 or PKCS#1 form, the
// only kind Google signs service-account tokens with.
func rsaKeyCheck(p string) error {
	block, _ := pem.Decode([]byte(p))
	if block == nil {
		return errors.New(`the "private_key" in the file is not a readable PEM key: download a new JSON key`)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		if _, err1 := x509.ParsePKCS1PrivateKey(block.Bytes); err1 == nil {
			return nil
		}
		return errors.New(`the "private_key" in the file is damaged and cannot be read: download a new JSON key`)
	}
	if _, ok := key.(*rsa.PrivateKey); !ok {
		return errors.New(`the "private_key" in the file is not an RSA key, and Google service account keys always are: download a new JSON key`)
	}
	return nil
}

var (
	serviceAccountEmail = regexp.MustCompile(`^[a-z0-9-]+@([a-z0-9-]+\.iam|developer|appspot)\.gserviceaccount\.com$`)
	hex40               = regexp.MustCompile(`^[0-9a-f]{40}$`)
)

// serviceAccountCheck is the field check for a service-account key file:
// rejections for what cannot work, warnings for what Google-issued files
// never look like.
func serviceAccountCheck(v string) error {
	sa, err := parseServiceAccount(v)
	if err != nil {
		return err
	}
	switch {
	case !serviceAccountEmail.MatchString(sa.ClientEmail):
		return Warnf(`the "client_email" does not look like a service account address (name@project.iam.gserviceaccount.com): check that this is the right file`)
	case !strings.HasPrefix(sa.TokenURI, "https://"):
		return Warnf(`the "token_uri" is not an https address; Google-issued files use https://oauth2.googleapis.com/token`)
	case sa.PrivateKeyID != "" && !hex40.MatchString(sa.PrivateKeyID):
		return Warnf(`the "private_key_id" is not the 40 hexadecimal digits Google uses: check that the file was not edited`)
	}
	return nil
}

func gcsBucketCheck() func(string) error {
	shape := Expect(`^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$`,
		"bucket names are 3 to 63 lowercase letters, digits, dashes, underscores or dots, starting and ending with a letter or digit: check the name")
	return func(v string) error {
		switch {
		case strings.ContainsAny(v, "/:"):
			return errors.New("bucket name only: leave out gs:// and any path, e.g. acme-portal-backups")
		case strings.ContainsAny(v, " \t"):
			return errors.New("bucket names never contain spaces: copy the name from the Cloud Storage bucket list")
		}
		return shape(v)
	}
}

// exampleRSAKey is a made-up key used only for the examples; it signs
// nothing anywhere.
const exampleRSAKey = `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCfumUpWSwjTM77
lRBSETJi3l0jBdXuSfiUvjwyCeHYT60b+IUc8JwJybyPyrpg2kU+9a9NzCvJoYbf
UD/m64yhGxz7shiEfZhHuAEISzMdsD+/skwt6BlAQ8t+tpZFgfM4vvbzR5tVqM2I
6J0uasaxioFFnaOUcZLlg9o4Mz65woS72bpGj/GimyWYEJwKlF9eivlysu93AoT0
OJWMYFhJQ9glaazdiHzhhnlqXdSsjKNY63ITBnydBJICK3w2GzEF5m7vKCZbtMR0
W8mrsRgnTbvcR2KDtRN/u5aewjkOfQiz6rE3SzQA4am5L+duSURh3ZQf7JQX2X3t
CDKJquJnAgMBAAECggEABzxW49TLIpLoAiPtDYKuQSX98HMNuhHgxcAzvY05YrwC
mrSbNxs76QJEsqYw45KlC2aZeTvpXzocKtaZpnjU3Iwmt8zdaSHADxOp/E8HyEMD
3Z0SmrZxGmUCfWwrtNy1AMTp2U3M9B2a/fuST0LSsG1BUOmEulnww8lBeUVHr1DV
pkCjsPkRiqLSfXztgfsc0KZQn3F9wS54TFTHrdnry7eTReeWRCVgoqxOHIS46Sxn
M70ZLdJMyNssc/nxoKA9ZCcFFEaLKXLfaZInSshtLbryRNBYo+GFkwajxNkuJMi8
r7xiTU5Ur3AwR8p3cO27oRphau5aA7uWdXyoESUYNQKBgQDZCm0iJj7UfDnP1piC
jGke7CpSpn1yItdEFMNJcivW9zdh+wD+a4NRi8i185T9oGiDO5IU1ZTgQCTMYdH1
pVJYH7bTCh82McEKItH+uIrXjZn41C6JY4+LSvDWKNd9IqkLWZhiW10nRoQcKVfI
z4AmNpE1aEXvjyGk6q/GIlMZbQKBgQC8Zk7dSWWimcQ+Sf3IrN20yllMb54j7Eld
Duf+28Q8inQjfO2Lu4D4VyPzBS12EB+qqIaZOCR76azxJRC15jwXT0ONEQeqGnTh
37IaMyuLXKfRthVNZn7iObBIYzWnTRcqKmLrE1ly6kMiNVb8XhlG+DxFp8L1lQpE
KCWdjps6owKBgD/yN3dBR2+5bhsTQfnsvqgSsuGJFhrDsyLm7ya7kbkTO2kN2Bwd
tyIWijs5miMj2McZjQ/AYc20eGMTSxYR8HHwXiBNsiZ4gESpP6/J1XZuzPeoJFHs
WIWUveKLQ/oldSLX8fLAsnB48UGO2MNch4g6uYu/viM3y5TYZJN+13b9AoGAf2PG
S8bHXG0QzvWFDt4kg4yXWSHYEn5BFRVxNVkwlacg5KYikWtVx5ZUjoyfsscwQlr1
uEDIGqlk8SGY7QYi97f2+znaruB4zApQCXs0JGWgbCLswItfnGRZmHjM3LU5xp8m
h8FrqFJS1pyulrKh8OUFDCxlnV0Ltg5XcPPubnUCgYEAlb7+E4tWJfdwwBnRltm8
/3qEn09f3x3R5v+mPWVfGU8NS775FsmnwNDOvebJdiaRRyC7A7n2RFmDrPu4jCBX
564MqIZKZIwrGPYbw/TMWE/6kTLDdVxNHXq5deqhwogsW5uUVrIRvlwt+koCvHat
Nk7Q5VehNV91VInd9HQIo60=
-----END PRIVATE KEY-----
`

// exampleServiceAccount builds a made-up key file in the layout Google
// uses, for the given project and account name.
func exampleServiceAccount(project, account string) string {
	email := account + "@" + project + ".iam.gserviceaccount.com"
	b, _ := json.MarshalIndent(struct {
		Type         string `json:"type"`
		ProjectID    string `json:"project_id"`
		PrivateKeyID string `json:"private_key_id"`
		PrivateKey   string `json:"private_key"`
		ClientEmail  string `json:"client_email"`
		ClientID     string `json:"client_id"`
		AuthURI      string `json:"auth_uri"`
		TokenURI     string `json:"token_uri"`
		ProviderCert string `json:"auth_provider_x509_cert_url"`
		ClientCert   string `json:"client_x509_cert_url"`
		Universe     string `json:"universe_domain"`
	}{
		Type: "service_account", ProjectID: project,
		PrivateKeyID: "0b7d7ad77b47a5ea30a7974b9122d7b15b77ba51",
		PrivateKey:   exampleRSAKey, ClientEmail: email, ClientID: "824672097240742534162",
		AuthURI:      "https://accounts.google.com/o/oauth2/auth",
		TokenURI:     "https://oauth2.googleapis.com/token",
		ProviderCert: "https://www.googleapis.com/oauth2/v1/certs",
		ClientCert:   "https://www.googleapis.com/robot/v1/metadata/x509/" + strings.ReplaceAll(email, "@", "%40"),
		Universe:     "googleapis.com",
	}, "", "  ")
	return string(b) + "\n"
}
