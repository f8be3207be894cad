package loopback

import (
	"errors"
	"maps"
	"net/url"
	"slices"
	"strings"

	"keywizard/providers"
)

// replay is the request a test sign-in sends: the portal's own flow where
// the catalogue records one (changing only the redirect URI), else the
// catalogue's own smallest request.
type replay struct {
	portal  bool              // flow is the portal's own request
	product providers.Product // the product whose flow it is
	chosen  bool              // the caller named the product
	flow    providers.PortalFlow
	// differs lists the other products whose own request is not the same.
	differs []providers.Product
}

// planFor picks the flow to replay for the product the caller named.
func planFor(o *providers.OAuth, product string) replay {
	f, prod, ok := o.PortalFlowFor(providers.Product(product))
	if !ok {
		return replay{flow: ownFlow(o)}
	}
	r := replay{portal: true, product: prod, chosen: string(prod) == product, flow: f}
	for _, other := range providers.Products {
		if g, ok := o.Portal[other]; ok && other != prod && !sameRequest(f, g) {
			r.differs = append(r.differs, other)
		}
	}
	return r
}

// ownFlow is the catalogue's own request, for services whose portal flow
// is not recorded (an editor plugin, a service no product offers).
func ownFlow(o *providers.OAuth) providers.PortalFlow {
	f := providers.PortalFlow{
		AuthURL: o.AuthURL, TokenURL: o.TokenURL, TokenAuth: o.AuthStyle,
		Scopes: o.Scopes, Params: o.AuthParams, PKCE: o.PKCE,
	}
	if o.UserInfoURL != "" {
		f.Identity = []providers.IdentityCall{{URL: o.UserInfoURL}}
	}
	return f
}

func sameRequest(a, b providers.PortalFlow) bool {
	return a.OAuth1 == b.OAuth1 && a.RequestTokenURL == b.RequestTokenURL && a.AuthURL == b.AuthURL &&
		a.TokenURL == b.TokenURL && a.TokenAuth == b.TokenAuth && a.Scope() == b.Scope() &&
		maps.Equal(a.Params, b.Params) && slices.Equal(a.Identity, b.Identity) && a.IDToken == b.IDToken
}

// idCall is one identity request with the token: bearer, the Yandex
// "OAuth" scheme, a query parameter, or an OAuth 1.0a signature.
type idCall struct {
	url   string // without the token
	auth  string // "bearer", "oauth", "query" or "oauth1"
	param string // query parameter for "query"
	own   bool   // Keywizard's own read, not a call of the portal's flow
}

// identityCalls are the calls to make after the token call, with {host}
// filled in: the portal's own, or the catalogue's identity endpoint with
// the way the provider wants the token.
func (r replay) identityCalls(p providers.Provider, values map[string]string) ([]idCall, error) {
	var out []idCall
	calls := r.flow.Identity
	own := !r.portal
	if r.portal && len(calls) == 0 && !r.flow.IDToken && p.OAuth.UserInfoURL != "" {
		// The portal reads nothing before its file calls (Box, Dropbox,
		// DocuSign): Keywizard's own read names who signed in.
		calls, own = []providers.IdentityCall{{URL: p.OAuth.UserInfoURL}}, true
	}
	for _, c := range calls {
		u, err := fill(p, c.URL, values)
		if err != nil {
			return nil, err
		}
		if err := checkEndpoint(u); err != nil {
			return nil, err
		}
		k := idCall{url: u, auth: "bearer", param: c.TokenParam, own: own}
		switch {
		case c.TokenParam != "":
			k.auth = "query"
		case r.flow.OAuth1:
			k.auth = "oauth1"
		case own:
			k.auth, k.param = ownAuth(p.OAuth.UserInfoAuth)
		}
		out = append(out, k)
	}
	return out, nil
}

func ownAuth(s string) (string, string) {
	switch strings.ToLower(s) {
	case "oauth":
		return "oauth", ""
	case "query":
		return "query", "access_token"
	}
	return "bearer", ""
}

// where names an endpoint without its query, which may carry a token.
func where(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the endpoint"
	}
	return u.Host + u.Path
}

// proofs says what a result proves about the portal's own sign-in and what
// it leaves open.
func (f *flow) proofs(ok bool, err error) (proven, notProven string) {
	r := f.plan
	var open []string
	if !r.portal {
		open = append(open, "the portal's own request: the catalogue records none for "+f.p.Title+
			" ("+noPortalFlow(f.p)+"), so Keywizard sent its own")
	}
	open = append(open, "the portal's redirect URL: the answer came back to "+f.b.redirectURI+
		" instead, so the portal's redirect URL must be registered as well")
	if len(r.differs) > 0 && !r.chosen {
		names := make([]string, len(r.differs))
		for i, d := range r.differs {
			names[i] = d.Title() + "'s (run the test again with --product " + string(d) + ")"
		}
		open = append(open, "the other product's request, which differs: "+strings.Join(names, ", "))
	}
	if r.portal && r.flow.NotReplayed != "" {
		open = append(open, r.flow.NotReplayed)
	}
	if r.portal && len(r.flow.Identity) == 0 && !r.flow.IDToken {
		open = append(open, "the portal's file calls after "+r.flow.Use+" (Keywizard read who signed in on its own)")
	}
	if ok {
		proven = f.provenText()
	} else if pe := (*ProviderError)(nil); errors.As(err, &pe) && pe.Stage == "identity" {
		proven = "the client ID, the secret, the redirect and the consent: the token call succeeded"
		open = append([]string{"the portal's " + r.flow.Use + ": " + where(pe.url) + " refused the call the portal makes next"}, open...)
	} else if pe := (*ProviderError)(nil); r.portal && errors.As(err, &pe) {
		open = append([]string{"the portal's " + r.flow.Use + ": " + f.p.Title + " refused its request"}, open...)
	} else if r.portal {
		open = append([]string{"the portal's " + r.flow.Use + ": the test did not complete"}, open...)
	}
	return sentence(proven), sentence(strings.Join(open, "; "))
}

func (f *flow) provenText() string {
	r := f.plan
	what := "Keywizard's own request"
	if r.portal {
		what = r.product.Title() + "'s own request for " + r.flow.Use
	}
	parts := []string{where(f.cfg.Endpoint.AuthURL)}
	if r.flow.OAuth1 {
		parts = []string{"OAuth 1.0a with the consumer keys via " + where(r.flow.RequestTokenURL)}
	}
	if s := r.flow.Scope(); s != "" {
		parts = append(parts, "scope "+s)
	}
	out := what + " (" + strings.Join(parts, ", ") + ") and its token call were accepted"
	var reads []string
	for _, c := range f.cfg.calls {
		if !c.own {
			reads = append(reads, where(c.url))
		}
	}
	switch {
	case r.flow.IDToken:
		out += ", and the token answer carries the ID token the portal reads"
	case len(reads) > 0 && r.portal:
		out += ", and so were the portal's calls to " + strings.Join(reads, " and ")
	}
	if r.portal {
		out += ": the portal's " + r.flow.Use + " will work with these keys"
	}
	return out
}

// noPortalFlow says why the catalogue records no portal flow.
func noPortalFlow(p providers.Provider) string {
	if p.Portal.DocSpace == nil && p.Portal.Workspace == nil {
		return "it is used outside the portal"
	}
	return "no portal product offers it any more"
}

func sentence(s string) string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}
