package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/forensics"
	"github.com/triplicate-vote/triplicate/internal/tally"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

var forensicsCommand = &command{
	name: "forensics",
	args: "[-election FILE] (-csv FILE [-csv-map SPEC] | -sources MANIFEST -source NAME) [-signed FILE | -log DIR|URL | -center URL] [-contest ID] [-follow CANDIDATE] [-resamples N] [-seed N] [-json FILE] [-html FILE] [-svg FILE] [-png FILE]",
	short: "screen per-station figures with the statistical indicators of election forensics (fingerprint, integer-percent peaks,\n" +
		"last and second digits, robust outliers), for all stations, those backed by signed evidence and the rest, each\n" +
		"with its calibration on simulated elections; the indicators are screens, not proof, and do not change the exit status",
	run: runForensics,
}

func runForensics(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	electionFile := fs.String("election", "", "the election definition `file` (or the one the -sources manifest names)")
	csvFile := fs.String("csv", "", "the per-station figures (`file`)")
	csvMap := fs.String("csv-map", "ve2024", "the columns of the -csv file: a named mapping or FIELD=COLUMN[+COLUMN],... (see doc/spec/verify.md)")
	manifest := fs.String("sources", "", "a verifier's manifest (TOML, see doc/spec/verify.md): read the figures of its -source")
	sourceName := fs.String("source", "", "the `name` of the manifest's table source to screen")
	contestID := fs.String("contest", "", "the contest `id` (needed if the election has several)")
	follow := fs.String("follow", "", "follow this `candidate`'s share rather than the one with the most votes")
	signedFile := fs.String("signed", "", "a `file` of the station ids backed by signed evidence, one a line")
	logLoc := fs.String("log", "", "the center's log (a `directory` of its tlog-tiles files, or their URL): the stations with a valid acta signed by their machine are the signed ones")
	centerURL := fs.String("center", "", "the center's `URL`: its log, at URL/log/, says which stations are signed")
	timeout := fs.Duration("timeout", tally.DefaultTimeout, "give up on a server that sends nothing for this `duration`")
	resamples := fs.Int("resamples", forensics.DefaultResamples, "binomial Monte Carlo resamples of the integer-percent test")
	seed := fs.Uint64("seed", 1, "seed of the resamples")
	jsonOut := fs.String("json", "", "write the report as JSON to this `file`")
	htmlOut := fs.String("html", "", "write the report as an HTML section to this `file`")
	svgOut := fs.String("svg", "", "draw the fingerprint of all stations as SVG in this `file`")
	pngOut := fs.String("png", "", "draw the fingerprint of all stations as PNG in this `file`")
	nlist := fs.Int("outliers", 20, "how many outliers to list")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usagef("forensics: unexpected argument %q", fs.Arg(0))
	case (*csvFile == "") == (*manifest == ""):
		return usagef("forensics: give the figures: -csv FILE, or -sources MANIFEST -source NAME")
	case (*manifest == "") != (*sourceName == ""):
		return usagef("forensics: -sources and -source go together")
	case *resamples < 1 || *resamples > 1_000_000:
		return usagef("forensics: -resamples %d: want 1 to 1000000", *resamples)
	case *logLoc != "" && *centerURL != "":
		return usagef("forensics: give -log or -center, not both")
	case *signedFile != "" && (*logLoc != "" || *centerURL != ""):
		return usagef("forensics: the signed stations from -signed or from the log (-log, -center): give one")
	}
	if *centerURL != "" {
		*logLoc = strings.TrimSuffix(*centerURL, "/") + "/log/"
	}
	var man *verify.Manifest
	if *manifest != "" {
		var err error
		if man, err = verify.ReadManifest(*manifest); err != nil {
			return fmt.Errorf("forensics: -sources: %w", err)
		}
		*electionFile = cmp.Or(*electionFile, man.Election)
	}
	def, err := readElection(*electionFile)
	if err != nil {
		return err
	}
	ctx, client := context.Background(), tally.HTTPClient(*timeout)
	var signed map[string]bool
	switch logSrc, inManifest := man.Signed(); {
	case *signedFile != "":
		f, err := os.Open(*signedFile)
		if err != nil {
			return err
		}
		signed, err = forensics.ReadSigned(f, *signedFile, def)
		f.Close()
		if err != nil {
			return err
		}
	case *logLoc != "" || inManifest:
		if *logLoc != "" {
			logSrc = verify.Sources{Log: *logLoc}
		}
		logSrc.Client = client
		var problems []verify.Problem
		signed, problems = verify.MachineSigned(ctx, def, logSrc)
		for _, p := range problems {
			fmt.Fprintf(c.stderr, "forensics: signed evidence: %s: %s\n", p.Source, p.What)
		}
		fmt.Fprintf(c.stderr, "%d stations with an acta signed by their machine in %s\n", len(signed), cmp.Or(logSrc.Log, strings.Join(logSrc.Copies, ", ")))
	}
	var rows []tally.CSVRow
	var errs []error
	if man != nil {
		var warnings []string
		if rows, errs, warnings, err = man.ReadTable(ctx, def, *sourceName, client); err != nil {
			return fmt.Errorf("forensics: %w", err)
		}
		for _, w := range warnings {
			fmt.Fprintf(c.stderr, "forensics: %s\n", w)
		}
	} else {
		m, err := tally.ParseMapping(*csvMap, def)
		if err != nil {
			return usagef("forensics: -csv-map: %v", err)
		}
		f, err := os.Open(*csvFile)
		if err != nil {
			return err
		}
		rows, errs = tally.ReadCSV(f, *csvFile, def, m)
		f.Close()
	}
	s, err := forensics.Read(def, *contestID, rows, signed)
	if err != nil {
		return err
	}
	s.Unread(errs)
	if *follow != "" {
		if err := s.Follow(*follow); err != nil {
			return usagef("forensics: -follow: %v", err)
		}
	}
	r := forensics.Analyze(s, forensics.Options{Resamples: *resamples, Seed: *seed, Outliers: *nlist})
	if err := r.WriteText(c.stdout, *nlist); err != nil {
		return err
	}
	outputs := []struct {
		file  string
		write func(io.Writer) error
	}{
		{*jsonOut, func(w io.Writer) error {
			e := json.NewEncoder(w)
			e.SetIndent("", "  ")
			return e.Encode(r)
		}},
		{*htmlOut, func(w io.Writer) error { return r.WriteHTML(w, *nlist) }},
		{*svgOut, func(w io.Writer) error { return r.WriteSVG(w, forensics.All) }},
		{*pngOut, func(w io.Writer) error { return r.WritePNG(w, forensics.All) }},
	}
	for _, o := range outputs {
		if o.file == "" {
			continue
		}
		var b bytes.Buffer
		if err := o.write(&b); err != nil {
			return err
		}
		if err := os.WriteFile(o.file, b.Bytes(), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(c.stderr, "wrote %s\n", o.file)
	}
	return nil
}
