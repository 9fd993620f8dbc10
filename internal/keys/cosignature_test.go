package keys_test

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/keys"
)

// The cosignature/v1 verifier is held to github.com/transparency-dev/formats/note,
// the library the witness signs with: the same keys, key hashes, verdicts
// and times.

const checkpoint = "example.com/log\n42\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"

// witnessKey derives a witness's key pair and its Ed25519 private key.
func witnessKey(t testing.TB, name string) (skey, vkey string, priv ed25519.PrivateKey) {
	skey, vkey, err := keys.Derive("cosignature", name)
	if err != nil {
		t.Fatal(err)
	}
	f := strings.SplitN(skey, "+", 5)
	raw, err := base64.StdEncoding.DecodeString(f[len(f)-1])
	if err != nil {
		t.Fatal(err)
	}
	return skey, vkey, ed25519.NewKeyFromSeed(raw[1:])
}

// cosign signs body as a cosignature/v1 at time t, by hand, and returns
// the note with that one signature line.
func cosign(t testing.TB, name, ckey string, priv ed25519.PrivateKey, at uint64, body string) []byte {
	v, err := fnote.NewVerifierForCosignatureV1(ckey)
	if err != nil {
		t.Fatal(err)
	}
	sig := binary.BigEndian.AppendUint32(nil, v.KeyHash())
	sig = binary.BigEndian.AppendUint64(sig, at)
	sig = append(sig, ed25519.Sign(priv, []byte(fmt.Sprintf("cosignature/v1\ntime %d\n%s", at, body)))...)
	return []byte(body + "\n— " + name + " " + base64.StdEncoding.EncodeToString(sig) + "\n")
}

func TestCosignatureKeyAsLibrary(t *testing.T) {
	for _, name := range []string{"w1", "witness.example.com/w1", "ve2024/witness/pud"} {
		_, vkey, _ := witnessKey(t, name)
		want, err := fnote.VKeyToCosignatureV1(vkey)
		if err != nil {
			t.Fatal(err)
		}
		got, err := keys.CosignatureKey(vkey)
		if err != nil || got != want {
			t.Errorf("CosignatureKey(%s) = %q, %v; the library: %q", vkey, got, err, want)
		}
		// The cosignature/v1 key is not converted again.
		if _, err := keys.CosignatureKey(want); err == nil {
			t.Errorf("CosignatureKey(%s) converted a cosignature/v1 key", want)
		}
	}
}

// A fixed vector: the key derived for "w1", the time 1700000000, and the
// signature both verifiers accept.
func TestCosignatureVector(t *testing.T) {
	_, vkey, priv := witnessKey(t, "w1")
	ckey, _ := fnote.VKeyToCosignatureV1(vkey)
	const wantKey = "w1+c676f432+BKIKpmKMVa8JfFnry5ymnKF4GBF3WhRKqHSbHlUdU2Ti"
	if ckey != wantKey {
		t.Fatalf("the derived key changed: %s", ckey)
	}
	const vector = checkpoint + "\n— w1 xnb0MgAAAABlU/EAgdy24sVwYtVQgBs0wKYrvuIHQVdEllqiEgO59GainUZkWhVYIFXu5T+YaW3rDbgcW7BS/xNCwKD2CvxXTFu1Cw==\n"
	msg := []byte(vector)
	if again := cosign(t, "w1", ckey, priv, 1700000000, checkpoint); string(again) != vector {
		t.Fatalf("the signature changed:\n%s", again)
	}
	lib, _ := fnote.NewVerifierForCosignatureV1(ckey)
	for _, k := range []string{vkey, ckey} {
		v, err := keys.NewCosignatureVerifier(k)
		if err != nil {
			t.Fatal(err)
		}
		if v.Name() != lib.Name() || v.KeyHash() != lib.KeyHash() {
			t.Errorf("verifier of %s: %s %08x, the library %s %08x", k, v.Name(), v.KeyHash(), lib.Name(), lib.KeyHash())
		}
		for _, vs := range []note.Verifier{v, lib} {
			n, err := note.Open(msg, note.VerifierList(vs))
			if err != nil {
				t.Fatalf("%T: %v", vs, err)
			}
			at, err := keys.CosignatureTime(n.Sigs[0])
			libAt, libErr := fnote.CoSigV1Timestamp(n.Sigs[0])
			if err != nil || libErr != nil || !at.Equal(time.Unix(1700000000, 0)) || !at.Equal(libAt) {
				t.Errorf("CosignatureTime = %v, %v; the library %v, %v", at, err, libAt, libErr)
			}
		}
	}
}

// Signatures made by the library's signer verify, and anything altered
// fails under both verifiers alike.
func TestCosignatureVerifyAsLibrary(t *testing.T) {
	skey, vkey, priv := witnessKey(t, "w2")
	signer, err := fnote.NewSignerForCosignatureV1(skey)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := note.Sign(&note.Note{Text: checkpoint}, signer)
	if err != nil {
		t.Fatal(err)
	}
	ckey, _ := fnote.VKeyToCosignatureV1(vkey)
	lib, _ := fnote.NewVerifierForCosignatureV1(ckey)
	ours, err := keys.NewCosignatureVerifier(ckey)
	if err != nil {
		t.Fatal(err)
	}
	_, _, other := witnessKey(t, "w3")
	sig := signed[len(checkpoint)+1:]
	cases := map[string][]byte{
		"as signed":          signed,
		"another checkpoint": append([]byte(strings.Replace(checkpoint, "42", "43", 1)+"\n"), sig...),
		"another key":        cosign(t, "w2", ckey, other, 1700000000, checkpoint),
		"one line":           cosign(t, "w2", ckey, priv, 1700000000, "example.com/log\n"),
		"an extension line":  cosign(t, "w2", ckey, priv, 1700000000, checkpoint+"extension\n"),
	}
	// The time changed after signing.
	b := []byte(strings.TrimSpace(strings.TrimPrefix(string(sig), "— w2 ")))
	raw, _ := base64.StdEncoding.DecodeString(string(b))
	raw[11]++
	cases["the time altered"] = []byte(checkpoint + "\n— w2 " + base64.StdEncoding.EncodeToString(raw) + "\n")
	for what, msg := range cases {
		_, errOurs := note.Open(msg, note.VerifierList(ours))
		_, errLib := note.Open(msg, note.VerifierList(lib))
		if (errOurs == nil) != (errLib == nil) {
			t.Errorf("%s: ours %v, the library %v", what, errOurs, errLib)
		}
		if want := what == "as signed" || what == "an extension line"; (errOurs == nil) != want {
			t.Errorf("%s: verified %v, want %v", what, errOurs == nil, want)
		}
	}
}

// C2SP tlog-cosignature: the time must not exceed 2^63-1. The library
// reads such a time as a negative one; this verifier refuses it.
func TestCosignatureTimeBeyondInt64(t *testing.T) {
	_, vkey, priv := witnessKey(t, "w4")
	ckey, _ := keys.CosignatureKey(vkey)
	v, _ := keys.NewCosignatureVerifier(ckey)
	msg := cosign(t, "w4", ckey, priv, 1<<63, checkpoint)
	if _, err := note.Open(msg, note.VerifierList(v)); err == nil {
		t.Error("a cosignature dated 2^63 verified")
	}
	if _, err := note.Open(cosign(t, "w4", ckey, priv, 1<<63-1, checkpoint), note.VerifierList(v)); err != nil {
		t.Errorf("a cosignature dated 2^63-1: %v", err)
	}
	raw := binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint32(nil, v.KeyHash()), 1<<63)
	sig := note.Signature{Name: "w4", Hash: v.KeyHash(), Base64: base64.StdEncoding.EncodeToString(append(raw, make([]byte, 64)...))}
	if _, err := keys.CosignatureTime(sig); err == nil || !strings.Contains(err.Error(), "past 2^63-1") {
		t.Errorf("CosignatureTime of 2^63: %v", err)
	}
	sig.Base64 = base64.StdEncoding.EncodeToString(raw)
	if _, err := keys.CosignatureTime(sig); err == nil {
		t.Error("CosignatureTime of a signature without its Ed25519 signature")
	}
}

func TestCosignatureKeyRefused(t *testing.T) {
	_, vkey, _ := witnessKey(t, "w5")
	ckey, _ := keys.CosignatureKey(vkey)
	name, rest, _ := strings.Cut(ckey, "+")
	hash, key64, _ := strings.Cut(rest, "+")
	raw, _ := base64.StdEncoding.DecodeString(key64)
	with := func(alg byte, pub []byte) string {
		return name + "+" + hash + "+" + base64.StdEncoding.EncodeToString(append([]byte{alg}, pub...))
	}
	identity, _ := hex.DecodeString(smallOrder[0])
	for what, k := range map[string]string{
		"another key hash":        name + "+00000000+" + key64,
		"a key hash not hex":      name + "+zzzzzzzz+" + key64,
		"a short key hash":        name + "+" + hash[1:] + "+" + key64,
		"algorithm 0x02":          with(0x02, raw[1:]),
		"a short key":             with(0x04, raw[1:31]),
		"not base64":              name + "+" + hash + "+" + key64[1:],
		"no name":                 rest,
		"a name with a space":     "w 5+" + rest,
		"the identity point":      keyWithHash(name, 0x04, identity),
		"a non-canonical point":   keyWithHash(name, 0x04, mustHex(nonCanonical[0])),
		"the Ed25519 key, hashed": name + "+" + hash + "+" + base64.StdEncoding.EncodeToString(append([]byte{0x01}, raw[1:]...)),
	} {
		if v, err := keys.NewCosignatureVerifier(k); err == nil {
			t.Errorf("%s: %q gave a verifier %s %08x", what, k, v.Name(), v.KeyHash())
		}
	}
	if _, err := keys.NewCosignatureVerifier(keyWithHash(name, 0x04, identity)); !errors.Is(err, keys.ErrSmallOrderKey) {
		t.Errorf("the identity point: %v, want %v", err, keys.ErrSmallOrderKey)
	}
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// keyWithHash spells a verifier key with its right key hash.
func keyWithHash(name string, alg byte, pub []byte) string {
	raw := append([]byte{alg}, pub...)
	h := sha256.Sum256(append([]byte(name+"\n"), raw...))
	return fmt.Sprintf("%s+%08x+%s", name, binary.BigEndian.Uint32(h[:]), base64.StdEncoding.EncodeToString(raw))
}

// FuzzCosignatureKey: whatever key this package reads, the library reads
// alike (same name and key hash), and whatever key the library converts,
// this package converts to the same text, and nothing else.
func FuzzCosignatureKey(f *testing.F) {
	_, vkey, _ := witnessKey(f, "fuzz")
	ckey, _ := fnote.VKeyToCosignatureV1(vkey)
	f.Add(vkey)
	f.Add(ckey)
	f.Add("a+00000000+AQ")
	f.Fuzz(func(t *testing.T, k string) {
		got, err := keys.CosignatureKey(k)
		want, libErr := fnote.VKeyToCosignatureV1(k)
		if (err == nil) != (libErr == nil) || got != want {
			t.Fatalf("CosignatureKey(%q) = %q, %v; the library %q, %v", k, got, err, want, libErr)
		}
		v, err := keys.NewCosignatureVerifier(k)
		if err != nil {
			return
		}
		lib, libErr := fnote.NewVerifierForCosignatureV1(k)
		if libErr != nil || v.Name() != lib.Name() || v.KeyHash() != lib.KeyHash() {
			t.Fatalf("NewCosignatureVerifier(%q) = %s %08x; the library %v, %v", k, v.Name(), v.KeyHash(), lib, libErr)
		}
	})
}
