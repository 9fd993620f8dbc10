package verify_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tally"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// observerDef is an observer's definition of four stations and one
// contest of three candidates, no keys.
func observerDef(t *testing.T) *election.Definition {
	t.Helper()
	def, err := election.Parse([]byte(`triplicate election v1
id obs
name Observed
levels district
contest mayor * Mayor
candidate mayor A Ana
candidate mayor B Beto
candidate mayor C Carla
area d1 One
station 1 d1 100 -
station 2 d1 100 -
station 3 d1 100 -
station 4 d1 100 -
`))
	if err != nil {
		t.Fatal(err)
	}
	return def
}

const obsMap = "station=id,A=a,B=b,C=c"

// gatherTables verifies the definition from CSV tables given as text, in
// a manifest written beside them.
func gatherTables(t *testing.T, def *election.Definition, manifest string, files map[string]string) *verify.Report {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "sources.toml")
	if err := os.WriteFile(path, []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := verify.ReadManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := m.Resolve(def)
	if err != nil {
		t.Fatal(err)
	}
	s.KeepCorrected = true
	return verify.Gather(context.Background(), def, s)
}

func findingsAt(r *verify.Report, check verify.Check) []string {
	var out []string
	for _, f := range r.Findings {
		if f.Check == check {
			out = append(out, f.Station)
		}
	}
	return out
}

// TestEveryPairCompared: three unsigned counts, each pair compared; each
// difference is a finding naming the sources on both sides, and the
// summary says what each pair shared and which stations only one gives.
func TestEveryPairCompared(t *testing.T) {
	def := observerDef(t)
	r := gatherTables(t, def, `
[[source]]
name = "first"
kind = "unsigned"
file = "first.csv"
mapping = "`+obsMap+`"
[[source]]
name = "second"
kind = "unsigned"
file = "second.csv"
mapping = "`+obsMap+`"
[[source]]
name = "third"
kind = "unsigned"
file = "third.csv"
mapping = "`+obsMap+`"
`, map[string]string{
		"first.csv":  "id,a,b,c\n1,10,20,30\n2,10,20,30\n3,10,20,30\n4,10,20,30\n",
		"second.csv": "id,a,b,c\n1,10,20,30\n2,11,20,30\n3,10,20,30\n4,10,20,30\n",
		"third.csv":  "id,a,b,c\n1,10,20,31\n2,10,20,30\n3,10,20,30\n",
	})
	if got := findingsAt(r, verify.CheckUnsigned); !slices.Equal(got, []string{"1", "2"}) {
		t.Fatalf("unsigned-differs at %v, want stations 1 and 2; findings %+v", got, r.Findings)
	}
	for _, f := range r.Findings {
		// Station 1: third against first (second the same as first);
		// station 2: second against first (third the same as first).
		want := map[string][]string{"1": {"first", "third", "second agrees with first"}, "2": {"first", "second", "third agrees with first"}}[f.Station]
		for _, w := range want {
			if !strings.Contains(f.Summary, w) {
				t.Errorf("station %s: %q does not say %q", f.Station, f.Summary, w)
			}
		}
		if len(f.Counts) != 2 {
			t.Errorf("station %s: %d counts in the finding, want both sides'", f.Station, len(f.Counts))
		}
	}
	want := []verify.PairSummary{
		{A: "first", B: "second", Shared: 4, Differing: 1},
		{A: "first", B: "third", Shared: 3, Differing: 1, OnlyA: 1, OnlyAIDs: []string{"4"}},
		{A: "second", B: "third", Shared: 3, Differing: 2, OnlyA: 1, OnlyAIDs: []string{"4"}},
	}
	if len(r.Pairs) != len(want) {
		t.Fatalf("pairs %+v, want %+v", r.Pairs, want)
	}
	for i, p := range r.Pairs {
		w := want[i]
		if p.A != w.A || p.B != w.B || p.Shared != w.Shared || p.Differing != w.Differing || p.OnlyA != w.OnlyA || p.OnlyB != w.OnlyB || !slices.Equal(p.OnlyAIDs, w.OnlyAIDs) {
			t.Errorf("pair %d: %+v, want %+v", i, p, w)
		}
	}
	if r.Clean() {
		t.Error("clean, with two stations that differ")
	}
	var text strings.Builder
	if err := r.WriteText(&text, 10); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"compared:", "first × third: 3 stations shared, 1 differ; 1 only in first (4)", "precedence"} {
		if !strings.Contains(text.String(), w) {
			t.Errorf("summary lacks %q:\n%s", w, text.String())
		}
	}
}

// TestPrecedence: by default the first source read outranks; a declared
// precedence puts the recount first, and each station's figures are one
// source's, never a mix.
func TestPrecedence(t *testing.T) {
	def := observerDef(t)
	files := map[string]string{
		"count.csv":   "id,a,b,c\n1,50,40,10\n2,50,40,10\n3,50,40,10\n4,50,40,10\n",
		"recount.csv": "id,a,b,c\n1,30,60,10\n2,30,60,10\n3,30,60,10\n",
	}
	sources := `
[[source]]
name = "count"
kind = "unsigned"
file = "count.csv"
mapping = "` + obsMap + `"
[[source]]
name = "recount"
kind = "unsigned"
by = "the county's recount board"
file = "recount.csv"
mapping = "` + obsMap + `"
`
	r := gatherTables(t, def, sources, files)
	if o := r.Outcomes[0]; o.CorrectedWinner != "A" || o.From["count"] != 4 || o.From["recount"] != 0 {
		t.Fatalf("by default: winner %s, from %v; want A, every station from count", o.CorrectedWinner, o.From)
	}
	r = gatherTables(t, def, `precedence = ["recount", "count"]`+sources, files)
	o := r.Outcomes[0]
	if o.CorrectedWinner != "B" || o.From["recount"] != 3 || o.From["count"] != 1 {
		t.Fatalf("recount first: winner %s, from %v; want B, 3 stations from recount, 1 from count", o.CorrectedWinner, o.From)
	}
	if got := o.Candidates[1].Corrected; got != 3*60+40 {
		t.Errorf("B corrected %d, want 220: 3 stations of the recount's, 1 of the count's", got)
	}
	if !slices.Equal(r.Precedence, []string{"recount", "count"}) {
		t.Errorf("precedence %v", r.Precedence)
	}
	for _, row := range r.Corrected() {
		want := map[string]string{"1": "recount", "2": "recount", "3": "recount", "4": "count"}[row.Station]
		if row.Where != want {
			t.Errorf("station %s's figures from %s, want %s", row.Station, row.Where, want)
		}
	}
}

// TestUncompared: a source that gives no station, and one compared with
// nothing, each make the run unclean, unless the user said it may stand
// alone; a table whose id column matches no station says so.
func TestUncompared(t *testing.T) {
	def := observerDef(t)
	one := func(alone string) string {
		return `
[[source]]
name = "only"
kind = "unsigned"
file = "only.csv"
mapping = "` + obsMap + `"
` + alone
	}
	files := map[string]string{"only.csv": "id,a,b,c\n1,1,2,3\n2,1,2,3\n3,1,2,3\n4,1,2,3\n"}
	r := gatherTables(t, def, one(""), files)
	if r.Clean() || len(r.Problems) != 1 || !strings.Contains(r.Problems[0].What, "compared with nothing") || r.Problems[0].Source != "only" {
		t.Fatalf("one source alone: clean %v, problems %v", r.Clean(), r.Problems)
	}
	r = gatherTables(t, def, one("alone = true"), files)
	if !r.Clean() || len(r.Problems) != 1 || !r.Problems[0].Accepted {
		t.Fatalf("alone = true: clean %v, problems %+v; want clean, the problem said and accepted", r.Clean(), r.Problems)
	}

	r = gatherTables(t, def, one("")+`
[[source]]
name = "other"
kind = "unsigned"
file = "other.csv"
mapping = "`+obsMap+`"
`, map[string]string{"only.csv": "id,a,b,c\n1,1,2,3\n", "other.csv": "id,a,b,c\n9,1,2,3\n"})
	var what []string
	for _, p := range r.Problems {
		what = append(what, p.Source+": "+p.What)
	}
	joined := strings.Join(what, "\n")
	if r.Clean() || !strings.Contains(joined, "other: gives no station of the election") || !strings.Contains(joined, "only: compared with nothing") {
		t.Fatalf("problems:\n%s", joined)
	}
}

// TestAnnouncedTable: the center's announcement published as a long table
// (its own open-data layout) is held against the signed... here, against
// an unsigned count, and named as the announcement.
func TestAnnouncedTable(t *testing.T) {
	def := observerDef(t)
	r := gatherTables(t, def, `
[[source]]
name = "center"
kind = "announced"
by = "the electoral authority"
file = "results.csv"
layout = "long"
[source.long]
station = "MESA"
choice = "PARTY"
votes = "VOTES"
[source.long.choices]
"Ana A." = "A"
"Beto B." = "B"
"Carla C." = "C"
[[source]]
name = "observers"
kind = "unsigned"
file = "obs.csv"
mapping = "`+obsMap+`"
`, map[string]string{
		"results.csv": "MESA,PARTY,VOTES\n1,Ana A.,10\n1,Beto B.,20\n1,Carla C.,5\n2,Ana A.,7\n2,Beto B.,7\n2,Carla C.,7\n",
		"obs.csv":     "id,a,b,c\n1,10,20,5\n2,7,9,7\n",
	})
	if got := findingsAt(r, verify.CheckUnsigned); !slices.Equal(got, []string{"2"}) {
		t.Fatalf("unsigned-differs at %v, want station 2: %+v", got, r.Findings)
	}
	if s := r.Findings[slices.IndexFunc(r.Findings, func(f verify.Finding) bool { return f.Check == verify.CheckUnsigned })].Summary; !strings.Contains(s, "observers (unsigned) differs from the center's announced figures for station 2 (B 7 → 9)") {
		t.Errorf("summary %q", s)
	}
	if r.Sources[0].Kind != verify.KindAnnounced || r.Sources[0].Layout != "long" || r.Sources[0].By != "the electoral authority" {
		t.Errorf("source %+v", *r.Sources[0])
	}
}

// TestManifestErrors: each mistake in a manifest is an error naming the
// file, the source and what is wrong.
func TestManifestErrors(t *testing.T) {
	def := observerDef(t)
	src := func(extra string) string {
		return "[[source]]\nname = \"a\"\nkind = \"unsigned\"\nfile = \"a.csv\"\n" + extra
	}
	for _, tc := range []struct{ name, manifest, want string }{
		{"syntax", "[[source]\n", "sources.toml: line 2:"},
		{"unknown key", src("mapping = \"station=id\"\nmaping = \"x\"\n"), "unknown key source.maping"},
		{"two mappings", src("mapping = \"station=id\"\n[source.columns]\nstation = \"id\"\n"), "source 1 (a): two mappings for one file"},
		{"no mapping", src(""), "source 1 (a): no mapping"},
		{"unknown kind", "[[source]]\nname = \"a\"\nkind = \"count\"\nfile = \"a.csv\"\n", `kind "count": want one of log, copies, announced, unsigned, audit`},
		{"unknown layout", src("layout = \"wide-ish\"\nmapping = \"station=id\"\n"), `layout "wide-ish"`},
		{"same name", src("mapping = \"station=id\"\n") + "[[source]]\nname = \"a\"\nkind = \"unsigned\"\nfile = \"b.csv\"\nmapping = \"station=id\"\n", `source 2 (a): the name "a" is also source 1's`},
		{"nowhere", "[[source]]\nname = \"a\"\nkind = \"unsigned\"\nmapping = \"station=id\"\n", "no file, files or url"},
		{"precedence", "precedence = [\"b\"]\n" + src("mapping = \"station=id\"\n"), `precedence: "b" is no source's name`},
		{"no sources", "election = \"x\"\n", "no [[source]]"},
		{"long without long", src("layout = \"long\"\n"), "layout long needs a [source.long] table"},
		{"precedence of a log", "precedence = [\"l\"]\n[[source]]\nname = \"l\"\nkind = \"log\"\nfile = \"log\"\n", `precedence: "l" is of kind log, whose signed actas rank as "signed"`},
		{"a name that prints as another", "[[source]]\nname = \"a\\nfindings: none\"\nkind = \"unsigned\"\nfile = \"a.csv\"\nmapping = \"station=id\"\n", "a name or by with a control or format character"},
		{"a name that reads backwards", "[[source]]\nname = \"a\u202Eb\"\nkind = \"unsigned\"\nfile = \"a.csv\"\nmapping = \"station=id\"\n", "a name or by with a control or format character"},
		{"mapping for a log", "[[source]]\nname = \"l\"\nkind = \"log\"\nfile = \"log\"\nmapping = \"station=id\"\n", "mapping is for tables"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := verify.ParseManifest("sources.toml", []byte(tc.manifest))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "sources.toml: ") {
				t.Fatalf("error %v, want one with %q", err, tc.want)
			}
		})
	}
	// Resolved against the definition: a mapping naming a candidate the
	// election does not have.
	m, err := verify.ParseManifest("sources.toml", []byte(src("mapping = \"station=id,Z=z\"\n")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Resolve(def); err == nil || !strings.Contains(err.Error(), "sources.toml: source 1 (a): mapping: field Z") {
		t.Fatalf("Resolve: %v", err)
	}
	// Columns may be lists (a composite key) and hold characters the
	// mapping syntax cannot.
	m, err = verify.ParseManifest("sources.toml", []byte(src("[source.columns]\nstation = [\"id\"]\nA = \"votes, Ana+\"\n")))
	if err != nil {
		t.Fatal(err)
	}
	s, err := m.Resolve(def)
	if err != nil || !slices.Equal(s.Tables[0].Table.Mapping.Figures["mayor.A"], []string{"votes, Ana+"}) {
		t.Fatalf("columns: %+v, %v", s.Tables, err)
	}
}

// TestNISTOut: the corrected figures written as NIST SP 1500-100 read
// back as a source give the same figures: compared with the count they
// came from, every station agrees.
func TestNISTOut(t *testing.T) {
	def := observerDef(t)
	r := gatherTables(t, def, `
[[source]]
name = "count"
kind = "unsigned"
file = "count.csv"
mapping = "`+obsMap+`"
alone = true
`, map[string]string{"count.csv": "id,a,b,c\n1,10,20,30\n2,11,21,31\n3,12,22,32\n4,0,0,0\n"})
	var b strings.Builder
	if err := tally.WriteNIST(&b, def, r.Corrected()); err != nil {
		t.Fatal(err)
	}
	v := verify.New(def)
	v.AddCSV("count.csv", strings.NewReader("id,a,b,c\n1,10,20,30\n2,11,21,31\n3,12,22,32\n4,0,0,0\n"), tally.Mapping{Station: []string{"id"}, Figures: map[string][]string{"mayor.A": {"a"}, "mayor.B": {"b"}, "mayor.C": {"c"}}})
	v.AddTable("results.json", verify.KindUnsigned, strings.NewReader(b.String()), tally.Table{Layout: tally.LayoutNIST})
	r = v.Report(context.Background())
	if !r.Clean() || len(r.Pairs) != 1 || r.Pairs[0].Shared != 4 || r.Pairs[0].Differing != 0 {
		t.Fatalf("NIST round trip: clean %v, pairs %+v, problems %v, findings %+v", r.Clean(), r.Pairs, r.Problems, r.Findings)
	}
}

// TestIncompleteNeverMixed: a count that lacks a candidate's votes is not a
// station's figures while another gives them all, whatever the declared
// precedence; where none does, the station counts as missing — a missing
// figure is never added as 0.
func TestIncompleteNeverMixed(t *testing.T) {
	def := observerDef(t)
	files := map[string]string{
		"partial.csv": "id,a\n1,90\n2,90\n3,90\n4,90\n",
		"whole.csv":   "id,a,b,c\n1,10,20,70\n2,10,20,70\n3,10,20,70\n",
	}
	r := gatherTables(t, def, `precedence = ["partial", "whole"]
[[source]]
name = "partial"
kind = "unsigned"
file = "partial.csv"
mapping = "station=id,A=a"
partial = true
[[source]]
name = "whole"
kind = "unsigned"
file = "whole.csv"
mapping = "`+obsMap+`"
`, files)
	o := r.Outcomes[0]
	if o.CorrectedWinner != "C" || o.From["whole"] != 3 || o.From["partial"] != 0 || o.Incomplete != 1 || o.Candidates[0].Corrected != 30 {
		t.Fatalf("winner %s, from %v, incomplete %d, A %d; want C, 3 stations from whole, station 4 incomplete, A 30",
			o.CorrectedWinner, o.From, o.Incomplete, o.Candidates[0].Corrected)
	}
	// partial = true accepts that it gives no votes of B and C; the
	// difference at A is still a finding at every shared station.
	if got := findingsAt(r, verify.CheckUnsigned); len(got) != 3 {
		t.Errorf("unsigned-differs at %v, want stations 1-3", got)
	}
	var accepted int
	for _, p := range r.Problems {
		if p.Accepted && strings.Contains(p.What, "gives no votes of B, C of contest mayor") {
			accepted++
		}
	}
	if accepted != 1 {
		t.Errorf("problems %+v: want the partial source's gap said and accepted", r.Problems)
	}
}

// TestBlankSourceHidesNothing: a source that gives only some figures,
// read first, agrees with two counts that differ from each other; it must
// not make them one class of figures and hide their difference.
func TestBlankSourceHidesNothing(t *testing.T) {
	def := observerDef(t)
	r := gatherTables(t, def, `
[[source]]
name = "some"
kind = "unsigned"
file = "some.csv"
mapping = "station=id,A=a"
partial = true
[[source]]
name = "prelim"
kind = "unsigned"
file = "prelim.csv"
mapping = "`+obsMap+`"
[[source]]
name = "final"
kind = "unsigned"
file = "final.csv"
mapping = "`+obsMap+`"
`, map[string]string{
		"some.csv":   "id,a\n1,10\n2,10\n3,10\n4,10\n",
		"prelim.csv": "id,a,b,c\n1,10,20,30\n2,10,20,30\n3,10,20,30\n4,10,20,30\n",
		"final.csv":  "id,a,b,c\n1,10,20,30\n2,10,20,30\n3,10,25,30\n4,10,20,30\n",
	})
	if got := findingsAt(r, verify.CheckUnsigned); !slices.Equal(got, []string{"3"}) || r.Clean() {
		t.Fatalf("unsigned-differs at %v (clean %v), want station 3: prelim against final", got, r.Clean())
	}
	if s := r.Findings[0].Summary; !strings.Contains(s, "prelim") || !strings.Contains(s, "final") {
		t.Errorf("finding %q: want it to name prelim and final", s)
	}
}

// TestSameBytesNotCompared: one file given twice (here once gzipped) is
// not a comparison: a problem, and neither counts as compared.
func TestSameBytesNotCompared(t *testing.T) {
	def := observerDef(t)
	data := "id,a,b,c\n1,10,20,30\n2,10,20,30\n3,10,20,30\n4,10,20,30\n"
	v := verify.New(def)
	m := tally.Mapping{Station: []string{"id"}, Figures: map[string][]string{"mayor.A": {"a"}, "mayor.B": {"b"}, "mayor.C": {"c"}}}
	v.AddCSV("one.csv", strings.NewReader(data), m)
	v.AddCSV("copy.csv", strings.NewReader(data), m)
	r := v.Report(context.Background())
	if r.Clean() {
		t.Fatal("clean: a file compared with itself")
	}
	var what []string
	for _, p := range r.Problems {
		what = append(what, p.Source+": "+p.What)
	}
	joined := strings.Join(what, "\n")
	for _, w := range []string{"copy.csv: the same bytes as one.csv", "one.csv: compared with nothing", "copy.csv: compared with nothing"} {
		if !strings.Contains(joined, w) {
			t.Errorf("problems lack %q:\n%s", w, joined)
		}
	}
}

// TestAnnouncedTableNotOfTheLog: the center's figures published as a table
// name no part of the log they are of. A station the table lacks (a row
// refused, or logged after the export) is not charged to the center as an
// omission, and the rest still agree: no finding but what the table itself
// says.
func TestAnnouncedTableNotOfTheLog(t *testing.T) {
	d := day(t, 10, "honest")
	data, err := os.ReadFile(d.Evidence.CSV)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	cut := strings.Join(append(lines[:2:2], lines[3:]...), "")                       // one station left out
	bad := strings.Join(append(append(lines[:3:3], "x"+lines[3]), lines[4:]...), "") // one row refused
	for _, table := range []string{cut, bad} {
		m, err := tally.ParseMapping("ve2024", d.Election.Def)
		if err != nil {
			t.Fatal(err)
		}
		v := verify.New(d.Election.Def)
		v.AddLog(context.Background(), verify.LogSource{Location: d.Evidence.Log})
		v.AddCopies("copies", d.Evidence.Copies)
		v.AddTable("center.csv", verify.KindAnnounced, strings.NewReader(table), tally.Table{Mapping: m})
		r := v.Report(context.Background())
		for _, f := range r.Findings {
			t.Errorf("finding %s at %s (proven %v): %s", f.Check, f.Station, f.Proven, f.Summary)
		}
		if len(r.Pairs) != 3 || r.Pairs[1].OnlyA != 1 || r.Pairs[2].OnlyA != 1 {
			t.Errorf("pairs %+v: want the station the table lacks said", r.Pairs)
		}
	}
}

// partialSource is a manifest's [[source]] of an unsigned table.
func partialSource(name, file, mapping string, partial bool) string {
	s := "[[source]]\nname = \"" + name + "\"\nkind = \"unsigned\"\nfile = \"" + file + "\"\nmapping = \"" + mapping + "\"\n"
	if partial {
		s += "partial = true\n"
	}
	return s
}

// TestPartialsNeverHide: sources that each give some figures, joined into
// classes, never make two that differ one class: the difference is a
// finding naming the two that differ, and the run is not clean.
func TestPartialsNeverHide(t *testing.T) {
	def := observerDef(t)
	for _, tc := range []struct {
		name     string
		manifest string
		files    map[string]string
		want     []string // in the finding
	}{{
		"two partials agreeing only with a third",
		partialSource("a1", "a1.csv", "station=id,A=a", true) + partialSource("bc", "bc.csv", "station=id,B=b,C=c", true) + partialSource("a2", "a2.csv", "station=id,A=a", true),
		map[string]string{"a1.csv": "id,a\n1,10\n2,10\n3,10\n4,10\n", "bc.csv": "id,b,c\n1,20,30\n2,20,30\n3,20,30\n4,20,30\n", "a2.csv": "id,a\n1,10\n2,10\n3,99\n4,10\n"},
		[]string{"a1 and a2", "A 10 → 99"},
	}, {
		"turnout in the middle",
		partialSource("a1", "a1.csv", "station=id,A=a,B=b", true) + partialSource("turn", "t.csv", "station=id,C=c,registered=r,ballots=n", true) + partialSource("a2", "a2.csv", "station=id,A=a,B=b", true),
		map[string]string{"a1.csv": "id,a,b\n1,10,20\n2,10,20\n3,10,20\n4,10,20\n", "t.csv": "id,c,r,n\n1,30,100,60\n2,30,100,60\n3,30,100,60\n4,30,100,60\n", "a2.csv": "id,a,b\n1,10,20\n2,10,20\n3,20,10\n4,10,20\n"},
		[]string{"a1 and a2", "A 10 → 20, B 20 → 10"},
	}, {
		"a partial agreeing with one of two that differ",
		partialSource("p", "p.csv", "station=id,B=b", true) + partialSource("x", "x.csv", "station=id,A=a,C=c", true) + partialSource("y", "y.csv", "station=id,A=a,B=b,C=c", false),
		map[string]string{"p.csv": "id,b\n1,20\n2,20\n3,21\n4,20\n", "x.csv": "id,a,c\n1,10,30\n2,10,30\n3,11,30\n4,10,30\n", "y.csv": "id,a,b,c\n1,10,20,30\n2,10,20,30\n3,10,20,30\n4,10,20,30\n"},
		nil,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			r := gatherTables(t, def, tc.manifest, tc.files)
			if r.Clean() {
				t.Fatalf("clean, with sources that differ at station 3: pairs %v", r.Pairs)
			}
			var at3 []string
			for _, f := range r.Findings {
				if f.Check == verify.CheckUnsigned && f.Station == "3" {
					at3 = append(at3, f.Summary)
				}
			}
			if len(at3) == 0 {
				t.Fatalf("no finding at station 3: %+v", r.Findings)
			}
			for _, w := range tc.want {
				if !strings.Contains(strings.Join(at3, "\n"), w) {
					t.Errorf("findings %q lack %q", at3, w)
				}
			}
			// Whatever is said to agree does agree: no finding claims a
			// source agrees with one it differs from.
			for _, s := range at3 {
				if strings.Contains(s, "x agrees with p") || strings.Contains(s, "p agrees with x") {
					t.Errorf("finding %q says x and p agree; they give no figure in common", s)
				}
			}
			// Every pair that differs somewhere is named by a finding.
			for _, p := range r.Pairs {
				if p.Differing == 0 {
					continue
				}
				if !slices.ContainsFunc(r.Findings, func(f verify.Finding) bool {
					return strings.Contains(f.Summary, p.A) && strings.Contains(f.Summary, p.B) || strings.Contains(f.Summary, p.A+" agrees with") || strings.Contains(f.Summary, p.B+" agrees with")
				}) {
					t.Errorf("pair %s × %s differs at %d stations, and no finding names it", p.A, p.B, p.Differing)
				}
			}
		})
	}
}

// TestDisjointPartialsNotCompared: two sources that give no figure in
// common share no station: each was compared with nothing.
func TestDisjointPartialsNotCompared(t *testing.T) {
	def := observerDef(t)
	r := gatherTables(t, def, partialSource("a", "a.csv", "station=id,A=a", true)+partialSource("bc", "bc.csv", "station=id,B=b,C=c", true),
		map[string]string{"a.csv": "id,a\n1,10\n2,10\n3,10\n4,10\n", "bc.csv": "id,b,c\n1,20,30\n2,20,30\n3,20,30\n4,20,30\n"})
	if r.Clean() || len(r.Pairs) != 0 && r.Pairs[0].Shared != 0 {
		t.Fatalf("clean %v, pairs %v: want nothing compared", r.Clean(), r.Pairs)
	}
}

// TestCRLFCopyNotCompared: one file saved with CRLF and with LF is one
// file.
func TestCRLFCopyNotCompared(t *testing.T) {
	def := observerDef(t)
	data := "\uFEFFid,a,b,c\n1,10,20,30\n2,10,20,30\n3,10,20,30\n4,10,20,30\n"
	m := tally.Mapping{Station: []string{"id"}, Figures: map[string][]string{"mayor.A": {"a"}, "mayor.B": {"b"}, "mayor.C": {"c"}}}
	v := verify.New(def)
	v.AddCSV("one.csv", strings.NewReader(data), m)
	v.AddCSV("copy.csv", strings.NewReader(strings.ReplaceAll(strings.TrimPrefix(data, "\uFEFF"), "\n", "\r\n")), m)
	if r := v.Report(context.Background()); r.Clean() {
		t.Fatal("clean: a file compared with its CRLF copy")
	}
}

// TestPartialAboveSigned: a partial table declared to outrank the signed
// evidence does not take a station the machine's acta gives whole.
func TestPartialAboveSigned(t *testing.T) {
	d := day(t, 10, "honest")
	data, err := os.ReadFile(d.Evidence.CSV)
	if err != nil {
		t.Fatal(err)
	}
	m, err := tally.ParseMapping("station=CENTRO+MESA,president.EG=EG", d.Election.Def)
	if err != nil {
		t.Fatal(err)
	}
	v := verify.New(d.Election.Def)
	v.Precedence([]string{"eg.csv", "signed"})
	v.AddLog(context.Background(), verify.LogSource{Location: d.Evidence.Log})
	v.AddCopies("copies", d.Evidence.Copies)
	v.AddTable("eg.csv", verify.KindUnsigned, strings.NewReader(string(data)), tally.Table{Mapping: m})
	r := v.Report(context.Background())
	o := r.Outcomes[0]
	if o.Incomplete != 0 || o.Evidence["machine"] != 10 || !o.Decided {
		t.Errorf("incomplete %d, evidence %v, decided %v: want every station the machine's", o.Incomplete, o.Evidence, o.Decided)
	}
}

// TestRepeatedRowBomb: a small gzipped table that repeats one station's
// row half a million times is refused for that station, and held no more
// than twice: the report says so and takes nothing from it.
func TestRepeatedRowBomb(t *testing.T) {
	def := observerDef(t)
	var b bytes.Buffer
	z := gzip.NewWriter(&b)
	z.Write([]byte("id,a,b,c\n"))
	for range 500_000 {
		z.Write([]byte("1,10,20,30\n"))
	}
	z.Close()
	r := gatherTables(t, def, partialSource("bomb", "bomb.csv.gz", obsMap, false), map[string]string{"bomb.csv.gz": b.String()})
	if r.Clean() || r.Sources[0].Counts != 0 {
		t.Fatalf("clean %v, counts %d: want station 1 refused, nothing taken", r.Clean(), r.Sources[0].Counts)
	}
	if !slices.ContainsFunc(r.Problems, func(p verify.Problem) bool { return strings.Contains(p.What, "station 1 given twice") }) {
		t.Errorf("problems %v: want the station given twice", r.Problems[:min(3, len(r.Problems))])
	}
	if len(r.Problems) > 1100 {
		t.Errorf("%d problems: the errors of one file are bounded", len(r.Problems))
	}
}
