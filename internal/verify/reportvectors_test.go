package verify_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/triplicate-vote/triplicate/internal/verify"
)

// TestReportVectors runs every vector of doc/spec/vectors/report: one
// subtest a file. A vector wants "ok" — ReadReport accepts the report and
// writing it back as `triplicate verify -json` does gives the same bytes, or
// the vector's "canonical" file — or "error TEXT", an error of ReadReport
// with TEXT in its message.
func TestReportVectors(t *testing.T) {
	files, err := filepath.Glob("../../doc/spec/vectors/report/*.txt")
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
			data, ok := parts["report.json"]
			want := strings.TrimSuffix(string(parts["want"]), "\n")
			if !ok || want == "" {
				t.Fatal("malformed vector: want a report.json and a want file")
			}
			r, err := verify.ReadReport(data)
			if want == "ok" {
				if err != nil {
					t.Fatalf("ReadReport: %v, want ok", err)
				}
				canonical, ok := parts["canonical"]
				if !ok {
					canonical = data
				}
				out, err := json.MarshalIndent(r, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				if got := string(out) + "\n"; got != string(canonical) {
					t.Errorf("written back as\n%s\nwant\n%s", got, canonical)
				}
				return
			}
			text, ok := strings.CutPrefix(want, "error ")
			if !ok || strings.Contains(text, "\n") {
				t.Fatalf("malformed want file: %q", want)
			}
			switch {
			case err == nil:
				t.Fatalf("ReadReport accepts it, want %s", want)
			case !strings.Contains(err.Error(), text):
				t.Fatalf("ReadReport: %v\nwant %s", err, want)
			}
		})
	}
}
