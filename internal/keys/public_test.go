package keys_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"testing"

	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/keys"
)

// SmallOrder are the encodings of the eight points of small order of
// edwards25519 (Chalkias et al., "Taming the many EdDSAs", table 6).
var smallOrder = []string{
	"0100000000000000000000000000000000000000000000000000000000000000", // identity, order 1
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // order 2
	"0000000000000000000000000000000000000000000000000000000000000000", // order 4
	"0000000000000000000000000000000000000000000000000000000000000080", // order 4
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", // order 8
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", // order 8
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", // order 8
}

// nonCanonical are other spellings of valid points: y = p+3 (the point
// whose canonical y is 3), and the identity with the sign bit of x set.
var nonCanonical = []string{
	"f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"0100000000000000000000000000000000000000000000000000000000000080",
}

func TestCheckPublicSmallOrder(t *testing.T) {
	for _, h := range smallOrder {
		pub, _ := hex.DecodeString(h)
		if err := keys.CheckPublic(pub); !errors.Is(err, keys.ErrSmallOrderKey) {
			t.Errorf("CheckPublic(%s) = %v, want %v", h, err, keys.ErrSmallOrderKey)
		}
	}
}

func TestCheckPublicNonCanonical(t *testing.T) {
	for _, h := range nonCanonical {
		pub, _ := hex.DecodeString(h)
		if err := keys.CheckPublic(pub); !errors.Is(err, keys.ErrNonCanonicalKey) {
			t.Errorf("CheckPublic(%s) = %v, want %v", h, err, keys.ErrNonCanonicalKey)
		}
	}
	// Not a point at all (y = 2 has no x), and a short key.
	notPoint, _ := hex.DecodeString("0200000000000000000000000000000000000000000000000000000000000000")
	if err := keys.CheckPublic(notPoint); !errors.Is(err, keys.ErrNonCanonicalKey) {
		t.Errorf("CheckPublic(y=2) = %v, want %v", err, keys.ErrNonCanonicalKey)
	}
	if err := keys.CheckPublic(make([]byte, 31)); err == nil {
		t.Error("CheckPublic accepted a 31-byte key")
	}
}

func TestCheckPublicGenerated(t *testing.T) {
	for _, name := range []string{"a", "b", "c"} {
		_, vkey, err := keys.Derive("checkpublic", name)
		if err != nil {
			t.Fatal(err)
		}
		if err := keys.CheckVerifier(vkey); err != nil {
			t.Errorf("CheckVerifier(%s) = %v", vkey, err)
		}
		ckey, err := fnote.VKeyToCosignatureV1(vkey)
		if err != nil {
			t.Fatal(err)
		}
		alg, pub, err := keys.PublicKey(ckey)
		if err != nil || alg != 0x04 {
			t.Errorf("PublicKey(%s) = %#x, %v", ckey, alg, err)
		}
		_, pub1, _ := keys.PublicKey(vkey)
		if string(pub) != string(pub1) {
			t.Errorf("the cosignature/v1 form of %s has another public key", vkey)
		}
	}
}

// TestIdentityKeyForgery shows why: under the identity point, the signature
// R = identity, s = 0 verifies for every message, with no private key; note
// accepts the key, CheckVerifier refuses it.
func TestIdentityKeyForgery(t *testing.T) {
	pub, _ := hex.DecodeString(smallOrder[0])
	sig := append(append([]byte{}, pub...), make([]byte, 32)...)
	if !ed25519.Verify(pub, []byte("any message at all"), sig) {
		t.Skip("crypto/ed25519 refuses the identity key's forgery: CheckPublic is belt and braces")
	}
	vkey, err := note.NewEd25519VerifierKey("forger", pub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := note.NewVerifier(vkey); err != nil {
		t.Fatalf("note refuses the identity key itself (%v): update this test", err)
	}
	if err := keys.CheckVerifier(vkey); !errors.Is(err, keys.ErrSmallOrderKey) {
		t.Errorf("CheckVerifier(identity key) = %v, want %v", err, keys.ErrSmallOrderKey)
	}
	// The cosignature/v1 form too.
	ckey := "forger+00000000+" + base64.StdEncoding.EncodeToString(append([]byte{0x04}, pub...))
	if err := keys.CheckVerifier(ckey); !errors.Is(err, keys.ErrSmallOrderKey) {
		t.Errorf("CheckVerifier(identity cosignature/v1 key) = %v, want %v", err, keys.ErrSmallOrderKey)
	}
	if err := keys.CheckVerifier("forger+00000000+" + base64.StdEncoding.EncodeToString(append([]byte{0x02}, pub...))); err == nil {
		t.Error("CheckVerifier accepted algorithm 0x02")
	}
}
