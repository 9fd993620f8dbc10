package verify_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/machine"
	"github.com/triplicate-vote/triplicate/internal/tally"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// TestNorthDakota2020Machines replays the real votes of North Dakota's
// 2020 State House districts 18 and 44 (testdata/nd2020: two seats a
// district, up to two votes a ballot) through the terminal, precinct by
// precinct, two candidates on a ballot: each terminal signs a version 3
// final acta whose counts are the published ones and whose undervotes are
// the votes left unused, and the verifier, holding those actas against the
// published table, finds every pair in agreement and the same outcome.
func TestNorthDakota2020Machines(t *testing.T) {
	def, csv, m := northDakota2020(t)
	var paths []string
	for _, st := range def.Stations {
		ballot := def.Ballot(st)
		if len(ballot) != 1 {
			t.Fatalf("station %s: %d contests on its ballot, want its district's", st.ID, len(ballot))
		}
		c := ballot[0]
		want := stationVotes(t, csv, def, m, st)
		dir := filepath.Join(t.TempDir(), st.ID)
		if err := machine.Setup(dir, def, st.ID, electiontest.Key("nd2020", "nd2020/machine/"+st.ID).Private); err != nil {
			t.Fatal(err)
		}
		term, err := machine.Load(dir, machine.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := term.Open(); err != nil {
			t.Fatal(err)
		}
		for _, choice := range twoABallot(c, want) {
			if _, err := term.Vote(map[string]string{c.ID: choice}); err != nil {
				t.Fatalf("station %s: %v", st.ID, err)
			}
		}
		msg, err := term.ClosePolls()
		term.Close()
		if err != nil {
			t.Fatal(err)
		}
		sa, err := acta.Open(msg, def)
		if err != nil {
			t.Fatal(err)
		}
		got := sa.Contests[0]
		votes := 0
		for i, x := range got.Candidates {
			votes += x.Votes
			if x.Votes != want[i] {
				t.Errorf("station %s: %s has %d votes, published %d", st.ID, x.Candidate, x.Votes, want[i])
			}
		}
		if sa.Version() != 3 || got.Ballots != st.Registered || got.Undervotes != 2*got.Ballots-votes {
			t.Errorf("station %s: version %d, %d ballots, %d undervotes; want version 3, %d ballots, %d undervotes", st.ID, sa.Version(), got.Ballots, got.Undervotes, st.Registered, 2*got.Ballots-votes)
		}
		paths = append(paths, filepath.Join(dir, "final.acta"))
	}

	v := verify.New(def)
	v.AddCSV("nd2020.csv", strings.NewReader(csv), m)
	v.AddCopies("terminals", paths)
	r := v.Report(context.Background())
	if len(r.Findings) != 0 || len(r.Problems) != 0 || !r.Clean() {
		t.Fatalf("%d findings (%v), %d problems (%v); want the terminals' actas and the table to agree", len(r.Findings), r.Findings, len(r.Problems), r.Problems)
	}
	if o := r.Outcomes[0]; o.CorrectedOutcome.Says != "elected: Steve-Vetter, Corey-Mock" {
		t.Errorf("district 18: %q", o.CorrectedOutcome.Says)
	}
}

// stationVotes returns a station's published votes, in ballot order, from
// the table.
func stationVotes(t *testing.T, csv string, def *election.Definition, m tally.Mapping, st *election.Station) []int {
	t.Helper()
	rows, errs := tally.ReadCSV(strings.NewReader(csv), "nd2020.csv", def, m)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, row := range rows {
		if row.Station == st.ID {
			ballot := def.Ballot(st)
			cands, _, _ := row.Figures.Contest(ballot, 0)
			var out []int
			for _, v := range cands {
				out = append(out, int(v))
			}
			return out
		}
	}
	t.Fatalf("no row of station %s", st.ID)
	return nil
}

// twoABallot returns ballots that carry the votes, two different
// candidates a ballot (one on the last if the votes are odd): the votes
// laid out candidate after candidate, ballot i takes the i-th and the
// (i+B)-th, which differ while no candidate has more than B votes.
func twoABallot(c *election.Contest, votes []int) []string {
	var seq []int
	for i, n := range votes {
		for range n {
			seq = append(seq, i)
		}
	}
	b := (len(seq) + 1) / 2
	out := make([]string, b)
	for i := range b {
		ids := []int{seq[i]}
		if i+b < len(seq) {
			ids = append(ids, seq[i+b])
		}
		slices.Sort(ids)
		var names []string
		for _, j := range ids {
			names = append(names, c.Candidates[j].ID)
		}
		out[i] = strings.Join(names, "+")
	}
	return out
}
