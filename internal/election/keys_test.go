package election_test

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// badPoints are the eight points of small order and a non-canonical
// encoding (y = p+3) of a point of large order.
var badPoints = []string{
	"0100000000000000000000000000000000000000000000000000000000000000",
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"0000000000000000000000000000000000000000000000000000000000000000",
	"0000000000000000000000000000000000000000000000000000000000000080",
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
	"f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
}

func badKey(t *testing.T, name, h string) string {
	pub, _ := hex.DecodeString(h)
	k, err := note.NewEd25519VerifierKey(name, pub)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// lineOf returns the 1-based number of the first line of text with prefix.
func lineOf(text, prefix string) int {
	for i, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			return i + 1
		}
	}
	return 0
}

// TestBadPublicKeys replaces each role's key by each bad point: the
// definition is refused, on the key's line, naming its role.
func TestBadPublicKeys(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 2})
	text := string(f.Text)
	roles := []struct {
		role, old, prefix string
	}{
		{"machine", f.Machines["100.1"].Public, "station 100.1 "},
		{"witness", f.Witness["pa"].Public, "witness pa "},
		{"auditor", f.Auditor.Public, "auditor "},
		{"center", f.Center.Public, "center "},
		{"log witness", f.Log["pb"].Public, "logwitness pb "},
	}
	for _, r := range roles {
		for _, h := range badPoints {
			key := badKey(t, "forger", h)
			bad := strings.Replace(text, r.old, key, 1)
			_, err := election.Parse([]byte(bad))
			want := fmt.Sprintf("line %d: ", lineOf(text, r.prefix))
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), r.role+" key forger+") {
				t.Errorf("%s key %s: Parse = %v, want an error on %q naming the %s key", r.role, h[:8], err, want, r.role)
			}
		}
	}
	// The cosignature/v1 form of a log witness key too.
	for _, h := range badPoints {
		key, err := fnote.VKeyToCosignatureV1(badKey(t, "forger", h))
		if err != nil {
			t.Fatal(err)
		}
		bad := strings.Replace(text, f.Log["pb"].Public, key, 1)
		if _, err := election.Parse([]byte(bad)); err == nil || !strings.Contains(err.Error(), "log witness key forger+") {
			t.Errorf("cosignature/v1 log witness key %s: Parse = %v", h[:8], err)
		}
	}
}

// TestIdentityKeyForgedCosignature is the attack: a witness "key" that is
// the identity point, and a cosignature made with no private key that
// verifies under it. The definition enrolling it is refused, so the
// forgery never meets a verifier.
func TestIdentityKeyForgedCosignature(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	key := badKey(t, "forger", badPoints[0])
	v, err := note.NewVerifier(key)
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("some acta\n")
	sig := make([]byte, 64)
	sig[0] = 1 // R = the identity, s = 0
	forged := fmt.Sprintf("%s\n— forger %s\n", msg, base64.StdEncoding.EncodeToString(append(binaryHash(v.KeyHash()), sig...)))
	if _, err := note.Open([]byte(forged), note.VerifierList(v)); err != nil {
		t.Logf("note no longer opens the forgery (%v): still, the key must be refused", err)
	}
	bad := strings.Replace(string(f.Text), f.Witness["pc"].Public, key, 1)
	if _, err := election.Parse([]byte(bad)); err == nil || !strings.Contains(err.Error(), "small order") {
		t.Fatalf("Parse(definition with the identity key as a witness) = %v, want a small-order error", err)
	}
}

func binaryHash(h uint32) []byte { return []byte{byte(h >> 24), byte(h >> 16), byte(h >> 8), byte(h)} }

// TestCosignatureLogWitnessKey reads a log witness key in the
// cosignature/v1 form: enrolled, the same public key as the signed-note
// form, found by either text, and written back as it was.
func TestCosignatureLogWitnessKey(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 2})
	ckey, err := fnote.VKeyToCosignatureV1(f.Log["pa"].Public)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(f.Text), f.Log["pa"].Public, ckey, 1)
	d, err := election.Parse([]byte(text))
	if err != nil {
		t.Fatalf("Parse(cosignature/v1 log witness key) = %v", err)
	}
	d2, err := election.Parse(d.Marshal())
	if err != nil || d.LogWitnesses[0].Key != ckey || d2.LogWitnesses[0].Key != ckey {
		t.Errorf("the cosignature/v1 key is not kept as written (%v)", err)
	}
	for _, k := range []string{ckey, f.Log["pa"].Public} {
		if s, ok := d.Signer(k); !ok || s.Role != election.RoleLog || s.Party != "pa" {
			t.Errorf("Signer(%s) = %+v, %v", k, s, ok)
		}
	}
	if s, ok := d.SignerOf(f.Log["pa"].Name(), f.Log["pa"].KeyHash()); !ok || s.Party != "pa" {
		t.Errorf("SignerOf(log witness pa) = %+v, %v", s, ok)
	}
	// Only a log witness key may take that form.
	wkey, _ := fnote.VKeyToCosignatureV1(f.Witness["pb"].Public)
	if _, err := election.Parse([]byte(strings.Replace(text, f.Witness["pb"].Public, wkey, 1))); err == nil || !strings.Contains(err.Error(), "malformed witness key") {
		t.Errorf("Parse(cosignature/v1 party witness key) = %v, want malformed", err)
	}
	// Both forms of one key are one key.
	dup := text + "" // the pa log witness is enrolled; enrol its other form for pb
	dup = strings.Replace(dup, f.Log["pb"].Public, f.Log["pa"].Public, 1)
	if _, err := election.Parse([]byte(dup)); err == nil || !strings.Contains(err.Error(), "already enrolled") {
		t.Errorf("Parse(one key in both forms) = %v, want already enrolled", err)
	}
}

// TestLogQuorumCountsParties: a party's several log witnesses are one voice.
func TestLogQuorumCountsParties(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 2})
	extra := electiontest.Key("", "test/logwitness/pa2")
	text := strings.Replace(string(f.Text), "area 1 North", "logwitness pa "+extra.Public+"\narea 1 North", 1)
	d, err := election.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.LogWitnesses) != 3 || d.LogQuorum != 2 || len(d.LogParties()) != 2 {
		t.Fatalf("3 log witnesses of 2 parties: quorum %d, parties %v", d.LogQuorum, d.LogParties())
	}
	for q, ok := range map[string]bool{"1": true, "2": true, "3": false} {
		_, err := election.Parse([]byte(strings.Replace(text, "area 1 North", "logquorum "+q+"\narea 1 North", 1)))
		if (err == nil) != ok {
			t.Errorf("logquorum %s of 2 parties: Parse = %v", q, err)
		}
		if !ok && (err == nil || !strings.Contains(err.Error(), "of 2 parties with log witnesses")) {
			t.Errorf("logquorum %s: error %v does not count parties", q, err)
		}
	}
}

// TestLogGroups reads loggroup lines and a logquorum that names a group.
func TestLogGroups(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 3})
	groups := "loggroup opposition 1 pa pb\nloggroup both 2 opposition pc\nlogquorum both\n"
	text := strings.Replace(string(f.Text), "area 1 North", groups+"area 1 North", 1)
	d, err := election.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if d.LogQuorumGroup != "both" || d.LogQuorum != 0 || len(d.LogGroups) != 2 || d.LogGroups[1].Threshold != 2 || strings.Join(d.LogGroups[1].Members, " ") != "opposition pc" {
		t.Fatalf("groups %+v, quorum %q %d", d.LogGroups, d.LogQuorumGroup, d.LogQuorum)
	}
	if !strings.Contains(string(d.Marshal()), groups) {
		t.Errorf("Marshal does not write the groups back:\n%s", d.Marshal())
	}
	if d2, err := election.Parse(d.Marshal()); err != nil || string(d2.Marshal()) != string(d.Marshal()) {
		t.Errorf("Parse(Marshal(d)): %v", err)
	}
	line := lineOf(text, "loggroup opposition")
	for bad, want := range map[string]string{
		"loggroup opposition 1 pa pz\n":    "\"pz\" is neither a party with log witnesses, a public witness nor a log group declared above",
		"loggroup opposition 3 pa pb\n":    "threshold 3 of 2 members",
		"loggroup opposition 0 pa pb\n":    "threshold 0 of 2 members",
		"loggroup opposition 1 pa pa\n":    "member pa listed twice",
		"loggroup pa 1 pb pc\n":            "the name of a party, a public witness or another group",
		"loggroup opposition 1 pa later\n": "neither a party with log witnesses, a public witness nor a log group declared above",
		"loggroup opposition 01 pa pb\n":   "leading zero",
		"loggroup opposition 1\n":          "want \"loggroup NAME K MEMBER...\"",
		"loggroup 9lives 1 pa pb\n":        "malformed log group name",
		"loggroup opposition 1 pa  pb\n":   "want \"loggroup NAME K MEMBER...\"",
	} {
		_, err := election.Parse([]byte(strings.Replace(text, "loggroup opposition 1 pa pb\n", bad, 1)))
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("line %d: ", line)) || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: Parse = %v, want line %d: ...%s", bad, err, line, want)
		}
	}
	_, err = election.Parse([]byte(strings.Replace(text, "logquorum both", "logquorum nobody", 1)))
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("line %d: logquorum: unknown log group \"nobody\"", lineOf(text, "logquorum"))) {
		t.Errorf("logquorum of an unknown group: %v", err)
	}
}
