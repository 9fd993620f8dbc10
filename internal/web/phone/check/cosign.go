package check

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// Cosign adds a witness's cosignature, made elsewhere, to a signed acta:
// the phone signs the acta's body with a key that never leaves its
// WebCrypto store, and this puts the signature where acta.Cosign would,
// so the result is the same bytes as `triplicate acta cosign` with that
// key (Ed25519 signatures are deterministic). vkey is the witness's
// verifier key (note's name+hash+keydata), sig the 64-byte Ed25519
// signature of the body. The key must be a witness key of the definition,
// and the signature must verify.
func Cosign(def *election.Definition, msg []byte, vkey string, sig []byte) ([]byte, error) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, fmt.Errorf("witness key %q: %v", vkey, err)
	}
	sa, err := acta.Open(msg, def)
	if err != nil {
		return nil, err
	}
	if !v.Verify(sa.Body, sig) {
		return nil, fmt.Errorf("the signature by %s does not verify over the acta of station %s", v.Name(), sa.Station)
	}
	out, err := acta.Cosign(msg, def, presigned{v, sa.Body, sig})
	if err != nil {
		return nil, err
	}
	if _, err := acta.Open(out, def); err != nil {
		return nil, fmt.Errorf("the cosigned acta does not open: %w", err)
	}
	return out, nil
}

// Body returns the bytes a witness signs to cosign an acta: its body,
// once the acta is checked.
func Body(def *election.Definition, msg []byte) ([]byte, error) {
	sa, err := acta.Open(msg, def)
	if err != nil {
		return nil, err
	}
	return sa.Body, nil
}

// WitnessKey returns the verifier key of an Ed25519 public key under a
// name, as `triplicate keygen` writes it, and who the definition says it
// is, if anyone.
func WitnessKey(def *election.Definition, name string, pub []byte) (vkey string, who string, err error) {
	if len(pub) != ed25519.PublicKeySize {
		return "", "", fmt.Errorf("a public key of %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	vkey, err = note.NewEd25519VerifierKey(name, pub)
	if err == nil {
		_, err = note.NewVerifier(vkey) // which checks the name
	}
	if err != nil {
		return "", "", fmt.Errorf("key name %q: not a key name (no spaces, no plus signs): %v", name, err)
	}
	if s, ok := def.Signer(vkey); ok {
		who = s.String()
	}
	return vkey, who, nil
}

// presigned is a note.Signer whose one signature was made elsewhere.
type presigned struct {
	note.Verifier
	body, sig []byte
}

func (p presigned) Sign(msg []byte) ([]byte, error) {
	if !bytes.Equal(msg, p.body) {
		return nil, errors.New("check: asked to sign other bytes than the acta's body")
	}
	return p.sig, nil
}
