package tlog_test

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/tlog"
)

var center = electiontest.Key("party", "example.org/center")

// checkpoint returns a checkpoint of center's log, cosigned by witnesses.
func checkpoint(t *testing.T, witnesses ...*keys.Key) []byte {
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

func TestPolicyCountsParties(t *testing.T) {
	k1 := electiontest.Key("party", "w/pa/1")
	k2 := electiontest.Key("party", "w/pa/2")
	k3 := electiontest.Key("party", "w/pa/3")
	k4 := electiontest.Key("party", "w/pb/1")
	p := tlog.Policy{
		Center:    center.Public,
		Witnesses: []string{k1.Public, k2.Public, k3.Public, k4.Public},
		Parties:   []string{"pa", "pa", "pa", "pb"},
		Quorum:    2,
	}
	// One party with three keys is one voice.
	if _, err := p.Check(checkpoint(t, k1, k2, k3)); err == nil || !strings.Contains(err.Error(), "has 3 witness cosignatures, the policy needs 2 of distinct parties: it has 1") {
		t.Errorf("three keys of one party, quorum 2: %v", err)
	}
	if _, err := p.Check(checkpoint(t, k2, k4)); err != nil {
		t.Errorf("two parties, quorum 2: %v", err)
	}
	p.Quorum = 3
	if _, err := p.Check(checkpoint(t, k1, k2, k3, k4)); err == nil {
		t.Errorf("four keys of two parties met a quorum of 3")
	}
	p.Parties = p.Parties[:2]
	if _, err := p.Check(checkpoint(t, k1, k4)); err == nil || !strings.Contains(err.Error(), "2 parties for 4 witnesses") {
		t.Errorf("Parties shorter than Witnesses: %v", err)
	}
}

// TestPolicyKeyOnce: without Parties, each key is a party, and one key
// listed twice (in its two forms) counts once.
func TestPolicyKeyOnce(t *testing.T) {
	k1 := electiontest.Key("party", "w/pa/1")
	c1, err := fnote.VKeyToCosignatureV1(k1.Public)
	if err != nil {
		t.Fatal(err)
	}
	p := tlog.Policy{Center: center.Public, Witnesses: []string{k1.Public, c1}, Quorum: 2}
	if _, err := p.Check(checkpoint(t, k1)); err == nil {
		t.Error("one key listed in both its forms met a quorum of 2")
	}
	p.Quorum = 1
	if _, err := p.Check(checkpoint(t, k1)); err != nil {
		t.Errorf("one key, quorum 1: %v", err)
	}
}

// TestElectionPolicyParties: the election's policy names each log witness's
// party, whatever the form of its key.
func TestElectionPolicyParties(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 2})
	c, err := fnote.VKeyToCosignatureV1(f.Log["pb"].Public)
	if err != nil {
		t.Fatal(err)
	}
	f.Def.LogWitnesses[1].Key = c
	p := tlog.ElectionPolicy(f.Def)
	if len(p.Parties) != 2 || p.Parties[0] != "pa" || p.Parties[1] != "pb" || p.Quorum != 2 {
		t.Fatalf("ElectionPolicy = %+v", p)
	}
	p.Center = center.Public
	if _, err := p.Check(checkpoint(t, f.Log["pa"], f.Log["pb"])); err != nil {
		t.Errorf("checkpoint cosigned by both parties (pb's key in the cosignature/v1 form): %v", err)
	}
	if _, err := p.Check(checkpoint(t, f.Log["pa"])); err == nil {
		t.Error("checkpoint cosigned by one party met a quorum of 2")
	}
}

// TestPolicySmallOrderKeys: a policy with a small-order key checks nothing.
func TestPolicySmallOrderKeys(t *testing.T) {
	pub, _ := hex.DecodeString("0100000000000000000000000000000000000000000000000000000000000000")
	identity, err := note.NewEd25519VerifierKey("forger", pub)
	if err != nil {
		t.Fatal(err)
	}
	cosig, err := fnote.VKeyToCosignatureV1(identity)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{identity, cosig} {
		p := tlog.Policy{Center: center.Public, Witnesses: []string{w}, Quorum: 1}
		if _, err := p.Check(checkpoint(t)); err == nil || !strings.Contains(err.Error(), "small order") {
			t.Errorf("witness key %s: %v", w, err)
		}
	}
	p := tlog.Policy{Center: identity}
	if _, err := p.Check(checkpoint(t)); err == nil || !strings.Contains(err.Error(), "center key: public key is a point of small order") {
		t.Errorf("identity center key: %v", err)
	}
}

// TestPolicyGroups: groups of parties and groups, as Sigsum's policies have.
func TestPolicyGroups(t *testing.T) {
	k := map[string]*keys.Key{}
	for _, n := range []string{"pa1", "pa2", "pb", "pc", "pd"} {
		k[n] = electiontest.Key("party", "w/"+n)
	}
	p := tlog.Policy{
		Center:    center.Public,
		Witnesses: []string{k["pa1"].Public, k["pa2"].Public, k["pb"].Public, k["pc"].Public, k["pd"].Public},
		Parties:   []string{"pa", "pa", "pb", "pc", "pd"},
		Quorum:    99, // not used with groups
		Groups: []tlog.Group{
			{Name: "opposition", Threshold: 1, Members: []string{"pa", "pb"}},
			{Name: "government", Threshold: 2, Members: []string{"pc", "pd"}},
			{Name: "both", Threshold: 2, Members: []string{"opposition", "government"}},
		},
	}
	for _, c := range []struct {
		signers []string
		ok      bool
	}{
		{[]string{"pa1", "pa2", "pb"}, false}, // the opposition alone
		{[]string{"pa1", "pc"}, false},        // half the government
		{[]string{"pb", "pc", "pd"}, true},
		{[]string{"pa2", "pc", "pd"}, true},
		{[]string{"pc", "pd"}, false},
	} {
		var ks []*keys.Key
		for _, s := range c.signers {
			ks = append(ks, k[s])
		}
		_, err := p.Check(checkpoint(t, ks...))
		if (err == nil) != c.ok {
			t.Errorf("cosigned by %v: %v, want ok=%v", c.signers, err, c.ok)
		}
		if err != nil && !c.ok && !strings.Contains(err.Error(), "the policy needs witness group both (2 of opposition government)") {
			t.Errorf("cosigned by %v: error %v does not name the group", c.signers, err)
		}
	}
	for name, g := range map[string][]tlog.Group{
		"unknown member":   {{Name: "g", Threshold: 1, Members: []string{"pz"}}},
		"later group":      {{Name: "g", Threshold: 1, Members: []string{"h"}}, {Name: "h", Threshold: 1, Members: []string{"pa"}}},
		"threshold 0":      {{Name: "g", Threshold: 0, Members: []string{"pa"}}},
		"threshold over":   {{Name: "g", Threshold: 2, Members: []string{"pa"}}},
		"member twice":     {{Name: "g", Threshold: 2, Members: []string{"pa", "pa"}}},
		"name twice":       {{Name: "g", Threshold: 1, Members: []string{"pa"}}, {Name: "g", Threshold: 1, Members: []string{"pb"}}},
		"party's name":     {{Name: "pa", Threshold: 1, Members: []string{"pb"}}},
		"groups, no party": nil,
	} {
		q := p
		q.Groups = g
		if g == nil {
			q.Groups, q.Parties = p.Groups, nil
		}
		if _, err := q.Check(checkpoint(t, k["pa1"], k["pb"], k["pc"], k["pd"])); err == nil || !strings.Contains(err.Error(), "policy: ") {
			t.Errorf("%s: %v, want a policy error", name, err)
		}
	}
}

// TestElectionPolicyGroups: the election's log groups, up to its quorum's.
func TestElectionPolicyGroups(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 3})
	groups := "loggroup opposition 1 pa pb\nloggroup both 2 opposition pc\nlogquorum both\nloggroup unused 1 pa\n"
	def, err := election.Parse([]byte(strings.Replace(string(f.Text), "area 1 North", groups+"area 1 North", 1)))
	if err != nil {
		t.Fatal(err)
	}
	p := tlog.ElectionPolicy(def)
	if len(p.Groups) != 2 || p.Groups[1].Name != "both" {
		t.Fatalf("ElectionPolicy groups = %+v", p.Groups)
	}
	p.Center = center.Public
	if _, err := p.Check(checkpoint(t, f.Log["pa"], f.Log["pb"])); err == nil {
		t.Error("the opposition alone met the quorum group")
	}
	if _, err := p.Check(checkpoint(t, f.Log["pb"], f.Log["pc"])); err != nil {
		t.Errorf("pb and pc: %v", err)
	}
}
