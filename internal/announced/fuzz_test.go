package announced_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/triplicate-vote/triplicate/internal/announced"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// seeds are the vectors' announcements.
func seeds(f *testing.F) {
	files, _ := filepath.Glob("../../doc/spec/vectors/announced/*.txt")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, p := range txtar.Parse(data).Files {
			if p.Name == "announcement" {
				f.Add(p.Data)
				if i := bytes.Index(p.Data, []byte("\n\n")); i >= 0 {
					f.Add(p.Data[:i+1])
				}
			}
		}
	}
}

// Whatever Parse accepts, Marshal writes back byte for byte: one encoding.
func FuzzParse(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := announced.Parse(body)
		if err != nil {
			return
		}
		back, err := a.Marshal()
		if err != nil {
			t.Fatalf("Parse accepts %q, Marshal refuses it: %v", body, err)
		}
		if !bytes.Equal(back, body) {
			t.Fatalf("Parse(%q) marshals to %q", body, back)
		}
	})
}

// Whatever Open accepts is signed by the center and gives its body back;
// Split never loses or adds a byte.
func FuzzOpen(f *testing.F) {
	seeds(f)
	fx := electiontest.New(electiontest.Options{Seed: "vectors", Contests: 2})
	f.Fuzz(func(t *testing.T, msg []byte) {
		if s, err := announced.Open(msg, fx.Def); err == nil {
			if !bytes.HasPrefix(msg, s.Body) || s.Election != fx.Def.ID {
				t.Fatalf("Open(%q): %+v", msg, s)
			}
		}
		if notes, err := announced.Split(msg); err == nil {
			if got := bytes.Join(notes, nil); !bytes.Equal(got, msg) {
				t.Fatalf("Split(%q) joins to %q", msg, got)
			}
		}
	})
}
