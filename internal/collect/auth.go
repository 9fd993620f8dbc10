package collect

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/web/phone/check"
)

// Uploads are authenticated by the witness's key: the phone signs
// check.UploadMessage (the election, the SHA-256 of the acta sent, its
// time and a fresh nonce) with the Ed25519 key it cosigns with, and sends
// the signature in these headers beside the acta.
const (
	HeaderKey       = "Triplicate-Key"       // the witness's verifier key, name+hash+keydata
	HeaderTime      = "Triplicate-Time"      // Unix seconds
	HeaderNonce     = "Triplicate-Nonce"     // 16 to 64 of A-Z a-z 0-9 - _
	HeaderSignature = "Triplicate-Signature" // base64 of the 64-byte signature
)

// Skew is how far an upload's time may be from the server's: phones'
// clocks drift, and a nonce is remembered this long on either side.
const Skew = 10 * time.Minute

var (
	// ErrUnsigned: the collector takes only uploads signed by an enrolled
	// key, and this one is not signed, or not well.
	ErrUnsigned = errors.New("upload not authenticated")
	// ErrNotEnrolled: signed by a key the party did not enrol.
	ErrNotEnrolled = errors.New("upload signed by a key the party did not enrol")
	// ErrReplayed: an upload whose nonce was used before, or whose time is
	// too far from the server's to tell.
	ErrReplayed = errors.New("upload replayed")
)

// Upload is how an upload says who sent it: its authentication headers.
type Upload struct {
	Key       string
	Time      int64
	Nonce     string
	Signature []byte
}

// UploadOf reads an upload's authentication from its headers; the zero
// Upload if it has none.
func UploadOf(h http.Header) (Upload, error) {
	u := Upload{Key: h.Get(HeaderKey), Nonce: h.Get(HeaderNonce)}
	t, sig := h.Get(HeaderTime), h.Get(HeaderSignature)
	if u.Key == "" && t == "" && u.Nonce == "" && sig == "" {
		return Upload{}, nil
	}
	var err error
	if u.Time, err = strconv.ParseInt(t, 10, 64); err != nil || strconv.FormatInt(u.Time, 10) != t {
		return u, fmt.Errorf("%w: header %s %q is not a time in Unix seconds", ErrUnsigned, HeaderTime, clip(t))
	}
	if u.Signature, err = base64.StdEncoding.DecodeString(sig); err != nil || len(u.Signature) != 64 {
		return u, fmt.Errorf("%w: header %s %q is not the base64 of a 64-byte Ed25519 signature", ErrUnsigned, HeaderSignature, clip(sig))
	}
	return u, nil
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// validNonce reports whether a nonce is 16 to 64 characters of the
// base64url alphabet.
func validNonce(n string) bool {
	if len(n) < 16 || len(n) > 64 {
		return false
	}
	for _, c := range []byte(n) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// enrolment is who may send actas to a collector: the enrolled keys, and
// the nonces seen within the last 2×Skew.
type enrolment struct {
	// keys by public key: a key of another name and the same 32-bit key
	// hash is not the enrolled one.
	keys map[string]note.Verifier
	what string // where the keys come from, for messages

	mu     sync.Mutex
	nonces map[string]time.Time // when each expires
	swept  time.Time
}

func newEnrolment(vkeys []string, what string) (*enrolment, error) {
	e := &enrolment{keys: map[string]note.Verifier{}, what: what, nonces: map[string]time.Time{}}
	for _, k := range vkeys {
		if err := keys.CheckVerifier(k); err != nil {
			return nil, fmt.Errorf("key %q: %v", clip(k), err)
		}
		v, err := note.NewVerifier(k)
		if err != nil {
			return nil, fmt.Errorf("key %q: %v", clip(k), err)
		}
		_, pub, _ := keys.PublicKey(k)
		e.keys[string(pub)] = v
	}
	if len(e.keys) == 0 {
		return nil, fmt.Errorf("%s: no key enrolled", what)
	}
	return e, nil
}

// check checks an upload of body for election, at time now.
func (e *enrolment) check(election string, body []byte, u Upload, now time.Time) error {
	if u.Key == "" {
		return fmt.Errorf("%w: this collection takes actas only from the witness keys its party enrolled (%s): make your key on the phone and have the party enrol it", ErrUnsigned, e.what)
	}
	if !validNonce(u.Nonce) {
		return fmt.Errorf("%w: header %s %q is not 16 to 64 characters of A-Z a-z 0-9 - _", ErrUnsigned, HeaderNonce, clip(u.Nonce))
	}
	_, pub, err := keys.PublicKey(u.Key)
	if err == nil {
		_, err = note.NewVerifier(u.Key)
	}
	if err != nil {
		return fmt.Errorf("%w: key %q: %v", ErrUnsigned, clip(u.Key), err)
	}
	v, ok := e.keys[string(pub)]
	if !ok {
		return fmt.Errorf("%w: %s is not among %s", ErrNotEnrolled, clip(u.Key), e.what)
	}
	if !v.Verify(check.UploadMessage(election, body, u.Time, u.Nonce), u.Signature) {
		return fmt.Errorf("%w: the signature by %s does not verify over this acta, time and nonce", ErrUnsigned, v.Name())
	}
	at := time.Unix(u.Time, 0)
	if d := at.Sub(now); d > Skew || d < -Skew {
		return fmt.Errorf("%w: signed at %s, %s from the server's clock (at most %s): check the phone's clock", ErrReplayed, at.UTC().Format(time.RFC3339), d.Round(time.Second), Skew)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if now.Sub(e.swept) > Skew {
		for n, exp := range e.nonces {
			if now.After(exp) {
				delete(e.nonces, n)
			}
		}
		e.swept = now
	}
	if _, seen := e.nonces[u.Nonce]; seen {
		return fmt.Errorf("%w: nonce %s was used before", ErrReplayed, u.Nonce)
	}
	e.nonces[u.Nonce] = at.Add(2 * Skew)
	return nil
}

// ReadKeys reads a file of enrolled keys: one note verifier key a line;
// blank lines and lines beginning with # are skipped.
func ReadKeys(name string, data []byte) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 4096)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := keys.CheckVerifier(line); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, n, err)
		}
		if _, err := note.NewVerifier(line); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, n, err)
		}
		out = append(out, line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no key in it", name)
	}
	return out, nil
}
