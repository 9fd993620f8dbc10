package verify_test

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/contest"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/tally"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// boliviaParties are the parties of the 2019 ballot, as the CSV's columns.
var boliviaParties = []string{"MAS-IPSP", "CC", "FPV", "MTS", "UCS", "21F", "PDC", "MNR", "PAN-BOL"}

// bolivia2019 reads the official count of Bolivia's 2019 presidential
// first round (testdata/bolivia2019) and an observer's definition of it:
// every acta a station with its registered voters, under the
// constitution's rule, machine keys made up (the count is read as an
// unsigned CSV, which no key signs).
func bolivia2019(t *testing.T) (*election.Definition, []byte) {
	t.Helper()
	f, err := os.Open("testdata/bolivia2019/computo.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("triplicate election v1\nid bo2019\nname Elecciones generales 2019\nlevels country\ncontest president * Presidente\n")
	for _, p := range boliviaParties {
		fmt.Fprintf(&b, "candidate president %s %s\n", p, p)
	}
	b.WriteString("rule president threshold win=50 or=40 lead=10 base=valid\narea bo Bolivia\n")
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	for _, line := range lines[1:] {
		f := strings.SplitN(line, ",", 3)
		fmt.Fprintf(&b, "station %s bo %s %s\n", f[0], f[1], electiontest.Key("bo2019", "bo2019/machine/"+f[0]).Public)
	}
	def, err := election.Parse([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return def, data
}

func bolivia2019Report(t *testing.T, def *election.Definition, csv []byte) verify.Outcome {
	t.Helper()
	m := tally.Mapping{Station: []string{"mesa"}, Registered: []string{"inscritos"}, Figures: map[string][]string{
		"president.blank": {"blancos"}, "president.null": {"nulos"},
	}}
	for _, p := range boliviaParties {
		m.Figures["president."+p] = []string{p}
	}
	v := verify.New(def)
	v.AddCSV("computo.csv", strings.NewReader(string(csv)), m)
	r := v.Report(context.Background())
	var text strings.Builder
	if err := r.WriteText(&text, 10); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", text.String())
	if !aloneProblem(r) || len(r.Findings) != 0 || len(r.Outcomes) != 1 {
		t.Fatalf("%d problems (%v), %d findings (%v), %d outcomes", len(r.Problems), r.Problems, len(r.Findings), r.Findings, len(r.Outcomes))
	}
	return r.Outcomes[0]
}

// TestBolivia2019 weighs the official count of Bolivia's 2019 first
// round under its rule: MAS-IPSP elected with 47.08% against CC's 36.51%,
// a lead of 10.565 points; the margin and the decisive set are about
// the lead's 0.565 points over the 10 the rule asks, not about the lead
// itself. Without the lead clause there would be a runoff; under
// plurality MAS-IPSP would win too, by a margin many times larger.
func TestBolivia2019(t *testing.T) {
	if testing.Short() {
		t.Skip("34,555 stations")
	}
	def, csv := bolivia2019(t)
	o := bolivia2019Report(t, def, csv)
	t.Logf("%+v", *o.CorrectedOutcome)
	if o.Rule != "threshold win=50 or=40 lead=10 base=valid" || o.CorrectedOutcome.Says != "elected: MAS-IPSP" || o.Flips || !o.Decided {
		t.Fatalf("rule %q: %+v, flips %v, decided %v; want MAS-IPSP elected, decided", o.Rule, *o.CorrectedOutcome, o.Flips, o.Decided)
	}
	if math.Abs(o.SharesPct[0]-47.076) > 0.001 || math.Abs(o.SharesPct[1]-36.511) > 0.001 ||
		math.Abs(o.SharesPct[0]-o.SharesPct[1]-10.565) > 0.001 {
		t.Errorf("shares %.3f%%, %.3f%%; want 47.076%%, 36.511%%, a lead of 10.565 points", o.SharesPct[0], o.SharesPct[1])
	}
	// Each ballot moved from MAS-IPSP to CC takes two votes off the lead:
	// the margin is half the 0.565 points of valid votes over the 10.
	const valid = 6137671
	if o.MarginOn != "MAS-IPSP leads CC by more than 10%" || math.Abs(200*float64(o.RuleMargin)/valid-0.565) > 0.001 {
		t.Errorf("margin %d ballot changes (%.3f%%) breaking %q; want 0.565 points of lead over 10 to break", o.RuleMargin, o.RuleMarginPct, o.MarginOn)
	}
	if o.RuleDecisiveFloor < 1 || len(o.RuleDecisive) < o.RuleDecisiveFloor || len(o.Decisive) != len(o.RuleDecisive) {
		t.Errorf("decisive set of %d stations, floor %d (Decisive %d)", len(o.RuleDecisive), o.RuleDecisiveFloor, len(o.Decisive))
	}
	if !strings.Contains(o.Why, "MAS-IPSP leads CC by more than 10%") {
		t.Errorf("why %q: want it to name the lead", o.Why)
	}
	lead := o

	// Under plain plurality MAS-IPSP wins too, and overturning that takes
	// far more stations than breaking the 10-point lead.
	def.Contests[0].Rule = contest.Rule{}
	o = bolivia2019Report(t, def, csv)
	if o.CorrectedWinner != "MAS-IPSP" || o.CorrectedOutcome.Says != "elected: MAS-IPSP" || o.Rule != "plurality seats=1" {
		t.Errorf("plurality: winner %s, %+v", o.CorrectedWinner, *o.CorrectedOutcome)
	}
	if o.RuleMargin <= 10*lead.RuleMargin || o.RuleDecisiveFloor <= lead.RuleDecisiveFloor {
		t.Errorf("plurality margin %d, floor %d; want far above the lead's %d, %d", o.RuleMargin, o.RuleDecisiveFloor, lead.RuleMargin, lead.RuleDecisiveFloor)
	}

	// Without the lead clause nobody has more than half: a runoff.
	r, err := contest.Parse("threshold win=50")
	if err != nil {
		t.Fatal(err)
	}
	def.Contests[0].Rule = r
	o = bolivia2019Report(t, def, csv)
	if o.CorrectedOutcome.Kind != "runoff" || o.CorrectedOutcome.Says != "runoff between MAS-IPSP and CC" {
		t.Errorf("threshold win=50: %+v, want a runoff between MAS-IPSP and CC", *o.CorrectedOutcome)
	}
}

// TestNorthDakota2020 weighs two districts of North Dakota's 2020 State
// House election (testdata/nd2020), two seats a district, at most two
// votes a ballot: no station's figures are impossible though every one
// has more votes than ballots, and District 18's second seat is Corey
// Mock's by 16 votes over Cindy Kaml, 8 votes moved.
// northDakota2020 reads testdata/nd2020: the definition of its nine
// precincts (each registered voters and ballots the fewest ballots that
// carry its votes, two a ballot), the precincts' votes as a CSV table of
// that definition, and its mapping.
func northDakota2020(t *testing.T) (*election.Definition, string, tally.Mapping) {
	data, err := os.ReadFile("testdata/nd2020/house-d18-d44.csv")
	if err != nil {
		t.Fatal(err)
	}
	type precinct struct {
		district string
		votes    map[string]int
		sum      int
	}
	precincts := map[string]*precinct{}
	var order []string
	candidates := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n")[1:] {
		f := strings.Split(line, ",")
		var n int
		fmt.Sscan(f[3], &n)
		p := precincts[f[1]]
		if p == nil {
			p = &precinct{district: f[0], votes: map[string]int{}}
			precincts[f[1]] = p
			order = append(order, f[1])
		}
		p.votes[f[2]] = n
		p.sum += n
		if !slices.Contains(candidates[f[0]], f[2]) {
			candidates[f[0]] = append(candidates[f[0]], f[2])
		}
	}
	var b strings.Builder
	b.WriteString("triplicate election v1\nid nd2020\nname North Dakota 2020\nlevels district precinct\n")
	for _, d := range []string{"18", "44"} {
		fmt.Fprintf(&b, "contest house-%s %s State House, district %s\n", d, d, d)
		for _, c := range candidates[d] {
			fmt.Fprintf(&b, "candidate house-%s %s %s\n", d, c, c)
		}
		fmt.Fprintf(&b, "rule house-%s plurality seats=2\n", d)
	}
	b.WriteString("area 18 District 18\narea 44 District 44\n")
	// The file has no ballots or registered voters: take the fewest
	// ballots that carry the votes, two a ballot.
	var csv strings.Builder
	csv.WriteString("precinct,ballots")
	for _, d := range []string{"18", "44"} {
		for _, c := range candidates[d] {
			csv.WriteString("," + d + ":" + c)
		}
	}
	csv.WriteString("\n")
	for _, id := range order {
		p := precincts[id]
		ballots := (p.sum + 1) / 2
		fmt.Fprintf(&b, "area %s/%s %s\nstation %s %s/%s %d %s\n", p.district, id, id, id, p.district, id, ballots, electiontest.Key("nd2020", "nd2020/machine/"+id).Public)
		fmt.Fprintf(&csv, "%s,%d", id, ballots)
		for _, d := range []string{"18", "44"} {
			for _, c := range candidates[d] {
				if d == p.district {
					fmt.Fprintf(&csv, ",%d", p.votes[c])
				} else {
					csv.WriteString(",0")
				}
			}
		}
		csv.WriteString("\n")
	}
	def, err := election.Parse([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	m := tally.Mapping{Station: []string{"precinct"}, Registered: []string{"ballots"}, Ballots: []string{"ballots"}, Figures: map[string][]string{}}
	for _, d := range []string{"18", "44"} {
		for _, c := range candidates[d] {
			m.Figures["house-"+d+"."+c] = []string{d + ":" + c}
		}
	}
	return def, csv.String(), m
}

func TestNorthDakota2020(t *testing.T) {
	def, csv, m := northDakota2020(t)
	v := verify.New(def)
	v.AddCSV("nd2020.csv", strings.NewReader(csv), m)
	r := v.Report(context.Background())
	var text strings.Builder
	if err := r.WriteText(&text, 10); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", text.String())
	if !aloneProblem(r) || len(r.Findings) != 0 || len(r.Outcomes) != 2 {
		t.Fatalf("%d problems (%v), %d findings (%v), %d outcomes; want no impossible figures", len(r.Problems), r.Problems, len(r.Findings), r.Findings, len(r.Outcomes))
	}
	o := r.Outcomes[0]
	if o.CorrectedOutcome.Says != "elected: Steve-Vetter, Corey-Mock" || o.MarginOn != "Corey-Mock beats Cindy-Kaml" || o.RuleMargin != 8 {
		t.Errorf("district 18: %q, margin %d breaking %q; want Vetter and Mock, 8 votes moved from Mock to Kaml", o.CorrectedOutcome.Says, o.RuleMargin, o.MarginOn)
	}
	votes := map[string]int64{}
	for _, c := range o.Candidates {
		votes[c.Candidate] = c.Corrected
	}
	if votes["Corey-Mock"]-votes["Cindy-Kaml"] != 16 {
		t.Errorf("Mock %d, Kaml %d: want 16 votes apart", votes["Corey-Mock"], votes["Cindy-Kaml"])
	}
	if o = r.Outcomes[1]; o.CorrectedOutcome.Says != "elected: Karla-Rose-Hanson, Joshua-A-Boschee" {
		t.Errorf("district 44: %q", o.CorrectedOutcome.Says)
	}

	// Read as one vote a ballot, every station's figures are impossible.
	for _, c := range def.Contests {
		c.Rule = contest.Rule{}
	}
	v = verify.New(def)
	v.AddCSV("nd2020.csv", strings.NewReader(csv), m)
	if r = v.Report(context.Background()); len(r.Findings) != 9 || r.Findings[0].Check != verify.CheckImpossible {
		t.Errorf("under one vote a ballot: %d findings (%v), want 9 impossible", len(r.Findings), r.Findings)
	}
}

// aloneProblem reports whether a report of one published count, read alone,
// has the one problem it must: that count was compared with nothing, so the
// run is not clean, whatever its outcome says.
func aloneProblem(r *verify.Report) bool {
	return len(r.Problems) == 1 && strings.Contains(r.Problems[0].What, "compared with nothing") && !r.Clean()
}
