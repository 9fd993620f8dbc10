package verify_test

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tally"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// conformanceDir holds the verifier's conformance vectors
// (doc/spec/verify.md, "Conformance vectors").
const conformanceDir = "../../doc/spec/vectors/verify"

// TestConformance runs every conformance vector: one subtest a directory.
// It reads the vector's evidence as `triplicate verify` reads the same
// files given as -election, -announced, -log, -checkpoint, -copies, -csv
// and -csv-map, and compares the findings, the problems' count and the
// verdict with want.txt, exactly. A vector listed in known-failing.txt is
// skipped, naming the verifier's defect, unless it passes, which is an
// error: take it off the list.
func TestConformance(t *testing.T) {
	entries, err := os.ReadDir(conformanceDir)
	if err != nil {
		t.Fatal(err)
	}
	known, err := knownFailing(filepath.Join(conformanceDir, "known-failing.txt"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		n++
		t.Run(e.Name(), func(t *testing.T) {
			dir := filepath.Join(conformanceDir, e.Name())
			want, err := os.ReadFile(filepath.Join(dir, "want.txt"))
			if err != nil {
				t.Fatal(err)
			}
			def, err := election.ReadFile(filepath.Join(dir, "definition.txt"))
			if err != nil {
				t.Fatal(err)
			}
			if err := checkWant(def, string(want)); err != nil {
				t.Fatalf("malformed want.txt: %v", err)
			}
			got := conformanceFindings(t, dir, def)
			defect, isKnown := known[e.Name()]
			switch {
			case isKnown && got == string(want):
				t.Errorf("passes, but known-failing.txt lists it (%s): take it off the list", defect)
			case isKnown:
				t.Skipf("known verifier defect: %s\ngot:\n%swant:\n%s", defect, got, want)
			case got != string(want):
				t.Errorf("the verifier finds\n%swant (want.txt)\n%s", got, want)
			}
		})
	}
	if n == 0 {
		t.Fatalf("no vectors in %s", conformanceDir)
	}
	for name := range known {
		if _, err := os.Stat(filepath.Join(conformanceDir, name)); err != nil {
			t.Errorf("known-failing.txt lists %s, which is not a vector", name)
		}
	}
}

// knownFailing reads known-failing.txt: lines "NAME DEFECT", blank lines
// and # comments. No file is no known failure.
func knownFailing(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	known := map[string]string{}
	for i, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, defect, _ := strings.Cut(line, " ")
		if strings.TrimSpace(defect) == "" {
			return nil, fmt.Errorf("%s:%d: %q names no defect", path, i+1, name)
		}
		known[name] = strings.TrimSpace(defect)
	}
	return known, nil
}

// checkWant checks that want.txt is in the form the spec gives: finding
// lines sorted, each a check, a station of the election or "-", and proven
// or unproven; then the problems' count and the verdict they make.
func checkWant(def *election.Definition, want string) error {
	lines, ok := strings.CutSuffix(want, "\n")
	if !ok {
		return fmt.Errorf("no newline at the end")
	}
	ls := strings.Split(lines, "\n")
	if len(ls) < 2 {
		return fmt.Errorf("%d lines, want at least problems and verdict", len(ls))
	}
	findings, tail := ls[:len(ls)-2], ls[len(ls)-2:]
	if !slices.IsSorted(findings) {
		return fmt.Errorf("findings not sorted")
	}
	for _, l := range findings {
		f := strings.Split(l, " ")
		if len(f) != 3 || !slices.Contains(verify.Checks, verify.Check(f[0])) || (f[1] != "-" && def.Station(f[1]) == nil) || (f[2] != "proven" && f[2] != "unproven") {
			return fmt.Errorf("%q is not CHECK STATION proven|unproven", l)
		}
	}
	var n int
	if _, err := fmt.Sscanf(tail[0], "problems %d", &n); err != nil || tail[0] != fmt.Sprintf("problems %d", n) || n < 0 {
		return fmt.Errorf("%q is not problems N", tail[0])
	}
	verdict := "verdict not clean"
	if len(findings) == 0 && n == 0 {
		verdict = "verdict clean"
	}
	if tail[1] != verdict {
		return fmt.Errorf("%q, want %q", tail[1], verdict)
	}
	return nil
}

// vectorFiles are the files and directories a vector may hold.
var vectorFiles = []string{"about.txt", "want.txt", "definition.txt", "log", "checkpoints", "copies", "announced.json", "observers.csv", "observers-map.txt"}

// conformanceFindings verifies a vector's evidence as `triplicate verify`
// does — the announcement first, then the log with the saved checkpoints,
// the copies, the CSV — and returns what it finds in the form of want.txt.
func conformanceFindings(t *testing.T, dir string, def *election.Definition) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	has := map[string]bool{}
	for _, e := range entries {
		if !slices.Contains(vectorFiles, e.Name()) {
			t.Fatalf("malformed vector: %s is not one of %v", e.Name(), vectorFiles)
		}
		has[e.Name()] = true
	}
	path := func(name string) string { return filepath.Join(dir, name) }
	ctx := context.Background()
	v := verify.New(def)
	if has["announced.json"] {
		v.AddAnnounced(ctx, path("announced.json"), nil)
	}
	switch {
	case has["log"]:
		ls := verify.LogSource{Location: path("log")}
		saved, _ := filepath.Glob(filepath.Join(path("checkpoints"), "*"))
		slices.Sort(saved)
		for _, f := range saved {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			ls.Saved = append(ls.Saved, verify.SavedCheckpoint{Name: f, Raw: raw})
		}
		v.AddLog(ctx, ls)
	case has["checkpoints"]:
		t.Fatal("malformed vector: checkpoints without a log")
	}
	if has["copies"] {
		v.AddCopies(path("copies"), []string{path("copies")})
	}
	if has["observers.csv"] {
		spec, err := os.ReadFile(path("observers-map.txt"))
		if err != nil {
			t.Fatalf("malformed vector: observers.csv without its mapping: %v", err)
		}
		m, err := tally.ParseMapping(strings.TrimSpace(string(spec)), def)
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path("observers.csv"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		v.AddCSV(path("observers.csv"), f, m)
	}
	r := v.Report(ctx)
	var lines []string
	for _, f := range r.Findings {
		station := cmp.Or(f.Station, "-")
		lines = append(lines, fmt.Sprintf("%s %s %s", f.Check, station, map[bool]string{true: "proven", false: "unproven"}[f.Proven]))
	}
	slices.Sort(lines)
	verdict := "not clean"
	if r.Clean() {
		verdict = "clean"
	}
	lines = append(lines, fmt.Sprintf("problems %d", len(r.Problems)), "verdict "+verdict)
	return strings.Join(lines, "\n") + "\n"
}
