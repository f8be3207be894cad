package secrets

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/zalando/go-keyring"
)

// A value too big for one keyring entry is stored as chunks
// SERVICE/FIELD#1..n, and the entry SERVICE/FIELD holds a header giving
// their number, the total length and a short checksum, so that a read
// notices a value left half-written by a crash instead of returning it.
const headerPrefix = "keywizard-chunks/v1 "

type chunkHeader struct {
	n, size int
	sum     string
}

func (h chunkHeader) String() string {
	return fmt.Sprintf("%sn=%d len=%d sha256=%s", headerPrefix, h.n, h.size, h.sum)
}

func shortSum(v string) string {
	s := sha256.Sum256([]byte(v))
	return hex.EncodeToString(s[:8])
}

func parseHeader(v string) (chunkHeader, bool) {
	if !strings.HasPrefix(v, headerPrefix) {
		return chunkHeader{}, false
	}
	var h chunkHeader
	_, err := fmt.Sscanf(v[len(headerPrefix):], "n=%d len=%d sha256=%s", &h.n, &h.size, &h.sum)
	if err != nil || h.n < 1 || h.n > maxChunks {
		return chunkHeader{}, false
	}
	return h, true
}

func chunkUser(user string, i int) string { return fmt.Sprintf("%s#%d", user, i) }

// split cuts value into pieces of at most limit bytes, on rune boundaries.
// It returns nil when the value fits in one entry as it is. A value that
// itself starts like a header is always chunked, so it cannot be misread.
func split(value string, limit int) []string {
	looksLikeHeader := strings.HasPrefix(value, headerPrefix)
	if !looksLikeHeader && (limit <= 0 || len(value) <= limit) {
		return nil
	}
	if limit <= 0 || len(value) <= limit {
		return []string{value}
	}
	var parts []string
	for len(value) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(value[cut]) {
			cut--
		}
		if cut == 0 {
			cut = limit
		}
		parts = append(parts, value[:cut])
		value = value[cut:]
	}
	return append(parts, value)
}

func notFound(err error) bool {
	return errors.Is(err, keyring.ErrNotFound) || errors.Is(err, ErrNotFound)
}

func tooBig(err error) bool { return errors.Is(err, keyring.ErrSetDataTooBig) }

// read returns the value of an entry, joined from its chunks if needed.
func (k *Keyring) read(kr backend, user string) (string, error) {
	v, err := kr.Get(k.App, user)
	if notFound(err) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", err
	}
	h, ok := parseHeader(v)
	if !ok {
		return v, nil
	}
	var b strings.Builder
	for i := 1; i <= h.n; i++ {
		part, err := kr.Get(k.App, chunkUser(user, i))
		if notFound(err) {
			return "", fmt.Errorf("part %d of %d is missing: store the value again", i, h.n)
		}
		if err != nil {
			return "", err
		}
		b.WriteString(part)
	}
	if out := b.String(); len(out) == h.size && shortSum(out) == h.sum {
		return out, nil
	}
	return "", fmt.Errorf("the %d stored parts do not make up the value (an interrupted write?): store the value again", h.n)
}

// chunkCount gives how many chunks an entry has now (0 when plain or
// absent); errors count as 0, the sweep after a write catches leftovers.
func (k *Keyring) chunkCount(kr backend, user string) int {
	v, err := kr.Get(k.App, user)
	if err != nil {
		return 0
	}
	h, _ := parseHeader(v)
	return h.n
}

// write stores value under user, chunked when larger than the limit. The
// chunks go first and the header last, so a reader never sees a header
// pointing at chunks that were not written yet.
func (k *Keyring) write(kr backend, user, value string) error {
	old := k.chunkCount(kr, user)
	parts := split(value, k.Limit)
	if len(parts) > maxChunks {
		return fmt.Errorf("%w: %d bytes need more than %d entries of %d bytes", ErrTooBig, len(value), maxChunks, k.Limit)
	}
	for i, p := range parts {
		if err := kr.Set(k.App, chunkUser(user, i+1), p); err != nil {
			return sizeErr(err, len(value))
		}
	}
	entry := value
	if parts != nil {
		entry = chunkHeader{n: len(parts), size: len(value), sum: shortSum(value)}.String()
	}
	if err := kr.Set(k.App, user, entry); err != nil {
		return sizeErr(err, len(value))
	}
	return k.sweep(kr, user, len(parts)+1, old)
}

func sizeErr(err error, n int) error {
	if tooBig(err) {
		return fmt.Errorf("%w (%d bytes): %v", ErrTooBig, n, err)
	}
	return err
}

// sweep deletes chunks from number from on: all up to old, then on until
// one is missing, which also clears what an interrupted write left.
func (k *Keyring) sweep(kr backend, user string, from, old int) error {
	for i := from; i <= maxChunks+1; i++ {
		err := kr.Delete(k.App, chunkUser(user, i))
		if notFound(err) {
			if i > old {
				return nil
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("delete old part %d: %w", i, err)
		}
	}
	return nil
}

// remove deletes an entry and its chunks; ErrNotFound when absent.
func (k *Keyring) remove(kr backend, user string) error {
	n := k.chunkCount(kr, user)
	err := kr.Delete(k.App, user)
	if notFound(err) {
		if serr := k.sweep(kr, user, 1, 0); serr != nil {
			return serr
		}
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	return k.sweep(kr, user, 1, n)
}
