package election_test

import (
	"golang.org/x/mod/sumdb/note"

	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

func TestMarshalRoundTrip(t *testing.T) {
	f := electiontest.New(electiontest.Options{Stations: 5, Contests: 2})
	if !bytes.Equal(f.Def.Marshal(), f.Text) {
		t.Fatalf("Marshal does not give back the fixture:\n%s", f.Def.Marshal())
	}
	d, err := election.Parse(f.Def.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(d.Marshal(), f.Text) {
		t.Fatal("Parse(Marshal(d)) differs")
	}
}

func TestLookups(t *testing.T) {
	f := electiontest.New(electiontest.Options{Stations: 3})
	st := f.Def.Station("100.3")
	if st == nil || st.Registered != 500 || f.Def.Station("100.4") != nil {
		t.Fatalf("Station: %+v", st)
	}
	who, ok := f.Def.Signer(st.Machine)
	if !ok || who.Role != election.RoleMachine || who.Station != "100.3" {
		t.Fatalf("Signer(machine) = %+v, %v", who, ok)
	}
	who, ok = f.Def.SignerOf(f.Witness["pb"].Name(), f.Witness["pb"].KeyHash())
	if !ok || who.Role != election.RoleWitness || who.Party != "pb" {
		t.Fatalf("SignerOf(witness) = %+v, %v", who, ok)
	}
	if path := f.Def.AreaPath(st.Area); len(path) != 2 || path[0].Name != "North" || path[1].Name != "Centre 100" {
		t.Fatalf("AreaPath = %v", path)
	}
}

func TestBallotScope(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	text := strings.Replace(string(f.Text), "party pa", "area 2 South\narea 2/200 Centre 200\ncontest mayor 2 Mayor of the South\ncandidate mayor DORA Dora\nparty pa", 1)
	text = strings.Replace(text, "station 100.2 1/100", "station 100.2 2/200", 1)
	d, err := election.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if b := d.Ballot(d.Station("100.1")); len(b) != 1 {
		t.Errorf("station in the north has %d contests, want 1", len(b))
	}
	if b := d.Ballot(d.Station("100.2")); len(b) != 2 || b[1].ID != "mayor" {
		t.Errorf("station in the south has ballot %v, want president and mayor", b)
	}
}

// TestErrors checks that each kind of error is found and names its line and,
// where there is one, its station.
func TestErrors(t *testing.T) {
	f := electiontest.New(electiontest.Options{Stations: 2})
	base := string(f.Text)
	m1 := f.Def.Station("100.1").Machine
	tests := []struct {
		name, old, new, want string
	}{
		{"version", "triplicate election v1", "triplicate election v0", `line 1: first line must be "triplicate election v1"`},
		{"duplicate station", "station 100.2 ", "station 100.1 ", "line 20: station 100.1: duplicate station"},
		{"unknown contest", "candidate president CORA", "candidate senate CORA", `line 8: candidate CORA: unknown contest "senate"`},
		{"malformed key", m1, m1[:len(m1)-3], "line 19: station 100.1: malformed machine key"},
		{"non-canonical key", m1, m1[:len(m1)-1] + "g", "line 19: station 100.1: malformed machine key"},
		{"key twice", f.Def.Station("100.2").Machine, m1, "line 20: station 100.2: key test/machine/100.1 is already enrolled for the machine of station 100.1"},
		{"witness key as machine", m1, f.Witness["pa"].Public, "line 19: station 100.1: key test/witness/pa is already enrolled for a witness of party pa"},
		{"leading zero", "station 100.1 1/100 500", "station 100.1 1/100 0500", "line 19: station 100.1: registered voters: number \"0500\" not in canonical form"},
		{"unknown area", "station 100.1 1/100 ", "station 100.1 1/101 ", `line 19: station 100.1: unknown area "1/101"`},
		{"shallow area", "station 100.1 1/100 ", "station 100.1 1 ", "line 19: station 100.1: area 1 is not at the deepest level (centre)"},
		{"unknown parent", "area 1/100 ", "area 2/100 ", "line 18: area 2/100: unknown parent area 2"},
		{"too deep", "area 1/100 Centre 100", "area 1/100 Centre 100\narea 1/100/7 Room", "line 19: area 1/100/7 is deeper than the 2 levels"},
		{"unknown party", "witness pb ", "witness pz ", `line 12: witness: unknown party "pz"`},
		{"reserved candidate", "candidate president CORA", "candidate president null", `line 8: candidate id "null" is reserved`},
		{"unknown line", "auditor ", "auditer ", `line 15: unknown line "auditer"`},
		{"repeated id", "name Test election", "name Test election\nid again", `line 4: repeated "id" line`},
		{"missing name", "name Test election\n", "", `missing "name" line`},
		{"bad id", "id test", "id te st", `line 2: malformed election id "te st"`},
		{"double space", "station 100.1 1/100", "station 100.1  1/100", "line 19: want \"station ID AREA REGISTERED KEY\" (one space between fields)"},
		{"scope", "contest president *", "contest president 9", `line 5: contest president: unknown area "9"`},
		{"same key, other name", "witness pc " + f.Witness["pc"].Public, "witness pc " + renamed(f.Def.Station("100.1").Machine, "test/witness/pz"), "line 19: station 100.1: key test/machine/100.1 is already enrolled for a witness of party pc"},
		{"control character", "name Test election", "name Test\relection", "line 3: control character U+000D"},
		{"non-ASCII key name", "auditor " + f.Auditor.Public, "auditor " + renamed(f.Auditor.Public, "test/auditor/ñ"), "auditor key name \"test/auditor/ñ\": must be printable ASCII"},
		{"repeated level", "levels state centre", "levels state state", "line 4: level state repeated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.old) {
				t.Fatalf("fixture has no %q", tt.old)
			}
			_, err := election.Parse([]byte(strings.Replace(base, tt.old, tt.new, 1)))
			var list election.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Parse: %v, want an ErrorList", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse:\n%v\nwant %q", err, tt.want)
			}
		})
	}
}

func TestEmptyBallot(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	text := strings.Replace(string(f.Text), "contest president *", "contest president 2", 1)
	text = strings.Replace(text, "area 1 North", "area 2 South\narea 1 North", 1)
	_, err := election.Parse([]byte(text))
	if err == nil || !strings.Contains(err.Error(), "station 100.1 has no contest on its ballot") {
		t.Fatalf("Parse: %v", err)
	}
}

func TestAllErrorsReported(t *testing.T) {
	f := electiontest.New(electiontest.Options{Stations: 2})
	text := strings.Replace(string(f.Text), "station 100.1 1/100 500", "station 100.1 1/100 five", 1)
	text = strings.Replace(text, "station 100.2 1/100", "station 100.2 1/999", 1)
	_, err := election.Parse([]byte(text))
	var list election.ErrorList
	if !errors.As(err, &list) || len(list) != 2 || list[0].Station != "100.1" || list[1].Station != "100.2" {
		t.Fatalf("Parse: %v, want one error for each station", err)
	}
}

// renamed returns the same public key under another name.
func renamed(key, name string) string {
	vkey, err := note.NewEd25519VerifierKey(name, election.KeyBytes(key))
	if err != nil {
		panic(err)
	}
	return vkey
}
