package outside

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text makes an outside text safe to print on one line or to store: see
// Clean, then cut to MaxText.
func Text(s string) string { return Cut(Clean(s), MaxText) }

// Name is Text for short values (a version, a phone hint): cut to MaxName.
func Name(s string) string { return Cut(Clean(s), MaxName) }

// Clean returns s with every character that could steer a terminal made
// visible instead: line breaks and tabs become spaces; other control
// characters (C0, DEL, C1, among them ESC and CSI), the bidirectional
// overrides and isolates, and bytes that are not UTF-8 are written as
// escapes (\x1b, \u202e). Runs of spaces are kept as they are.
func Clean(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' || r == '\r' || r == '\t' || r == '\v' || r == '\f':
			b.WriteByte(' ')
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func isClean(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n <= 1) || r == '\n' || r == '\r' || r == '\t' || r == '\v' || r == '\f' || unsafeRune(r) {
			return false
		}
		i += n
	}
	return true
}

// unsafeRune reports a character a terminal may act on or that reorders
// what is shown around it.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x2028, r == 0x2029, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return unicode.Is(unicode.Cc, r)
}

// Cut shortens s to at most n bytes, on a character boundary, marking the
// cut with "…".
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	n -= len("…")
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:max(n, 0)] + "…"
}
