package main

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/durable"
	"github.com/triplicate-vote/triplicate/internal/election"

	"github.com/triplicate-vote/triplicate/internal/forensics"
	"github.com/triplicate-vote/triplicate/internal/tally"
	"github.com/triplicate-vote/triplicate/internal/verify"
	"github.com/triplicate-vote/triplicate/internal/web/report"
)

var verifyCommand = &command{
	name: "verify",
	args: "[-election FILE] [-sources MANIFEST] [-center URL] [-log DIR|URL] [-checkpoint FILE]... [-copies PATH]... [-announced FILE|URL] [-csv FILE [-csv-map SPEC]]... [-audit FILE]... [-json FILE] [-html FILE] [-nist FILE] [-timeout D]",
	short: "check an election from its evidence: the center's log, witnesses' copies and scans, hand counts,\n" +
		"the announced figures and any other source's per-station figures (a manifest lists them, each\n" +
		"named, with its kind, layout and mapping), every two compared station by station and weighed;\n" +
		"exit status 1 if it finds a discrepancy or cannot check something it was given",
	run: runVerify,
}

// onceFlag is a flag that may be given once: a second is an error, not
// a silent override (two mappings for one file).
type onceFlag struct {
	value string
	set   bool
}

func (o *onceFlag) String() string { return o.value }
func (o *onceFlag) Set(s string) error {
	if o.set {
		return fmt.Errorf("given twice (%q, then %q): give one", o.value, s)
	}
	o.value, o.set = s, true
	return nil
}

// listFlag is a flag that may be given several times.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func runVerify(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	electionFile := fs.String("election", "", "the election definition `file` (or the one the -sources manifest names)")
	manifest := fs.String("sources", "", "a manifest (TOML) of the sources, each named and described: see doc/spec/verify.md; the flags below add to it")
	nistOut := fs.String("nist", "", "write each station's corrected figures as NIST SP 1500-100 v2 election results (JSON) to this `file`")
	centerURL := fs.String("center", "", "the center's `URL`: reads its log at URL/log/ and its announced figures at URL/v1/announced")
	logLoc := fs.String("log", "", "the center's log: a `directory` of its tlog-tiles files, or their URL")
	announced := fs.String("announced", "", "the center's announced figures: a `file` or URL of /v1/announced (JSON or CSV), or its signed announcements (?format=signed, or notes the phones saved)")
	var checkpoints, copies, csvs, audits listFlag
	fs.Var(&checkpoints, "checkpoint", "a checkpoint of the log saved earlier, or a machine's receipt.json (`file`; repeatable): the log must be consistent with it")
	fs.Var(&copies, "copies", "signed actas held by witnesses or auditors: a `file or directory` of actas and of PNG/JPEG scans (repeatable)")
	fs.Var(&csvs, "csv", "per-station counts from another source, unsigned (`file`; repeatable)")
	fs.Var(&audits, "audit", "an audit's report (`file`: DIR/report.json of triplicate audit status; repeatable); give its hand counts with -copies")
	csvMap := onceFlag{value: "ve2024"}
	fs.Var(&csvMap, "csv-map", "the columns of the -csv files: a named mapping or FIELD=COLUMN[+COLUMN],... (see doc/spec/verify.md); once: files mapped apart go in a -sources manifest")
	jsonOut := fs.String("json", "", "write the evidence bundle to this `file`")
	htmlOut := fs.String("html", "", "write the HTML report to this `file`")
	nfind := fs.Int("findings", 20, "how many findings to list on the terminal")
	screen := fs.Bool("forensics", false, "screen the figures with the statistical indicators of triplicate forensics, the stations with a machine-signed acta against the rest")
	timeout := fs.Duration("timeout", tally.DefaultTimeout, "give up on a server that sends nothing for this `duration`: its source is reported unread")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("verify: unexpected argument %q", fs.Arg(0))
	}
	var man *verify.Manifest
	if *manifest != "" {
		var err error
		if man, err = verify.ReadManifest(*manifest); err != nil {
			return fmt.Errorf("verify: -sources: %w", err)
		}
		if *electionFile == "" {
			*electionFile = man.Election
		}
	}
	if *electionFile == "" {
		return usagef("verify: -election is required (or a -sources manifest that names the election)")
	}
	def, err := readElection(*electionFile)
	if err != nil {
		return err
	}
	var src verify.Sources
	if man != nil {
		if src, err = man.Resolve(def); err != nil {
			return fmt.Errorf("verify: -sources: %w", err)
		}
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
	if *logLoc == "" && *announced == "" && len(copies) == 0 && len(csvs) == 0 && len(audits) == 0 && man == nil {
		return usagef("verify: nothing to verify: give -sources, -center, -log, -announced, -copies or -csv")
	}
	if *timeout <= 0 {
		return usagef("verify: -timeout %v: want a positive duration", *timeout)
	}
	if *logLoc == "" && src.Log == "" && len(checkpoints) > 0 {
		return usagef("verify: -checkpoint needs -log or -center")
	}
	var m tally.Mapping
	if len(csvs) > 0 {
		if m, err = tally.ParseMapping(csvMap.value, def); err != nil {
			return usagef("verify: -csv-map: %v", err)
		}
	}
	if err := addFlags(&src, *logLoc, *announced, checkpoints, copies, csvs, audits, m); err != nil {
		return usagef("verify: %v", err)
	}
	src.Client, src.KeepCorrected = tally.HTTPClient(*timeout), *nistOut != "" || *screen
	r := verify.Gather(context.Background(), def, src)
	var screens []*forensics.Report
	if *screen {
		screens = verify.Forensics(context.Background(), def, src, r, forensics.Options{})
	}
	if err := report.Write(c.stdout, r, *nfind, *jsonOut, *htmlOut, screens...); err != nil {
		return err
	}
	if *nistOut != "" {
		if err := writeNIST(*nistOut, def, r); err != nil {
			return err
		}
	}
	if n := len(r.Unread()); n > 0 {
		return fmt.Errorf("verify: %d sources could not be read, so nothing is claimed from them; %d findings, %d things not checked", n, len(r.Findings), len(r.Problems)-n)
	}
	if !r.Clean() {
		return fmt.Errorf("verify: %d findings, %d things not checked", len(r.Findings), r.Unchecked())
	}
	return nil
}

// addFlags adds the sources given by flags to those of a manifest: a
// second log or announcement is an error.
func addFlags(s *verify.Sources, logLoc, announced string, checkpoints, copies, csvs, audits []string, m tally.Mapping) error {
	if logLoc != "" {
		if s.Log != "" {
			return fmt.Errorf("-log or -center, and a log in the manifest: give one")
		}
		s.Log = logLoc
	}
	if announced != "" {
		if s.Announced != "" {
			return fmt.Errorf("-announced or -center, and an announcement in the manifest: give one")
		}
		s.Announced = announced
	}
	s.Checkpoints = append(s.Checkpoints, checkpoints...)
	if len(copies) > 0 && len(s.Copies) > 0 {
		return fmt.Errorf("-copies, and copies in the manifest: list them in one place")
	}
	s.Copies = append(s.Copies, copies...)
	for i, c := range csvs {
		if slices.Contains(csvs[:i], c) {
			return fmt.Errorf("-csv %s given twice: a file compared with itself checks nothing", c)
		}
		if _, dup := s.Described[c]; dup {
			return fmt.Errorf("-csv %s: the manifest reads it too", c)
		}
		for _, d := range s.Described {
			if d.Name == c {
				return fmt.Errorf("-csv %s: the name of a source in the manifest", c)
			}
		}
	}
	s.CSVs, s.CSVMap = csvs, m
	s.Audits = append(s.Audits, audits...)
	return nil
}

// writeNIST writes the report's corrected figures as NIST SP 1500-100.
func writeNIST(name string, def *election.Definition, r *verify.Report) error {
	var b bytes.Buffer
	if err := tally.WriteNIST(&b, def, r.Corrected()); err != nil {
		return fmt.Errorf("verify: -nist: %w", err)
	}
	return durable.WriteFile(name, b.Bytes(), 0o644)
}
