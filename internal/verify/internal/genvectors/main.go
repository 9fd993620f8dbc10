// Command genvectors writes the test vectors of the verifier's JSON report
// (the evidence bundle of `triplicate verify -json`) in
// doc/spec/vectors/report.
//
// Each vector is a txtar archive with a report, report.json, and the
// expected result, want: "ok", or "error" and a substring of the error
// ReadReport returns; a valid report not in the layout the verifier writes
// has a third file, canonical, with what it writes. The valid reports are
// those of small simulated elections of three stations, verified from the
// center's log, the witnesses' copies and the announcement, and written as
// `triplicate verify -json` writes them; the invalid ones are edits of a
// valid one, written by hand in the table below. The simulation's temporary
// directory and the address of its center are replaced by fixed ones.
//
// The figures are the same on every run (simulate.Config.Seed), but the
// simulation draws its keys and takes its times afresh, so the signatures,
// checkpoints and log order differ from run to run: running it again gives
// other files, equally valid. ReadReport does not recheck signatures.
//
//	go run ./internal/verify/internal/genvectors
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

type vector struct {
	name, comment, report, want string
	canonical                   string
}

func main() {
	dir := flag.String("dir", "doc/spec/vectors/report", "output directory")
	flag.Parse()
	var vs []vector
	add := func(name, comment, report, want string) {
		vs = append(vs, vector{name: name, comment: comment, report: report, want: want})
	}
	honest := report(3, "honest")
	add("ok-honest", "Three stations of an honest election: every station agrees, no finding.", honest, "ok")
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(honest)); err != nil {
		log.Fatal(err)
	}
	vs = append(vs, vector{name: "ok-compact", comment: "The honest report with no white space: read as well, written back indented.",
		report: compact.String(), want: "ok", canonical: honest})
	totals := report(3, "totals")
	add("ok-totals", "The center announces every station right but totals that are not their sum: one totals-altered finding, proven by the log.", totals, "ok")
	add("ok-equivocation", "A machine's key signs a second count of its station: an equivocation finding with both actas as evidence.", report(3, "equivocation"), "ok")

	edit := func(old, new string) string {
		if !strings.Contains(totals, old) {
			log.Fatalf("report has no %q", old)
		}
		return strings.Replace(totals, old, new, 1)
	}
	add("bad-unknown-field", "A field the format does not have.", edit(`"stations": 3,`, `"stations": 3,`+"\n  \"version\": 2,"), `error not a verifier report: line 30: unknown field "version"`)
	add("bad-unknown-nested-field", "A field a finding does not have.", edit(`"proven": true,`, `"proven": true, "weight": 1,`), `error not a verifier report: line 39: /findings/0: unknown field "weight"`)
	add("bad-no-election", "No election id.", edit(`"election": "ve2024",`, ""), "error not a verifier report: no election")
	add("bad-null", "JSON null, not an object.", "null\n", "error not a verifier report: no election")
	add("bad-wrong-type", "A count as a string.", edit(`"stations": 3,`, `"stations": "3",`), "error not a verifier report: line 29: /stations: a JSON string where a number goes")
	add("bad-truncated", "A report cut short after the log.", totals[:strings.Index(totals, "\n  \"stations\"")]+"\n", "error not a verifier report: line 29: unexpected EOF")
	add("bad-not-json", "Text that is not JSON.", "triplicate acta v1\n", "error not a verifier report: line 1: invalid character")
	add("bad-trailing", "A second JSON value after the report.", totals+"{}\n", "error more after the end of the JSON value")
	add("bad-negative", "A negative station count.", strings.Replace(strings.Replace(honest, `"agreeing": 3,`, `"agreeing": 4,`, 1), `"uncounted": 0,`, `"uncounted": -1,`, 1), "error verifier report: negative station counts")
	add("bad-station-sum", "Agreeing, differing and uncounted stations that are not the stations.", edit(`"stations": 3,`, `"stations": 4,`), "error verifier report: 3 agreeing, 0 differing and 0 uncounted stations are not the 4 stations")
	add("bad-finding-no-check", "A finding with no check.", edit(`"check": "totals-altered",`, `"check": "",`), "error verifier report: finding 1 has no check")
	add("bad-by-check-more", "by_check counts more findings of a check than the report lists.", edit(`"totals-altered": 1`, `"totals-altered": 2`), "error verifier report: by_check says 2 totals-altered findings, the report lists 1")
	add("bad-by-check-missing", "by_check leaves out a check the report lists findings of.", edit(`"totals-altered": 1`, ""), "error verifier report: by_check says nothing of the 1 totals-altered findings listed")

	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	old, _ := filepath.Glob(filepath.Join(*dir, "*.txt"))
	for _, o := range old {
		os.Remove(o)
	}
	for _, v := range vs {
		ar := &txtar.Archive{Comment: []byte(v.comment + "\n"), Files: []txtar.File{{Name: "report.json", Data: []byte(v.report)}}}
		if v.canonical != "" {
			ar.Files = append(ar.Files, txtar.File{Name: "canonical", Data: []byte(v.canonical)})
		}
		ar.Files = append(ar.Files, txtar.File{Name: "want", Data: []byte(v.want + "\n")})
		if err := os.WriteFile(filepath.Join(*dir, v.name+".txt"), txtar.Format(ar), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("wrote %d vectors to %s\n", len(vs), *dir)
}

// report simulates an election of n stations under an attack, verifies it
// as `triplicate verify -center URL -copies DIR` does, and returns the JSON
// report as `-json` writes it.
func report(n int, attack string) string {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "genvectors-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	d, err := simulate.Run(ctx, simulate.Config{Dir: tmp, Stations: n, Seed: 7, Attack: attack})
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	v := verify.New(d.Election.Def)
	v.AddLog(ctx, verify.LogSource{Location: d.CenterURL + "/log/"})
	v.AddCopies("copies", d.Evidence.Copies)
	v.AddAnnounced(ctx, d.Evidence.Announced, nil)
	data, err := json.MarshalIndent(v.Report(ctx), "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	s := strings.ReplaceAll(string(data), d.CenterURL, "http://127.0.0.1:8080")
	s = strings.ReplaceAll(s, tmp, "/tmp/day")
	return s + "\n"
}
