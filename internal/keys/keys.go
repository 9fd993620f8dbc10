// Package keys makes and reads the key files of triplicate: one kind of key
// for machines, party witnesses, auditors and the center, in the C2SP
// signed-note format (golang.org/x/mod/sumdb/note). A private key file holds
// the note signer key ("PRIVATE+KEY+name+hash+keydata") and a newline; the
// public key is the matching verifier key ("name+hash+keydata"). It also
// checks the public keys it reads (public.go) and verifies the cosignatures
// of log witnesses, C2SP tlog-cosignature (cosignature.go).
package keys

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/durable"
)

// Generate makes a new key pair with the given name, from rnd (crypto/rand if nil).
func Generate(rnd io.Reader, name string) (skey, vkey string, err error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	if name == "" || strings.ContainsFunc(name, func(r rune) bool { return r == '+' || unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return "", "", fmt.Errorf("key name %q: must be non-empty, with no spaces, control characters (a Windows line ending?) or '+'", name)
	}
	return note.GenerateKey(rnd, name)
}

// WriteFile writes a private key file, readable by its owner only. It refuses
// to overwrite an existing file: a lost private key cannot be made again.
func WriteFile(path, skey string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	if err := durable.WriteNew(path, []byte(skey+"\n"), 0o600); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s already exists: not overwriting a private key", path)
		}
		return err
	}
	return nil
}

// Key is a private key: a note signer that also knows its public key.
type Key struct {
	note.Signer
	Public  string // the verifier key
	Private string // the signer key, as in a key file
}

// Parse parses a signer key ("PRIVATE+KEY+name+hash+keydata").
func Parse(skey string) (*Key, error) {
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, err
	}
	// The key data is the algorithm byte (1, Ed25519) and the 32-byte seed;
	// note.NewSigner has checked both.
	f := strings.SplitN(skey, "+", 5)
	raw, err := base64.StdEncoding.DecodeString(f[len(f)-1])
	if len(f) != 5 || err != nil || len(raw) != 1+ed25519.SeedSize {
		return nil, errors.New("malformed signer key")
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(s.Name(), pub)
	if err != nil {
		return nil, err
	}
	return &Key{Signer: s, Public: vkey, Private: skey}, nil
}

// ReadFile reads a private key file.
func ReadFile(path string) (*Key, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := Parse(strings.TrimSpace(string(data)))
	if err != nil {
		return nil, fmt.Errorf("%s: not a private key file (want PRIVATE+KEY+name+hash+keydata)", path)
	}
	return k, nil
}
