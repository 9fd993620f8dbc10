package check

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// Vector is one acta vector of doc/spec/vectors: its definition, acta and
// the want file's class ("ok" or the sentinel's name).
type Vector struct {
	Name     string
	Election []byte
	Acta     []byte
	Want     string
}

// Vectors reads every acta vector of a directory.
func Vectors(t testing.TB, dir string) []Vector {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no acta vectors in %s: %v", dir, err)
	}
	var out []Vector
	for _, f := range files {
		ar, err := txtar.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		v := Vector{Name: strings.TrimSuffix(filepath.Base(f), ".txt")}
		for _, af := range ar.Files {
			switch af.Name {
			case "election":
				v.Election = af.Data
			case "acta":
				v.Acta = af.Data
			case "want":
				w := strings.TrimSpace(string(af.Data))
				if w != "ok" {
					w, _, _ = strings.Cut(strings.TrimPrefix(w, "error "), ":")
				}
				v.Want = w
			}
		}
		out = append(out, v)
	}
	return out
}

// Every vector gets the class its want file names, and a verdict in both
// languages that says valid or not valid accordingly.
func TestVectors(t *testing.T) {
	for _, v := range Vectors(t, "../../../../doc/spec/vectors") {
		t.Run(v.Name, func(t *testing.T) {
			def, err := election.Parse(v.Election)
			if err != nil {
				t.Fatal(err)
			}
			_, r := Open(def, v.Acta)
			got := r.Kind
			if r.OK {
				got = "ok"
			}
			if got != v.Want {
				t.Fatalf("got %s (%s), want %s", got, r.Error, v.Want)
			}
			valid := !strings.HasPrefix(r.Verdict["en"], "NOT VALID") && !strings.HasPrefix(r.Verdict["es"], "NO VÁLIDA")
			if valid != r.OK || r.Verdict["en"] == "" || r.Verdict["es"] == "" {
				t.Errorf("verdict %q for a result ok=%v", r.Verdict, r.OK)
			}
		})
	}
}

// The verdict of a cosigned final acta names its machine and each party.
func TestVerdictWords(t *testing.T) {
	for _, v := range Vectors(t, "../../../../doc/spec/vectors") {
		if v.Name != "ok-final-cosigned" {
			continue
		}
		def, _ := election.Parse(v.Election)
		_, r := Open(def, v.Acta)
		if want := "signed by the machine of station 100.1; cosigned by pa, pb and pc; figures add up"; r.Verdict["en"] != want {
			t.Errorf("verdict %q, want %q", r.Verdict["en"], want)
		}
		if want := "firmada por la máquina de la mesa 100.1; firmada también por pa, pb y pc; las cifras cuadran"; r.Verdict["es"] != want {
			t.Errorf("veredicto %q, want %q", r.Verdict["es"], want)
		}
		return
	}
	t.Fatal("no vector ok-final-cosigned")
}
