package check

import (
	"testing"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/announced"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// Whatever bytes the phone joins, Open says valid exactly when acta.Open
// does, and always says something in both languages.
func FuzzOpen(f *testing.F) {
	vs := Vectors(f, "../../../../doc/spec/vectors")
	def, err := election.Parse(vs[0].Election)
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range vs {
		if string(v.Election) == string(vs[0].Election) {
			f.Add(v.Acta)
		}
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		_, r := Open(def, msg)
		_, err := acta.Open(msg, def)
		if r.OK != (err == nil) || r.Verdict["en"] == "" || r.Verdict["es"] == "" || len(r.SHA256) != 64 {
			t.Fatalf("Open = %+v; acta.Open: %v", r, err)
		}
		if !r.OK && (r.Kind == "" || r.Error != err.Error()) {
			t.Fatalf("Open = %+v; acta.Open: %v", r, err)
		}
	})
}

// Whatever a relay passes as the center's announcement, CompareAnnounced
// does not panic, says something in both languages, and says "same" only
// when the center signed it and every figure of the signed copy is
// announced alike.
func FuzzCompareAnnounced(f *testing.F) {
	fx := electiontest.New(electiontest.Options{LogWitnesses: 1})
	ours := final(f, fx)
	// The center's signed announcement of the same figures.
	a := &announced.Announcement{Election: "test", Definition: fx.Def.Digest(), Size: 2, Station: "100.1", Index: 1, Registered: 500, Ballots: 3,
		Contests: []announced.Contest{{ID: "president", Candidates: []announced.Candidate{{ID: "ALBA"}, {ID: "BRUNO"}, {ID: "CORA"}}, Blank: 3}}}
	same, err := announced.Sign(a, fx.Center)
	if err != nil {
		f.Fatal(err)
	}
	seedSame := string(same)
	f.Add(same)
	f.Add([]byte(nil))
	f.Fuzz(func(t *testing.T, announcement []byte) {
		a := CompareAnnounced(fx.Def, ours, announcement)
		if a.Verdict["en"] == "" || a.Verdict["es"] == "" {
			t.Fatalf("no verdict: %+v", a)
		}
		if string(announcement) == seedSame && a.Status != "same" {
			t.Fatalf("the honest seed: %+v", a)
		}
		switch a.Status {
		case "same":
			if _, err := announced.Open(announcement, fx.Def); err != nil {
				t.Fatalf("same, but the announcement does not open: %v", err)
			}
			for _, fig := range a.Figures {
				if fig.Ours == nil || fig.Announced == nil || *fig.Ours != *fig.Announced {
					t.Fatalf("same, but %+v", fig)
				}
			}
		case "differs", "unannounced", "unchecked":
		default:
			t.Fatalf("status %q", a.Status)
		}
	})
}
