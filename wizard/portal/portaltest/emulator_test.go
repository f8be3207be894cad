package portaltest

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestEmulatorBinding proves the emulator behaves like the real servers on
// the traps the client must avoid.
func TestEmulatorBinding(t *testing.T) {
	t.Run("workspace lowercase props clear silently", func(t *testing.T) {
		srv := New(t, Config{Product: Workspace})
		srv.SetKeys("Google", map[string]string{"googleClientId": "111-old.apps.googleusercontent.com", "googleClientSecret": "GOCSPX-old-secret-value-000000000"})
		body := `{"name":"Google","props":[{"name":"googleClientId","value":"x"},{"name":"googleClientSecret","value":"y"}]}`
		res := rawPost(t, srv, srv.SavePath(), body, map[string]string{"X-AjaxPro-Method": "SaveAuthKeys", "Cookie": "asc_auth_key=" + srv.Token()})
		if res != `{"value":true}` || srv.IsSet("Google") {
			t.Fatalf("answer %s, keys %v", res, srv.Keys("Google"))
		}
	})
	t.Run("workspace empty required field", func(t *testing.T) {
		srv := New(t, Config{Product: Workspace})
		body := `{"name":"google","props":[{"Name":"googleClientId","Value":"x"},{"Name":"googleClientSecret","Value":""}]}`
		res := rawPost(t, srv, srv.SavePath(), body, map[string]string{"X-AjaxPro-Method": "SaveAuthKeys", "Cookie": "asc_auth_key=" + srv.Token()})
		if !strings.Contains(res, "Please fill in all fields") {
			t.Fatal(res)
		}
	})
	t.Run("workspace ajaxpro ignores the Authorization header", func(t *testing.T) {
		srv := New(t, Config{Product: Workspace})
		body := `{"name":"Google","props":[{"Name":"googleClientId","Value":"x"},{"Name":"googleClientSecret","Value":"y"}]}`
		res := rawPost(t, srv, srv.SavePath(), body, map[string]string{"X-AjaxPro-Method": "SaveAuthKeys", "Authorization": srv.Token()})
		if !strings.Contains(res, "UnauthorizedAccessException") {
			t.Fatal(res)
		}
	})
	t.Run("docspace appleID is refused", func(t *testing.T) {
		srv := New(t, Config{Product: DocSpace})
		body := `{"name":"appleID","props":[{"name":"appleIdClientId","value":"x"}]}`
		res := rawPost(t, srv, srv.SavePath(), body, map[string]string{"Authorization": "Bearer " + srv.Token()})
		if !strings.Contains(res, `"statusCode":403`) {
			t.Fatal(res)
		}
	})
}

func rawPost(t *testing.T, srv *Server, path, body string, header map[string]string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return strings.TrimSpace(string(b))
}

func TestEmulatorNames(t *testing.T) {
	t.Run("workspace takes the configuration name or its lowercase form only", func(t *testing.T) {
		srv := New(t, Config{Product: Workspace})
		hdr := map[string]string{"X-AjaxPro-Method": "SaveAuthKeys", "Cookie": "asc_auth_key=" + srv.Token()}
		for name, ok := range map[string]bool{"Google": true, "google": true, "GOOGLE": false} {
			body := `{"name":"` + name + `","props":[{"Name":"googleClientId","Value":"x"},{"Name":"googleClientSecret","Value":"y"}]}`
			res := rawPost(t, srv, srv.SavePath(), body, hdr)
			if (res == `{"value":true}` || res == `{"value":false}`) != ok {
				t.Errorf("%s: %s", name, res)
			}
		}
	})
	t.Run("docspace requires value", func(t *testing.T) {
		srv := New(t, Config{Product: DocSpace})
		res := rawPost(t, srv, srv.SavePath(), `{"name":"google","props":[{"name":"googleClientId"}]}`, map[string]string{"Authorization": "Bearer " + srv.Token(), "Content-Type": "application/json"})
		if !strings.Contains(res, "The Value field is required") || srv.IsSet("google") {
			t.Fatal(res)
		}
	})
}

// TestEmulatorKeepsUnlistedProps follows both products' save: only the
// props a save lists are written, and a save whose every value is empty
// (an empty list too) clears the service.
func TestEmulatorKeepsUnlistedProps(t *testing.T) {
	held := map[string]string{"twilioAccountSid": "AC1", "twilioAuthToken": "tok", "twiliosender": "+15550100"}
	for _, product := range []Product{DocSpace, Workspace} {
		t.Run(string(product), func(t *testing.T) {
			srv := New(t, Config{Product: product})
			save := func(props string) string {
				if product == DocSpace {
					return rawPost(t, srv, srv.SavePath(), `{"name":"twilio","props":[`+props+`]}`, map[string]string{"Authorization": "Bearer " + srv.Token(), "Content-Type": "application/json"})
				}
				props = strings.NewReplacer(`"name"`, `"Name"`, `"value"`, `"Value"`).Replace(props)
				return rawPost(t, srv, srv.SavePath(), `{"name":"Twilio","props":[`+props+`]}`, map[string]string{"X-AjaxPro-Method": "SaveAuthKeys", "Cookie": "asc_auth_key=" + srv.Token()})
			}
			srv.SetKeys("twilio", held)
			if res := save(`{"name":"twilioAuthToken","value":"new"}`); !strings.Contains(res, "true") {
				t.Fatal(res)
			}
			got := srv.Keys("twilio")
			if got["twilioAuthToken"] != "new" || got["twilioAccountSid"] != "AC1" || got["twiliosender"] != "+15550100" {
				t.Fatalf("a save of one prop left %v", got)
			}
			save(``)
			if srv.IsSet("twilio") {
				t.Fatalf("a save with no props must clear the service: %v", srv.Keys("twilio"))
			}
		})
	}
}
