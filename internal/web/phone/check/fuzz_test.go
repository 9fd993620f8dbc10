package check

import (
	"testing"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
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
