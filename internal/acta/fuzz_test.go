package acta_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// FuzzParse checks that Parse never panics, and that whatever it accepts is
// canonical: Marshal gives back the same bytes.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../../doc/spec/vectors/*.txt")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		msg := ar.Files[1].Data
		if i := bytes.Index(msg, []byte("\n\n")); i >= 0 {
			f.Add(msg[:i+1])
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := acta.Parse(body)
		if err != nil {
			return
		}
		out, err := a.Marshal()
		if err != nil {
			t.Fatalf("Parse accepted what Marshal refuses: %v\n%s", err, body)
		}
		if !bytes.Equal(out, body) {
			t.Fatalf("Parse accepted a non-canonical body:\n%s\nMarshal gives:\n%s", body, out)
		}
	})
}

// FuzzOpen checks that Open never panics on any signed message, and that
// an accepted message is returned verbatim.
func FuzzOpen(f *testing.F) {
	files, _ := filepath.Glob("../../doc/spec/vectors/*.txt")
	var def *election.Definition
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		if def == nil {
			if def, err = election.Parse(ar.Files[0].Data); err != nil {
				f.Fatal(err)
			}
		}
		f.Add(ar.Files[1].Data)
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		sa, err := acta.Open(msg, def)
		if err == nil && !bytes.Equal(sa.Msg, msg) {
			t.Fatal("Open changed the message")
		}
	})
}
