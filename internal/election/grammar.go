package election

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/keys"
)

// The lexical grammar shared by election definitions and actas
// (doc/spec/acta.md, "Fields").

// MaxCount is the largest count a definition or an acta may hold.
const MaxCount = 999_999_999

// ValidID reports whether s is an id: 1 to 64 characters from A-Z a-z 0-9 . _ -,
// starting with a letter or digit.
func ValidID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case (c == '.' || c == '_' || c == '-') && i > 0:
		default:
			return false
		}
	}
	return true
}

// ParseCount parses a count in canonical decimal form: no sign, no leading
// zeros, at most MaxCount.
func ParseCount(s string) (int, error) {
	if s == "" {
		return 0, errors.New("empty number")
	}
	if len(s) > 9 {
		return 0, fmt.Errorf("number %q too large", clip(s, 20))
	}
	if len(s) > 1 && s[0] == '0' {
		return 0, fmt.Errorf("number %q not in canonical form (leading zero)", clip(s, 20))
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("malformed number %q", clip(s, 20))
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}

// CanonicalKey reports whether key is an Ed25519 signed-note verifier key in
// the encoding note.NewEd25519VerifierKey writes. note.NewVerifier accepts
// some other spellings of the same key (base64 with stray bits); a canonical
// key has exactly one spelling, so comparing key texts compares keys.
func CanonicalKey(key string) bool {
	name, raw := splitKey(key)
	if raw == nil || raw[0] != algEd25519 {
		return false
	}
	want, err := note.NewEd25519VerifierKey(name, raw[1:])
	return err == nil && want == key
}

// canonicalCosignatureKey reports whether key is a C2SP cosignature/v1
// verifier key (algorithm byte 0x04) in the encoding
// keys.CosignatureKey writes: the form witnesses' key generators print
// a log witness's key in.
func canonicalCosignatureKey(key string) bool {
	name, raw := splitKey(key)
	if raw == nil || raw[0] != algCosignatureV1 {
		return false
	}
	ed, err := note.NewEd25519VerifierKey(name, raw[1:])
	if err != nil {
		return false
	}
	want, err := keys.CosignatureKey(ed)
	return err == nil && want == key
}

// The algorithm bytes of the two forms of verifier keys.
const (
	algEd25519       = 0x01
	algCosignatureV1 = 0x04
)

// splitKey returns the name and the decoded key data (algorithm byte and
// 32-byte key) of a verifier key, or a nil key data.
func splitKey(key string) (name string, raw []byte) {
	name, rest, ok := strings.Cut(key, "+")
	if !ok {
		return "", nil
	}
	_, b64, ok := strings.Cut(rest, "+")
	if !ok {
		return "", nil
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil || len(raw) != 33 {
		return "", nil
	}
	return name, raw
}

// KeyBytes returns the Ed25519 public key of a canonical verifier key, in
// the signed-note form or the cosignature/v1 one, or nil.
func KeyBytes(key string) []byte {
	_, raw := splitKey(key)
	if raw == nil || (raw[0] != algEd25519 && raw[0] != algCosignatureV1) {
		return nil
	}
	return raw[1:]
}

// KeyName returns the name part of a verifier key.
func KeyName(key string) string {
	name, _, _ := strings.Cut(key, "+")
	return name
}

// KeyID returns the name and key hash of a verifier key ("name+hash"): short,
// and unlike the name alone it tells two keys of one name apart.
func KeyID(key string) string {
	f := strings.SplitN(key, "+", 3)
	return strings.Join(f[:min(2, len(f))], "+")
}

// clip cuts s to at most n bytes for an error message.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
