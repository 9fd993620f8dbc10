package announced_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/triplicate-vote/triplicate/internal/announced"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// sentinels are the errors a vector's want file may name.
var sentinels = map[string]error{
	"ErrMalformed": announced.ErrMalformed,
	"ErrSignature": announced.ErrSignature,
	"ErrMismatch":  announced.ErrMismatch,
}

// TestVectors runs every vector of doc/spec/vectors/announced: one subtest
// a file.
func TestVectors(t *testing.T) {
	files, err := filepath.Glob("../../doc/spec/vectors/announced/*.txt")
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
			def, err := election.Parse(parts["election"])
			if err != nil {
				t.Fatalf("vector election: %v", err)
			}
			want := strings.TrimSpace(string(parts["want"]))
			sa, err := announced.Open(parts["announcement"], def)
			if want == "ok" {
				if err != nil {
					t.Fatalf("Open: %v, want ok", err)
				}
				if string(sa.Msg) != string(parts["announcement"]) {
					t.Error("Open changed the message")
				}
				body, err := sa.Marshal()
				if err != nil || string(body) != string(sa.Body) {
					t.Errorf("Marshal does not give back the signed body: %v", err)
				}
				return
			}
			name, text, ok := strings.Cut(strings.TrimPrefix(want, "error "), ": ")
			sentinel := sentinels[name]
			if !strings.HasPrefix(want, "error ") || !ok || sentinel == nil {
				t.Fatalf("malformed want file: %q", want)
			}
			switch {
			case err == nil:
				t.Fatalf("Open succeeded, want %s", want)
			case !errors.Is(err, sentinel):
				t.Fatalf("Open: %v\nwant an error wrapping %s", err, name)
			case !strings.Contains(err.Error(), text):
				t.Fatalf("Open: %v\nwant %s", err, want)
			}
		})
	}
}
