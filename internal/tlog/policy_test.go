package tlog_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/transparency-dev/formats/log"
	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/tlog"
)

// origin is the log's origin: the center key's name.
const origin = "center.example/log"

// party is a key pair of the center or of a witness.
type party struct {
	signer note.Signer
	vkey   string
}

func newParty(t testing.TB, name string, witness bool) party {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		t.Fatal(err)
	}
	var s note.Signer
	if witness {
		s, err = fnote.NewSignerForCosignatureV1(skey)
	} else {
		s, err = note.NewSigner(skey)
	}
	if err != nil {
		t.Fatal(err)
	}
	return party{s, vkey}
}

// fixture is a center and three witnesses; the policy needs two of them.
type fixture struct {
	center    party
	witnesses []party
	policy    tlog.Policy
}

func newFixture(t testing.TB) *fixture {
	f := &fixture{center: newParty(t, origin, false)}
	f.policy = tlog.Policy{Center: f.center.vkey, Quorum: 2}
	for i := range 3 {
		w := newParty(t, fmt.Sprintf("witness%d.example", i), true)
		f.witnesses = append(f.witnesses, w)
		f.policy.Witnesses = append(f.policy.Witnesses, w.vkey)
	}
	return f
}

// checkpointText is the body of a checkpoint of the given origin and tree.
func checkpointText(origin string, size uint64, hash []byte) string {
	return string(log.Checkpoint{Origin: origin, Size: size, Hash: hash}.Marshal())
}

// sign signs text with the signers, in order.
func sign(t testing.TB, text string, signers ...note.Signer) []byte {
	t.Helper()
	raw, err := note.Sign(&note.Note{Text: text}, signers...)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// sigLines returns the signature lines of a signed note.
func sigLines(raw []byte) []string {
	_, sigs, _ := strings.Cut(string(raw), "\n\n")
	return strings.SplitAfter(strings.TrimSuffix(sigs, "\n"), "\n")
}

// sameSignatures reports whether two signed notes differ at most in how
// their signatures' base64 is written: note.Open decodes base64 leniently,
// ignoring the padding bits of a signature's last character, so a change
// there changes no signature.
func sameSignatures(a, b []byte) bool {
	ta, _, _ := strings.Cut(string(a), "\n\n")
	tb, _, _ := strings.Cut(string(b), "\n\n")
	la, lb := sigLines(a), sigLines(b)
	if ta != tb || len(la) != len(lb) {
		return false
	}
	for i := range la {
		na, ba, _ := strings.Cut(strings.TrimSuffix(la[i], "\n"), " ")
		nb, bb, _ := strings.Cut(strings.TrimSuffix(lb[i], "\n"), " ")
		ka, sa, _ := strings.Cut(ba, " ")
		kb, sb, _ := strings.Cut(bb, " ")
		da, erra := base64.StdEncoding.DecodeString(sa)
		db, errb := base64.StdEncoding.DecodeString(sb)
		if na != nb || ka != kb || erra != nil || errb != nil || string(da) != string(db) {
			return false
		}
	}
	return true
}

var someHash = make([]byte, 32)

func TestPolicyQuorum(t *testing.T) {
	f := newFixture(t)
	text := checkpointText(origin, 7, someHash)
	// Every subset of the three witnesses: the quorum of two is met by the
	// subsets of two or three, whatever the order of their cosignatures.
	for mask := range 1 << len(f.witnesses) {
		signers := []note.Signer{f.center.signer}
		n := 0
		for i, w := range f.witnesses {
			if mask&(1<<i) != 0 {
				signers = append(signers, w.signer)
				n++
			}
		}
		cp, err := f.policy.Check(sign(t, text, signers...))
		switch {
		case n >= f.policy.Quorum && err != nil:
			t.Errorf("witnesses %03b: %v", mask, err)
		case n >= f.policy.Quorum && cp.Size != 7:
			t.Errorf("witnesses %03b: size %d, want 7", mask, cp.Size)
		case n < f.policy.Quorum && err == nil:
			t.Errorf("witnesses %03b: %d cosignatures met a quorum of %d", mask, n, f.policy.Quorum)
		case n < f.policy.Quorum && !strings.Contains(err.Error(), fmt.Sprintf("has %d witness cosignatures, the policy needs 2", n)):
			t.Errorf("witnesses %03b: %v", mask, err)
		}
	}
}

func TestPolicyQuorumZero(t *testing.T) {
	f := newFixture(t)
	f.policy.Quorum = 0
	if _, err := f.policy.Check(sign(t, checkpointText(origin, 1, someHash), f.center.signer)); err != nil {
		t.Errorf("no witness needed: %v", err)
	}
}

func TestPolicyWitnessKeyForms(t *testing.T) {
	// A witness key may be given as a note verifier key or as its
	// cosignature/v1 form.
	f := newFixture(t)
	for i, w := range f.policy.Witnesses {
		k, err := fnote.VKeyToCosignatureV1(w)
		if err != nil {
			t.Fatal(err)
		}
		f.policy.Witnesses[i] = k
	}
	raw := sign(t, checkpointText(origin, 3, someHash), f.center.signer, f.witnesses[0].signer, f.witnesses[2].signer)
	if _, err := f.policy.Check(raw); err != nil {
		t.Error(err)
	}
}

func TestPolicyUnknownWitness(t *testing.T) {
	// A cosignature by a key the policy does not name is not counted, and
	// does not spoil the others.
	f := newFixture(t)
	stranger := newParty(t, "stranger.example", true)
	text := checkpointText(origin, 5, someHash)
	if _, err := f.policy.Check(sign(t, text, f.center.signer, f.witnesses[0].signer, stranger.signer)); err == nil {
		t.Error("an unknown witness's cosignature counted towards the quorum")
	}
	if _, err := f.policy.Check(sign(t, text, f.center.signer, f.witnesses[0].signer, stranger.signer, f.witnesses[1].signer)); err != nil {
		t.Errorf("a quorum with an unknown witness's cosignature besides: %v", err)
	}
	// A stranger with a known witness's name but another key.
	impostor := newParty(t, "witness1.example", true)
	if _, err := f.policy.Check(sign(t, text, f.center.signer, f.witnesses[0].signer, impostor.signer)); err == nil {
		t.Error("a cosignature by another key under a witness's name counted")
	}
}

func TestPolicyDuplicateCosignature(t *testing.T) {
	// One key's cosignature twice, the very same line or two made at
	// different times, is one cosignature.
	f := newFixture(t)
	text := checkpointText(origin, 5, someHash)
	raw := sign(t, text, f.center.signer, f.witnesses[0].signer)
	lines := sigLines(raw)
	same := string(raw) + lines[1]
	if _, err := f.policy.Check([]byte(same)); err == nil {
		t.Error("one witness's cosignature repeated met a quorum of 2")
	}
	again := sigLines(sign(t, text, f.witnesses[0].signer))
	twice := string(raw) + again[0]
	if lines[1] == again[0] {
		t.Log("both cosignatures have the same timestamp")
	}
	if _, err := f.policy.Check([]byte(twice)); err == nil {
		t.Error("two cosignatures by one witness key met a quorum of 2")
	}
}

func TestPolicyWrongOrigin(t *testing.T) {
	f := newFixture(t)
	raw := sign(t, checkpointText("other.example/log", 5, someHash), f.center.signer, f.witnesses[0].signer, f.witnesses[1].signer)
	if _, err := f.policy.Check(raw); err == nil {
		t.Error("a checkpoint of another origin passed")
	}
}

func TestPolicyCenterSignature(t *testing.T) {
	f := newFixture(t)
	text := checkpointText(origin, 5, someHash)
	// No signature of the center, only the witnesses'.
	if _, err := f.policy.Check(sign(t, text, f.witnesses[0].signer, f.witnesses[1].signer)); err == nil {
		t.Error("a checkpoint the center did not sign passed")
	}
	// Signed by another key under the center's name.
	other := newParty(t, origin, false)
	if _, err := f.policy.Check(sign(t, text, other.signer, f.witnesses[0].signer, f.witnesses[1].signer)); err == nil {
		t.Error("a checkpoint signed by another key under the center's name passed")
	}
}

func TestPolicyBadSignature(t *testing.T) {
	// Changing any one byte of the text or of a known key's signature is
	// refused: the center's signature fails, a witness's fails, or the text
	// no longer parses. (But for the padding bits of a signature's base64,
	// which change no signature.)
	f := newFixture(t)
	raw := sign(t, checkpointText(origin, 5, someHash), f.center.signer, f.witnesses[0].signer, f.witnesses[1].signer)
	if _, err := f.policy.Check(raw); err != nil {
		t.Fatal(err)
	}
	for i := range raw {
		if raw[i] == '\n' {
			continue // the note's structure: malformed, tested below
		}
		bad := []byte(string(raw))
		bad[i] ^= 0x01
		if _, err := f.policy.Check(bad); err == nil && !sameSignatures(raw, bad) {
			t.Errorf("byte %d changed (%q): passed", i, bad[i])
		}
	}
}

func TestPolicyBadKeys(t *testing.T) {
	f := newFixture(t)
	raw := sign(t, checkpointText(origin, 5, someHash), f.center.signer, f.witnesses[0].signer, f.witnesses[1].signer)
	p := f.policy
	p.Center = "not a key"
	if _, err := p.Check(raw); err == nil || !strings.Contains(err.Error(), "center key") {
		t.Errorf("bad center key: %v", err)
	}
	p = f.policy
	p.Witnesses = append([]string{"not a key"}, p.Witnesses[1:]...)
	if _, err := p.Check(raw); err == nil || !strings.Contains(err.Error(), "witness key") {
		t.Errorf("bad witness key: %v", err)
	}
}

func TestPolicyMalformed(t *testing.T) {
	f := newFixture(t)
	for _, raw := range []string{
		"",
		"\n",
		origin + "\n5\n",
		checkpointText(origin, 5, someHash), // no signatures
		checkpointText(origin, 5, someHash) + "\n— x\n",     // a malformed signature line
		checkpointText(origin, 5, []byte("short")) + "\n\n", // no signature, bad hash
	} {
		if _, err := f.policy.Check([]byte(raw)); err == nil {
			t.Errorf("%q passed", raw)
		}
	}
	// A checkpoint body that does not parse, though signed.
	for _, text := range []string{
		origin + "\nfive\n" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
		origin + "\n5\nnot base64\n",
		origin + "\n5\n",
	} {
		raw := sign(t, text, f.center.signer, f.witnesses[0].signer, f.witnesses[1].signer)
		if _, err := f.policy.Check(raw); err == nil {
			t.Errorf("signed %q passed", text)
		}
	}
}

// lateSigner cosigns, cosignature/v1, at a time of its choosing.
type lateSigner struct {
	name string
	hash uint32
	priv ed25519.PrivateKey
	at   uint64
}

func (s lateSigner) Name() string    { return s.name }
func (s lateSigner) KeyHash() uint32 { return s.hash }
func (s lateSigner) Sign(msg []byte) ([]byte, error) {
	sig := binary.BigEndian.AppendUint64(nil, s.at)
	return append(sig, ed25519.Sign(s.priv, fmt.Appendf(nil, "cosignature/v1\ntime %d\n%s", s.at, msg))...), nil
}

// TestPolicyLateCosignature: a witness's cosignature dated past 2^63-1 (no
// time C2SP tlog-cosignature allows) makes the checkpoint fail, and the
// error says so rather than only "invalid signature".
func TestPolicyLateCosignature(t *testing.T) {
	f := newFixture(t)
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	vkey, err := note.NewEd25519VerifierKey("late.example", pub)
	if err != nil {
		t.Fatal(err)
	}
	v, err := keys.NewCosignatureVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	f.policy.Witnesses = append(f.policy.Witnesses, vkey)
	text := checkpointText(origin, 1, someHash)
	late := lateSigner{"late.example", v.KeyHash(), priv, 1<<63 + 1}
	_, err = f.policy.Check(sign(t, text, f.center.signer, f.witnesses[0].signer, late))
	if err == nil || !strings.Contains(err.Error(), "the cosignature of late.example+") || !strings.Contains(err.Error(), "past 2^63-1") {
		t.Errorf("a cosignature dated 2^63+1: %v", err)
	}
	late.at = 1<<63 - 1
	if _, err := f.policy.Check(sign(t, text, f.center.signer, f.witnesses[0].signer, late)); err != nil {
		t.Errorf("a cosignature dated 2^63-1: %v", err)
	}
}
