// Command genvectors writes the audit files' test vectors in
// doc/spec/vectors/audit.
//
// Each vector is a txtar archive: the election definition, the files the
// reader under test takes, and want, written by hand in the table below
// (doc/spec/audit.md, "Test vectors", says what each kind of vector holds
// and wants). Three kinds of file are made here rather than written by
// hand: the hot audit's expected sample (the sampler's draw, which
// doc/spec/audit.md specifies byte by byte, with a few lines of Python that
// draw the same sample without this code), and the audit directories and
// reports of risk-limiting audits, drawn from a fixed seed and signed with
// the deterministic keys of electiontest, so running it again gives the
// same files.
//
//	go run ./internal/audit/internal/genvectors
package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

const seed = "12345678901234567890"

// f is the election of the vectors of the hot audit, hand counts and
// polls; rlaElection that of the risk-limiting audits, which MACRO could not
// sample from 5 stations without counting them all.
var (
	f           = electiontest.New(electiontest.Options{Seed: "vectors", Stations: 5})
	rlaElection = electiontest.New(electiontest.Options{Seed: "vectors", Stations: 20})
)

type vector struct {
	name, comment string
	files         []txtar.File
}

var vs []vector

func add(name, comment string, files ...string) { addIn(f, name, comment, files...) }

func addIn(f *electiontest.Fixture, name, comment string, files ...string) {
	v := vector{name: name, comment: comment, files: []txtar.File{{Name: "election", Data: f.Text}}}
	for i := 0; i < len(files); i += 2 {
		v.files = append(v.files, txtar.File{Name: files[i], Data: []byte(files[i+1])})
	}
	vs = append(vs, v)
}

func main() {
	dir := flag.String("dir", "doc/spec/vectors/audit", "output directory")
	flag.Parse()

	hot()
	hand()
	polls()
	dirs()

	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	old, _ := filepath.Glob(filepath.Join(*dir, "*.txt"))
	for _, o := range old {
		os.Remove(o)
	}
	for _, v := range vs {
		ar := &txtar.Archive{Comment: []byte(v.comment + "\n"), Files: v.files}
		if err := os.WriteFile(filepath.Join(*dir, v.name+".txt"), txtar.Format(ar), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("wrote %d vectors to %s\n", len(vs), *dir)
}

// hot: the hot audit's draw (audit hot): a seed and a share in, the sample
// CSV out.
func hot() {
	sample := func(seed string, share float64) string {
		s, err := audit.ParseSeed(seed)
		if err != nil {
			log.Fatal(err)
		}
		tickets, err := audit.HotSample(f.Def, s, share)
		if err != nil {
			log.Fatal(err)
		}
		var b strings.Builder
		w := csv.NewWriter(&b)
		w.Write([]string{"ticket", "station"})
		for _, t := range tickets {
			w.Write([]string{t.Number, t.Item})
		}
		w.Flush()
		return b.String()
	}
	add("hot-ok", "The hot audit draws 54% of 5 stations, rounded up: 3.", "seed", seed+"\n", "share", "0.54\n", "want", sample(seed, 0.54))
	add("hot-ok-all", "A share of 1 draws every station, in ticket order.", "seed", seed+"\n", "share", "1\n", "want", sample(seed, 1))
	add("hot-ok-spaces", "A seed announced in groups: the spaces are dropped, and the draw is the same as hot-ok's.", "seed", "12345 67890 12345 67890\n", "share", "0.54\n", "want", sample(seed, 0.54))
	add("hot-seed-short", "A seed of 19 digits.", "seed", seed[:19]+"\n", "share", "0.54\n", "want", "error seed \"1234567890123456789\": 19 digits, want at least 20\n")
	add("hot-seed-long", "A seed of 201 digits.", "seed", strings.Repeat("1", 201)+"\n", "share", "0.54\n", "want", "error seed: 201 digits, more than 200\n")
	add("hot-seed-letter", "A seed with a letter.", "seed", "1234567890123456789O\n", "share", "0.54\n", "want", "error character 20 ('O') is not a decimal digit\n")
	add("hot-seed-sign", "A seed with a sign.", "seed", "-12345678901234567890\n", "share", "0.54\n", "want", "error character 1 ('-') is not a decimal digit\n")
	add("hot-share-zero", "A share of none.", "seed", seed+"\n", "share", "0\n", "want", "error share 0: want more than 0 and at most 1\n")
	add("hot-share-large", "A share above 1.", "seed", seed+"\n", "share", "1.5\n", "want", "error share 1.5: want more than 0 and at most 1\n")
}

const handHeader = "station,ballots,ALBA,BRUNO,CORA,blank,null\n"

// hand: the auditors' CSV of hand counts, read and recorded as hand actas
// (audit record).
func hand() {
	sample := "ticket,station\n0.1,100.1\n0.2,100.3\n"
	add("hand-ok", "Two boxes counted; each becomes a hand acta signed by the auditor.",
		"hand.csv", handHeader+"100.1,450,300,100,40,5,5\n100.2,449,300,99,40,5,5\n",
		"want", "record 100.1\nrecord 100.2\n")
	add("hand-ok-sample", "A count of a station in the sample.", "sample.csv", sample,
		"hand.csv", handHeader+"100.3,450,300,100,40,5,5\n", "want", "record 100.3\n")
	add("hand-ok-again", "A count already recorded, the same again: nothing to write, nothing wrong.",
		"earlier.csv", handHeader+"100.1,450,300,100,40,5,5\n",
		"hand.csv", handHeader+"100.1,450,300,100,40,5,5\n", "want", "")
	add("hand-ok-bom", "A header with a byte order mark and spaces around the cells, as spreadsheets write.",
		"hand.csv", "\uFEFF"+strings.ReplaceAll(handHeader, ",", ", ")+"100.1, 450, 300, 100, 40, 5, 5\n", "want", "record 100.1\n")
	add("hand-not-in-sample", "A count of a station the sample did not draw.", "sample.csv", sample,
		"hand.csv", handHeader+"100.2,450,300,100,40,5,5\n", "want", "error hand.csv:2: station 100.2 is not in the sample: its count is not recorded\n")
	add("hand-twice", "One station counted twice in the file: the first is recorded.",
		"hand.csv", handHeader+"100.1,450,300,100,40,5,5\n100.1,450,301,99,40,5,5\n",
		"want", "record 100.1\nerror hand.csv:3: station 100.1 is counted again (first at hand.csv:2): only the first is recorded\n")
	add("hand-sum", "Votes, blank and null that do not add up to the vouchers found.",
		"hand.csv", handHeader+"100.1,450,300,100,40,5,4\n", "want", "error hand.csv:2: station 100.1: contest president: 449 votes, blank and null, but 450 vouchers in the box\n")
	add("hand-registered", "More vouchers than registered voters.",
		"hand.csv", handHeader+"100.1,501,300,100,91,5,5\n", "want", "error hand.csv:2: station 100.1: 501 vouchers, more than the 500 registered voters\n")
	add("hand-conflict", "A count that differs from the one already recorded, which is kept.",
		"earlier.csv", handHeader+"100.1,450,300,100,40,5,5\n",
		"hand.csv", handHeader+"100.1,450,299,101,40,5,5\n", "want", "error hand.csv:2: station 100.1: conflicts with the hand count already recorded")
	add("hand-unknown-station", "A station the election does not have.",
		"hand.csv", handHeader+"100.9,450,300,100,40,5,5\n", "want", "error hand.csv:2: station \"100.9\" not in the election\n")
	add("hand-missing-column", "A header without the column of a candidate.",
		"hand.csv", "station,ballots,ALBA,BRUNO,blank,null\n100.1,450,300,140,5,5\n", "want", "error hand.csv:1: header has no column CORA\n")
	add("hand-not-a-count", "A cell that is not a count.",
		"hand.csv", handHeader+"100.1,450,300,100,forty,5,5\n", "want", "error hand.csv:2: column CORA: \"forty\" is not a count\n")
	add("hand-negative", "A negative count.",
		"hand.csv", handHeader+"100.1,450,300,100,-40,5,5\n", "want", "error hand.csv:2: column CORA: \"-40\" is not a count\n")
	add("hand-fields", "A row with a field too few.",
		"hand.csv", handHeader+"100.1,450,300,100,40,10\n", "want", "error hand.csv:2: 6 fields, but the header has 7\n")
	add("hand-latin1", "A file in Latin-1, not UTF-8.",
		"hand.csv", handHeader+"100.1,450,300,100,40,5,5\n100.2,450,300,100,40,5,5 \xe9\n", "want", "record 100.1\nerror hand.csv:3: column null: not UTF-8 (Latin-1? convert with iconv)\n")
}

const pollHeader = "station,ballot,president\n"

// polls: the auditors' CSV of polled vouchers (audit poll).
func polls() {
	add("polls-ok", "Four vouchers: a candidate, blank, null, and one missing from its box.",
		"polls.csv", pollHeader+"100.1,3,ALBA\n100.2,1,blank\n100.2,7,null\n100.5,450,not-found\n",
		"want", "poll 100.1 3 president=ALBA\npoll 100.2 1 president=blank\npoll 100.2 7 president=null\npoll 100.5 450 president=not-found\n")
	add("polls-missing-column", "A header without the contest's column.",
		"polls.csv", "station,ballot\n100.1,3\n", "want", "error polls.csv:1: no column president (want station, ballot and one per contest)\n")
	add("polls-unknown-station", "A station the election does not have.",
		"polls.csv", pollHeader+"100.9,3,ALBA\n", "want", "error polls.csv:2: no station \"100.9\" in election test\n")
	add("polls-ballot-zero", "A voucher position of 0: positions count from 1.",
		"polls.csv", pollHeader+"100.1,0,ALBA\n", "want", "error polls.csv:2: ballot \"0\" is not a position in the box (1, 2, ...)\n")
	add("polls-ballot-word", "A voucher position that is not a number.",
		"polls.csv", pollHeader+"100.1,third,ALBA\n", "want", "error polls.csv:2: ballot \"third\" is not a position in the box (1, 2, ...)\n")
	add("polls-choice", "A choice that is not a candidate, blank, null or not-found.",
		"polls.csv", pollHeader+"100.1,3,ZED\n", "want", "error polls.csv:2: contest president: \"ZED\" is not a candidate, blank, null or not-found\n")
	add("polls-fields", "A row with a field too many.",
		"polls.csv", pollHeader+"100.1,3,ALBA,BRUNO\n", "want", "error polls.csv:2: 4 fields, the header has 3\n")
	add("polls-quote", "A quote left open.",
		"polls.csv", pollHeader+"\"100.1,3,ALBA\n", "want", "error polls.csv: parse error on line 2, column 15: extraneous or missing \" in quoted-field\n")
}

// announced is the center's announcement: every station with 450 ballots,
// ALBA 300, BRUNO 100, CORA 40, 5 blank and 5 null, except those changed.
func announced(f *electiontest.Fixture, change map[string][5]int) string {
	var b strings.Builder
	b.WriteString(`{"election":"test","stations":[`)
	for i, st := range f.Def.Stations {
		v, ok := change[st.ID]
		if !ok {
			v = [5]int{300, 100, 40, 5, 5}
		}
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"station":%q,"index":%d,"registered":%d,"ballots":%d,"contests":[{"id":"president","candidates":[{"id":"ALBA","votes":%d},{"id":"BRUNO","votes":%d},{"id":"CORA","votes":%d}],"blank":%d,"null":%d}]}`,
			st.ID, i, st.Registered, v[0]+v[1]+v[2]+v[3]+v[4], v[0], v[1], v[2], v[3], v[4])
	}
	b.WriteString("]}\n")
	return b.String()
}

var counted = time.Date(2024, 7, 29, 10, 0, 0, 0, time.UTC)

// rla starts a risk-limiting audit of ann in a new directory, draws its
// first round and records the paper of every draw with figures (MACRO) or
// choices (ballot polling) from paper. It returns the directory's files and
// the audit's report (audit status), as the command writes it.
func rla(f *electiontest.Fixture, m audit.Method, ann string, paper func(station string, ballot int) string) (map[string]string, string) {
	dir, err := os.MkdirTemp("", "genvectors-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	rep, err := audit.ReadReported(f.Def, "announced.json", []byte(ann), "")
	if err != nil {
		log.Fatal(err)
	}
	a := &audit.RLA{Election: "test", Method: m, Seed: seed, RiskLimit: 0.05, Announced: "announced.json", AnnouncedSHA256: audit.SHA256([]byte(ann))}
	st, err := audit.FirstRoundSize(a, rep)
	if err != nil {
		log.Fatal(err)
	}
	round, err := audit.NextRound(a, rep, st)
	if err != nil {
		log.Fatal(err)
	}
	if err := a.Save(dir); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "announced.json"), []byte(ann), 0o644); err != nil {
		log.Fatal(err)
	}
	if m == audit.MACRO {
		var counts []audit.HandCount
		seen := map[string]bool{}
		for _, d := range round.Draws {
			if seen[d.Station] {
				continue
			}
			seen[d.Station] = true
			hc, errs := audit.ReadHandCounts(strings.NewReader(handHeader+paper(d.Station, 0)), "paper.csv", f.Def)
			if len(errs) > 0 {
				log.Fatal(errs)
			}
			counts = append(counts, hc...)
		}
		if _, errs := audit.Record(filepath.Join(dir, "hand"), f.Def, f.Auditor, counts, nil, counted); len(errs) > 0 {
			log.Fatal(errs)
		}
	} else {
		var ps []audit.Poll
		for _, d := range round.Draws {
			ps = append(ps, audit.Poll{Station: d.Station, Ballot: d.Ballot, Choices: map[string]string{"president": paper(d.Station, d.Ballot)}, Where: "paper"})
		}
		if _, errs := audit.RecordPolls(dir, a, f.Def, f.Auditor, ps); len(errs) > 0 {
			log.Fatal(errs)
		}
	}
	r, err := audit.Status(dir, a, rep, filepath.Join(dir, "hand"))
	if err != nil {
		log.Fatal(err)
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	files := map[string]string{}
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files["audit/"+filepath.ToSlash(rel)] = string(b)
		return err
	})
	// As audit status -dir audit writes it.
	return files, strings.ReplaceAll(string(data), dir, "audit") + "\n"
}

// addDir adds a vector of an audit directory, its files in name order.
func addDir(name, comment string, files map[string]string, want string) {
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var args []string
	for _, n := range names {
		args = append(args, n, files[n])
	}
	addIn(rlaElection, name, comment, append(args, "want", want)...)
}

func with(files map[string]string, name, old, new string) map[string]string {
	out := map[string]string{}
	for k, v := range files {
		out[k] = v
	}
	if !strings.Contains(out[name], old) {
		log.Fatalf("%s has no %q", name, old)
	}
	out[name] = strings.Replace(out[name], old, new, 1)
	return out
}

// dirs: audit directories (audit status) and their reports (verify -audit).
func dirs() {
	g := rlaElection
	ann := announced(g, nil)
	honestHand := func(station string, _ int) string { return station + ",450,300,100,40,5,5\n" }
	macro, macroReport := rla(g, audit.MACRO, ann, honestHand)
	addDir("status-macro-confirmed", "A MACRO audit whose first round's hand counts match the announcement: confirmed.", macro, "decision confirmed\n")
	// The ballot polling draws vouchers; the paper shows ALBA on three in four.
	honestPoll := func(_ string, k int) string {
		return []string{"ALBA", "ALBA", "BRUNO", "ALBA"}[k%4]
	}
	bravo, bravoReport := rla(g, audit.BRAVO, ann, honestPoll)
	addDir("status-bravo-confirmed", "A BRAVO audit whose first round of polled vouchers confirms the announcement.", bravo, "decision confirmed\n")

	wrong := func(station string, _ int) string { return station + ",450,100,300,40,5,5\n" }
	full, fullReport := rla(g, audit.MACRO, ann, wrong)
	addDir("status-macro-full", "A MACRO audit whose hand counts swap the two leaders: a full hand count.", full, "decision full hand count\n")

	small := func(station string, _ int) string {
		if station == "100.20" {
			return station + ",450,150,250,40,5,5\n"
		}
		return honestHand(station, 0)
	}
	next, _ := rla(g, audit.MACRO, ann, small)
	addDir("status-macro-next-round", "A MACRO audit where the box drawn twice shows 150 votes moved from ALBA to BRUNO, not enough to change the outcome: not confirmed yet, another round.", next, "decision next round\n")

	waiting := map[string]string{}
	for k, v := range macro {
		if !strings.HasPrefix(k, "audit/hand/") {
			waiting[k] = v
		}
	}
	addDir("status-macro-waiting", "A MACRO audit whose drawn boxes are not yet counted.", waiting, "decision waiting\n")

	var a audit.RLA
	if err := json.Unmarshal([]byte(macro["audit/audit.json"]), &a); err != nil {
		log.Fatal(err)
	}
	d := a.Rounds[0].Draws[0]
	addDir("status-changed-draw", "audit.json with its first draw's ticket changed: the seed does not give it.",
		with(macro, "audit/audit.json", `"ticket": "`+d.Ticket, `"ticket": "0.1`), "error round 1, draw 1: recorded")
	addDir("status-changed-announcement", "The audit's copy of the announcement changed after the audit started.",
		with(macro, "audit/announced.json", `"votes":300},{"id":"BRUNO","votes":100}`, `"votes":301},{"id":"BRUNO","votes":99}`), "error announced.json: SHA-256")
	addDir("status-poll-unsigned", "A poll record signed by a witness, not an auditor.",
		with(bravo, "audit/polls-1.note", "— test/auditor/1 ", "— test/witness/pa "), "error polls-1.note: not a record signed by an auditor of election test")
	gap := map[string]string{}
	for k, v := range bravo {
		gap[strings.Replace(k, "polls-1.note", "polls-2.note", 1)] = v
	}
	addDir("status-poll-gap", "Poll records not numbered from 1.", gap, "error poll records are not numbered polls-1.note, polls-2.note, ... without a gap")

	other := strings.Replace(ann, `"votes":300},{"id":"BRUNO","votes":100}`, `"votes":301},{"id":"BRUNO","votes":99}`, 1)
	addIn(g, "report-ok-macro", "The report of a confirmed MACRO audit, with the announcement it audits.", "announced.json", ann, "report.json", macroReport, "want", "ok\n")
	addIn(g, "report-ok-bravo", "The report of a confirmed BRAVO audit.", "announced.json", ann, "report.json", bravoReport, "want", "ok\n")
	addIn(g, "report-full-hand-count", "The report of an audit that calls for a full hand count: an audit finding.", "announced.json", ann, "report.json", fullReport, "want", "finding audit\n")
	addIn(g, "report-other-election", "The report of another election's audit.", "announced.json", ann,
		"report.json", strings.Replace(macroReport, `"election": "test"`, `"election": "other"`, 1), "want", "problem an audit of election \"other\", not \"test\"\n")
	addIn(g, "report-other-announcement", "The report of an audit of another announcement than the one the verifier reads.", "announced.json", other, "report.json", macroReport,
		"want", "problem the audit is of an announcement with SHA-256 "+audit.SHA256([]byte(ann))+", not the one read here\n")
	addIn(g, "report-confirmed-above-limit", "A report that says confirmed with a contest's risk above the limit.", "announced.json", ann,
		"report.json", regexp.MustCompile(`"risk": [0-9.e-]+`).ReplaceAllString(macroReport, `"risk": 0.5`), "want", "problem says confirmed, but contest president has a measured risk of 0.5")
	addIn(g, "report-not-json", "A report cut short.", "announced.json", ann, "report.json", macroReport[:len(macroReport)/2], "want", "problem not an audit report")
}
