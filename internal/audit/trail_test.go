package audit_test

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// TestTrail runs an audit announced with a seed commitment to its end and
// recomputes it from its trail and files; then each of a changed record
// of polls, a changed trail line, a trail cut before a record, a changed
// seed and a changed report is refused, naming what.
func TestTrail(t *testing.T) {
	f := electiontest.New(electiontest.Options{Seed: "trail", Stations: 10, Registered: 500})
	def := withRule(t, f, "majority base=valid")
	rng := rand.New(rand.NewPCG(8, 9))
	reported := map[string]box{}
	paper := map[string][]string{}
	for _, st := range def.Stations {
		v := box{230, 120, 30, 10, 10}
		reported[st.ID] = v
		paper[st.ID] = shuffled(v, rng)
	}
	dir := t.TempDir()
	au, err := audit.Commit(dir, def, "a.json", announcedBoxes(def, reported, nil), audit.ALPHA, audit.SHA256([]byte(seed)), 0.05)
	if err != nil {
		t.Fatal(err)
	}
	if err := au.Reveal(seed); err != nil {
		t.Fatal(err)
	}
	r, _ := runRounds(t, au, f.Auditor, paper, 5)
	if r == nil || r.Decision != "confirmed" {
		t.Fatalf("%+v", r)
	}
	got, err := audit.VerifyTrail(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got.Decision != "confirmed" || got.Contests[0].Risk != r.Contests[0].Risk {
		t.Errorf("recomputed %+v, want %+v", got.Contests, r.Contests)
	}
	trail, _ := os.ReadFile(filepath.Join(dir, audit.TrailFile))
	lines := strings.SplitAfter(string(trail), "\n")
	if n := len(lines) - 1; n < 4 {
		t.Fatalf("%d trail entries:\n%s", n, trail)
	}
	for _, tc := range []struct {
		name   string
		change func(dir string)
		want   string
	}{
		{"polls changed", func(dir string) {
			p := filepath.Join(dir, "polls-1.note")
			data, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.Replace(data, []byte("president=ALBA"), []byte("president=BRUNO"), 1), 0o644)
		}, "polls-1.note has SHA-256"},
		{"trail line changed", func(dir string) {
			p := filepath.Join(dir, audit.TrailFile)
			os.WriteFile(p, []byte(strings.Replace(string(trail), `"risk_limit":0.05`, `"risk_limit":0.1`, 1)), 0o644)
		}, "trail.log:2: entry 2 chained to"},
		{"trail cut", func(dir string) {
			p := filepath.Join(dir, audit.TrailFile)
			os.WriteFile(p, []byte(lines[0]+lines[1]), 0o644)
		}, "audit.json is not the last state the trail logged"},
		{"report changed", func(dir string) {
			p := filepath.Join(dir, audit.TrailFile)
			last := lines[len(lines)-2]
			os.WriteFile(p, []byte(strings.TrimSuffix(string(trail), last)+strings.Replace(last, `"decision":"confirmed"`, `"decision":"full hand count"`, 1)), 0o644)
		}, "the report logged (full hand count"},
		{"line cut short", func(dir string) {
			p := filepath.Join(dir, audit.TrailFile)
			os.WriteFile(p, trail[:len(trail)-1], 0o644)
		}, "the last line is cut short"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := t.TempDir()
			if err := os.CopyFS(d, os.DirFS(dir)); err != nil {
				t.Fatal(err)
			}
			tc.change(d)
			if _, err := audit.VerifyTrail(d); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%v, want an error containing %q", err, tc.want)
			}
		})
	}
}
