package machine

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// TestPerContestActas: a station whose ballot has a contest of two votes a
// ballot signs version 3 actas, whose undervotes are what its voters left
// unused (the terminal takes one choice a contest: each marked ballot
// leaves one vote unused), and which open against the definition; a
// station of one-vote contests still signs version 2.
func TestPerContestActas(t *testing.T) {
	f := electiontest.New(electiontest.Options{Contests: 2})
	text := strings.Replace(string(f.Text), "candidate contest2 CORA Candidate CORA\n", "candidate contest2 CORA Candidate CORA\nrule contest2 plurality seats=2\n", 1)
	def, err := election.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "100.1")
	if err := Setup(dir, def, "100.1", f.Machines["100.1"].Private); err != nil {
		t.Fatal(err)
	}
	term := load(t, dir, testOptions(1))
	zero, err := term.Open()
	if err != nil {
		t.Fatal(err)
	}
	for _, choices := range []map[string]string{
		{"president": "ALBA", "contest2": "BRUNO"},
		{"president": "BRUNO", "contest2": "blank"},
		{"president": "ALBA", "contest2": "CORA"},
		{"president": "null", "contest2": "null"},
	} {
		if _, err := term.Vote(choices); err != nil {
			t.Fatal(err)
		}
	}
	final, err := term.ClosePolls()
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range [][]byte{zero, final} {
		sa, err := acta.Open(msg, def)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if sa.Version() != 3 {
			t.Errorf("%s acta is version %d, want 3", sa.Kind, sa.Version())
		}
	}
	sa, _ := acta.Open(final, def)
	pres, council := sa.Contests[0], sa.Contests[1]
	if pres.Ballots != 4 || pres.Undervotes != 0 || council.Ballots != 4 || council.Blank != 1 || council.Null != 1 || council.Undervotes != 2 {
		t.Errorf("contests %+v, %+v; want 4 ballots each, contest2 with 1 blank, 1 null and 2 undervotes", pres, council)
	}

	// One vote a ballot everywhere: version 2, as before.
	plain, _, pdef := newStation(t, electiontest.Options{Contests: 2}, testOptions(2))
	z, err := plain.Open()
	if err != nil {
		t.Fatal(err)
	}
	if sa, err := acta.Open(z, pdef); err != nil {
		t.Error(err)
	} else if sa.Version() != 2 {
		t.Errorf("one-vote ballot: zero tape of version %d, want 2", sa.Version())
	}
}
