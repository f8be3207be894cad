package providers

import (
	"strings"

	"golang.org/x/oauth2"
)

// Product is an ONLYOFFICE product line, named as the portal client names
// it.
type Product string

// The two products.
const (
	ProductDocSpace  Product = "docspace"
	ProductWorkspace Product = "workspace"
)

// Products lists the products in the order a test sign-in prefers them
// when the connected portal is not known.
var Products = []Product{ProductDocSpace, ProductWorkspace}

// Title names the product as the admin knows it.
func (p Product) Title() string {
	switch p {
	case ProductDocSpace:
		return "DocSpace"
	case ProductWorkspace:
		return "Workspace"
	}
	return string(p)
}

// PortalFlow is the sign-in a portal product runs with a service's keys:
// the authorization request it sends, how it calls the token endpoint, and
// the calls it makes with the token before a sign-in or a connection
// succeeds. The test sign-in replays it, changing only the redirect URI.
type PortalFlow struct {
	// OAuth1 marks a 3-legged OAuth 1.0a flow (RFC 5849): RequestTokenURL
	// gives a temporary token, AuthURL is where the user authorizes it,
	// TokenURL exchanges it and the verifier for the access token.
	OAuth1          bool
	RequestTokenURL string

	AuthURL  string // as the portal sends it; may contain {host}
	TokenURL string
	// TokenAuth is where the portal puts the client credentials at the
	// token endpoint: the form body for most, a Basic header for some.
	TokenAuth oauth2.AuthStyle
	Scopes    []string          // in the portal's order; nil when it sends no scope
	ScopeSep  string            // what joins them: " " when empty ("," for some)
	Params    map[string]string // further authorization parameters the portal adds

	// PKCE adds an S256 challenge the portal itself does not send: set
	// only where the service accepts PKCE from a confidential client.
	PKCE bool

	// Identity are the calls the portal makes with the token, in order.
	Identity []IdentityCall
	// IDToken says the portal reads who signed in from the token
	// answer's id_token instead.
	IDToken bool

	// NotReplayed says what of the portal's flow the test does not send
	// exactly as the portal does, if anything.
	NotReplayed string

	// ScopeRefusal explains a refusal of the portal's scopes and says
	// what would work; IdentityRefusal does the same for a refused
	// identity call. Both optional.
	ScopeRefusal, IdentityRefusal string

	// ClientID and ClientSecret name the fields the portal signs in with,
	// where they are not the OAuth block's (X's consumer keys).
	ClientID, ClientSecret string

	// Use says what the portal does with this request ("sign-in",
	// "connecting a Drive"), for the result.
	Use string
	// Source is where the facts come from: the portal's source file.
	Source string
}

// IdentityCall is one request the portal sends with the access token.
type IdentityCall struct {
	URL string
	// TokenParam is the query parameter that carries the access token
	// ("access_token", "oauth_token"); empty means the Authorization
	// header: Bearer, or an OAuth 1.0a signature in an OAuth1 flow.
	TokenParam string
}

// Scope is the scope parameter the portal sends ("" for none).
func (f PortalFlow) Scope() string {
	sep := f.ScopeSep
	if sep == "" {
		sep = " "
	}
	return strings.Join(f.Scopes, sep)
}

// PortalFlowFor picks the portal flow a test sign-in replays: the given
// product's where recorded, else the first product in Products that has
// one. ok is false when the catalogue records no portal flow.
func (o *OAuth) PortalFlowFor(want Product) (PortalFlow, Product, bool) {
	if o == nil || len(o.Portal) == 0 {
		return PortalFlow{}, "", false
	}
	if f, ok := o.Portal[want]; ok {
		return f, want, true
	}
	for _, p := range Products {
		if f, ok := o.Portal[p]; ok {
			return f, p, true
		}
	}
	return PortalFlow{}, "", false
}

// Where the portal's login providers live, for PortalFlow.Source.
const (
	docSpaceSource  = "ONLYOFFICE/DocSpace-server common/ASC.FederatedLogin/"
	workspaceSource = "ONLYOFFICE/CommunityServer module/ASC.Thrdparty/ASC.FederatedLogin/"
)

// inDocSpace and inWorkspace name a file of the portal's sources.
func inDocSpace(files ...string) string  { return sourceIn(docSpaceSource, files) }
func inWorkspace(files ...string) string { return sourceIn(workspaceSource, files) }

func sourceIn(root string, files []string) string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = root + f
	}
	return strings.Join(out, "; ")
}

// sameFlow records one flow that both products run, from the same file
// names in each product's sources.
func sameFlow(f PortalFlow, files ...string) map[Product]PortalFlow {
	ds, ws := f, f
	ds.Source, ws.Source = inDocSpace(files...), inWorkspace(files...)
	return map[Product]PortalFlow{ProductDocSpace: ds, ProductWorkspace: ws}
}

// workspaceOnly records a flow of a service that only Workspace still
// offers.
func workspaceOnly(f PortalFlow, files ...string) map[Product]PortalFlow {
	f.Source = inWorkspace(files...)
	return map[Product]PortalFlow{ProductWorkspace: f}
}
