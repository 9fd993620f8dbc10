package check

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/keys"
)

// seed returns the Ed25519 seed of a key file's private key: what the
// phone's browser test imports into WebCrypto.
func seed(t testing.TB, k *keys.Key) []byte {
	t.Helper()
	f := strings.SplitN(k.Private, "+", 5) // PRIVATE+KEY+name+hash+keydata
	raw, err := base64.StdEncoding.DecodeString(f[4])
	if err != nil || len(raw) != 33 || raw[0] != 1 {
		t.Fatalf("private key %q: not an Ed25519 key", k.Name())
	}
	return raw[1:]
}

func final(t testing.TB, f *electiontest.Fixture) []byte {
	st := f.Def.Station("100.1")
	a := &acta.Acta{
		Election: f.Def.ID, Station: st.ID, Kind: acta.Final, Machine: st.Machine,
		Opened: time.Date(2024, 7, 28, 6, 0, 0, 0, time.UTC), Closed: time.Date(2024, 7, 28, 18, 0, 0, 0, time.UTC),
		Registered: st.Registered, Ballots: 3, Records: acta.Digest(nil), Contests: acta.Blank(f.Def.Ballot(st)),
	}
	a.Contests[0].Blank = 3
	msg, err := acta.Sign(a, f.Machines[st.ID])
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// A cosignature made from the key's seed alone, as WebCrypto makes it,
// gives the same bytes as acta.Cosign with the key file; a signature by
// another key, a key the election does not enrol, and a second
// cosignature by the same key are refused.
func TestCosign(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	msg := final(t, f)
	w := f.Witness["pb"]
	want, err := acta.Cosign(msg, f.Def, w)
	if err != nil {
		t.Fatal(err)
	}
	body, err := Body(f.Def, msg)
	if err != nil {
		t.Fatal(err)
	}
	priv := ed25519.NewKeyFromSeed(seed(t, w))
	vkey, who, err := WitnessKey(f.Def, w.Name(), priv.Public().(ed25519.PublicKey))
	if err != nil || vkey != w.Public || who != "a witness of party pb" {
		t.Fatalf("WitnessKey = %q, %q, %v; want %q", vkey, who, err, w.Public)
	}
	got, err := Cosign(f.Def, msg, vkey, ed25519.Sign(priv, body))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("Cosign: %v\n%s\nwant\n%s", err, got, want)
	}
	if _, err := Cosign(f.Def, got, vkey, ed25519.Sign(priv, body)); err == nil || !strings.Contains(err.Error(), "already signed") {
		t.Errorf("a second cosignature by the same key: %v", err)
	}
	other := ed25519.NewKeyFromSeed(seed(t, f.Witness["pc"]))
	if _, err := Cosign(f.Def, msg, vkey, ed25519.Sign(other, body)); err == nil || !strings.Contains(err.Error(), "does not verify") {
		t.Errorf("a signature by another key: %v", err)
	}
	stranger := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	svkey, who, err := WitnessKey(f.Def, "test/witness/stranger", stranger.Public().(ed25519.PublicKey))
	if err != nil || who != "" {
		t.Fatalf("WitnessKey of a stranger: %q, %v", who, err)
	}
	if _, err := Cosign(f.Def, msg, svkey, ed25519.Sign(stranger, body)); err == nil || !strings.Contains(err.Error(), "not a witness key") {
		t.Errorf("a key the election does not enrol: %v", err)
	}
	if _, _, err := WitnessKey(f.Def, "bad name+x", stranger.Public().(ed25519.PublicKey)); err == nil {
		t.Error("WitnessKey accepted a name with a plus sign")
	}
}
