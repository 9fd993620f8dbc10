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
	"github.com/triplicate-vote/triplicate/internal/tally"
)

const seed = "12345678901234567890"

func TestParseSeed(t *testing.T) {
	for in, want := range map[string]string{
		seed:                        seed,
		"12345 67890 12345 67890 1": "123456789012345678901",
		" 98765432109876543210\n":   "98765432109876543210",
	} {
		if got, err := audit.ParseSeed(in); err != nil || got != want {
			t.Errorf("ParseSeed(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"1234":                   "4 digits, want at least 20",
		"1234567890123456789x0":  `character 20 ('x') is not a decimal digit`,
		"":                       "0 digits",
		strings.Repeat("1", 201): "more than 200",
	} {
		if _, err := audit.ParseSeed(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseSeed(%q): %v, want an error containing %q", in, err, want)
		}
	}
}

func TestHotSample(t *testing.T) {
	f := electiontest.New(electiontest.Options{Seed: "hot", Stations: 100})
	a, err := audit.HotSample(f.Def, seed, 0.54)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := audit.HotSample(f.Def, seed, 0.54)
	c, _ := audit.HotSample(f.Def, "99999999999999999999", 0.54)
	if len(a) != 54 || len(b) != 54 {
		t.Fatalf("%d and %d stations drawn, want 54", len(a), len(b))
	}
	seen := map[string]bool{}
	same := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("draw %d differs between two runs of one seed: %v, %v", i, a[i], b[i])
		}
		if seen[a[i].Item] || f.Def.Station(a[i].Item) == nil {
			t.Fatalf("station %q drawn twice or not in the election", a[i].Item)
		}
		seen[a[i].Item] = true
		if a[i].Item == c[i].Item {
			same++
		}
	}
	if same > 10 {
		t.Errorf("another seed drew the same station at %d of 54 places", same)
	}
	for _, share := range []float64{0, -1, 1.5} {
		if _, err := audit.HotSample(f.Def, seed, share); err == nil {
			t.Errorf("share %v: no error", share)
		}
	}
}

// TestRecord records the auditors' CSV: good rows become hand actas signed
// by the auditor; each bad row is refused with its line named, and nothing
// recorded before is lost.
func TestRecord(t *testing.T) {
	f := electiontest.New(electiontest.Options{Seed: "record", Stations: 6, Registered: 500})
	dir := t.TempDir()
	csv := "station,ballots,ALBA,BRUNO,CORA,blank,null\n" +
		"100.1,300,100,150,40,4,6\n" + // line 2: good
		"100.2,300,100,150,40,4,6\n" + // line 3: good
		"100.9,300,100,150,40,4,6\n" + // line 4: no such station
		"100.1,300,100,150,40,4,6\n" + // line 5: counted again
		"100.3,300,100,150,50,4,6\n" + // line 6: does not add up
		"100.4,600,300,250,40,4,6\n" + // line 7: more vouchers than voters
		"100.5,300,100,150,40,4,6\n" + // line 8: not in the sample
		"100.6,30x,100,150,40,4,6\n" // line 9: not a count
	counts, errs := audit.ReadHandCounts(strings.NewReader(csv), "counts.csv", f.Def)
	sample := map[string]bool{"100.1": true, "100.2": true, "100.3": true, "100.4": true, "100.6": true}
	written, rerrs := audit.Record(dir, f.Def, f.Auditor, counts, sample, time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC))
	errs = append(errs, rerrs...)
	if len(written) != 2 {
		t.Fatalf("wrote %v, want 100.1 and 100.2", written)
	}
	var all []string
	for _, err := range errs {
		all = append(all, err.Error())
	}
	text := strings.Join(all, "\n")
	for _, want := range []string{
		`counts.csv:4: station "100.9" not in the election`,
		"counts.csv:5: station 100.1 is counted again (first at counts.csv:2)",
		"counts.csv:6: station 100.3: contest president: 310 votes, blank and null, but 300 vouchers",
		"counts.csv:7: station 100.4: 600 vouchers, more than the 500 registered voters",
		"counts.csv:8: station 100.5 is not in the sample",
		`counts.csv:9: column ballots: "30x" is not a count`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("errors lack %q:\n%s", want, text)
		}
	}
	if len(errs) != 6 {
		t.Errorf("%d errors, want 6:\n%s", len(errs), text)
	}
	msg, err := os.ReadFile(filepath.Join(dir, "100.1.acta"))
	if err != nil {
		t.Fatal(err)
	}
	sa, err := acta.Open(msg, f.Def)
	if err != nil || sa.Kind != acta.Hand || sa.Auditor != f.Auditor.Public || sa.Ballots != 300 || sa.Contests[0].Candidates[1].Votes != 150 {
		t.Fatalf("recorded acta: %v, %+v", err, sa)
	}

	// Again, with one count changed: the same counts are no-ops, the
	// changed one conflicts and the recorded acta stays.
	counts2, _ := audit.ReadHandCounts(strings.NewReader("station,ballots,ALBA,BRUNO,CORA,blank,null\n100.1,300,100,150,40,4,6\n100.2,300,101,149,40,4,6\n"), "again.csv", f.Def)
	written, errs = audit.Record(dir, f.Def, f.Auditor, counts2, nil, time.Now())
	if len(written) != 0 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "again.csv:3: station 100.2: conflicts with the hand count already recorded") {
		t.Fatalf("written %v, errors %v; want nothing and one conflict", written, errs)
	}
	if kept, _ := os.ReadFile(filepath.Join(dir, "100.2.acta")); !strings.Contains(string(kept), "candidate ALBA 100\n") {
		t.Error("the recorded count of 100.2 changed")
	}

	// A key that is not an auditor's records nothing.
	if _, errs := audit.Record(dir, f.Def, f.Witness["pa"], counts, nil, time.Now()); len(errs) != 1 || !strings.Contains(errs[0].Error(), "not an auditor key") {
		t.Errorf("witness key: %v", errs)
	}
}

// TestQuickCountFlags holds an announcement against a quick count of every
// station: the announced shares are the true ones, and a changed
// announcement lies outside the (zero-width) intervals.
func TestQuickCountFlags(t *testing.T) {
	f := electiontest.New(electiontest.Options{Seed: "qc", Stations: 4, Registered: 500})
	counts := map[string]tally.Figures{}
	ann := &tally.Announcement{}
	for i, st := range f.Def.Stations {
		fig := tally.Figures{Registered: 500, Ballots: 300, Votes: []int32{int32(100 + 10*i), int32(150 - 10*i), 40, 4, 6}}
		counts[st.ID] = fig
		ann.Stations = append(ann.Stations, tally.AnnouncedStation{Station: st.ID, Figures: fig})
	}
	var sample []string
	for _, st := range f.Def.Stations {
		sample = append(sample, st.ID)
	}
	res, err := audit.QuickCount(f.Def, sample, counts, ann, 0.99)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || len(res[0].Outside) != 0 || res[0].WinnerDiffers || res[0].Collected != 4 {
		t.Fatalf("honest announcement: %+v", res)
	}
	ann.Stations[0].Figures.Votes = []int32{50, 200, 40, 4, 6}
	res, _ = audit.QuickCount(f.Def, sample, counts, ann, 0.99)
	if strings.Join(res[0].Outside, ",") != "ALBA,BRUNO" {
		t.Errorf("altered announcement: outside %v, want ALBA,BRUNO", res[0].Outside)
	}
}
