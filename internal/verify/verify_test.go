package verify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/tally"
	"github.com/triplicate-vote/triplicate/internal/tlog"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

// day runs a simulated election day of n stations with an attack.
func day(t *testing.T, n int, attack string) *simulate.Day {
	t.Helper()
	d, err := simulate.Run(context.Background(), simulate.Config{Dir: t.TempDir(), Stations: n, Seed: 7, Attack: attack})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d
}

// verifyDay verifies a day's log, copies and announcement.
func verifyDay(d *simulate.Day, log string) *verify.Report {
	v := verify.New(d.Election.Def)
	v.AddLog(context.Background(), verify.LogSource{Location: log})
	v.AddCopies("copies", d.Evidence.Copies)
	v.AddAnnounced(context.Background(), d.Evidence.Announced, nil)
	return v.Report(context.Background())
}

// TestEvidenceRechecks takes the evidence bundle of an altered announcement
// through JSON, as a third party gets it, and rechecks each finding offline
// with the definition alone: the witnesses' acta opens, the logged acta is
// the same body, its inclusion proof leads to the checkpoint, the
// checkpoint meets the election's witness policy, and the figures differ
// from the announced ones.
func TestEvidenceRechecks(t *testing.T) {
	d := day(t, 30, "announce")
	r := verifyDay(d, d.CenterURL+"/log/")
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := verify.ReadReport(data)
	if err != nil {
		t.Fatal(err)
	}
	def := d.Election.Def
	altered := 0
	for _, f := range bundle.Findings {
		if f.Check != verify.CheckAltered {
			continue
		}
		altered++
		var copyBody, logBody string
		for _, e := range f.Evidence {
			switch e.Kind {
			case "acta":
				sa, err := acta.Open([]byte(e.Acta), def)
				if err != nil || sa.Station != f.Station {
					t.Fatalf("%s: the witnesses' acta does not recheck: %v", f.Station, err)
				}
				copyBody = string(sa.Body)
			case "log-entry":
				sa, err := acta.Open([]byte(e.Acta), def)
				if err != nil {
					t.Fatalf("%s: the logged acta does not recheck: %v", f.Station, err)
				}
				logBody = string(sa.Body)
				cp, err := tlog.ElectionPolicy(def).Check([]byte(e.Checkpoint))
				if err != nil {
					t.Fatalf("%s: checkpoint: %v", f.Station, err)
				}
				if err := proof.VerifyInclusion(rfc6962.DefaultHasher, *e.Index, cp.Size, rfc6962.DefaultHasher.HashLeaf([]byte(e.Acta)), e.Proof, cp.Hash); err != nil {
					t.Fatalf("%s: inclusion proof: %v", f.Station, err)
				}
			}
		}
		if copyBody == "" || copyBody != logBody {
			t.Fatalf("%s: the evidence lacks the witnesses' acta or the logged one, or they differ", f.Station)
		}
		if len(f.Counts) != 2 || f.Counts[0].Contests[0].Candidates[0].Votes == f.Counts[1].Contests[0].Candidates[0].Votes {
			t.Fatalf("%s: counts %+v do not show the difference", f.Station, f.Counts)
		}
	}
	if altered != 11 {
		t.Fatalf("%d altered stations found, want 11", altered)
	}
}

// lastBundle is the file of the log's last, partial entry bundle.
func lastBundle(d *simulate.Day) string {
	return filepath.Join(d.Evidence.Log, "tile", "entries", "000.p", fmt.Sprint(d.Published))
}

// TestTruncatedLog removes the log's last entry bundle: the verifier says
// what it could not read and does not call every station missing.
func TestTruncatedLog(t *testing.T) {
	d := day(t, 20, "honest")
	if err := os.Remove(lastBundle(d)); err != nil {
		t.Fatal(err)
	}
	r := verifyDay(d, d.Evidence.Log)
	if len(r.Findings) != 0 {
		t.Errorf("findings from a log it could not read: %v", r.Findings[0].Summary)
	}
	if len(r.Problems) == 0 || !strings.Contains(r.Problems[0].What, "reading the log stopped") || !strings.Contains(r.Problems[0].What, "were not checked") {
		t.Fatalf("problems %v, want one saying the log could not be read", r.Problems)
	}
	if r.Log.Complete {
		t.Error("log reported complete")
	}
}

// TestTamperedEntry changes one signature of one logged acta on disk: it
// no longer verifies and the entries no longer hash to the
// checkpoint, which the report says; the finding is not proven (the entry's
// inclusion is not), and the station is still counted from the copies.
func TestTamperedEntry(t *testing.T) {
	d := day(t, 20, "honest")
	bundle := lastBundle(d)
	data, err := os.ReadFile(bundle)
	if err != nil {
		t.Fatal(err)
	}
	// One character of the first machine signature, to another base64 one.
	i := strings.Index(string(data), "— ve2024/machine/") + len("— ")
	i += strings.Index(string(data[i:]), " ") + 20
	if data[i] == 'A' {
		data[i] = 'B'
	} else {
		data[i] = 'A'
	}
	if err := os.WriteFile(bundle, data, 0o644); err != nil {
		t.Fatal(err)
	}
	r := verifyDay(d, d.Evidence.Log)
	if r.Log.Complete {
		t.Error("tampered log reported complete")
	}
	var sub *verify.Finding
	for i, f := range r.Findings {
		if f.Check == verify.CheckSubstitution {
			sub = &r.Findings[i]
		}
	}
	if sub == nil || !strings.Contains(sub.Summary, "signature does not verify") {
		t.Fatalf("findings %+v, want a substitution for the bad signature", r.Findings)
	}
	for _, f := range r.Findings {
		if f.Proven || (f.Station != sub.Station && f.Station != "") {
			t.Errorf("finding %s at %s (proven %v): want only unproven findings at %s", f.Check, f.Station, f.Proven, sub.Station)
		}
	}
	if !strings.Contains(r.Problems[len(r.Problems)-1].What, "do not hash to the root") {
		t.Errorf("problems %v, want one about the root", r.Problems)
	}

	// The log alone: its unproven entries are no evidence of anything —
	// no count from them, and no station missing from them.
	v := verify.New(d.Election.Def)
	v.AddLog(context.Background(), verify.LogSource{Location: d.Evidence.Log})
	r = v.Report(context.Background())
	if o := r.Outcomes[0]; o.Evidence["machine"] != 0 || r.Agreeing != 0 || r.Clean() {
		t.Errorf("the unproven log alone: evidence %v, %d agreeing, clean %v; want no evidence, none agreeing, not clean", o.Evidence, r.Agreeing, r.Clean())
	}
	if r.ByCheck[verify.CheckMissing] != 20 || r.Findings[len(r.Findings)-1].Proven {
		// each station: "no source gives a count", unproven
		t.Errorf("findings by check %v, want 20 unproven missing (no source counts them)", r.ByCheck)
	}
}

// TestBadSources gives the verifier sources it cannot read: an unreadable
// photo, an acta of another election, a malformed announcement, a log
// that is not there. Each is a problem naming the source and what is wrong,
// and the rest is still checked.
func TestBadSources(t *testing.T) {
	d := day(t, 10, "honest")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "photo.png"), []byte("not a png"), 0o644)
	os.WriteFile(filepath.Join(dir, "other.acta"), []byte("triplicate acta v1\nelection other\n"), 0o644)
	bad := filepath.Join(dir, "announced.json")
	os.WriteFile(bad, []byte("{\"election\": \"ve2024\",\n \"stations\": [1, 2]}"), 0o644)

	v := verify.New(d.Election.Def)
	v.AddLog(context.Background(), verify.LogSource{Location: filepath.Join(dir, "nolog")})
	v.AddCopies("copies", append(d.Evidence.Copies, dir))
	v.AddAnnounced(context.Background(), bad, nil)
	v.AddAnnounced(context.Background(), d.Evidence.Announced, nil)
	r := v.Report(context.Background())
	var all []string
	for _, p := range r.Problems {
		all = append(all, p.String())
	}
	text := strings.Join(all, "\n")
	for _, want := range []string{
		"nolog: checkpoint: cannot read the checkpoint",
		"photo.png",
		"other.acta: not a valid acta of election ve2024",
		"announced.json: not the center's announced figures: line 2: /stations/0: a JSON number where",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("problems lack %q:\n%s", want, text)
		}
	}
	if len(r.Findings) != 0 || r.Agreeing != 10 {
		t.Errorf("%d findings, %d stations agree; want none and all 10 from the copies and the announcement", len(r.Findings), r.Agreeing)
	}
}

// TestObserversCSV reads the real observers' collection of the Distrito
// Capital (embedded from ../shared/data, see internal/simulate/data) as
// unsigned copies of a simulated day that cast the real votes: every station
// of the day agrees with it; every row of a station the election does not
// have is a problem naming its line, and the rest are still read.
func TestObserversCSV(t *testing.T) {
	d := day(t, 30, "honest")
	m, err := tally.ParseMapping("ve2024", d.Election.Def)
	if err != nil {
		t.Fatal(err)
	}
	v := verify.New(d.Election.Def)
	v.AddLog(context.Background(), verify.LogSource{Location: d.Evidence.Log})
	v.AddCSV("ve2024-dtto-capital.csv", bytes.NewReader(simulate.VE2024Capital), m)
	r := v.Report(context.Background())
	if len(r.Findings) != 0 || r.Agreeing != 30 {
		t.Fatalf("%d findings (%v), %d agreeing; want none and 30", len(r.Findings), r.Findings, r.Agreeing)
	}
	if r.Sources[1].Counts != 30 || r.Sources[1].Kind != verify.KindUnsigned {
		t.Errorf("CSV source %+v, want 30 unsigned counts", r.Sources[1])
	}
	// 1,504 rows of other stations: 1,000 named, then how many more.
	if len(r.Problems) != 1001 || r.Problems[0].Where != "line 32" || !strings.Contains(r.Problems[0].What, "not in the election") {
		t.Errorf("%d problems, the first %v", len(r.Problems), r.Problems[0])
	}
}
