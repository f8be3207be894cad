package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"keywizard/providers"
)

// run drives the command line in-process and returns stdout, stderr and the
// exit code.
func run(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	d := Deps{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Version: "test"}
	code := Run(context.Background(), args, d)
	return out.String(), errb.String(), code
}

func TestProvidersJSON(t *testing.T) {
	out, _, code := run(t, "", "providers", "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var list []struct {
		ID       string `json:"id"`
		Title    string `json:"title"`
		Category string `json:"category"`
		Fields   []struct {
			ID       string `json:"id"`
			Label    string `json:"label"`
			Secret   bool   `json:"secret"`
			Optional bool   `json:"optional"`
		} `json:"fields"`
		OAuth  bool `json:"oauth"`
		Portal struct {
			DocSpace  *json.RawMessage `json:"docspace"`
			Workspace *json.RawMessage `json:"workspace"`
		} `json:"portal"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if len(list) != len(providers.All()) {
		t.Fatalf("%d providers, want %d", len(list), len(providers.All()))
	}
	// The portal keys are present even when null.
	if !strings.Contains(out, `"docspace":`) || !strings.Contains(out, `"workspace":`) {
		t.Fatalf("portal products must always be present")
	}
	for _, p := range list {
		if p.ID == "google" {
			if !p.OAuth || len(p.Fields) != 3 || !p.Fields[1].Secret || p.Portal.DocSpace == nil {
				t.Fatalf("google entry wrong: %+v", p)
			}
		}
	}
}

func TestGuide(t *testing.T) {
	out, _, code := run(t, "", "guide", "google")
	if code != 0 || !strings.Contains(out, providers.DefaultRedirectURL) || !strings.Contains(out, "Step 1 of") {
		t.Fatalf("exit %d, out:\n%s", code, out)
	}
	out, _, code = run(t, "", "guide", "google", "--json", "--redirect-url", "https://portal.example.com/oauth2.aspx")
	if code != 0 || !strings.Contains(out, "https://portal.example.com/oauth2.aspx") || strings.Contains(out, providers.PortalRedirect) {
		t.Fatalf("exit %d, out:\n%s", code, out)
	}
	var g map[string]any
	if err := json.Unmarshal([]byte(out), &g); err != nil {
		t.Fatal(err)
	}
	if _, ok := g["steps"]; !ok {
		t.Fatal("no steps in JSON")
	}
}

func TestValidate(t *testing.T) {
	good := `{"googleClientId":"123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com","googleClientSecret":"GOCSPX-AbCdEfGhIjKlMnOpQrStUvWxYz12"}`
	out, _, code := run(t, good, "validate", "google", "--values", "-", "--json")
	if code != ExitOK {
		t.Fatalf("good keys: exit %d\n%s", code, out)
	}
	var v validateJSON
	if err := json.Unmarshal([]byte(out), &v); err != nil || !v.OK || v.Service != "google" || len(v.Fields) != 3 {
		t.Fatalf("bad JSON %v: %s", err, out)
	}

	secret := "GOCSPX-AbCdEfGhIjKlMnOpQrStUvWxYz12"
	swapped := `{"googleClientId":"` + secret + `","googleClientSecret":"x"}`
	out, errOut, code := run(t, swapped, "validate", "google", "--values", "-", "--json")
	if code != ExitInvalid {
		t.Fatalf("swapped keys: exit %d", code)
	}
	if strings.Contains(out+errOut, secret) {
		t.Fatalf("a secret was echoed:\n%s%s", out, errOut)
	}
	json.Unmarshal([]byte(out), &v)
	if v.OK || v.Fields[0].OK || !strings.Contains(v.Fields[0].Message, "client secret") {
		t.Fatalf("want the swap explained: %+v", v)
	}

	// From a file, text output.
	path := filepath.Join(t.TempDir(), "v.json")
	os.WriteFile(path, []byte(good), 0o600)
	out, _, code = run(t, "", "validate", "google", "--values", path)
	if code != 0 || !strings.Contains(out, "look right") {
		t.Fatalf("exit %d: %s", code, out)
	}
}

func TestValidateUsageErrors(t *testing.T) {
	cases := []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"unknown service", "{}", []string{"validate", "nosuch", "--values", "-"}, `unknown service "nosuch"`},
		{"broken JSON", `{"googleClientId": "abc`, []string{"validate", "google", "--values", "-"}, "not a JSON object"},
		{"not an object", `["a"]`, []string{"validate", "google", "--values", "-"}, "not a JSON object"},
		{"number value", `{"googleClientId": 5}`, []string{"validate", "google", "--values", "-"}, `"googleClientId" must be a JSON string`},
		{"unknown field", `{"clientId": "x"}`, []string{"validate", "google", "--values", "-"}, `no field "clientId"`},
		{"missing file", "", []string{"validate", "google", "--values", "/nonexistent/v.json"}, "read values"},
		{"unknown flag", "", []string{"validate", "google", "--secret", "x"}, "unknown flag"},
		{"no argument", "", []string{"validate"}, "accepts 1 arg"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, code := run(t, c.stdin, c.args...)
			if code != ExitUsage {
				t.Fatalf("exit %d, want %d (%s)", code, ExitUsage, errOut)
			}
			if !strings.Contains(errOut, c.want) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Fatalf("want one line containing %q, got %q", c.want, errOut)
			}
		})
	}
}

func TestBrokenJSONDoesNotEchoSecret(t *testing.T) {
	secret := "GOCSPX-AbCdEfGhIjKlMnOpQrStUvWxYz12"
	_, errOut, _ := run(t, `{"googleClientSecret": "`+secret+`" "x"}`, "validate", "google", "--values", "-")
	if strings.Contains(errOut, secret) {
		t.Fatalf("error echoed the secret: %s", errOut)
	}
}

func TestVersion(t *testing.T) {
	out, _, code := run(t, "", "version")
	if code != 0 || strings.TrimSpace(out) != "keywizard test" {
		t.Fatalf("exit %d: %q", code, out)
	}
}

func TestNoWindowInThisBuild(t *testing.T) {
	_, errOut, code := run(t, "")
	if code != ExitUsage || !strings.Contains(errOut, "no window") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}
