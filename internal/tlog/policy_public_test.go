package tlog_test

import (
	"encoding/base64"
	"strings"
	"testing"

	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/tlog"
)

// signedBy returns a checkpoint of the log of center, cosigned by witnesses.
func signedBy(t *testing.T, center *keys.Key, witnesses ...*keys.Key) []byte {
	t.Helper()
	signers := []note.Signer{center}
	for _, w := range witnesses {
		s, err := fnote.NewSignerForCosignatureV1(w.Private)
		if err != nil {
			t.Fatal(err)
		}
		signers = append(signers, s)
	}
	text := center.Name() + "\n3\n" + base64.StdEncoding.EncodeToString(make([]byte, 32)) + "\n"
	msg, err := note.Sign(&note.Note{Text: text}, signers...)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// TestPublicPolicy: a checkpoint of the slow feed meets the log quorum and
// the public quorum; the log's own policy never needs a public witness, and
// a checkpoint of the slow feed meets it too (one log, two feeds).
func TestPublicPolicy(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 2, PublicWitnesses: 2})
	pa, pb, pw1, pw2 := f.Log["pa"], f.Log["pb"], f.Public["pw1"], f.Public["pw2"]
	fast, slow := tlog.ElectionPolicy(f.Def), tlog.PublicPolicy(f.Def)
	for _, c := range []struct {
		name       string
		cosigners  []*keys.Key
		fast, slow bool
	}{
		{"parties", []*keys.Key{pa, pb}, true, false},
		{"parties and one public witness", []*keys.Key{pa, pb, pw2}, true, true},
		{"parties and both public witnesses", []*keys.Key{pa, pb, pw1, pw2}, true, true},
		{"one party and both public witnesses", []*keys.Key{pa, pw1, pw2}, false, false},
		{"public witnesses alone", []*keys.Key{pw1, pw2}, false, false},
	} {
		raw := signedBy(t, f.Center, c.cosigners...)
		if _, err := fast.Check(raw); (err == nil) != c.fast {
			t.Errorf("%s: the log's policy says %v, want met %v", c.name, err, c.fast)
		}
		if _, err := slow.Check(raw); (err == nil) != c.slow {
			t.Errorf("%s: the slow feed's policy says %v, want met %v", c.name, err, c.slow)
		}
	}
	raw := signedBy(t, f.Center, pa, pb)
	if _, err := slow.Check(raw); err == nil || !strings.Contains(err.Error(), "(public quorum)") {
		t.Errorf("the slow feed's policy without public cosignatures: %v, want the public quorum named", err)
	}
}

// TestPublicPolicyGroups: a public quorum that is a group mixing a party
// and public witnesses; the log quorum, a group of parties, still applies.
func TestPublicPolicyGroups(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 3, PublicWitnesses: 2})
	text := string(f.Text) + "loggroup network 2 pw1 pw2\nloggroup two 2 pa pb pc\nloggroup slow 2 network pc\nlogquorum two\npublicquorum slow\n"
	def, err := election.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	pa, pb, pc, pw1, pw2 := f.Log["pa"], f.Log["pb"], f.Log["pc"], f.Public["pw1"], f.Public["pw2"]
	fast, slow := tlog.ElectionPolicy(def), tlog.PublicPolicy(def)
	for _, c := range []struct {
		name       string
		cosigners  []*keys.Key
		fast, slow bool
	}{
		{"two parties", []*keys.Key{pa, pb}, true, false},
		{"two parties, pc among them, and the network", []*keys.Key{pa, pc, pw1, pw2}, true, true},
		{"two parties and the network, pc not among them", []*keys.Key{pa, pb, pw1, pw2}, true, false},
		{"two parties and half the network", []*keys.Key{pb, pc, pw1}, true, false},
		{"pc and the network", []*keys.Key{pc, pw1, pw2}, false, false},
	} {
		raw := signedBy(t, f.Center, c.cosigners...)
		if _, err := fast.Check(raw); (err == nil) != c.fast {
			t.Errorf("%s: the log's policy says %v, want met %v", c.name, err, c.fast)
		}
		if _, err := slow.Check(raw); (err == nil) != c.slow {
			t.Errorf("%s: the slow feed's policy says %v, want met %v", c.name, err, c.slow)
		}
	}
}
