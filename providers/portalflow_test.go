package providers

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

// offers returns the consumer of a product that still offers the service.
func offers(p Provider, prod Product) bool {
	c := p.Portal.DocSpace
	if prod == ProductWorkspace {
		c = p.Portal.Workspace
	}
	return c != nil && c.Removed == ""
}

// Every OAuth service records the portal's own flow for each product that
// offers it, and for no other, with its source.
func TestPortalFlowsRecorded(t *testing.T) {
	for _, p := range All() {
		if p.OAuth == nil {
			continue
		}
		t.Run(p.ID, func(t *testing.T) {
			for _, prod := range Products {
				f, ok := p.OAuth.Portal[prod]
				if ok != offers(p, prod) {
					t.Errorf("%s: portal flow recorded %v, product offers the service %v", prod, ok, offers(p, prod))
				}
				if ok {
					lintPortalFlow(t, p, prod, f)
				}
			}
			def, _, ok := p.OAuth.PortalFlowFor("")
			if ok && !slices.Equal(p.OAuth.PortalScopes, def.Scopes) {
				t.Errorf("PortalScopes %q differ from the portal's request %q", p.OAuth.PortalScopes, def.Scopes)
			}
		})
	}
}

func lintPortalFlow(t *testing.T, p Provider, prod Product, f PortalFlow) {
	t.Helper()
	urls := []string{f.AuthURL, f.TokenURL}
	if f.OAuth1 {
		urls = append(urls, f.RequestTokenURL)
		if f.ClientID == "" || f.ClientSecret == "" {
			t.Errorf("%s: an OAuth 1.0a flow names its consumer key and secret fields", prod)
		}
	} else if f.TokenAuth == oauth2.AuthStyleAutoDetect {
		t.Errorf("%s: the portal's token authentication must be recorded", prod)
	}
	for _, c := range f.Identity {
		// Mail.ru's profile call is plain http and never replayed.
		if p.OAuth.Loopback != LoopbackNone {
			urls = append(urls, c.URL)
		}
	}
	for _, u := range urls {
		checkHTTPS(t, string(prod)+" portal flow URL", u)
	}
	if f.IDToken && len(f.Identity) > 0 {
		t.Errorf("%s: identity from the ID token and from calls", prod)
	}
	for _, id := range []string{f.ClientID, f.ClientSecret} {
		if _, ok := p.Field(id); id != "" && !ok {
			t.Errorf("%s: portal flow names field %q, which does not exist", prod, id)
		}
	}
	if !strings.Contains(f.Source, "ONLYOFFICE/") || !strings.HasSuffix(strings.Split(f.Source, "; ")[0], ".cs") {
		t.Errorf("%s: source %q must name the portal's file", prod, f.Source)
	}
	if f.Use == "" {
		t.Errorf("%s: say what the portal does with the request", prod)
	}
	if f.PKCE && !p.OAuth.PKCE && !f.OAuth1 {
		t.Errorf("%s: PKCE added to a provider the catalogue does not know to accept it", prod)
	}
}

func TestPortalFlowFor(t *testing.T) {
	o := &OAuth{Portal: map[Product]PortalFlow{ProductWorkspace: {AuthURL: "w"}, ProductDocSpace: {AuthURL: "d"}}}
	for want, got := range map[Product]string{"": "d", ProductDocSpace: "d", ProductWorkspace: "w", "other": "d"} {
		if f, _, ok := o.PortalFlowFor(want); !ok || f.AuthURL != got {
			t.Errorf("%q: %q", want, f.AuthURL)
		}
	}
	only := &OAuth{Portal: map[Product]PortalFlow{ProductWorkspace: {AuthURL: "w"}}}
	if f, prod, ok := only.PortalFlowFor(ProductDocSpace); !ok || f.AuthURL != "w" || prod != ProductWorkspace {
		t.Errorf("Workspace-only service: %v %q", ok, prod)
	}
	if _, _, ok := (&OAuth{}).PortalFlowFor(""); ok {
		t.Error("no record")
	}
	if (PortalFlow{Scopes: []string{"a", "b"}, ScopeSep: ","}).Scope() != "a,b" || (PortalFlow{Scopes: []string{"a", "b"}}).Scope() != "a b" {
		t.Error("scope joining")
	}
}
