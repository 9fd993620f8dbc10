package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/durable"
	"github.com/triplicate-vote/triplicate/internal/keys"
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
	if err := parse(fs, args, "election", "seed"); err != nil {
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
	var b bytes.Buffer
	if err := audit.WriteSample(&b, tickets); err != nil {
		return err
	}
	if *out == "" {
		c.stdout.Write(b.Bytes())
	} else if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "hot audit: %d of %d stations drawn from seed %s\n", len(tickets), len(def.Stations), seed)
	return nil
}

func runAuditRecord(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	electionFile := fs.String("election", "", "the election definition `file`")
	keyFile := fs.String("key", "", "the auditor's key `file`")
	csvFile := fs.String("csv", "", "the hand counts: a CSV `file`")
	sampleFile := fs.String("sample", "", "the sample (`file` of ticket,station): counts of other stations are refused")
	out := fs.String("out", "", "the `directory` of hand actas")
	if err := parse(fs, args, "election", "key", "csv", "out"); err != nil {
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
		if sample, err = audit.ReadSample(*sampleFile); err != nil {
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
	for _, p := range written {
		fmt.Fprintln(c.stdout, p)
	}
	fmt.Fprintf(c.stderr, "recorded %d hand counts in %s; cosign them with: triplicate acta cosign -election %s -key WITNESS.key %s/*.acta\n",
		len(written), *out, *electionFile, *out)
	return refused(c, "audit record", append(errs, rerrs...))
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
	if err := parse(fs, args, "election", "seed"); err != nil {
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
	counts, ann, problems, err := audit.ReadCollected(context.Background(), def, audit.Collected{Copies: copies, CSVs: csvs, CSVMap: *csvMap, Announced: *announced})
	for _, p := range problems {
		fmt.Fprintf(c.stderr, "  could not read: %s\n", p)
	}
	if err != nil {
		return err
	}
	res, err := audit.QuickCount(def, sample, counts, ann, *confidence)
	if err != nil {
		return err
	}
	flagged, unestimated := audit.WriteQuickCount(c.stdout, def, seed, res)
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
