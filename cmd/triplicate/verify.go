package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/tally"
	"github.com/triplicate-vote/triplicate/internal/verify"
	"github.com/triplicate-vote/triplicate/internal/web/report"
)

var verifyCommand = &command{
	name: "verify",
	args: "-election FILE [-center URL] [-log DIR|URL] [-checkpoint FILE]... [-copies PATH]... [-announced FILE|URL] [-csv FILE [-csv-map SPEC]]... [-audit FILE]... [-json FILE] [-html FILE] [-timeout D]",
	short: "check an election from its evidence: the center's log, witnesses' copies and scans, hand counts,\n" +
		"the announced figures and other sources' CSVs, reconciled station by station and weighed;\n" +
		"exit status 1 if it finds a discrepancy or cannot check something it was given",
	run: runVerify,
}

// listFlag is a flag that may be given several times.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func runVerify(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	electionFile := fs.String("election", "", "the election definition `file`")
	centerURL := fs.String("center", "", "the center's `URL`: reads its log at URL/log/ and its announced figures at URL/v1/announced")
	logLoc := fs.String("log", "", "the center's log: a `directory` of its tlog-tiles files, or their URL")
	announced := fs.String("announced", "", "the center's announced figures: a `file` or URL of /v1/announced (JSON or CSV)")
	var checkpoints, copies, csvs, audits listFlag
	fs.Var(&checkpoints, "checkpoint", "a checkpoint of the log saved earlier, or a machine's receipt.json (`file`; repeatable): the log must be consistent with it")
	fs.Var(&copies, "copies", "signed actas held by witnesses or auditors: a `file or directory` of actas and of PNG/JPEG scans (repeatable)")
	fs.Var(&csvs, "csv", "per-station counts from another source, unsigned (`file`; repeatable)")
	fs.Var(&audits, "audit", "an audit's report (`file`: DIR/report.json of triplicate audit status; repeatable); give its hand counts with -copies")
	csvMap := fs.String("csv-map", "ve2024", "the columns of the -csv files: a named mapping or FIELD=COLUMN[+COLUMN],... (see doc/spec/verify.md)")
	jsonOut := fs.String("json", "", "write the evidence bundle to this `file`")
	htmlOut := fs.String("html", "", "write the HTML report to this `file`")
	nfind := fs.Int("findings", 20, "how many findings to list on the terminal")
	timeout := fs.Duration("timeout", tally.DefaultTimeout, "give up on a server that sends nothing for this `duration`: its source is reported unread")
	if err := parse(fs, args, "election"); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("verify: unexpected argument %q", fs.Arg(0))
	}
	def, err := readElection(*electionFile)
	if err != nil {
		return err
	}
	if *centerURL != "" {
		base := strings.TrimSuffix(*centerURL, "/")
		if *logLoc == "" {
			*logLoc = base + "/log/"
		}
		if *announced == "" {
			*announced = base + "/v1/announced"
		}
	}
	if *logLoc == "" && *announced == "" && len(copies) == 0 && len(csvs) == 0 && len(audits) == 0 {
		return usagef("verify: nothing to verify: give -center, -log, -announced, -copies or -csv")
	}
	if *timeout <= 0 {
		return usagef("verify: -timeout %v: want a positive duration", *timeout)
	}
	if *logLoc == "" && len(checkpoints) > 0 {
		return usagef("verify: -checkpoint needs -log or -center")
	}
	var m tally.Mapping
	if len(csvs) > 0 {
		if m, err = tally.ParseMapping(*csvMap, def); err != nil {
			return usagef("verify: -csv-map: %v", err)
		}
	}
	r := verify.Gather(context.Background(), def, verify.Sources{Log: *logLoc, Checkpoints: checkpoints, Copies: copies,
		Announced: *announced, CSVs: csvs, CSVMap: m, Audits: audits, Client: tally.HTTPClient(*timeout)})
	if err := report.Write(c.stdout, r, *nfind, *jsonOut, *htmlOut); err != nil {
		return err
	}
	if n := len(r.Unread()); n > 0 {
		return fmt.Errorf("verify: %d sources could not be read, so nothing is claimed from them; %d findings, %d things not checked", n, len(r.Findings), len(r.Problems)-n)
	}
	if !r.Clean() {
		return fmt.Errorf("verify: %d findings, %d things not checked", len(r.Findings), len(r.Problems))
	}
	return nil
}
