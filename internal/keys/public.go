package keys

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"filippo.io/edwards25519"
)

// The algorithm bytes of the verifier keys triplicate reads: a signed-note
// Ed25519 key (C2SP signed-note) and a cosignature/v1 key (C2SP
// tlog-cosignature), the form witnesses' key generators print. Both carry
// one 32-byte Ed25519 public key.
const (
	algEd25519       = 0x01
	algCosignatureV1 = 0x04
)

// Errors of [CheckPublic].
var (
	ErrNonCanonicalKey = errors.New("public key is not a canonical encoding of a curve point")
	ErrSmallOrderKey   = errors.New("public key is a point of small order")
)

// CheckPublic reports whether pub is an Ed25519 public key whose signatures
// mean something: 32 bytes, the canonical encoding of a curve point, and a
// point not of small order. crypto/ed25519 verifies signatures under any of
// the eight small-order points without any private key (for the identity
// point, R = s·B makes every message's signature), and accepts other
// spellings of a point than its canonical one; every key triplicate reads
// from a definition, a flag or a file passes here first.
func CheckPublic(pub []byte) error {
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("public key of %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	p, err := new(edwards25519.Point).SetBytes(pub)
	if err != nil {
		return ErrNonCanonicalKey
	}
	// SetBytes accepts unreduced y coordinates and a negative zero x: only
	// the point's own encoding is canonical.
	if string(p.Bytes()) != string(pub) {
		return ErrNonCanonicalKey
	}
	if new(edwards25519.Point).MultByCofactor(p).Equal(edwards25519.NewIdentityPoint()) == 1 {
		return ErrSmallOrderKey
	}
	return nil
}

// CheckVerifier checks the public key of a verifier key ("name+hash+keydata")
// whose key data is an Ed25519 signed-note key (algorithm 0x01) or a
// cosignature/v1 key (0x04), with [CheckPublic]. It does not check the key
// hash: note.NewVerifier does for Ed25519 keys, and [NewCosignatureVerifier]
// for cosignature/v1 keys. (The cosignature/v1 verifier of
// github.com/transparency-dev/formats/note does not: it computes the key
// hash from the name and key and ignores the one written, which is why
// triplicate verifies cosignatures with NewCosignatureVerifier only.)
func CheckVerifier(vkey string) error {
	_, _, err := PublicKey(vkey)
	return err
}

// PublicKey returns the algorithm byte and the checked Ed25519 public key of
// a verifier key, signed-note Ed25519 (0x01) or cosignature/v1 (0x04).
func PublicKey(vkey string) (alg byte, pub ed25519.PublicKey, err error) {
	f := strings.SplitN(vkey, "+", 3)
	if len(f) != 3 {
		return 0, nil, errors.New("malformed verifier key (want name+hash+keydata)")
	}
	raw, err := base64.StdEncoding.DecodeString(f[2])
	if err != nil || len(raw) != 1+ed25519.PublicKeySize {
		return 0, nil, errors.New("malformed verifier key data")
	}
	if raw[0] != algEd25519 && raw[0] != algCosignatureV1 {
		return 0, nil, fmt.Errorf("verifier key algorithm %#02x, want Ed25519 (0x01) or cosignature/v1 (0x04)", raw[0])
	}
	if err := CheckPublic(raw[1:]); err != nil {
		return 0, nil, err
	}
	return raw[0], raw[1:], nil
}
