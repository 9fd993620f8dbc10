package election_test

import (
	"encoding/hex"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// TestVectors runs every vector of doc/spec/vectors/election: one subtest a
// file. A vector wants "ok" — Parse accepts the definition and Marshal
// writes it back byte for byte, or writes the vector's "canonical" file, and
// Digest is its "digest" file, if it has one — or
// one "error TEXT" line for each error Parse reports, in order.
func TestVectors(t *testing.T) {
	files, err := filepath.Glob("../../doc/spec/vectors/election/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test vectors found: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			parts := map[string][]byte{}
			for _, f := range ar.Files {
				parts[f.Name] = f.Data
			}
			text, ok := parts["election"]
			want := strings.Split(strings.TrimSuffix(string(parts["want"]), "\n"), "\n")
			if !ok || len(want) == 0 || want[0] == "" {
				t.Fatal("malformed vector: want an election and a want file")
			}
			def, err := election.Parse(text)
			if want[0] == "ok" {
				if len(want) != 1 {
					t.Fatalf("malformed want file: %q", want)
				}
				if err != nil {
					t.Fatalf("Parse: %v, want ok", err)
				}
				canonical, ok := parts["canonical"]
				if !ok {
					canonical = text
				}
				if got := def.Marshal(); string(got) != string(canonical) {
					t.Errorf("Marshal wrote\n%s\nwant\n%s", got, canonical)
				}
				if want, ok := parts["digest"]; ok {
					d := def.Digest()
					if got := hex.EncodeToString(d[:]) + "\n"; got != string(want) {
						t.Errorf("Digest = %s, want %s", got, want)
					}
				}
				return
			}
			if _, ok := parts["canonical"]; ok {
				t.Fatal("malformed vector: a canonical file for a refused definition")
			}
			var list election.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Parse: %v, want an ErrorList with %q", err, want)
			}
			if len(list) != len(want) {
				t.Fatalf("Parse reports %d errors:\n%v\nwant %d: %q", len(list), err, len(want), want)
			}
			for i, w := range want {
				text, ok := strings.CutPrefix(w, "error ")
				if !ok {
					t.Fatalf("malformed want line %q", w)
				}
				if !strings.Contains(list[i].Error(), text) {
					t.Errorf("error %d: %v\nwant %q", i+1, list[i], text)
				}
			}
		})
	}
}
