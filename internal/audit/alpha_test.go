package audit_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/keys"
)

// box is a station's figures in the one contest of an electiontest
// fixture: ALBA, BRUNO, CORA, blank, null.
type box [5]int

// withRule is the fixture's definition with a rule for its contest.
func withRule(t *testing.T, f *electiontest.Fixture, rule string) *election.Definition {
	t.Helper()
	text := string(f.Text)
	if rule != "" {
		text = strings.Replace(text, "party pa", "rule president "+rule+"\nparty pa", 1)
	}
	def, err := election.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return def
}

// announcedBoxes is the announcement of every station with the figures
// given. Under plurality with several seats a ballot's votes may add up
// to more than its ballots: ballots is then given apart.
func announcedBoxes(def *election.Definition, figs map[string]box, ballots map[string]int) []byte {
	var b strings.Builder
	b.WriteString(`{"election":"test","stations":[`)
	for i, st := range def.Stations {
		v := figs[st.ID]
		n, ok := ballots[st.ID]
		if !ok {
			n = v[0] + v[1] + v[2] + v[3] + v[4]
		}
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"station":%q,"index":0,"registered":%d,"ballots":%d,"contests":[{"id":"president","candidates":[{"id":"ALBA","votes":%d},{"id":"BRUNO","votes":%d},{"id":"CORA","votes":%d}],"blank":%d,"null":%d}]}]`,
			st.ID, st.Registered, n, v[0], v[1], v[2], v[3], v[4])
		b.WriteString("")
	}
	b.WriteString("]}")
	return []byte(strings.ReplaceAll(b.String(), "}]}]", "}]}"))
}

// shuffled is a box's vouchers in a random order: the choice read on each.
func shuffled(v box, rng *rand.Rand) []string {
	var out []string
	for i, name := range []string{"ALBA", "BRUNO", "CORA", "blank", "null"} {
		for range v[i] {
			out = append(out, name)
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// runAlpha runs an ALPHA audit of ann in a new directory until it
// confirms, calls for a full hand count or has drawn maxRounds rounds;
// the auditors read each drawn voucher from paper (a voucher past the end
// of its box is not found).
func runAlpha(t *testing.T, def *election.Definition, auditor *keys.Key, ann []byte, paper map[string][]string, maxRounds int) (*audit.Report, int) {
	t.Helper()
	au, err := audit.Start(t.TempDir(), def, "announced.json", ann, audit.ALPHA, seed, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	return runRounds(t, au, auditor, paper, maxRounds)
}

// runRounds runs the audit au as runAlpha does.
func runRounds(t *testing.T, au *audit.Audit, auditor *keys.Key, paper map[string][]string, maxRounds int) (*audit.Report, int) {
	t.Helper()
	def := au.Def
	drawn := 0
	var r *audit.Report
	for range maxRounds {
		round, _, err := au.Sample()
		if err != nil {
			if errors.Is(err, audit.ErrConfirmed) || strings.Contains(err.Error(), "full hand count") {
				break
			}
			t.Fatal(err)
		}
		var b strings.Builder
		b.WriteString("station,ballot,president\n")
		for _, d := range round.Draws {
			choice := audit.NotFound
			if d.Ballot <= len(paper[d.Station]) {
				choice = paper[d.Station][d.Ballot-1]
			}
			fmt.Fprintf(&b, "%s,%d,%s\n", d.Station, d.Ballot, choice)
		}
		drawn += len(round.Draws)
		polls, errs := audit.ReadPolls(strings.NewReader(b.String()), "polls.csv", def)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if _, errs := au.Poll(auditor, polls); len(errs) > 0 {
			t.Fatal(errs)
		}
		if r, _, err = au.Status(); err != nil {
			t.Fatal(err)
		}
		if r.Decision != "next round" {
			break
		}
	}
	return r, drawn
}

// TestAlphaThresholdRule audits a contest under a threshold rule (more
// than 50% of the valid votes, or 40% and a lead of more than 10 points)
// whose winner has 43.75% of the valid votes and a lead of 15.6 points:
// the outcome rests on the second condition only. When the paper agrees
// with the announcement the audit confirms, each assertion's risk in the
// report; when the announcement swapped BRUNO's votes into ALBA's in every
// box, it never does.
func TestAlphaThresholdRule(t *testing.T) {
	f := electiontest.New(electiontest.Options{Seed: "alpha", Stations: 20, Registered: 500})
	def := withRule(t, f, "threshold win=50 or=40 lead=10 base=valid")
	reported := map[string]box{}
	truth := map[string][]string{}
	swapped := map[string][]string{}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, st := range def.Stations {
		v := box{168, 108, 108, 8, 8}
		reported[st.ID] = v
		truth[st.ID] = shuffled(v, rng)
		swapped[st.ID] = shuffled(box{108, 168, 108, 8, 8}, rng)
	}
	ann := announcedBoxes(def, reported, nil)

	r, drawn := runAlpha(t, def, f.Auditor, ann, truth, 6)
	if r == nil || r.Decision != "confirmed" {
		t.Fatalf("paper as announced: %+v", r)
	}
	c := r.Contests[0]
	var says []string
	for _, a := range c.Assertions {
		says = append(says, a.Says)
	}
	if got, want := strings.Join(says, "; "), "ALBA at least 40%; ALBA leads BRUNO by more than 10%; ALBA leads CORA by more than 10%"; got != want {
		t.Fatalf("assertions %q, want %q", got, want)
	}
	for _, a := range c.Assertions {
		if a.Risk > 0.05 || a.Risk > c.Risk {
			t.Errorf("assertion %q: risk %v, contest risk %v", a.Says, a.Risk, c.Risk)
		}
	}
	if drawn >= 8000/2 {
		t.Errorf("%d of 8000 vouchers drawn to confirm a 15-point lead", drawn)
	}
	t.Logf("confirmed after %d vouchers: %+v", drawn, c.Assertions)

	r, drawn = runAlpha(t, def, f.Auditor, ann, swapped, 10)
	if r != nil && r.Decision == "confirmed" {
		t.Fatalf("a swapped outcome confirmed after %d draws: %+v", drawn, r.Contests)
	}
	t.Logf("swapped: %d vouchers drawn, then %q", drawn, r.Decision)
}

// TestAlphaTwoSeats audits plurality with two seats, where a voucher
// marks up to two candidates ("ALBA+CORA"); a voucher that marks three is
// refused when read.
func TestAlphaTwoSeats(t *testing.T) {
	f := electiontest.New(electiontest.Options{Seed: "alpha2", Stations: 10, Registered: 500})
	def := withRule(t, f, "plurality seats=2")
	reported := map[string]box{}
	ballots := map[string]int{}
	paper := map[string][]string{}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, st := range def.Stations {
		// 400 ballots: 150 ALBA+BRUNO, 120 ALBA+CORA, 100 BRUNO, 30 blank.
		reported[st.ID] = box{270, 250, 120, 30, 0}
		ballots[st.ID] = 400
		var p []string
		for range 150 {
			p = append(p, "ALBA+BRUNO")
		}
		for range 120 {
			p = append(p, "ALBA+CORA")
		}
		for range 100 {
			p = append(p, "BRUNO")
		}
		for range 30 {
			p = append(p, "blank")
		}
		rng.Shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
		paper[st.ID] = p
	}
	r, drawn := runAlpha(t, def, f.Auditor, announcedBoxes(def, reported, ballots), paper, 6)
	if r == nil || r.Decision != "confirmed" {
		t.Fatalf("%+v", r)
	}
	t.Logf("confirmed after %d of 4000 vouchers: %+v", drawn, r.Contests[0].Assertions)
	_, errs := audit.ReadPolls(strings.NewReader("station,ballot,president\n100.1,1,ALBA+BRUNO+CORA\n100.1,2,ALBA+ALBA\n"), "p.csv", def)
	if len(errs) != 2 || !strings.Contains(errs[0].Error(), "p.csv:2: contest president: \"ALBA+BRUNO+CORA\" marks 3 candidates, a ballot marks at most 2") ||
		!strings.Contains(errs[1].Error(), "p.csv:3: contest president: \"ALBA+ALBA\" marks ALBA twice") {
		t.Errorf("errors %v", errs)
	}
}
