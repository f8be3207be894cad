package loopback

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"keywizard/providers"
)

// advice is what the admin reads when a sign-in fails: what happened, what
// to do, and which console page to open.
type advice struct {
	Message string
	Fix     string
	FixURL  string
}

// adviceCtx is what an advice needs to name things precisely.
type adviceCtx struct {
	p           providers.Provider
	redirectURI string
	timeout     time.Duration
	plan        replay // the request the test sent
}

// providerRule maps one family of provider errors to advice. The first rule
// that matches wins, so the specific codes (AADSTS) come before the generic
// OAuth ones.
type providerRule struct {
	match  func(code, text string) bool
	advice func(c adviceCtx, e *ProviderError) advice
}

// has reports whether text contains any of the words.
func has(text string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// providerRules is the one table from provider error codes to advice.
var providerRules = []providerRule{
	{
		match: func(code, text string) bool {
			return code == "redirect_uri_mismatch" || code == "invalid_redirect_uri" || has(text, "aadsts50011") ||
				(has(text, "redirect_uri", "redirect uri", "reply url", "redirect url", "can't load url") &&
					has(text, "match", "incorrect", "invalid", "not registered", "isn't included", "not allowed")) ||
				has(text, "callback url not approved")
		},
		advice: redirectAdvice,
	},
	{
		match: func(_, text string) bool { return has(text, "aadsts7000215") },
		advice: func(c adviceCtx, _ *ProviderError) advice {
			return advice{
				Message: "Microsoft rejected the client secret: it is not the secret's value.",
				Fix:     `Under "Certificates & secrets", copy the secret's "Value" (shown only right after it is created), not its "Secret ID", into the ` + fieldLabel(c.p, c.p.OAuth.ClientSecret, "client secret") + " field. If the value is no longer shown, create a new secret.",
				FixURL:  stepURL(c.p, "secret"),
			}
		},
	},
	{
		match: func(_, text string) bool { return has(text, "aadsts7000222") },
		advice: func(c adviceCtx, _ *ProviderError) advice {
			return advice{
				Message: "Microsoft says the client secret has expired.",
				Fix:     `Create a new client secret under "Certificates & secrets" and paste its value into the ` + fieldLabel(c.p, c.p.OAuth.ClientSecret, "client secret") + " field, here and on the portal.",
				FixURL:  stepURL(c.p, "secret"),
			}
		},
	},
	{
		match: func(_, text string) bool { return has(text, "aadsts700016") },
		advice: func(c adviceCtx, _ *ProviderError) advice {
			return advice{
				Message: "Microsoft found no application with this client ID in the directory signed in to.",
				Fix:     `Copy the "Application (client) ID" from the app's Overview page into the ` + fieldLabel(c.p, c.p.OAuth.ClientID, "client ID") + ` field, and check that the app's "Supported account types" include the account you signed in with (or that the tenant is right).`,
				FixURL:  stepURL(c.p, "client id", "application (client) id", "overview"),
			}
		},
	},
	{
		match: func(_, text string) bool { return has(text, "aadsts90002") },
		advice: func(c adviceCtx, _ *ProviderError) advice {
			return advice{
				Message: "Microsoft does not know this tenant.",
				Fix:     `Enter the "Directory (tenant) ID" from the app's Overview page, a verified domain of the tenant, or leave the tenant empty for "common".`,
				FixURL:  stepURL(c.p, "tenant", "overview"),
			}
		},
	},
	{
		match: func(_, text string) bool { return has(text, "aadsts50194") },
		advice: func(c adviceCtx, _ *ProviderError) advice {
			return advice{
				Message: "Microsoft says the app is registered for one organisation only, so the common sign-in page cannot use it.",
				Fix:     `Enter the app's "Directory (tenant) ID" from its Overview page in the tenant field, or change "Supported account types" to include other organisations and personal accounts.`,
				FixURL:  stepURL(c.p, "tenant", "overview", "account types"),
			}
		},
	},
	{
		match: func(_, text string) bool { return has(text, "aadsts50020", "aadsts500200") },
		advice: func(c adviceCtx, _ *ProviderError) advice {
			return advice{
				Message: "Microsoft does not let the account you signed in with use this app.",
				Fix:     `Sign in with an account of the kind the app accepts, or widen the app's "Supported account types" (the portal's sign-in needs personal Microsoft accounts).`,
				FixURL:  stepURL(c.p, "account types", "register", "app registration"),
			}
		},
	},
	{
		match: func(code, text string) bool {
			return has(text, "aadsts700025", "aadsts90023", "aadsts9002327", "public client", "single-page application", "missing valid authorization header")
		},
		advice: wrongClientTypeAdvice,
	},
	{
		match: func(code, text string) bool {
			return code == "invalid_client" || code == "unauthorized" || code == "disabled_client" || code == "deleted_client" ||
				has(text, "validating client secret", "invalid application id", "unknown client", "client_secret is incorrect", "client_id is incorrect")
		},
		advice: invalidClientAdvice,
	},
	{
		match:  func(code, _ string) bool { return code == "unauthorized_client" },
		advice: wrongClientTypeAdvice,
	},
	{
		match: func(code, _ string) bool { return code == "org_internal" },
		advice: func(c adviceCtx, _ *ProviderError) advice {
			return advice{
				Message: "The app is limited to the accounts of its own organisation (user type \"Internal\"), and the account you signed in with is outside it.",
				Fix:     "Sign in with an account of the organisation, or make the app \"External\" on the consent screen's Audience page.",
				FixURL:  stepURL(c.p, "consent", "audience", "publish"),
			}
		},
	},
	{
		match: func(code, _ string) bool {
			return code == "access_denied" || code == "consent_required" || code == "admin_policy_enforced"
		},
		advice: func(c adviceCtx, _ *ProviderError) advice {
			return advice{
				Message: "The sign-in was declined: either access was refused on the consent page, or the service does not let this account use the app yet.",
				Fix:     "Run the test again and allow access. If you did allow it, the app is probably limited to test users or not published (not Live): add your account as a test user, or publish the app.",
				FixURL:  stepURL(c.p, "consent", "test user", "publish", "live", "audience"),
			}
		},
	},
	{
		match: func(code, _ string) bool { return code == "invalid_scope" },
		advice: func(c adviceCtx, _ *ProviderError) advice {
			return advice{
				Message: "The service refused the permissions the test asked for (" + strings.Join(c.p.OAuth.Scopes, " ") + ").",
				Fix:     "Enable these permissions (scopes) for the app in the console, then run the test again.",
				FixURL:  stepURL(c.p, "scope", "permission", "data access"),
			}
		},
	},
	{
		match: func(code, _ string) bool { return code == "invalid_grant" },
		advice: func(c adviceCtx, _ *ProviderError) advice {
			return advice{
				Message: "The service accepted the client but refused the sign-in code.",
				Fix:     "Run the test again. If it keeps failing, check that " + c.redirectURI + " is registered exactly as shown and that the app allows the authorization code flow.",
				FixURL:  stepURL(c.p, "redirect"),
			}
		},
	},
}

// timeoutHint names the errors a provider shows in the browser without
// ever coming back, so the test can only time out.
func timeoutHint(p providers.Provider) string {
	if p.OAuth == nil {
		return ""
	}
	u, err := url.Parse(p.OAuth.AuthURL)
	if err != nil {
		return ""
	}
	switch site(u.Hostname()) {
	case "google.com":
		return `If Google said "Access blocked: ... has not completed the Google verification process", add your account as a test user on the consent screen's Audience page, or publish the app. `
	case "facebook.com":
		return `If Facebook said "URL Blocked", add the URI under Facebook Login → Settings → Valid OAuth Redirect URIs; if it said the app is not active, switch the app to Live or sign in with an account that has a role on the app. `
	case "dropbox.com":
		return `Dropbox shows "Invalid redirect_uri" in the browser: the URI must be listed on the app's Settings tab, port and path included. `
	}
	return ""
}

// adviceFor maps any error of a sign-in to advice.
func adviceFor(c adviceCtx, err error) advice {
	var pe *ProviderError
	switch {
	case errors.As(err, &pe):
		return providerAdvice(c, pe)
	case errors.Is(err, ErrStateMismatch):
		return advice{
			Message: "Stopped: the answer that reached Keywizard does not belong to this sign-in (its state does not match). Another page or program may have tried to slip in its own sign-in, which is how a login CSRF attack works.",
			Fix:     "Close other sign-in tabs and run the test again. If it happens again, look for software on this computer that opens local web addresses.",
		}
	case errors.Is(err, ErrIssuerMismatch):
		return advice{
			Message: "Stopped: the answer names a different sign-in server than " + c.p.Title + " (" + err.Error() + "). This is how a mix-up attack looks, or the provider definition points at the wrong server.",
			Fix:     "Run the test again from Keywizard only. If it happens again, do not use these keys until the cause is known.",
		}
	case errors.Is(err, ErrTimeout):
		return advice{
			Message: fmt.Sprintf("No answer came back to Keywizard within %s.", c.timeout),
			Fix: "If the browser showed an error such as redirect_uri_mismatch or \"invalid redirect URI\", add exactly " + registerURI(c) + " as a redirect URI of the client in the console and run the test again. " +
				timeoutHint(c.p) + "Otherwise run the test again and finish signing in sooner, or allow longer with --timeout.",
			FixURL: stepURL(c.p, "redirect"),
		}
	case errors.Is(err, ErrCanceled):
		return advice{Message: "The test sign-in was cancelled.", Fix: "Run the test again when ready."}
	case errors.Is(err, ErrUnreachable):
		return advice{
			Message: c.p.Title + " could not be reached: " + err.Error() + ". The keys are neither proven good nor bad.",
			Fix:     "Check the network, the proxy settings (HTTPS_PROXY) and SSL_CERT_FILE, then run the test again.",
		}
	}
	return advice{Message: "The test sign-in failed: " + err.Error() + "."}
}

func providerAdvice(c adviceCtx, e *ProviderError) advice {
	code := strings.ToLower(e.Code)
	text := strings.ToLower(e.Code + " " + e.Description)
	if e.Stage == "identity" {
		return identityAdvice(c, e)
	}
	if c.plan.portal && (code == "unauthorized_scope_error" || code == "invalid_scope" || has(text, "unauthorized_scope_error")) {
		return portalScopeAdvice(c, e)
	}
	for _, r := range providerRules {
		if r.match(code, text) {
			a := r.advice(c, e)
			a.Message += " (" + e.Error() + ")"
			return a
		}
	}
	return advice{
		Message: c.p.Title + " answered with an error: " + e.Error() + ".",
		Fix:     "Compare the app's settings in the console with the guide ('keywizard guide " + c.p.ID + "'), then run the test again.",
		FixURL:  firstStepURL(c.p),
	}
}

// portalScopeAdvice: the service refuses the scopes the portal itself
// asks for, so the portal's sign-in cannot work with this app whatever
// else is right.
func portalScopeAdvice(c adviceCtx, e *ProviderError) advice {
	f := c.plan.flow
	a := advice{
		Message: fmt.Sprintf("%s refused the permissions the portal asks for (%s), so the portal's %s cannot work with this app (%s).",
			c.p.Title, f.Scope(), f.Use, e.Error()),
		Fix:    "Allow these permissions (scopes) for the app in the console, then run the test again.",
		FixURL: stepURL(c.p, "product", "scope", "permission", "data access"),
	}
	if f.ScopeRefusal != "" {
		a.Fix = f.ScopeRefusal
	}
	return a
}

// identityAdvice: the token call worked, but a call the portal makes right
// after it was refused, so the portal's own sign-in stops there.
func identityAdvice(c adviceCtx, e *ProviderError) advice {
	what := "the portal"
	if !c.plan.portal {
		what = "Keywizard"
	}
	a := advice{
		Message: fmt.Sprintf("%s accepted the keys and the sign-in, but refused the call %s makes next, %s (%s).",
			c.p.Title, what, where(e.url), e.Error()),
		Fix:    "Check the app's products, permissions and plan in the console: the portal's " + first(c.plan.flow.Use, "sign-in") + " needs this call.",
		FixURL: firstStepURL(c.p),
	}
	if c.plan.portal {
		a.Message += " The portal's " + c.plan.flow.Use + " fails at this same call."
	}
	if c.plan.flow.IdentityRefusal != "" {
		a.Fix = c.plan.flow.IdentityRefusal
	}
	return a
}

func redirectAdvice(c adviceCtx, _ *ProviderError) advice {
	return advice{
		Message: "The redirect URI of the test is not registered for this client.",
		Fix:     "Add exactly " + registerURI(c) + " as a redirect URI of the client in the console (" + matchRule(c) + "), save, and run the test again.",
		FixURL:  stepURL(c.p, "redirect"),
	}
}

// registerURI is the redirect URI the admin must register: the one the test
// used, without its port where the provider ignores loopback ports.
func registerURI(c adviceCtx) string {
	o := c.p.OAuth
	if o == nil || o.Loopback != providers.LoopbackAnyPort || c.redirectURI == "" {
		return c.redirectURI
	}
	u, err := url.Parse(c.redirectURI)
	if err != nil || u.Port() == "" {
		return c.redirectURI
	}
	u.Host = u.Hostname()
	if strings.Contains(u.Host, ":") {
		u.Host = "[" + u.Host + "]"
	}
	return u.String()
}

func matchRule(c adviceCtx) string {
	if c.p.OAuth != nil && c.p.OAuth.Loopback == providers.LoopbackAnyPort {
		return "scheme, host and path must match, with no trailing slash; the service ignores the port"
	}
	return "scheme, host, port and path must match, with no trailing slash"
}

// wrongClientTypeAdvice: the client exists but is of a kind that may not
// use a confidential authorization-code sign-in.
func wrongClientTypeAdvice(c adviceCtx, e *ProviderError) advice {
	a := advice{
		Message: "The service does not let this client use the sign-in flow Keywizard tests (the authorization code flow with a client secret): the client is of the wrong type or the flow is not enabled for it.",
		Fix:     "In the console, check the client's type: the portal needs a web application (a confidential client with a secret) that may use the authorization code grant. Create a new client of that type if needed.",
		FixURL:  stepURL(c.p, "client", "app"),
	}
	text := strings.ToLower(e.Code + " " + e.Description)
	switch {
	case has(text, "aadsts"):
		a.Fix = `In the app registration, open Authentication: the redirect URI must be listed under the "Web" platform, not under "Mobile and desktop applications" or "Single-page application", and the app must have a client secret.`
		a.FixURL = stepURL(c.p, "redirect", "authentication", "platform")
	case has(text, "missing valid authorization header"):
		a.Fix = `In the app's "User authentication settings", the type of app must be "Web App, Automated App or Bot" (a confidential client) to use a Client Secret; a "Native App" or "Single Page App" is a public client and must leave the secret empty.`
		a.FixURL = stepURL(c.p, "user authentication", "type of app")
	}
	return a
}

// invalidClientAdvice names the field that is most likely wrong.
func invalidClientAdvice(c adviceCtx, e *ProviderError) advice {
	id := fieldLabel(c.p, c.p.OAuth.ClientID, "client ID")
	secret := fieldLabel(c.p, c.p.OAuth.ClientSecret, "client secret")
	d := strings.ToLower(strings.TrimSpace(e.Description))
	a := advice{FixURL: stepURL(c.p, "secret", "copy the keys", "client id")}
	switch {
	case has(d, "secret"):
		a.Message = "The service rejected the " + secret + "."
		a.Fix = "Copy the " + secret + " again from the console (the whole value, not an ID or a hint) and paste it into the " + secret + " field."
	case has(d, "client_id", "client id", "not found", "unknown client", "application id", "invalid application", "deleted"):
		a.Message = "The service does not know this " + id + "."
		a.Fix = "Copy the " + id + " again from the console and paste it into the " + id + " field; check that the app was not deleted."
	case d == "unauthorized":
		a.Message = "The service knows the " + id + " but rejected the " + secret + "."
		a.Fix = "Copy the " + secret + " of this client again from the console and paste it into the " + secret + " field."
	default:
		a.Message = "The service rejected the client: the " + id + " or the " + secret + " is wrong, or they belong to different apps."
		a.Fix = "Copy both values again from the same app in the console."
	}
	return a
}

// fieldLabel returns the label of field id, or fallback.
func fieldLabel(p providers.Provider, id, fallback string) string {
	if f, ok := p.Field(id); ok && f.Label != "" {
		return `"` + f.Label + `"`
	}
	return fallback
}

// stepURL returns the URL of the first console step that mentions one of
// the words (in its title, lines or values to copy), or the first step URL.
func stepURL(p providers.Provider, words ...string) string {
	for _, s := range p.Steps {
		if s.URL == "" {
			continue
		}
		text := s.Title + " " + strings.Join(s.Lines, " ")
		for _, c := range s.Copy {
			text += " " + c.Label + " " + c.Value
		}
		if has(strings.ToLower(text), words...) {
			return s.URL
		}
	}
	return firstStepURL(p)
}

func firstStepURL(p providers.Provider) string {
	for _, s := range p.Steps {
		if s.URL != "" {
			return s.URL
		}
	}
	return ""
}

// noLoopback is the result for a provider that refuses loopback redirects.
func noLoopback(p providers.Provider) advice {
	return advice{
		Message: p.Title + " cannot send a sign-in back to this computer: it accepts no loopback redirect URI (http://127.0.0.1 or localhost) for these keys, so a test sign-in cannot run here.",
		Fix:     "Run 'keywizard check " + p.ID + "' instead: it is the strongest check that needs no browser. The full sign-in can only be proven on the portal, through its own redirect URL.",
	}
}
