package machine

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/contest"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// TestPerContestActas: a station whose ballot has a contest of two votes a
// ballot signs version 3 actas, whose undervotes are what its voters left
// unused, and which open against the definition; a
// station of one-vote contests still signs version 2.
func TestPerContestActas(t *testing.T) {
	f := electiontest.New(electiontest.Options{Contests: 2, Rules: map[string]string{"contest2": "plurality seats=2"}})
	def := f.Def
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
		{"president": "ALBA", "contest2": "ALBA+CORA"},
		{"president": "BRUNO", "contest2": "blank"},
		{"president": "ALBA", "contest2": "CORA"},
		{"president": "null", "contest2": "null"},
	} {
		v, err := term.Vote(choices)
		if err != nil {
			t.Fatal(err)
		}
		if choices["contest2"] == "ALBA+CORA" && v.Choices[1].CandidateName != "Candidate ALBA + Candidate CORA" {
			t.Errorf("voucher names %q", v.Choices[1].CandidateName)
		}
	}
	// One spelling of each choice, and no more votes than the contest gives.
	for _, bad := range []map[string]string{
		{"contest2": "CORA+ALBA"},
		{"contest2": "ALBA+ALBA"},
		{"contest2": "ALBA+BRUNO+CORA"},
		{"contest2": "ALBA+"},
		{"contest2": "ALBA+blank"},
		{"president": "ALBA+BRUNO"},
	} {
		if _, err := term.Vote(bad); !errors.Is(err, ErrChoice) {
			t.Errorf("Vote(%v): %v, want ErrChoice", bad, err)
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
	if pres.Ballots != 4 || pres.Undervotes != 0 || council.Ballots != 4 || council.Blank != 1 || council.Null != 1 || council.Undervotes != 1 ||
		council.Candidates[0].Votes != 1 || council.Candidates[2].Votes != 2 {
		t.Errorf("contests %+v, %+v; want 4 ballots each, contest2 with ALBA 1, CORA 2, 1 blank, 1 null and 1 undervote", pres, council)
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

// TestSlotMultiVote: a slot holds the longest choice of a contest of
// several votes a ballot, its longest ids joined, and the record reads
// back; a choice out of the ballot's order does not.
func TestSlotMultiVote(t *testing.T) {
	three, err := contest.Parse("plurality seats=3")
	if err != nil {
		t.Fatal(err)
	}
	long := func(c byte) string { return strings.Repeat(string(c), 64) }
	c := &election.Contest{ID: "council", Rule: three, Candidates: []election.Candidate{{ID: long('A')}, {ID: "B"}, {ID: long('C')}, {ID: long('D')}}}
	ballot := []*election.Contest{c}
	choice := long('A') + "+" + long('C') + "+" + long('D')
	r := record{serial: "ZZZZZZZZZZZZ", choices: []string{choice}}
	line := r.line(ballot)
	got, state, err := decodeSlot(encodeSlot(slotSize(ballot), line))
	if err != nil || state != slotFull || got != line {
		t.Fatalf("the longest choice does not round-trip: %v, %v", state, err)
	}
	if back, err := parseRecord(line, ballot); err != nil || back.choices[0] != choice {
		t.Fatalf("parseRecord: %v, %v", back, err)
	}
	r.choices[0] = long('C') + "+" + long('A')
	if _, err := parseRecord(r.line(ballot), ballot); err == nil {
		t.Error("a choice out of the ballot's order was read")
	}
}
