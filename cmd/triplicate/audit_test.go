package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/election"
)

const testSeed = "31415926535897932384"

// simulatedDay runs "triplicate simulate" into a new directory and writes the
// auditor's key there.
func simulatedDay(t *testing.T, attack string, stations int) (dir string, def *election.Definition) {
	t.Helper()
	dir = t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"simulate", "-attack", attack, "-stations", strconv.Itoa(stations), "-out", dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("simulate: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	def, err := readElection(filepath.Join(dir, "election.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return dir, def
}

// runOK runs a command and fails the test unless it exits with want.
func runOK(t *testing.T, want int, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(args, &stdout, &stderr); code != want {
		t.Fatalf("%s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, stdout.String(), stderr.String())
	}
	return stdout.String() + stderr.String()
}

// readRound reads round-N.csv: the stations (and vouchers) drawn.
func readRound(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs[1:]
}

// TestAuditMACRO runs a batch-comparison audit end to end on a simulated
// day: the first round's stations are hand-counted from their machines'
// real votes, signed, and the audit confirms. Then the same with a machine
// that miscounted: its hand count shows it, and the audit does not confirm.
func TestAuditMACRO(t *testing.T) {
	for _, tc := range []struct {
		name, attack string
		swap         bool // the paper shows the two leaders' votes swapped at every drawn station
		decision     string
		exit         int
		verifyExit   int // the verifier finds the hand counts that differ
	}{
		{"honest", "honest", false, "decision: confirmed", 0, 0},
		// A machine's miscount too small to change the outcome: the audit
		// confirms and reports the discrepancy.
		{"miscount", "miscount", false, "decision: confirmed", 0, 1},
		{"wrong outcome", "honest", true, "not confirmed", 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			day, def := simulatedDay(t, tc.attack, 40)
			auditDir := filepath.Join(day, "rla")
			out := runOK(t, 0, "audit", "sample", "-dir", auditDir, "-election", filepath.Join(day, "election.txt"),
				"-announced", filepath.Join(day, "announced.json"), "-seed", testSeed, "-risk-limit", "10%", "-method", "macro")
			if !strings.Contains(out, "round 1 of the macro audit") {
				t.Fatalf("sample output: %s", out)
			}
			// The auditors count each drawn station's box: the vouchers are
			// the votes the voters cast (hand/ of the day has the real
			// count where the machine miscounted; elsewhere the machine's
			// acta is right).
			var b strings.Builder
			b.WriteString("station,ballots,EG,NM,LM,JABE,JOBR,AE,CF,DC,EM,BERA,blank,null\n")
			seen := map[string]bool{}
			for _, rec := range readRound(t, filepath.Join(auditDir, "round-1.csv")) {
				st := rec[1]
				if seen[st] {
					continue
				}
				seen[st] = true
				msg, err := os.ReadFile(filepath.Join(day, "hand", st+".acta"))
				if err != nil {
					msg, err = os.ReadFile(filepath.Join(day, "copies", st+".acta"))
				}
				if err != nil {
					t.Fatal(err)
				}
				sa, err := acta.Open(msg, def)
				if err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&b, "%s,%d", st, sa.Ballots)
				votes := sa.Contests[0].Candidates
				if tc.swap {
					votes[0].Votes, votes[1].Votes = votes[1].Votes, votes[0].Votes
				}
				for _, x := range votes {
					fmt.Fprintf(&b, ",%d", x.Votes)
				}
				fmt.Fprintf(&b, ",%d,%d\n", sa.Contests[0].Blank, sa.Contests[0].Null)
			}
			if tc.attack == "miscount" {
				// The miscounting machine's box is counted whether drawn or
				// not: it is the one the hot audit found.
				if row := handRow(t, def, day); !seen[strings.Split(row, ",")[0]] {
					fmt.Fprintf(&b, "%s\n", row)
				}
			}
			counts := filepath.Join(day, "counts.csv")
			os.WriteFile(counts, []byte(b.String()), 0o644)
			key := filepath.Join(day, "keys", "auditor.key")
			runOK(t, 0, "audit", "record", "-election", filepath.Join(day, "election.txt"), "-key", key,
				"-csv", counts, "-out", filepath.Join(auditDir, "hand"))
			out = runOK(t, tc.exit, "audit", "status", "-dir", auditDir)
			if !strings.Contains(out, tc.decision) {
				t.Fatalf("status: %s", out)
			}
			var rep audit.Report
			data, _ := os.ReadFile(filepath.Join(auditDir, "report.json"))
			if err := json.Unmarshal(data, &rep); err != nil {
				t.Fatal(err)
			}
			// The verifier shows the audit, its hand counts among the copies.
			vout := runOK(t, tc.verifyExit, "verify", "-election", filepath.Join(day, "election.txt"), "-log", filepath.Join(day, "center", "log"),
				"-announced", filepath.Join(day, "announced.json"), "-copies", filepath.Join(day, "copies"),
				"-copies", filepath.Join(auditDir, "hand"), "-audit", filepath.Join(auditDir, "report.json"))
			if tc.name == "honest" && !strings.Contains(vout, "(macro, risk limit 10%, seed "+testSeed+"): 1 rounds") {
				t.Errorf("verify does not show the audit:\n%s", vout)
			}
			switch tc.name {
			case "honest":
				if rep.Decision != "confirmed" || rep.Contests[0].Risk > 0.1 || len(rep.Discrepancies) != 0 {
					t.Errorf("report: %+v", rep)
				}
				// A sample changed after the draw is caught: status redraws
				// every round from the seed.
				state := filepath.Join(auditDir, "audit.json")
				data, _ := os.ReadFile(state)
				first := rep.Rounds[0].Draws[0].Station
				other := def.Stations[0].ID
				if other == first {
					other = def.Stations[1].ID
				}
				os.WriteFile(state, []byte(strings.Replace(string(data), `"station": "`+first+`"`, `"station": "`+other+`"`, 1)), 0o644)
				if out := runOK(t, 1, "audit", "status", "-dir", auditDir); !strings.Contains(out, "the audit's sample is not the seed's: round 1, draw 1") {
					t.Errorf("tampered sample: %s", out)
				}
			case "miscount":
				if len(rep.Discrepancies) != 1 {
					t.Errorf("%d discrepancies, want the miscounting station's", len(rep.Discrepancies))
				}
			case "wrong outcome":
				if rep.Decision == "confirmed" || rep.Contests[0].Risk < 0.5 || len(rep.Discrepancies) != len(seen) {
					t.Errorf("decision %s, risk %v, %d discrepancies of %d stations", rep.Decision, rep.Contests[0].Risk, len(rep.Discrepancies), len(seen))
				}
				// The next round is drawn, larger; or the full count is due.
				if rep.Decision == "next round" {
					out := runOK(t, 0, "audit", "sample", "-dir", auditDir)
					if !strings.Contains(out, "round 2") {
						t.Errorf("second round: %s", out)
					}
				}
			}
		})
	}
}

// handRow is the CSV row of the hand acta in the day's hand/ that differs
// from the machine's acta in copies/: the miscounting machine's station.
func handRow(t *testing.T, def *election.Definition, day string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(day, "hand", "*.acta"))
	for _, f := range files {
		msg, _ := os.ReadFile(f)
		sa, err := acta.Open(msg, def)
		if err != nil {
			t.Fatal(err)
		}
		cmsg, _ := os.ReadFile(filepath.Join(day, "copies", sa.Station+".acta"))
		ca, err := acta.Open(cmsg, def)
		if err != nil {
			t.Fatal(err)
		}
		if ca.Contests[0].Candidates[0].Votes == sa.Contests[0].Candidates[0].Votes {
			continue
		}
		row := fmt.Sprintf("%s,%d", sa.Station, sa.Ballots)
		for _, x := range sa.Contests[0].Candidates {
			row += fmt.Sprintf(",%d", x.Votes)
		}
		return row + fmt.Sprintf(",%d,%d", sa.Contests[0].Blank, sa.Contests[0].Null)
	}
	t.Fatal("no hand count differs from its machine's acta")
	return ""
}

// TestAuditBallotPolling runs BRAVO and Minerva audits end to end on a
// simulated day: the drawn vouchers are read from the machines' records
// (the box holds the vouchers in the order of their serials), recorded
// signed, and the audit confirms; a voucher not drawn is refused.
func TestAuditBallotPolling(t *testing.T) {
	for _, method := range []string{"bravo", "minerva"} {
		t.Run(method, func(t *testing.T) {
			day, _ := simulatedDay(t, "honest", 30)
			auditDir := filepath.Join(day, "rla")
			runOK(t, 0, "audit", "sample", "-dir", auditDir, "-election", filepath.Join(day, "election.txt"),
				"-announced", filepath.Join(day, "announced.json"), "-seed", testSeed, "-risk-limit", "5%", "-method", method)
			// The audit goes on in rounds until it confirms: the ballots drawn
			// depend on the vouchers' random serials, and a first round has
			// about a 90% chance of being enough (Minerva's is sized so).
			polls := filepath.Join(day, "polls.csv")
			key := filepath.Join(day, "keys", "auditor.key")
			seen := map[string]bool{}
			for round := 1; ; round++ {
				var b strings.Builder
				b.WriteString("station,ballot,president\n")
				for _, rec := range readRound(t, filepath.Join(auditDir, fmt.Sprintf("round-%d.csv", round))) {
					st, ballot := rec[1], rec[2]
					if seen[st+"/"+ballot] {
						continue
					}
					seen[st+"/"+ballot] = true
					records, err := os.ReadFile(filepath.Join(day, "stations", st, "records.txt"))
					if err != nil {
						t.Fatal(err)
					}
					k, _ := strconv.Atoi(ballot)
					line := strings.Split(strings.TrimSuffix(string(records), "\n"), "\n")[k-1]
					_, choice, _ := strings.Cut(line, "president=")
					fmt.Fprintf(&b, "%s,%s,%s\n", st, ballot, choice)
				}
				os.WriteFile(polls, []byte(b.String()), 0o644)
				runOK(t, 0, "audit", "poll", "-dir", auditDir, "-key", key, "-csv", polls)
				var stdout, stderr bytes.Buffer
				code := run([]string{"audit", "status", "-dir", auditDir}, &stdout, &stderr)
				out := stdout.String() + stderr.String()
				if code == 0 && strings.Contains(out, "decision: confirmed") {
					break
				}
				if code != 1 || !strings.Contains(out, "decision: another round") || round == 4 {
					t.Fatalf("round %d: status: exit %d\n%s", round, code, out)
				}
				runOK(t, 0, "audit", "sample", "-dir", auditDir)
			}
			// A voucher that was not drawn is refused, by line.
			os.WriteFile(polls, []byte("station,ballot,president\n10113042.1,99999,EG\n"), 0o644)
			out := runOK(t, 1, "audit", "poll", "-dir", auditDir, "-key", key, "-csv", polls)
			if !strings.Contains(out, "polls.csv:2: voucher 99999 of station 10113042.1 was not drawn") {
				t.Errorf("poll of a voucher not drawn: %s", out)
			}
		})
	}
}

// TestQuickCount runs the observers' quick count on a simulated day: the
// honest announcement lies inside its intervals; one that moves votes at 11
// stations is flagged.
func TestQuickCount(t *testing.T) {
	for _, tc := range []struct {
		attack string
		exit   int
		want   string
	}{
		{"honest", 0, "called for EG"},
		{"announce", 1, "FLAG: the announced result lies outside the quick count's intervals for EG, NM"},
	} {
		t.Run(tc.attack, func(t *testing.T) {
			day, _ := simulatedDay(t, tc.attack, 120)
			out := runOK(t, tc.exit, "audit", "quickcount", "-election", filepath.Join(day, "election.txt"), "-seed", testSeed,
				"-stations", "60", "-csv", filepath.Join(day, "observers.csv"), "-announced", filepath.Join(day, "announced.json"))
			if !strings.Contains(out, tc.want) || !strings.Contains(out, "60 of 120 stations sampled") {
				t.Errorf("output lacks %q:\n%s", tc.want, out)
			}
		})
	}
	if out := runOK(t, 2, "audit", "quickcount", "-election", "x", "-seed", "123", "-stations", "5", "-csv", "x"); !strings.Contains(out, "3 digits, want at least 20") {
		t.Errorf("short seed: %s", out)
	}
}
