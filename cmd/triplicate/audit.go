package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/auditmath"
	"github.com/triplicate-vote/triplicate/internal/durable"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/tally"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

var auditHotCommand = &command{
	name: "hot",
	args: "-election FILE -seed DIGITS [-share 0.54] [-o FILE]",
	short: "draw the stations of the hot audit at close from a public seed (dice rolls announced at close):\n" +
		"a CSV of ticket,station that anyone can redraw",
	run: runAuditHot,
}

var auditRecordCommand = &command{
	name: "record",
	args: "-election FILE -key AUDITOR.key -csv COUNTS.csv [-sample SAMPLE.csv] -out DIR",
	short: "record the auditors' hand counts (a CSV: station, ballots, then one column per candidate, blank, null)\n" +
		"as hand actas signed by the auditor, for the witnesses to cosign; refuses stations outside the sample,\n" +
		"duplicates, conflicts with counts already recorded and counts that do not add up, keeping the rest",
	run: runAuditRecord,
}

var auditQuickCountCommand = &command{
	name: "quickcount",
	args: "-election FILE -seed DIGITS -stations N (-copies DIR | -csv FILE [-csv-map SPEC])... [-announced FILE|URL] [-confidence 0.99]",
	short: "the observers' quick count: draw N stations from a public seed, estimate each contest from the\n" +
		"actas collected there, with intervals, and flag an announced result outside them (exit status 1)",
	run: runAuditQuickCount,
}

func runAuditHot(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	electionFile := fs.String("election", "", "the election definition `file`")
	seedFlag := fs.String("seed", "", "the public seed: at least 20 `digits` (dice rolls announced at close)")
	share := fs.Float64("share", 0.54, "the `share` of stations to count on the spot")
	out := fs.String("o", "", "write the sample to this `file` (default: standard output)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "election", "seed"); err != nil {
		return err
	}
	seed, err := audit.ParseSeed(*seedFlag)
	if err != nil {
		return usagef("audit hot: %v", err)
	}
	def, err := readElection(*electionFile)
	if err != nil {
		return err
	}
	tickets, err := audit.HotSample(def, seed, *share)
	if err != nil {
		return usagef("audit hot: %v", err)
	}
	if err := writeSample(c, *out, tickets); err != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "hot audit: %d of %d stations drawn from seed %s\n", len(tickets), len(def.Stations), seed)
	return nil
}

// writeSample writes a station sample as CSV: ticket,station.
func writeSample(c *cli, path string, tickets []auditmath.Ticket) error {
	var w io.Writer = c.stdout
	var f *os.File
	if path != "" {
		var err error
		if f, err = os.Create(path); err != nil {
			return err
		}
		w = f
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"ticket", "station"})
	for _, t := range tickets {
		cw.Write([]string{t.Number, t.Item})
	}
	cw.Flush()
	err := cw.Error()
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// readSample reads the stations of a sample CSV (ticket,station).
func readSample(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	col := -1
	for i, h := range header {
		if h == "station" {
			col = i
		}
	}
	if col < 0 {
		return nil, fmt.Errorf("%s: no column station in the header %q", path, strings.Join(header, ","))
	}
	out := map[string]bool{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		out[rec[col]] = true
	}
}

func runAuditRecord(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	electionFile := fs.String("election", "", "the election definition `file`")
	keyFile := fs.String("key", "", "the auditor's key `file`")
	csvFile := fs.String("csv", "", "the hand counts: a CSV `file`")
	sampleFile := fs.String("sample", "", "the sample (`file` of ticket,station): counts of other stations are refused")
	out := fs.String("out", "", "the `directory` of hand actas")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "election", "key", "csv", "out"); err != nil {
		return err
	}
	def, err := readElection(*electionFile)
	if err != nil {
		return err
	}
	key, err := keys.ReadFile(*keyFile)
	if err != nil {
		return err
	}
	var sample map[string]bool
	if *sampleFile != "" {
		if sample, err = readSample(*sampleFile); err != nil {
			return err
		}
	}
	f, err := os.Open(*csvFile)
	if err != nil {
		return err
	}
	counts, errs := audit.ReadHandCounts(f, *csvFile, def)
	f.Close()
	written, rerrs := audit.Record(*out, def, key, counts, sample, time.Now())
	errs = append(errs, rerrs...)
	for _, p := range written {
		fmt.Fprintln(c.stdout, p)
	}
	fmt.Fprintf(c.stderr, "recorded %d hand counts in %s; cosign them with: triplicate acta cosign -election %s -key WITNESS.key %s/*.acta\n",
		len(written), *out, *electionFile, *out)
	if len(errs) > 0 {
		for _, err := range errs {
			fmt.Fprintf(c.stderr, "  %v\n", err)
		}
		return fmt.Errorf("audit record: %d records refused", len(errs))
	}
	return nil
}

func runAuditQuickCount(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	electionFile := fs.String("election", "", "the election definition `file`")
	seedFlag := fs.String("seed", "", "the public seed: at least 20 `digits`")
	n := fs.Int("stations", 0, "how many stations to draw (`N`)")
	var copies, csvs listFlag
	fs.Var(&copies, "copies", "signed actas collected at the sampled stations (`dir or file`; repeatable)")
	fs.Var(&csvs, "csv", "the figures collected at the sampled stations, unsigned (`file`; repeatable)")
	csvMap := fs.String("csv-map", "ve2024", "the columns of the -csv files (see verify)")
	announced := fs.String("announced", "", "the center's announced figures (`file or URL`), to hold against the estimate")
	confidence := fs.Float64("confidence", 0.99, "the `confidence` of the intervals")
	jsonOut := fs.String("json", "", "write the estimates to this `file`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "election", "seed"); err != nil {
		return err
	}
	if len(copies) == 0 && len(csvs) == 0 {
		return usagef("audit quickcount: give the counts collected: -copies or -csv")
	}
	seed, err := audit.ParseSeed(*seedFlag)
	if err != nil {
		return usagef("audit quickcount: %v", err)
	}
	def, err := readElection(*electionFile)
	if err != nil {
		return err
	}
	tickets, err := audit.StationSample(def, seed, *n)
	if err != nil {
		return usagef("audit quickcount: %v", err)
	}
	var sample []string
	for _, t := range tickets {
		sample = append(sample, t.Item)
	}
	counts, problems := collectCounts(def, copies, csvs, *csvMap)
	for _, p := range problems {
		fmt.Fprintf(c.stderr, "  could not read: %s\n", p)
	}
	var ann *tally.Announcement
	if *announced != "" {
		data, err := verify.Fetch(context.Background(), *announced, nil)
		if err != nil {
			return err
		}
		var ps []error
		if ann, ps = tally.ParseAnnounced(def, *announced, data); ann == nil {
			return fmt.Errorf("%s", ps[0])
		}
		for _, p := range ps {
			fmt.Fprintf(c.stderr, "  could not read: %s\n", p)
		}
	}
	res, err := audit.QuickCount(def, sample, counts, ann, *confidence)
	if err != nil {
		return err
	}
	flagged, unestimated := false, 0
	for _, cc := range res {
		e := cc.Estimate
		fmt.Fprintf(c.stdout, "contest %s: %d of %d stations sampled from seed %s, %d collected", cc.Contest, cc.Sampled, cc.Stations, seed, cc.Collected)
		if e == nil {
			fmt.Fprintf(c.stdout, ": too few to estimate (at least 2 are needed)\n")
			unestimated++
			continue
		}
		if len(cc.Missing) > 0 {
			fmt.Fprintf(c.stdout, " (%d not collected, left out: the estimate assumes they are like the rest)", len(cc.Missing))
		}
		fmt.Fprintf(c.stdout, "\n  %-10s %9s  %-21s", "", "estimate", fmt.Sprintf("%g%% interval", 100*e.Confidence))
		if cc.Announced != nil {
			fmt.Fprintf(c.stdout, " %9s", "announced")
		}
		fmt.Fprintln(c.stdout)
		for _, x := range def.Contest(cc.Contest).Candidates {
			s := e.Shares[x.ID]
			fmt.Fprintf(c.stdout, "  %-10s %8.2f%%  %8.2f%% – %8.2f%%", x.ID, 100*s.Value, 100*s.Low, 100*s.High)
			if cc.Announced != nil {
				mark := ""
				if !s.Contains(cc.Announced[x.ID]) {
					mark = "  OUTSIDE"
				}
				fmt.Fprintf(c.stdout, " %8.2f%%%s", 100*cc.Announced[x.ID], mark)
			}
			fmt.Fprintln(c.stdout)
		}
		call := "too close to call at this confidence"
		if e.Called {
			call = "called for " + e.Leader
		}
		fmt.Fprintf(c.stdout, "  %s leads %s by %.2f points (%.2f – %.2f): %s\n", e.Leader, e.RunnerUp, 100*e.Margin.Value, 100*e.Margin.Low, 100*e.Margin.High, call)
		if len(cc.Outside) > 0 || cc.WinnerDiffers {
			flagged = true
			fmt.Fprintf(c.stdout, "  FLAG: the announced result lies outside the quick count's intervals for %s", strings.Join(cc.Outside, ", "))
			if cc.WinnerDiffers {
				fmt.Fprintf(c.stdout, "; the announced winner is not the one the quick count calls")
			}
			fmt.Fprintln(c.stdout)
		}
	}
	if *jsonOut != "" {
		data, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return err
		}
		if err := durable.WriteFile(*jsonOut, append(data, '\n'), 0o644); err != nil {
			return err
		}
	}
	if flagged {
		return errors.New("audit quickcount: the announced result lies outside the quick count's intervals")
	}
	if unestimated > 0 {
		return fmt.Errorf("audit quickcount: %d contests could not be estimated", unestimated)
	}
	return nil
}

// collectCounts reads the counts observers collected: signed actas (final
// ones) and CSVs. A station with two different counts keeps the signed one.
func collectCounts(def *election.Definition, copies, csvs []string, csvMap string) (map[string]tally.Figures, []string) {
	counts := map[string]tally.Figures{}
	var problems []string
	for _, name := range csvs {
		m, err := tally.ParseMapping(csvMap, def)
		if err != nil {
			problems = append(problems, fmt.Sprintf("-csv-map: %v", err))
			break
		}
		f, err := os.Open(name)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		rows, errs := tally.ReadCSV(f, name, def, m)
		f.Close()
		for _, err := range errs {
			problems = append(problems, err.Error())
		}
		for _, r := range rows {
			counts[r.Station] = r.Figures
		}
	}
	for _, root := range copies {
		err := walkFiles(root, func(path string) {
			msg, err := os.ReadFile(path)
			if err != nil {
				problems = append(problems, err.Error())
				return
			}
			sa, err := acta.Open(msg, def)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", path, err))
				return
			}
			if sa.Kind == acta.Final {
				counts[def.Station(sa.Station).ID] = tally.FromActa(sa.Acta)
			}
		})
		if err != nil {
			problems = append(problems, err.Error())
		}
	}
	return counts, problems
}

// walkFiles calls fn with each regular file under root (or root itself),
// skipping hidden files.
func walkFiles(root string, fn func(path string)) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
			fn(path)
		}
		return nil
	})
}
