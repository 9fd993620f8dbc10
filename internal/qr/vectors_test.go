package qr_test

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/qr"
)

// sentinels are the errors a vector's want file may name.
var sentinels = map[string]error{
	"ErrNotPart": qr.ErrNotPart,
	"ErrMissing": qr.ErrMissing,
}

// TestVectors runs every vector of doc/spec/vectors/qr: one subtest a file.
// A good vector's payloads are parts of its acta, in some order: some of
// those Parts makes (enough to rebuild it), or all of the version 1 split;
// each fits a code, and Join gives back the acta, which opens against the
// vector's election. A bad vector's payloads fail to join, with
// the error its want file names.
func TestVectors(t *testing.T) {
	files, err := filepath.Glob("../../doc/spec/vectors/qr/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test vectors found: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			files := map[string][]byte{}
			var payloads []string
			for _, f := range ar.Files {
				files[f.Name] = f.Data
				if strings.HasPrefix(f.Name, "payload ") {
					if f.Name != fmt.Sprintf("payload %d", len(payloads)+1) || !bytes.HasSuffix(f.Data, []byte("\n")) {
						t.Fatalf("malformed vector: file %q", f.Name)
					}
					// The newline after a payload is not part of it.
					payloads = append(payloads, string(f.Data[:len(f.Data)-1]))
				}
			}
			want := strings.TrimSpace(string(files["want"]))
			msg, err := qr.Join(payloads)
			if want == "ok" {
				if err != nil {
					t.Fatalf("Join: %v, want ok", err)
				}
				if !bytes.Equal(msg, files["acta"]) {
					t.Fatalf("Join gives %q, want the vector's acta", msg)
				}
				// Version 2 payloads are some of the parts Parts makes;
				// version 1 payloads are all the parts of the version 1
				// split.
				split := qr.Parts
				if strings.HasPrefix(payloads[0], qr.Header) {
					split = qr.PartsV1
				}
				parts, err := split(msg)
				if err != nil || strings.HasPrefix(payloads[0], qr.Header) && len(parts) != len(payloads) {
					t.Errorf("the vector's payloads are not all the version 1 parts: %v", err)
				}
				for i, p := range payloads {
					if !slices.Contains(parts, p) {
						t.Errorf("payload %d is not a part that Parts makes", i+1)
					}
				}
				for i, p := range payloads {
					if _, err := qr.Modules(p); err != nil {
						t.Errorf("payload %d: %v", i+1, err)
					}
				}
				def, err := election.Parse(files["election"])
				if err != nil {
					t.Fatalf("vector election: %v", err)
				}
				if _, err := acta.Open(msg, def); err != nil {
					t.Errorf("the joined acta does not open: %v", err)
				}
				return
			}
			name, text, ok := strings.Cut(strings.TrimPrefix(want, "error"), ": ")
			name = strings.TrimSpace(name)
			sentinel, known := sentinels[name]
			if !strings.HasPrefix(want, "error") || !ok || name != "" && !known {
				t.Fatalf("malformed want file: %q", want)
			}
			switch {
			case err == nil:
				t.Fatalf("Join succeeded, want %s", want)
			case sentinel != nil && !errors.Is(err, sentinel):
				t.Fatalf("Join: %v\nwant an error wrapping %s", err, name)
			case !strings.Contains(err.Error(), text):
				t.Fatalf("Join: %v\nwant %s", err, want)
			}
			for _, s := range sentinels {
				if s != sentinel && errors.Is(err, s) {
					t.Errorf("Join: %v wraps %v, which the vector does not name", err, s)
				}
			}
		})
	}
}
