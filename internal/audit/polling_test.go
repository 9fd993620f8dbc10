package audit_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// announced is the center's announcement of the given stations, each with
// its ballots and the votes of ALBA and BRUNO in every contest of its
// ballot (CORA, blank, null 0).
func announced(def *election.Definition, votes map[string][2]int) []byte {
	var b strings.Builder
	b.WriteString(`{"election":"test","stations":[`)
	first := true
	for _, st := range def.Stations {
		v := votes[st.ID]
		if !first {
			b.WriteString(",")
		}
		first = false
		fmt.Fprintf(&b, `{"station":%q,"index":0,"registered":%d,"ballots":%d,"contests":[`, st.ID, st.Registered, v[0]+v[1])
		for i, c := range def.Ballot(st) {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"id":%q,"candidates":[{"id":"ALBA","votes":%d},{"id":"BRUNO","votes":%d},{"id":"CORA","votes":0}],"blank":0,"null":0}`, c.ID, v[0], v[1])
		}
		b.WriteString("]}")
	}
	b.WriteString("]}")
	return []byte(b.String())
}

// TestBallotPollingSmallContest: a contest of 300 ballots and a 6% margin
// cannot be confirmed by BRAVO's sample, which would draw more than its
// ballots: the audit calls for a full hand count from the start, and never
// confirms by BRAVO's shortcut.
func TestBallotPollingSmallContest(t *testing.T) {
	f := electiontest.New(electiontest.Options{Seed: "small", Stations: 3, Registered: 100})
	rep, err := audit.ReadReported(f.Def, "a.json", announced(f.Def, map[string][2]int{"100.1": {53, 47}, "100.2": {53, 47}, "100.3": {53, 47}}), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []audit.Method{audit.BRAVO, audit.Minerva} {
		a := &audit.RLA{Election: "test", Method: m, Seed: seed, RiskLimit: 0.05}
		r, err := audit.FirstRoundSize(a, rep)
		if err != nil {
			t.Fatal(err)
		}
		if r.Decision != "full hand count" {
			t.Errorf("%s: decision %q, want a full hand count", m, r.Decision)
		}
		if _, err := audit.NextRound(a, rep, r); err == nil {
			t.Errorf("%s: a round drawn where a full hand count is due", m)
		}
	}
}

// TestBallotPollingScopedContest: a contest on one station's ballot only is
// measured on the draws from that station. Every voucher read shows its
// reported loser: it must not be confirmed (nor called for a full count by
// the draws of the other stations).
func TestBallotPollingScopedContest(t *testing.T) {
	f := electiontest.New(electiontest.Options{Seed: "scoped", Stations: 3, Registered: 500})
	text := strings.Replace(string(f.Text), "party pa", "contest local 1/200 Local contest\ncandidate local ALBA A\ncandidate local BRUNO B\ncandidate local CORA C\nparty pa", 1)
	text = strings.Replace(text, "area 1/100 Centre 100\n", "area 1/100 Centre 100\narea 1/200 Centre 200\n", 1)
	text = strings.Replace(text, "station 100.3 1/100", "station 100.3 1/200", 1)
	def, err := election.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := audit.ReadReported(def, "a.json", announced(def, map[string][2]int{"100.1": {300, 100}, "100.2": {300, 100}, "100.3": {60, 40}}), "")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a := &audit.RLA{Election: "test", Method: audit.BRAVO, Seed: seed, RiskLimit: 0.05}
	first, err := audit.FirstRoundSize(a, rep)
	if err != nil {
		t.Fatal(err)
	}
	if first.Decision != "full hand count" {
		// The local contest (20% margin over 100 ballots) asks for more
		// than its ballots: a full count of that box; if not, draw.
		t.Logf("first round: %+v", first.Contests)
	}
	// Draw 150 vouchers by hand, as a round would, and read each as BRUNO.
	first.Decision, first.Contests = "next round", nil
	first.NextRound = 150
	round, err := audit.NextRound(a, rep, first)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("station,ballot,president,local\n")
	seen := map[string]bool{}
	local := 0
	for _, d := range round.Draws {
		key := fmt.Sprintf("%s,%d", d.Station, d.Ballot)
		if d.Station == "100.3" {
			local++
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		choice := ""
		if d.Station == "100.3" {
			choice = "BRUNO"
		}
		fmt.Fprintf(&b, "%s,BRUNO,%s\n", key, choice)
	}
	polls, errs := audit.ReadPolls(strings.NewReader(b.String()), "polls.csv", def)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if _, errs := audit.RecordPolls(dir, a, def, f.Auditor, polls); len(errs) > 0 {
		t.Fatal(errs)
	}
	r, err := audit.Status(dir, a, rep, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Contests {
		if c.Confirmed {
			t.Errorf("contest %s confirmed with every voucher for its reported loser (%d local draws): %+v", c.Contest, local, c)
		}
	}
}
