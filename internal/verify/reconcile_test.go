package verify

import (
	"crypto/sha256"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// TestSubstitutionOrEquivocation tells the two apart by who cosigned what:
// the log holding a version fewer parties cosigned than one they hold is a
// substitution; a single party holding another version beside the one the
// others cosigned and the log holds proves only that the machine's key
// signed two, and must not frame the center.
func TestSubstitutionOrEquivocation(t *testing.T) {
	fx := electiontest.New(electiontest.Options{Seed: "reconcile", Stations: 1})
	st := fx.Def.Stations[0]
	logSrc := &Source{Name: "log", Kind: KindLog}
	copies := &Source{Name: "copies", Kind: KindCopy}
	version := func(src *Source, body string, alba int32, witnesses ...string) Count {
		return Count{Source: src, Kind: acta.Final, Body: sha256.Sum256([]byte(body)), Index: -1, Witnesses: witnesses,
			Figures: tally.Figures{Registered: 500, Ballots: 100, Votes: []int32{alba, 100 - alba, 0, 0, 0}}}
	}
	for _, tc := range []struct {
		name   string
		counts []Count
		check  Check
		alba   int32 // the figure the verifier keeps as the machine's
	}{
		{"substituted", []Count{version(logSrc, "b", 40), version(copies, "a", 60, "pa", "pb", "pc")}, CheckSubstitution, 60},
		{"one party framing the center", []Count{version(logSrc, "a", 60), version(copies, "a", 60, "pa", "pb"), version(copies, "c", 10, "pc")}, CheckEquivocation, 60},
		{"two versions, neither logged", []Count{version(copies, "a", 60, "pa"), version(copies, "c", 10, "pb")}, CheckEquivocation, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := New(fx.Def)
			for _, c := range tc.counts {
				v.add(st.ID, c)
			}
			vd := v.reconcile(st)
			if len(vd.finds) != 1 || vd.finds[0].Check != tc.check {
				t.Fatalf("findings %+v, want one %s", vd.finds, tc.check)
			}
			switch {
			case tc.alba < 0 && vd.machine != nil:
				t.Errorf("kept %v as the machine's count, want none", vd.machine.Figures.Votes)
			case tc.alba >= 0 && (vd.machine == nil || vd.machine.Figures.Votes[0] != tc.alba):
				t.Errorf("kept %+v as the machine's count, want ALBA %d", vd.machine, tc.alba)
			}
		})
	}
}
