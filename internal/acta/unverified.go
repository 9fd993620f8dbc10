package acta

import (
	"crypto/ed25519"

	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// SignatureCheck is one Ed25519 signature that OpenUnverified left for its
// caller to check: Signature must verify Message under Key.
type SignatureCheck struct {
	Key       ed25519.PublicKey
	Message   []byte
	Signature []byte
}

// OpenUnverified checks everything Open checks except the Ed25519 equations,
// which it returns instead, so that a caller opening many actas can check
// their signatures in batches. The acta is valid if and only if every check
// verifies.
func OpenUnverified(msg []byte, def *election.Definition) (*Signed, []SignatureCheck, error) {
	r := &recorder{def: def, checks: make([]SignatureCheck, 0, 4)}
	sa, err := open(msg, def, r)
	if err != nil {
		return nil, nil, err
	}
	return sa, r.checks, nil
}

// recorder hands note.Open verifiers of the election's keys that record the
// signature instead of checking it.
type recorder struct {
	def    *election.Definition
	checks []SignatureCheck
}

func (r *recorder) Verifier(name string, hash uint32) (note.Verifier, error) {
	v, pub, err := r.def.Ed25519Verifier(name, hash)
	if err != nil {
		return nil, err
	}
	return recording{v, pub, r}, nil
}

type recording struct {
	note.Verifier
	key ed25519.PublicKey
	r   *recorder
}

func (v recording) Verify(msg, sig []byte) bool {
	if len(sig) != ed25519.SignatureSize {
		return false
	}
	v.r.checks = append(v.r.checks, SignatureCheck{Key: v.key, Message: msg, Signature: sig})
	return true
}
