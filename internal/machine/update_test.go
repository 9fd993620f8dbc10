package machine

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// withoutReceiptKeys returns a definition's text without the lines that
// check receipts, as an authority has it before the center's and the log
// witnesses' keys exist.
func withoutReceiptKeys(t *testing.T, text []byte) *election.Definition {
	t.Helper()
	def, err := election.Parse(regexp.MustCompile(`(?m)^(center|logwitness|logquorum) .*\n`).ReplaceAll(text, nil))
	if err != nil {
		t.Fatal(err)
	}
	return def
}

// A machine set up before the center had a key gets the definition that
// enrols it before it opens the polls, and then transmits and checks its
// receipt. One that opened its polls first keeps its definition: its zero
// tape names that definition's digest.
func TestUpdateDefinitionThenTransmit(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	ctx := context.Background()
	c, err := center.Open(ctx, center.Config{Election: f.Def, Key: f.Center, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	srv := httptest.NewServer(c.Handler(nil))
	defer srv.Close()
	vote := func(term *Terminal) {
		t.Helper()
		if _, err := term.Open(); err != nil {
			t.Fatal(err)
		}
		if _, err := term.Vote(map[string]string{"president": "ALBA"}); err != nil {
			t.Fatal(err)
		}
		if _, err := term.ClosePolls(); err != nil {
			t.Fatal(err)
		}
	}

	late := filepath.Join(t.TempDir(), "100.2")
	if err := Setup(late, withoutReceiptKeys(t, f.Text), "100.2", f.Machines["100.2"].Private); err != nil {
		t.Fatal(err)
	}
	lateTerm := load(t, late, Options{NoSync: true})
	vote(lateTerm)
	if _, err := lateTerm.Transmit(ctx, srv.URL, http.DefaultClient); err == nil || !strings.Contains(err.Error(), "enrols no center key") {
		t.Fatalf("transmit without a center key: %v", err)
	}
	if changed, err := lateTerm.UpdateDefinition(f.Def); err == nil || changed || !strings.Contains(err.Error(), "the zero tape is signed") {
		t.Fatalf("UpdateDefinition after the zero tape: changed %v, %v", changed, err)
	}

	dir := filepath.Join(t.TempDir(), "100.1")
	if err := Setup(dir, withoutReceiptKeys(t, f.Text), "100.1", f.Machines["100.1"].Private); err != nil {
		t.Fatal(err)
	}
	term := load(t, dir, Options{NoSync: true})
	changed, err := term.UpdateDefinition(f.Def)
	if err != nil || !changed {
		t.Fatalf("UpdateDefinition: changed %v, %v", changed, err)
	}
	if got := term.Definition().Center; got != f.Center.Public {
		t.Fatalf("center key after the update: %q, want %q", got, f.Center.Public)
	}
	vote(term)
	if tr, err := term.Transmit(ctx, srv.URL, http.DefaultClient); err != nil || tr.Status != "accepted" {
		t.Fatalf("transmit after the update: %+v, %v", tr, err)
	}
	if changed, err := term.UpdateDefinition(f.Def); err != nil || changed {
		t.Fatalf("the same definition again: changed %v, %v", changed, err)
	}
}

// The new copy is on disk: a terminal loaded again has it, log policy and all.
func TestUpdateDefinitionKept(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 2})
	dir := filepath.Join(t.TempDir(), "100.1")
	if err := Setup(dir, withoutReceiptKeys(t, f.Text), "100.1", f.Machines["100.1"].Private); err != nil {
		t.Fatal(err)
	}
	term := load(t, dir, Options{NoSync: true})
	if changed, err := term.UpdateDefinition(f.Def); err != nil || !changed {
		t.Fatalf("UpdateDefinition: changed %v, %v", changed, err)
	}
	term.Close()
	term = load(t, dir, Options{NoSync: true})
	d := term.Definition()
	if d.Center != f.Center.Public || len(d.LogWitnesses) != 2 || d.LogQuorum != 2 || len(d.Stations) != 1 {
		t.Fatalf("reloaded definition: center %q, %d log witnesses, quorum %d, %d stations", d.Center, len(d.LogWitnesses), d.LogQuorum, len(d.Stations))
	}
	// An update never weakens the check of receipts: a lower quorum, a log
	// witness dropped or the center's key replaced would let a split view of
	// the log pass unseen. The copy stays as it was.
	for what, text := range map[string]string{
		"lowers the log quorum from 2 parties to 1": strings.Replace(string(f.Text), "area 1 North", "logquorum 1\narea 1 North", 1),
		"drops the log witness":                     strings.Replace(string(f.Text), "logwitness pb "+f.Log["pb"].Public+"\n", "", 1),
		"replaces the center key":                   strings.Replace(string(f.Text), f.Center.Public, electiontest.Key("other", "test/center").Public, 1),
	} {
		weaker, err := election.Parse([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		if changed, err := term.UpdateDefinition(weaker); err == nil || changed || !strings.Contains(err.Error(), what) {
			t.Errorf("%s: changed %v, %v", what, changed, err)
		}
		if d := term.Definition(); d.LogQuorum != 2 || len(d.LogWitnesses) != 2 || d.Center != f.Center.Public {
			t.Errorf("%s: the copy changed", what)
		}
	}
}

// TestUpdateDefinitionPublicWitnesses: public witnesses, added after the
// machines were set up, are taken like the log witnesses' keys.
func TestUpdateDefinitionPublicWitnesses(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 2})
	dir := filepath.Join(t.TempDir(), "100.1")
	if err := Setup(dir, f.Def, "100.1", f.Machines["100.1"].Private); err != nil {
		t.Fatal(err)
	}
	term := load(t, dir, Options{NoSync: true})
	defer term.Close()
	with := electiontest.New(electiontest.Options{LogWitnesses: 2, PublicWitnesses: 2})
	def, err := election.Parse(append(with.Text, "loggroup network 1 pw1 pw2\npublicquorum network\n"...))
	if err != nil {
		t.Fatal(err)
	}
	if changed, err := term.UpdateDefinition(def); err != nil || !changed {
		t.Fatalf("UpdateDefinition adding public witnesses: changed %v, %v", changed, err)
	}
	if d := term.Definition(); len(d.PublicWitnesses) != 2 || d.PublicQuorumGroup != "network" || d.LogQuorum != 2 {
		t.Errorf("updated definition:\n%s", d.Marshal())
	}
}

// Anything but the keys that check receipts is refused, and the terminal's
// copy stays as it was.
func TestUpdateDefinitionRefused(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	other := electiontest.New(electiontest.Options{Seed: "other"})
	edit := func(old, new string) *election.Definition {
		t.Helper()
		if !strings.Contains(string(f.Text), old) {
			t.Fatalf("fixture has no %q", old)
		}
		def, err := election.Parse([]byte(strings.Replace(string(f.Text), old, new, 1)))
		if err != nil {
			t.Fatal(err)
		}
		return def
	}
	for _, c := range []struct {
		name string
		def  *election.Definition
		want string
	}{
		{"other election", edit("id test", "id other"), "the definition is of election other, the terminal's of election test"},
		{"no station", edit("station 100.1 ", "station 100.9 "), "election test has no station 100.1, the terminal's"},
		{"other machine key", edit(f.Machines["100.1"].Public, other.Machines["100.1"].Public), "station 100.1: the definition enrols machine key " + other.Machines["100.1"].Public + ", not the terminal's"},
		{"no center key", withoutReceiptKeys(t, f.Text), "election test enrols no center key to check receipts with"},
		{"other witness key", edit(f.Witness["pb"].Public, other.Witness["pb"].Public), `differs in more than the keys that check receipts (center, logwitness, publicwitness, loggroup, logquorum, publicquorum): the terminal's copy has "witness pb ` + f.Witness["pb"].Public + `", the new one "witness pb ` + other.Witness["pb"].Public + `"`},
		{"one more candidate", edit("candidate president CORA Candidate CORA\n", "candidate president CORA Candidate CORA\ncandidate president DINO Candidate DINO\n"), `the terminal's copy has "party pa Party PA", the new one "candidate president DINO Candidate DINO"`},
		{"other registered voters", edit("station 100.1 1/100 500", "station 100.1 1/100 501"), `the terminal's copy has "station 100.1 1/100 500 `},
		{"other name", edit("name Test election", "name Test election 2"), `the terminal's copy has "name Test election", the new one "name Test election 2"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "100.1")
			if err := Setup(dir, f.Def, "100.1", f.Machines["100.1"].Private); err != nil {
				t.Fatal(err)
			}
			before, err := os.ReadFile(filepath.Join(dir, defFile))
			if err != nil {
				t.Fatal(err)
			}
			term := load(t, dir, Options{NoSync: true})
			changed, err := term.UpdateDefinition(c.def)
			if err == nil || changed || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("UpdateDefinition: changed %v, error %v; want an error with %q", changed, err, c.want)
			}
			after, err := os.ReadFile(filepath.Join(dir, defFile))
			if err != nil {
				t.Fatal(err)
			}
			if string(after) != string(before) || term.Definition().Center != f.Center.Public {
				t.Fatal("a refused update changed the terminal's definition")
			}
		})
	}
}
