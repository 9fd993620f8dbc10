package audit_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// TestVectors runs every vector of doc/spec/vectors/audit: one subtest a
// file, run by the reader its name starts with (doc/spec/audit.md, "Test
// vectors").
func TestVectors(t *testing.T) {
	files, err := filepath.Glob("../../doc/spec/vectors/audit/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test vectors found: %v", err)
	}
	run := map[string]func(*testing.T, *election.Definition, map[string]string) string{
		"hot": hotVector, "hand": handVector, "polls": pollsVector, "status": statusVector, "report": reportVector,
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			kind, _, _ := strings.Cut(name, "-")
			fn := run[kind]
			if fn == nil {
				t.Fatalf("no reader for vectors named %s-*", kind)
			}
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			parts := map[string]string{}
			for _, f := range ar.Files {
				parts[f.Name] = string(f.Data)
			}
			def, err := election.Parse([]byte(parts["election"]))
			if err != nil {
				t.Fatalf("vector election: %v", err)
			}
			want, ok := parts["want"]
			if !ok {
				t.Fatal("malformed vector: no want file")
			}
			got := fn(t, def, parts)
			if !matches(got, want) {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// matches compares results line by line: an "error TEXT" or "problem TEXT"
// line of want matches a line of got of the same kind that contains TEXT,
// any other line only itself.
func matches(got, want string) bool {
	g, w := strings.Split(got, "\n"), strings.Split(strings.TrimSuffix(want, "\n"), "\n")
	if got == "" {
		g = nil
	}
	if want == "" {
		w = nil
	}
	if len(g) != len(w) {
		return false
	}
	for i := range g {
		kind, text, _ := strings.Cut(w[i], " ")
		if kind == "error" || kind == "problem" {
			if !strings.HasPrefix(g[i], kind+" ") || !strings.Contains(g[i], text) {
				return false
			}
		} else if g[i] != w[i] {
			return false
		}
	}
	return true
}

func lines(out []string, errs []error) string {
	for _, err := range errs {
		out = append(out, "error "+err.Error())
	}
	return strings.Join(out, "\n")
}

// hotVector draws the hot audit's sample from the vector's seed and share
// and writes it as audit hot does: the CSV ticket,station.
func hotVector(t *testing.T, def *election.Definition, parts map[string]string) string {
	seed, err := audit.ParseSeed(strings.TrimSuffix(parts["seed"], "\n"))
	if err != nil {
		return lines(nil, []error{err})
	}
	share, err := strconv.ParseFloat(strings.TrimSpace(parts["share"]), 64)
	if err != nil {
		t.Fatalf("vector share: %v", err)
	}
	tickets, err := audit.HotSample(def, seed, share)
	if err != nil {
		return lines(nil, []error{err})
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{"ticket", "station"})
	for _, tk := range tickets {
		w.Write([]string{tk.Number, tk.Item})
	}
	w.Flush()
	return strings.TrimSuffix(b.String(), "\n")
}

// The auditor's key of the vectors' elections.
var vectorAuditor = electiontest.Key("vectors", "test/auditor/1")

var counted = time.Date(2024, 7, 29, 10, 0, 0, 0, time.UTC)

// handVector reads hand.csv and records it as audit record does, in a
// directory that holds the hand counts of earlier.csv, with the sample of
// sample.csv: "record STATION" for each hand acta written, then every error.
func handVector(t *testing.T, def *election.Definition, parts map[string]string) string {
	dir := t.TempDir()
	if earlier, ok := parts["earlier.csv"]; ok {
		counts, errs := audit.ReadHandCounts(strings.NewReader(earlier), "earlier.csv", def)
		if _, rerrs := audit.Record(dir, def, vectorAuditor, counts, nil, counted); len(errs)+len(rerrs) > 0 {
			t.Fatalf("earlier.csv: %v %v", errs, rerrs)
		}
	}
	var sample map[string]bool
	if s, ok := parts["sample.csv"]; ok {
		rows, err := csv.NewReader(strings.NewReader(s)).ReadAll()
		if err != nil || len(rows) == 0 || len(rows[0]) != 2 || rows[0][1] != "station" {
			t.Fatalf("sample.csv: want ticket,station: %v", err)
		}
		sample = map[string]bool{}
		for _, r := range rows[1:] {
			sample[r[1]] = true
		}
	}
	counts, errs := audit.ReadHandCounts(strings.NewReader(parts["hand.csv"]), "hand.csv", def)
	written, rerrs := audit.Record(dir, def, vectorAuditor, counts, sample, counted)
	var out []string
	for _, path := range written {
		msg, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sa, err := acta.Open(msg, def)
		if err != nil || sa.Kind != acta.Hand {
			t.Fatalf("%s: not a hand acta of the election: %v", path, err)
		}
		out = append(out, "record "+sa.Station)
	}
	return lines(out, append(errs, rerrs...))
}

// pollsVector reads polls.csv as audit poll does: "poll STATION BALLOT
// contest=choice..." for each voucher read, then every error.
func pollsVector(t *testing.T, def *election.Definition, parts map[string]string) string {
	polls, errs := audit.ReadPolls(strings.NewReader(parts["polls.csv"]), "polls.csv", def)
	var out []string
	for _, p := range polls {
		var cs []string
		for c, x := range p.Choices {
			cs = append(cs, c+"="+x)
		}
		sort.Strings(cs)
		out = append(out, fmt.Sprintf("poll %s %d %s", p.Station, p.Ballot, strings.Join(cs, " ")))
	}
	return lines(out, errs)
}

// statusVector measures the audit directory of the vector's audit/ files as
// audit status does: "decision DECISION", or the error.
func statusVector(t *testing.T, def *election.Definition, parts map[string]string) string {
	dir := t.TempDir()
	for name, data := range parts {
		rel, ok := strings.CutPrefix(name, "audit/")
		if !ok {
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	a, err := audit.Load(dir)
	if err != nil {
		return lines(nil, []error{err})
	}
	data, err := os.ReadFile(filepath.Join(dir, a.Announced))
	if err != nil {
		return lines(nil, []error{err})
	}
	rep, err := audit.ReadReported(def, a.Announced, data, a.AnnouncedSHA256)
	if err != nil {
		return lines(nil, []error{err})
	}
	r, err := audit.Status(dir, a, rep, filepath.Join(dir, "hand"))
	if err != nil {
		return lines(nil, []error{err})
	}
	return "decision " + r.Decision
}

// reportVector reads the audit's report.json as verify -audit does, after
// the announcement announced.json: "ok" if it is read and adds nothing,
// "finding CHECK" for each finding it adds, "problem TEXT" for each problem.
func reportVector(t *testing.T, def *election.Definition, parts map[string]string) string {
	ctx := context.Background()
	ann := filepath.Join(t.TempDir(), "announced.json")
	if err := os.WriteFile(ann, []byte(parts["announced.json"]), 0o644); err != nil {
		t.Fatal(err)
	}
	v := verify.New(def)
	v.AddAnnounced(ctx, ann, nil)
	v.AddAudit("report.json", []byte(parts["report.json"]))
	r := v.Report(ctx)
	var out []string
	for _, f := range r.Findings {
		out = append(out, "finding "+string(f.Check))
	}
	for _, p := range r.Problems {
		// The harness gives the announcement alone beside the audit: that
		// it was compared with nothing is the harness's doing, not the
		// audit report's.
		if strings.HasPrefix(p.What, "compared with nothing") {
			continue
		}
		out = append(out, "problem "+p.What)
	}
	if len(out) == 0 {
		if len(r.Audits) != 1 {
			t.Fatalf("%d audits read, no problem", len(r.Audits))
		}
		return "ok"
	}
	return strings.Join(out, "\n")
}
