package keys_test

import (
	"bytes"
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
	raw = binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint32(nil, v.KeyHash()), 1700000000)
	sig.Base64 = base64.StdEncoding.EncodeToString(append(raw, make([]byte, 65)...))
	if _, err := keys.CosignatureTime(sig); err == nil {
		t.Error("CosignatureTime of a signature a byte too long")
	}
}

// A cosignature dated past 2^63-1 fails note.Open as an invalid signature;
// LateCosignature says why, and only of the line note.Open read.
func TestLateCosignature(t *testing.T) {
	_, vkey, priv := witnessKey(t, "w6")
	ckey, _ := keys.CosignatureKey(vkey)
	v, _ := keys.NewCosignatureVerifier(ckey)
	lib, _ := fnote.NewVerifierForCosignatureV1(ckey)
	late := cosign(t, "w6", ckey, priv, 1<<63+7, checkpoint)
	_, err := note.Open(late, note.VerifierList(v))
	var invalid *note.InvalidSignatureError
	if !errors.As(err, &invalid) {
		t.Fatalf("note.Open of a cosignature dated 2^63+7: %v, want an invalid signature", err)
	}
	if err := keys.LateCosignature(late, v); err == nil || !strings.Contains(err.Error(), "w6+") || !strings.Contains(err.Error(), "9223372036854775815 seconds after 1970, past 2^63-1") {
		t.Errorf("LateCosignature: %v", err)
	}
	// The library's verifier takes such a time; no verifier, no answer.
	for _, vs := range [][]note.Verifier{{lib}, nil} {
		if err := keys.LateCosignature(late, vs...); err != nil {
			t.Errorf("LateCosignature with %v: %v", vs, err)
		}
	}
	on := cosign(t, "w6", ckey, priv, 1<<63-1, checkpoint)
	if err := keys.LateCosignature(on, v); err != nil {
		t.Errorf("LateCosignature of a cosignature dated 2^63-1: %v", err)
	}
	// note.Open reads the first line of a key and drops the others.
	both := append(bytes.Clone(on), late[len(checkpoint)+1:]...)
	if _, err := note.Open(both, note.VerifierList(v)); err != nil {
		t.Fatalf("note.Open, the late line second: %v", err)
	}
	if err := keys.LateCosignature(both, v); err != nil {
		t.Errorf("LateCosignature, the late line second: %v", err)
	}
	// A first line of another length is the one note.Open refuses.
	short := []byte(checkpoint + "\n— w6 " + base64.StdEncoding.EncodeToString(append(binary.BigEndian.AppendUint32(nil, v.KeyHash()), 0)) + "\n")
	short = append(short, late[len(checkpoint)+1:]...)
	// A malformed line first: note.Open stops there.
	malformed := []byte(checkpoint + "\n— w6 !!!!\n" + string(late[len(checkpoint)+1:]))
	fourBytes := []byte(checkpoint + "\n— w6 AAAAAA==\n" + string(late[len(checkpoint)+1:])) // note.Open wants 5 at least
	for what, msg := range map[string][]byte{"a short line first": short, "a malformed line first": malformed, "a line of 4 bytes first": fourBytes} {
		if _, err := note.Open(msg, note.VerifierList(v)); err == nil {
			t.Errorf("note.Open took %s", what)
		}
		if err := keys.LateCosignature(msg, v); err != nil {
			t.Errorf("LateCosignature, %s: %v", what, err)
		}
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
		"algorithm 0x02":          keyWithHash(name, 0x02, raw[1:]),
		"algorithm 0x02, hashed":  with(0x02, raw[1:]),
		"a key hash of 9 digits":  name + "+0" + hash + "+" + key64,
		"an empty name":           keyWithHash("", 0x04, raw[1:]),
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
	name, rest, _ := strings.Cut(ckey, "+")
	f.Add(name + "+0" + rest) // a key hash of nine digits, the same number
	f.Add(keyWithHash("", 0x04, make([]byte, 32)))
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

// FuzzCosignatureSignature: on any signature bytes, and any signature lines
// after them, this package and the library agree on the time a
// cosignature/v1 signature carries and on whether a note verifies, but for
// a time past 2^63-1, which this package refuses (the library reads it as
// a negative time and verifies it) and LateCosignature names.
func FuzzCosignatureSignature(f *testing.F) {
	_, vkey, priv := witnessKey(f, "w7")
	ckey, _ := keys.CosignatureKey(vkey)
	ours, err := keys.NewCosignatureVerifier(ckey)
	if err != nil {
		f.Fatal(err)
	}
	lib, _ := fnote.NewVerifierForCosignatureV1(ckey)
	sigOf := func(msg []byte) []byte {
		_, line, _ := strings.Cut(string(msg[len(checkpoint)+1:]), " ")
		_, b64, _ := strings.Cut(line, " ")
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
		if err != nil {
			f.Fatal(err)
		}
		return raw
	}
	for _, at := range []uint64{1700000000, 0, 1<<63 - 1, 1 << 63, 1<<64 - 1} {
		msg := cosign(f, "w7", ckey, priv, at, checkpoint)
		f.Add(sigOf(msg), "")
		f.Add(sigOf(msg), string(msg[len(checkpoint)+1:]))
	}
	f.Add([]byte("short"), "— w7 AAAA\n")
	f.Add([]byte{}, "not base64")
	f.Fuzz(func(t *testing.T, raw []byte, extra string) {
		b64 := base64.StdEncoding.EncodeToString(raw)
		isLate := func(raw []byte) bool {
			return len(raw) == 4+8+ed25519.SignatureSize && binary.BigEndian.Uint64(raw[4:]) > 1<<63-1
		}
		late := isLate(raw)
		for _, s := range []string{b64, extra} {
			sig := note.Signature{Name: "w7", Hash: ours.KeyHash(), Base64: s}
			at, err := keys.CosignatureTime(sig)
			libAt, libErr := fnote.CoSigV1Timestamp(sig)
			decoded, _ := base64.StdEncoding.DecodeString(s)
			switch {
			case isLate(decoded):
				if err == nil || libErr != nil {
					t.Fatalf("CosignatureTime(%q) of a time past 2^63-1 = %v, %v; the library %v, %v", s, at, err, libAt, libErr)
				}
			case (err == nil) != (libErr == nil) || err == nil && !at.Equal(libAt):
				t.Fatalf("CosignatureTime(%q) = %v, %v; the library %v, %v", s, at, err, libAt, libErr)
			}
		}
		// The signature bytes alone, on the checkpoint and on extra as the
		// note body.
		for _, body := range []string{checkpoint, extra} {
			if len(raw) < 4 {
				break
			}
			got, want := ours.Verify([]byte(body), raw[4:]), lib.Verify([]byte(body), raw[4:])
			if got != want && !(late && want && !got) {
				t.Fatalf("Verify(%q, %x) = %v, the library %v", body, raw, got, want)
			}
		}
		// The note with the signature line, then extra.
		msg := []byte(checkpoint + "\n— w7 " + b64 + "\n" + extra)
		_, err := note.Open(msg, note.VerifierList(ours))
		_, libErr := note.Open(msg, note.VerifierList(lib))
		lateErr := keys.LateCosignature(msg, ours)
		if lateErr != nil && err == nil {
			t.Fatalf("LateCosignature says %v of a note that verifies", lateErr)
		}
		if (err == nil) != (libErr == nil) {
			var invalid *note.InvalidSignatureError
			if err == nil || libErr != nil || !errors.As(err, &invalid) || lateErr == nil {
				t.Fatalf("note.Open(%q): %v, the library %v (LateCosignature %v)", msg, err, libErr, lateErr)
			}
		}
		if lib := keys.LateCosignature(msg, lib); lib != nil {
			t.Fatalf("LateCosignature with the library's verifier: %v", lib)
		}
	})
}
