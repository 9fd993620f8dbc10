package keys

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"
)

// The cosignatures of log witnesses follow C2SP tlog-cosignature, Ed25519
// (cosignature/v1): a note signature whose key ID is
// SHA-256(name || "\n" || 0x04 || public key)[:4] and whose signature is an
// 8-byte big-endian POSIX time followed by the Ed25519 signature of
//
//	cosignature/v1
//	time <that time in decimal>
//	<the whole checkpoint body>
//
// github.com/transparency-dev/formats/note implements it too, and the
// witness signs with it; the phone's WebAssembly verifies with this file
// instead, for that package's ECDSA verifier brings crypto/x509 and most
// of a megabyte with it. The tests hold the two to the same keys, key
// hashes, verdicts and times.

// cosignatureSize is the length of a cosignature/v1 signature: the time
// and the Ed25519 signature.
const cosignatureSize = 8 + ed25519.SignatureSize

// CosignatureKey returns the cosignature/v1 verifier key (algorithm 0x04)
// of an Ed25519 signed-note verifier key (0x01): the same public key under
// the other key hash. It fails on any other key, and on a key whose key hash
// is not its own.
func CosignatureKey(vkey string) (string, error) {
	name, alg, pub, err := splitVerifier(vkey)
	if err != nil {
		return "", err
	}
	if alg != algEd25519 {
		return "", fmt.Errorf("verifier key algorithm %#02x, want Ed25519 (0x01)", alg)
	}
	raw := append([]byte{algCosignatureV1}, pub...)
	return fmt.Sprintf("%s+%08x+%s", name, keyHash(name, raw), base64.StdEncoding.EncodeToString(raw)), nil
}

// NewCosignatureVerifier returns the note verifier of the cosignature/v1
// signatures of a log witness, from its verifier key in either form: its
// cosignature/v1 key (0x04), or its Ed25519 signed-note key (0x01), whose
// public key signs cosignatures under the cosignature/v1 key hash. The key
// must carry its own key hash and pass [CheckPublic].
func NewCosignatureVerifier(vkey string) (note.Verifier, error) {
	name, _, pub, err := splitVerifier(vkey)
	if err != nil {
		return nil, err
	}
	if err := CheckPublic(pub); err != nil {
		return nil, err
	}
	return &cosigner{name: name, hash: keyHash(name, append([]byte{algCosignatureV1}, pub...)), pub: pub}, nil
}

// CosignatureTime returns the time a cosignature/v1 signature says it was
// made. It does not verify the signature: [note.Open] has, with the
// verifier of [NewCosignatureVerifier].
func CosignatureTime(sig note.Signature) (time.Time, error) {
	raw, err := base64.StdEncoding.DecodeString(sig.Base64)
	if err != nil {
		return time.Time{}, fmt.Errorf("signature of %s: not base64", sig.Name)
	}
	if len(raw) != 4+cosignatureSize {
		return time.Time{}, fmt.Errorf("signature of %s: %d bytes, a cosignature/v1 signature has %d", sig.Name, len(raw), 4+cosignatureSize)
	}
	t := binary.BigEndian.Uint64(raw[4:])
	if t > math.MaxInt64 {
		return time.Time{}, fmt.Errorf("signature of %s: time %d is past 2^63-1", sig.Name, t)
	}
	return time.Unix(int64(t), 0), nil
}

// LateCosignature returns an error naming the signature of the signed note
// msg, by one of the verifiers vs, that is dated past 2^63-1 seconds, if
// there is one. C2SP tlog-cosignature allows no later time, and the
// verifiers of [NewCosignatureVerifier] refuse such a signature, genuine
// or not; note.Open then reports an invalid signature for the whole note,
// without saying why. A caller whose note.Open failed adds what
// LateCosignature says to its error, so the answer changes no verdict. It
// reads the signature lines as note.Open does, in order: the first line of
// each name and key hash (note.Open drops the others), and none after a
// malformed one (note.Open stops there).
func LateCosignature(msg []byte, vs ...note.Verifier) error {
	split := bytes.LastIndex(msg, []byte("\n\n"))
	if split < 0 {
		return nil
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(string(msg[split+2:]), "\n"), "\n") {
		rest, ok := strings.CutPrefix(line, "— ")
		name, b64, _ := strings.Cut(rest, " ")
		raw, err := base64.StdEncoding.DecodeString(b64)
		if !ok || err != nil || len(raw) < 5 {
			return nil
		}
		hash := binary.BigEndian.Uint32(raw)
		id := fmt.Sprintf("%s+%08x", name, hash)
		first := !seen[id]
		seen[id] = true
		if !first || len(raw) != 4+cosignatureSize {
			continue
		}
		for _, v := range vs {
			if _, ours := v.(*cosigner); !ours || v.Name() != name || v.KeyHash() != hash {
				continue
			}
			if t := binary.BigEndian.Uint64(raw[4:]); t > math.MaxInt64 {
				return fmt.Errorf("the cosignature of %s is dated %d seconds after 1970, past 2^63-1, the latest time C2SP tlog-cosignature allows", id, t)
			}
		}
	}
	return nil
}

// cosigner verifies the cosignature/v1 signatures of one public key.
type cosigner struct {
	name string
	hash uint32
	pub  ed25519.PublicKey
}

func (c *cosigner) Name() string    { return c.name }
func (c *cosigner) KeyHash() uint32 { return c.hash }

// Verify reports whether sig is a cosignature/v1 signature of the note
// body msg, which must have two lines at least, as the library asks (a
// checkpoint has three).
func (c *cosigner) Verify(msg, sig []byte) bool {
	if len(sig) != cosignatureSize || bytes.Count(msg, []byte("\n")) < 2 {
		return false
	}
	t := binary.BigEndian.Uint64(sig)
	if t > math.MaxInt64 {
		return false
	}
	signed := append([]byte("cosignature/v1\ntime "+strconv.FormatUint(t, 10)+"\n"), msg...)
	return ed25519.Verify(c.pub, signed, sig[8:])
}

// splitVerifier reads a verifier key "name+hash+keydata" whose key data is
// an Ed25519 (0x01) or cosignature/v1 (0x04) public key, and checks that
// hash is the key hash of name and key data.
func splitVerifier(vkey string) (name string, alg byte, pub ed25519.PublicKey, err error) {
	name, rest, _ := strings.Cut(vkey, "+")
	hash16, key64, _ := strings.Cut(rest, "+")
	raw, err := base64.StdEncoding.DecodeString(key64)
	if err != nil || len(raw) != 1+ed25519.PublicKeySize || !validName(name) {
		return "", 0, nil, errors.New("malformed verifier key (want name+hash+keydata)")
	}
	if raw[0] != algEd25519 && raw[0] != algCosignatureV1 {
		return "", 0, nil, fmt.Errorf("verifier key algorithm %#02x, want Ed25519 (0x01) or cosignature/v1 (0x04)", raw[0])
	}
	hash, err := strconv.ParseUint(hash16, 16, 32)
	if len(hash16) != 8 || err != nil || uint32(hash) != keyHash(name, raw) {
		return "", 0, nil, errors.New("verifier key hash is not that of its name and key")
	}
	return name, raw[0], raw[1:], nil
}

// keyHash is the key ID of signed-note keys: the first four bytes of
// SHA-256(name || "\n" || key data).
func keyHash(name string, raw []byte) uint32 {
	h := sha256.New()
	h.Write([]byte(name + "\n"))
	h.Write(raw)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

// validName is the signed-note rule for key names: not empty, UTF-8, no
// space and no '+'.
func validName(name string) bool {
	return name != "" && utf8.ValidString(name) && !strings.ContainsFunc(name, unicode.IsSpace) && !strings.Contains(name, "+")
}
