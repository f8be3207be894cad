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
	// Values to paste use the same lowercase keys as the rest.
	var shape struct {
		Steps []struct {
			Copy []map[string]string `json:"copy"`
		} `json:"steps"`
	}
	json.Unmarshal([]byte(out), &shape)
	if len(shape.Steps) < 3 || len(shape.Steps[2].Copy) == 0 || shape.Steps[2].Copy[0]["label"] != "Scope" || shape.Steps[2].Copy[0]["value"] != "https://www.googleapis.com/auth/drive" {
		t.Fatalf("copy values not in the documented shape:\n%s", out)
	}
}

// TestGuideDeadEnd: a service whose set-up fails for new apps says so
// before step 1, and "guide --json" carries it as "dead_end".
func TestGuideDeadEnd(t *testing.T) {
	for _, id := range []string{"vk", "mailru", "selectel", "linkedin", "twitter"} {
		p, _ := providers.Lookup(id)
		out, _, code := run(t, "", "guide", id)
		at, step := strings.Index(out, "Before you start: "+p.DeadEnd.Statement), strings.Index(out, "Step 1 of")
		if code != 0 || at < 0 || step < at || !strings.Contains(out, p.DeadEnd.StillWorks) {
			t.Fatalf("%s: exit %d, want the dead end before step 1:\n%s", id, code, out)
		}
		out, _, _ = run(t, "", "guide", id, "--json")
		var g struct {
			DeadEnd *struct {
				Statement  string `json:"statement"`
				StillWorks string `json:"still_works"`
				Since      string `json:"since"`
				Source     string `json:"source"`
			} `json:"dead_end"`
		}
		if err := json.Unmarshal([]byte(out), &g); err != nil || g.DeadEnd == nil {
			t.Fatalf("%s: no dead_end in JSON (%v):\n%s", id, err, out)
		}
		if g.DeadEnd.Statement != p.DeadEnd.Statement || g.DeadEnd.StillWorks != p.DeadEnd.StillWorks || g.DeadEnd.Since != p.DeadEnd.Since || g.DeadEnd.Source != p.DeadEnd.Source {
			t.Fatalf("%s: dead_end %+v differs from the catalogue", id, *g.DeadEnd)
		}
	}
	out, _, _ := run(t, "", "guide", "google", "--json")
	if strings.Contains(out, "dead_end") || strings.Contains(out, "Before you start") {
		t.Fatalf("google has no dead end:\n%s", out)
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
