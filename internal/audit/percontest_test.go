package audit_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// TestRecordMultiVote: the hand count of a contest of two votes a voucher
// is a version 3 acta stating its undervotes; a count with more votes than
// the vouchers can carry, or a candidate on more vouchers than there are,
// is refused with its line.
func TestRecordMultiVote(t *testing.T) {
	f := electiontest.New(electiontest.Options{Seed: "record", Stations: 4, Registered: 500, Rules: map[string]string{"president": "plurality seats=2"}})
	def := f.Def
	csv := "station,ballots,ALBA,BRUNO,CORA,blank,null\n" +
		"100.1,300,250,200,40,4,6\n" + // line 2: 490 votes on 290 vouchers, two at most
		"100.2,300,290,290,40,4,6\n" + // line 3: 620 votes, more than 580
		"100.3,300,295,100,40,4,6\n" + // line 4: ALBA on 295 of 290 vouchers
		"100.4,300,100,100,40,4,6\n" // line 5: 240 votes on 290 vouchers: one has none
	counts, errs := audit.ReadHandCounts(strings.NewReader(csv), "counts.csv", def)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	dir := t.TempDir()
	written, errs := audit.Record(dir, def, f.Auditor, counts, nil, time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC))
	if len(written) != 1 || filepath.Base(written[0]) != "100.1.acta" {
		t.Fatalf("wrote %v, want 100.1 only", written)
	}
	msg, err := os.ReadFile(written[0])
	if err != nil {
		t.Fatal(err)
	}
	sa, err := acta.Open(msg, def)
	if err != nil {
		t.Fatal(err)
	}
	if c := sa.Contests[0]; sa.Version() != 3 || c.Ballots != 300 || c.Undervotes != 2*290-490 {
		t.Errorf("version %d, contest %+v; want version 3, 300 ballots, 90 undervotes", sa.Version(), c)
	}
	want := []string{"counts.csv:3: station 100.2: contest president: 620 votes on 290 vouchers", "counts.csv:4: station 100.3: contest president: 295 votes for ALBA", "counts.csv:5: station 100.4: contest president: 240 votes on 290 vouchers"}
	if len(errs) != len(want) {
		t.Fatalf("errors %v, want %d", errs, len(want))
	}
	for i, err := range errs {
		if !strings.Contains(err.Error(), want[i]) {
			t.Errorf("error %q, want it to say %q", err, want[i])
		}
	}
}
