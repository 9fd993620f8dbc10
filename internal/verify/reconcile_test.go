package verify

import (
	"crypto/sha256"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// TestTwoVersions: two final actas of one station, both signed by its
// machine's key, prove that the key signed two counts and nothing more. Who
// cosigned which, and which one the log holds, neither charges the center
// nor picks a version: a dishonest party with a stolen key can show any
// version to anyone. Only a hand count of the vouchers settles the station.
func TestTwoVersions(t *testing.T) {
	fx := electiontest.New(electiontest.Options{Seed: "reconcile", Stations: 1})
	st := fx.Def.Stations[0]
	logSrc := &Source{Name: "log", Kind: KindLog}
	copies := &Source{Name: "copies", Kind: KindCopy}
	audit := &Source{Name: "hand", Kind: KindCopy}
	version := func(src *Source, body string, alba int32, witnesses ...string) Count {
		c := Count{Source: src, Kind: acta.Final, Body: sha256.Sum256([]byte(body)), Index: -1, Witnesses: witnesses,
			Figures: tally.Figures{Registered: 500, Ballots: 100, Votes: []int32{alba, 100 - alba, 0, 0, 0}}}
		if src == logSrc {
			c.Index = 7
		}
		if src == audit {
			c.Kind = acta.Hand
		}
		return c
	}
	for _, tc := range []struct {
		name   string
		counts []Count
		alba   int32 // the figure the verifier keeps as the station's; -1: none
	}{
		{"the log holds one no party cosigned", []Count{version(logSrc, "b", 40), version(copies, "a", 60, "pa", "pb", "pc")}, -1},
		{"one party framing the center", []Count{version(logSrc, "a", 60), version(copies, "a", 60, "pa", "pb"), version(copies, "c", 10, "pc")}, -1},
		{"two versions, neither logged", []Count{version(copies, "a", 60, "pa"), version(copies, "c", 10, "pb")}, -1},
		{"a hand count settles it", []Count{version(logSrc, "b", 40), version(copies, "a", 60, "pa"), version(audit, "h", 60)}, 60},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := New(fx.Def)
			for _, c := range tc.counts {
				if c.Source == logSrc {
					v.log = &logState{src: logSrc, complete: true, rootOK: true}
				}
				v.add(st.ID, c)
			}
			vd := v.reconcile(st)
			if len(vd.finds) != 1 || vd.finds[0].Check != CheckEquivocation || !vd.finds[0].Proven {
				t.Fatalf("findings %+v, want one proven equivocation", vd.finds)
			}
			if vd.machine != nil {
				t.Errorf("kept %v as the machine's count, want none", vd.machine.Figures.Votes)
			}
			switch {
			case tc.alba < 0 && (vd.best != nil || !vd.undecided):
				t.Errorf("best %+v, undecided %v; want none, undecided", vd.best, vd.undecided)
			case tc.alba >= 0 && (vd.best == nil || vd.best.Figures.Votes[0] != tc.alba || vd.undecided):
				t.Errorf("best %+v, undecided %v; want ALBA %d", vd.best, vd.undecided, tc.alba)
			}
		})
	}
}
