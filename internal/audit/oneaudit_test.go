package audit_test

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// writeFinal writes station st's final acta with figures v, signed by its
// machine, into dir.
func writeFinal(t *testing.T, f *electiontest.Fixture, def *election.Definition, dir string, st *election.Station, v box) {
	t.Helper()
	a := &acta.Acta{Election: def.ID, Station: st.ID, Kind: acta.Final, Machine: st.Machine,
		Opened: time.Date(2026, 5, 3, 6, 0, 0, 0, time.UTC), Closed: time.Date(2026, 5, 3, 18, 0, 0, 0, time.UTC),
		Registered: st.Registered, Records: acta.Digest(nil), Contests: acta.Blank(def.Ballot(st))}
	for j := range a.Contests[0].Candidates {
		a.Contests[0].Candidates[j].Votes = v[j]
		a.Ballots += v[j]
	}
	a.Contests[0].Blank, a.Contests[0].Null = v[3], v[4]
	a.Ballots += v[3] + v[4]
	msg, err := acta.Sign(a, f.Machines[st.ID])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, st.ID+".acta"), msg, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestOneAuditWorkflow runs a stratified audit of 20 stations: 15 with a
// valid signed acta that agrees with the announcement are compared, 4
// without one and 1 whose acta differs from the announcement (disputed)
// are polled, in one sample of vouchers drawn without replacement. When
// the paper agrees with the announcement, it confirms; the strata are
// fixed before the first round, and Compare refuses after it.
func TestOneAuditWorkflow(t *testing.T) {
	f := electiontest.New(electiontest.Options{Seed: "one", Stations: 20, Registered: 500})
	def := f.Def
	rng := rand.New(rand.NewPCG(5, 6))
	reported := map[string]box{}
	paper := map[string][]string{}
	actas := t.TempDir()
	for i, st := range def.Stations {
		// Stations lean one way or the other; ALBA wins 53% to 43%.
		a := 150 + 60*(i%5) - 60
		v := box{a, 370 - a, 20, 6, 4}
		reported[st.ID] = v
		paper[st.ID] = shuffled(v, rng)
		switch {
		case i%5 == 4:
			// No acta: unsigned or missing.
		case i == 3:
			writeFinal(t, f, def, actas, st, box{v[0] - 5, v[1] + 5, v[2], v[3], v[4]})
		default:
			writeFinal(t, f, def, actas, st, v)
		}
	}
	dir := t.TempDir()
	au, err := audit.Start(dir, def, "announced.json", announcedBoxes(def, reported, nil), audit.ONEAudit, seed, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	ids, errs := au.Compare([]string{actas})
	if len(ids) != 15 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "100.4.acta: station 100.4's acta differs from the announced figures (disputed): its station is polled") {
		t.Fatalf("compared %v, errors %v", ids, errs)
	}
	r, drawn := runRounds(t, au, f.Auditor, paper, 6)
	if r == nil || r.Decision != "confirmed" {
		t.Fatalf("%+v", r)
	}
	t.Logf("confirmed after %d of %d vouchers: %+v", drawn, 20*400, r.Contests[0].Assertions)
	if _, errs := au.Compare([]string{actas}); len(errs) != 1 || !strings.Contains(errs[0].Error(), "fixed before the first round") {
		t.Errorf("Compare after a round: %v", errs)
	}
	// The strata are in audit.json: reopened, the audit measures the same.
	au2, err := audit.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	r2, _, err := au2.Status()
	if err != nil || r2.Contests[0].Risk != r.Contests[0].Risk {
		t.Errorf("reopened: %v, %+v", err, r2)
	}
}
