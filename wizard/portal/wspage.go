package portal

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// ParseKeysPage reads the Workspace keys page (Management.aspx?type=9).
// The page has no API behind it: each service is a switcher
// (id="switcherBtn<Name>", class "disable" when the keys are fixed in the
// server's configuration) followed by a dialog (id="popupDialog<Name>")
// holding one <input id="<prop>" ... value="<value>" /> per key. Values are
// printed without HTML encoding, and the template has a stray quote before
// value=, so the parser looks for the template's own delimiters instead of
// parsing HTML. A value containing a quote is kept as the best reading and
// flagged inexact. The result is keyed by the lowercase consumer name.
func ParseKeysPage(page string) map[string]State {
	out := map[string]State{}
	const switcher = `id="switcherBtn`
	for i := 0; ; {
		j := strings.Index(page[i:], switcher)
		if j < 0 {
			break
		}
		start := i + j + len(switcher)
		end := strings.IndexByte(page[start:], '"')
		if end < 0 {
			break
		}
		name := page[start : start+end]
		tagEnd := strings.IndexByte(page[start:], '>')
		if tagEnd < 0 {
			tagEnd = len(page) - start
		}
		tag := page[start : start+tagEnd]
		s := State{Name: name, Offered: true, CanSet: !hasClass(tag, "disable"), Values: map[string]string{}, Inexact: map[string]bool{}}
		next := strings.Index(page[start:], switcher)
		if next < 0 {
			next = len(page) - start
		}
		section := page[start : start+next]
		if k := strings.Index(section, `id="popupDialog`+name+`"`); k >= 0 && s.CanSet {
			parseInputs(section[k:], &s)
		}
		out[strings.ToLower(name)] = s
		i = start + next
	}
	return out
}

func hasClass(tag, class string) bool {
	k := strings.Index(tag, `class="`)
	if k < 0 {
		return false
	}
	rest := tag[k+len(`class="`):]
	if e := strings.IndexByte(rest, '"'); e >= 0 {
		rest = rest[:e]
	}
	for _, f := range strings.Fields(rest) {
		if f == class {
			return true
		}
	}
	return false
}

// parseInputs reads every key input of one service's dialog.
func parseInputs(dialog string, s *State) {
	const open = `<input id="`
	for i := 0; ; {
		j := strings.Index(dialog[i:], open)
		if j < 0 {
			return
		}
		start := i + j + len(open)
		e := strings.IndexByte(dialog[start:], '"')
		if e < 0 {
			return
		}
		id := dialog[start : start+e]
		rest := dialog[start+e:]
		v := strings.Index(rest, `value="`)
		// The value attribute comes before the end of this tag; anything
		// else is some other input.
		if v < 0 || strings.Contains(rest[:v], "<") || !strings.Contains(rest[:v], "auth-service-key") {
			i = start + e
			continue
		}
		valStart := v + len(`value="`)
		value, n := readValue(rest[valStart:])
		s.Values[id] = value
		if strings.ContainsRune(value, '"') {
			s.Inexact[id] = true
		}
		i = start + e + valStart + n
	}
}

// readValue returns the raw value up to the closing quote of the input tag
// (a quote followed by "/>" or ">" and then markup), and how much it read.
func readValue(s string) (string, int) {
	for from := 0; from < len(s); {
		q := strings.IndexByte(s[from:], '"')
		if q < 0 {
			break
		}
		q += from
		after := strings.TrimLeft(s[q+1:], " \t\r\n")
		var tail string
		switch {
		case strings.HasPrefix(after, "/>"):
			tail = after[2:]
		case strings.HasPrefix(after, ">"):
			tail = after[1:]
		default:
			from = q + 1
			continue
		}
		tail = strings.TrimLeft(tail, " \t\r\n")
		if tail == "" || tail[0] == '<' {
			return s[:q], q + 1
		}
		from = q + 1
	}
	return s, len(s)
}

// Fingerprint is a short hash of a value, to compare values that cannot be
// shown or read exactly. It is not a secret-safe digest for short values;
// never print it for those.
func Fingerprint(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:8])
}
