package check

import (
	"encoding/json"
	"testing"

	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/acta"
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
// when every figure of the signed copy is announced alike.
func FuzzCompareAnnounced(f *testing.F) {
	fx := electiontest.New(electiontest.Options{LogWitnesses: 1})
	ours := final(f, fx)
	// A checkpoint the center signed and its log witness cosigned.
	cosigner, err := fnote.NewSignerForCosignatureV1(fx.Log["pa"].Private)
	if err != nil {
		f.Fatal(err)
	}
	cp, err := note.Sign(&note.Note{Text: "test/center\n2\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"}, fx.Center, cosigner)
	if err != nil {
		f.Fatal(err)
	}
	cpJSON, _ := json.Marshal(string(cp))
	seedSame := `{"election":"test","log_size":2,"checkpoint":` + string(cpJSON) + `,"station":{"station":"100.1","index":1,"ballots":3,"contests":[{"id":"president","candidates":[{"id":"ALBA","votes":0},{"id":"BRUNO","votes":0},{"id":"CORA","votes":0}],"blank":3,"null":0}]}}`
	f.Add([]byte(seedSame))
	f.Add([]byte(`{"election":"test","station":null}`))
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
