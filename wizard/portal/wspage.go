package portal

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"sort"
	"strings"
)

// ParseKeysPage reads the Workspace keys page (Management.aspx?type=9).
// The page has no API behind it: each service is a switcher
// (id="switcherBtn<Name>", class "disable" when the keys are fixed in the
// server's configuration) and a dialog (id="popupDialog<Name>") holding one
// <input id="<prop>" ... value="<value>" /> per key. Values are printed
// without HTML encoding, and the template has a stray quote before value=,
// so the parser reads attributes itself instead of parsing HTML, in any
// order, and ends a value at a quote that closes the tag or starts the next
// attribute. A value that holds a quote, or what looks like an HTML entity,
// is kept as the best reading and flagged inexact. The result is keyed by
// the lowercase consumer name.
func ParseKeysPage(page string) map[string]State {
	marks := pageMarks(page)
	out := map[string]State{}
	get := func(name string) State {
		s, ok := out[strings.ToLower(name)]
		if !ok {
			s = State{Name: name, Offered: true, CanSet: true, Values: map[string]string{}, Inexact: map[string]bool{}}
		}
		return s
	}
	for i, m := range marks {
		s := get(m.name)
		end := len(page)
		if i+1 < len(marks) {
			end = marks[i+1].at
		}
		if m.switcher {
			s.Name = m.name
			from := 0
			if i > 0 {
				from = marks[i-1].end
			}
			if hasClass(tagAround(page, from, m, end), "disable") {
				s.CanSet = false
			}
		} else {
			parseInputs(page[m.at:end], &s)
		}
		out[strings.ToLower(m.name)] = s
	}
	for k, s := range out {
		if !s.CanSet {
			// The template renders no dialog for these; whatever was read
			// is not something the client may send.
			s.Values, s.Inexact = map[string]string{}, map[string]bool{}
			out[k] = s
		}
	}
	return out
}

// mark is where a switcher or a dialog starts.
type mark struct {
	at, end  int // the id attribute's bounds
	name     string
	switcher bool
}

var markRE = regexp.MustCompile(`\bid\s*=\s*["'](switcherBtn|popupDialog)([^"'\s<>]+)["']`)

func pageMarks(page string) []mark {
	var out []mark
	for _, m := range markRE.FindAllStringSubmatchIndex(page, -1) {
		out = append(out, mark{at: m[0], end: m[1], name: page[m[4]:m[5]], switcher: page[m[2]:m[3]] == "switcherBtn"})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].at < out[j].at })
	return out
}

// tagAround returns the tag containing mark m (plain attributes only:
// switchers carry no values), looking no further back than from (the end
// of the previous mark) and no further on than to (the next mark): each
// byte of the page is looked at for one mark only, so that a page made of
// marks with no tag around them is still read in linear time.
func tagAround(page string, from int, m mark, to int) string {
	start := m.at
	if lt := strings.LastIndexByte(page[from:m.at], '<'); lt >= 0 {
		start = from + lt
	}
	end := to
	if gt := strings.IndexAny(page[m.end:to], "<>"); gt >= 0 {
		end = m.end + gt
	}
	return page[start:end]
}

var classRE = regexp.MustCompile(`\bclass\s*=\s*["']([^"']*)["']`)

func hasClass(tag, class string) bool {
	m := classRE.FindStringSubmatch(tag)
	if m == nil {
		return false
	}
	for _, f := range strings.Fields(m[1]) {
		if f == class {
			return true
		}
	}
	return false
}

// parseInputs reads every key input of one service's dialog.
func parseInputs(dialog string, s *State) {
	lower := asciiLower(dialog) // same byte offsets as dialog
	marked := strings.Contains(dialog, "auth-service-key")
	for i := 0; i < len(dialog); {
		j := strings.Index(lower[i:], "<input")
		if j < 0 {
			return
		}
		start := i + j + len("<input")
		in, n := scanTag(dialog[start:])
		i = start + n
		if in.attrs["id"] == "" || !in.hasValue {
			continue
		}
		switch strings.ToLower(in.attrs["type"]) {
		case "", "text", "password":
		default:
			continue
		}
		if c, ok := in.attrs["class"]; ok && !strings.Contains(c, "auth-service-key") && marked {
			continue // the template marks key inputs; this is another one
		}
		id := in.attrs["id"]
		s.Values[id] = in.value
		if in.inexact {
			s.Inexact[id] = true
		}
	}
}

// tag is one scanned start tag.
type tag struct {
	attrs    map[string]string
	value    string
	hasValue bool
	inexact  bool
}

// scanTag reads the attributes of a start tag from just after its name to
// its end, tolerating stray quotes, and returns how much it read.
func scanTag(s string) (tag, int) {
	t := tag{attrs: map[string]string{}}
	i := 0
	for i < len(s) {
		switch c := s[i]; {
		case c == '>':
			return t, i + 1
		case c == '/' && strings.HasPrefix(s[i:], "/>"):
			return t, i + 2
		case c == '<':
			return t, i // the tag never closed: stop before the next one
		case isSpace(c) || c == '"' || c == '\'' || c == '/':
			i++
			continue
		}
		nameEnd := i
		for nameEnd < len(s) && !isSpace(s[nameEnd]) && !strings.ContainsRune("=>/\"'<", rune(s[nameEnd])) {
			nameEnd++
		}
		name := strings.ToLower(s[i:nameEnd])
		i = skipSpace(s, nameEnd)
		if i >= len(s) || s[i] != '=' {
			t.attrs[name] = ""
			if name == "value" {
				t.value, t.hasValue = "", true // a bare attribute: empty
			}
			continue
		}
		i = skipSpace(s, i+1)
		val, n, exact := attrValue(s[i:], name == "value")
		i += n
		if name == "value" {
			t.value, t.hasValue, t.inexact = val, true, !exact
		} else {
			t.attrs[name] = val
		}
	}
	return t, len(s)
}

// attrValue reads one attribute value. A double-quoted key value may hold
// quotes itself (Workspace prints it raw), so it ends at the first quote
// that is followed by the end of the tag and then markup, or by another
// attribute.
func attrValue(s string, raw bool) (string, int, bool) {
	if s == "" {
		return "", 0, true
	}
	switch q := s[0]; {
	case q == '"' && raw:
		v, n := readValue(s[1:])
		return v, n + 1, !strings.ContainsRune(v, '"') && !entityRE.MatchString(v)
	case q == '"' || q == '\'':
		e := strings.IndexByte(s[1:], q)
		if e < 0 {
			return s[1:], len(s), false
		}
		v := s[1 : 1+e]
		return v, e + 2, !entityRE.MatchString(v)
	}
	e := 0
	for e < len(s) && !isSpace(s[e]) && s[e] != '>' {
		e++
	}
	return s[:e], e, !entityRE.MatchString(s[:e])
}

// entityRE finds what looks like an HTML character reference: a portal (or
// a proxy) that does encode values shows them this way.
var entityRE = regexp.MustCompile(`&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});`)

// nextAttrRE matches what follows a closing quote when another attribute
// comes next: whitespace, a name, and either "=" or the end of the tag.
var nextAttrRE = regexp.MustCompile(`^\s+[A-Za-z_:][-A-Za-z0-9_:.]*\s*(=\s*["']|/?>)`)

// readValue returns the raw value up to its closing quote, and how much it
// read (the quote included).
func readValue(s string) (string, int) {
	for from := 0; from < len(s); {
		q := strings.IndexByte(s[from:], '"')
		if q < 0 {
			break
		}
		q += from
		rest := s[q+1:]
		if closesTag(rest) || nextAttrRE.MatchString(rest) {
			return s[:q], q + 1
		}
		from = q + 1
	}
	return s, len(s)
}

// closesTag reports whether s starts with the end of a tag followed by
// markup (or nothing).
func closesTag(s string) bool {
	after := strings.TrimLeft(s, " \t\r\n")
	switch {
	case strings.HasPrefix(after, "/>"):
		after = after[2:]
	case strings.HasPrefix(after, ">"):
		after = after[1:]
	default:
		return false
	}
	after = strings.TrimLeft(after, " \t\r\n")
	return after == "" || after[0] == '<'
}

// asciiLower lowers ASCII letters only, so that offsets stay valid
// (strings.ToLower may change the length of other bytes).
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

// Fingerprint is a short hash of a value, to compare values that cannot be
// shown or read exactly. It is not a secret-safe digest for short values;
// never print it for those.
func Fingerprint(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:8])
}
