package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/boundaries"
	"github.com/triplicate-vote/triplicate/internal/durable"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/simulate"
)

var electionInitCommand = &command{
	name: "init",
	args: "-keys DIR [-o FILE] [-template FILE] [-levels ...] STATIONS.csv\n" +
		"       triplicate election init -observer -station COL -levels COL,... [-registered COL] [-long contest=COL,candidate=COL,votes=COL] [-o FILE] [-template FILE] RESULTS.csv",
	short: "build an election definition from a CSV of stations, generating a machine key for each\n" +
		"(DIR/STATION.key). Contests, parties, witnesses and auditors come from the template;\n" +
		"the default template is Venezuela's 2024 presidential election with no keys.\n" +
		"With -observer, build an observer's definition from a CSV of published results: no machine\n" +
		"keys, the levels by name, the contests and candidates found in the data (see doc/spec/election.md).",
	run: runElectionInit,
}

var electionCheckCommand = &command{
	name:  "check",
	args:  "FILE",
	short: "check an election definition: every error with its line and station",
	run:   runElectionCheck,
}

var electionSignCommand = &command{
	name:  "sign",
	args:  "-key FILE [-o FILE] DEFINITION",
	short: "sign an election definition with the key of the authority its authority line names",
	run:   runElectionSign,
}

func runElectionSign(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	keyFile := fs.String("key", "", "the authority's private key `file`")
	out := fs.String("o", "", "signed definition `file` to write (default: the definition, replaced)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := requireFlags(fs, "key"); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("election sign: want one definition FILE, have %d arguments", fs.NArg())
	}
	k, err := keys.ReadFile(*keyFile)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	signed, err := election.Sign(data, k)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	if *out == "" {
		*out = fs.Arg(0)
	}
	if err := durable.WriteFile(*out, signed, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "wrote %s: signed by the authority %s\n", *out, k.Name())
	return nil
}

func runElectionInit(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	keyDir := fs.String("keys", "", "`directory` for the machines' private keys (created)")
	out := fs.String("o", "election.txt", "definition `file` to write")
	tmpl := fs.String("template", "", "template definition `file`: id, name, contests, parties, witnesses, auditors")
	levels := fs.String("levels", election.FormatLevels(election.VE2024.Levels), "jurisdiction levels and their `columns`: LEVEL=CODE[:NAME],...")
	table := fs.String("table", election.VE2024.Table, "`column` of the table number within the innermost level")
	registered := fs.String("registered", election.VE2024.Registered, "`column` of the registered voters")
	districts := fs.String("districts", "", "`columns` naming districts each station is in (comma-separated): each value a district id the template's contests may be scoped to")
	observer := fs.Bool("observer", false, "build an observer's definition from published results: no machine keys; -levels names the columns of the levels' names")
	fs.String("station", "", "with -observer: the `columns` of the station id (several joined with \".\")")
	fs.String("candidates", "", "with -observer: the candidates' `columns` (default: every column of whole numbers not otherwise named)")
	fs.String("blank", "", "with -observer: the `column` of blank votes (with -long: the candidate name that stands for them)")
	fs.String("null", "", "with -observer: the `column` of null votes (with -long: the candidate name that stands for them)")
	fs.String("long", "", "with -observer: one row per station, contest and candidate, in the `columns` contest=COL,candidate=COL,votes=COL (contest optional)")
	fs.String("contest", "", "with -observer: the `id` of the one contest of data without contest names (default: the template's only contest)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *observer {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		return runObserverInit(c, fs, set)
	}
	if err := requireFlags(fs, "keys"); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("election init: want one CSV file of stations, have %d arguments", fs.NArg())
	}
	lv, err := election.ParseLevels(*levels)
	if err != nil {
		return usagef("election init: -levels: %v", err)
	}
	layout := election.Layout{Levels: lv, Table: *table, Registered: *registered}
	if *districts != "" {
		for _, c := range strings.Split(*districts, ",") {
			if c = strings.TrimSpace(c); c == "" {
				return usagef("election init: -districts %q: an empty column name", *districts)
			}
			layout.Districts = append(layout.Districts, c)
		}
	}
	template, templateName := simulate.VE2024Template, "the default template"
	if *tmpl != "" {
		if template, err = os.ReadFile(*tmpl); err != nil {
			return err
		}
		templateName = *tmpl
	}
	machineKeys, err := election.NewMachineKeys(*keyDir, template)
	if err != nil {
		return err
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := election.ReadStations(f, fs.Arg(0), layout)
	if err != nil {
		return err
	}
	def, err := election.Build(template, templateName, layout, rows, machineKeys.Key)
	if err != nil {
		return err
	}
	if err := machineKeys.Write(); err != nil {
		return err
	}
	if err := durable.WriteFile(*out, def.Marshal(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "wrote %s: election %s, %d stations, %d areas; %d machine keys in %s\n",
		*out, def.ID, len(def.Stations), len(def.Areas), len(def.Stations), *keyDir)
	return nil
}

// runObserverInit is election init -observer: the flags are read into
// election.Columns, and election.Observe does the rest.
func runObserverInit(c *cli, fs *flag.FlagSet, set map[string]bool) error {
	for _, f := range []string{"keys", "table"} {
		if set[f] {
			return usagef("election init: -%s is not for -observer (an observer enrols no machines)", f)
		}
	}
	for _, f := range []string{"station", "levels"} {
		if !set[f] {
			return usagef("election init -observer: missing -%s", f)
		}
	}
	if fs.NArg() != 1 {
		return usagef("election init: want one CSV file of results, have %d arguments", fs.NArg())
	}
	get := func(name string) string { return fs.Lookup(name).Value.String() }
	cols := election.Columns{
		Station: election.ColumnList(get("station")),
		Levels:  election.ColumnList(get("levels")),
		Blank:   get("blank"),
		Null:    get("null"),
		Contest: get("contest"),
	}
	if set["registered"] {
		cols.Registered = get("registered")
	}
	if set["candidates"] {
		cols.Candidates = election.ColumnList(get("candidates"))
	}
	if set["long"] {
		l, err := election.ParseLongColumns(get("long"))
		if err != nil {
			return usagef("election init: -long: %v", err)
		}
		cols.Long = l
	}
	var template []byte
	tmpl := get("template")
	if tmpl != "" {
		var err error
		if template, err = os.ReadFile(tmpl); err != nil {
			return err
		}
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	def, err := election.Observe(data, fs.Arg(0), cols, template, tmpl)
	if err != nil {
		return err
	}
	out := get("o")
	if err := durable.WriteFile(out, def.Marshal(), 0o644); err != nil {
		return err
	}
	candidates := 0
	for _, x := range def.Contests {
		candidates += len(x.Candidates)
	}
	fmt.Fprintf(c.stdout, "wrote %s: election %s, an observer's definition (no machine keys): %d stations, %d areas, %d contests with %d candidates\n",
		out, def.ID, len(def.Stations), len(def.Areas), len(def.Contests), candidates)
	return nil
}

func runElectionCheck(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("election check: want one definition FILE, have %d arguments", fs.NArg())
	}
	def, err := election.ReadFile(fs.Arg(0))
	var shapes *boundaries.Map
	if err == nil {
		shapes, err = boundaries.Read(def, filepath.Dir(fs.Arg(0)))
	}
	if err != nil {
		var list election.ErrorList
		if errors.As(err, &list) {
			list.WriteText(c.stdout, fs.Arg(0))
			return fmt.Errorf("%s: %d errors", fs.Arg(0), len(list))
		}
		return err
	}
	witnesses := 0
	for _, p := range def.Parties {
		witnesses += len(p.Witnesses)
	}
	fmt.Fprintf(c.stdout, "%s: ok: election %s (%s): %d contests, %d areas, %d stations, %d parties with %d witness keys, %d auditors\n",
		fs.Arg(0), def.ID, def.Name, len(def.Contests), len(def.Areas), len(def.Stations), len(def.Parties), witnesses, len(def.Auditors))
	digest := def.Digest()
	fmt.Fprintf(c.stdout, "definition %x\n", digest)
	if shapes != nil {
		fmt.Fprintf(c.stdout, "boundaries %s: %d of %d areas\n", def.Boundaries.Name, len(shapes.Areas), len(def.Areas))
	}
	if def.Authority == "" {
		fmt.Fprintf(c.stdout, "unsigned: no authority line\n")
	} else {
		fmt.Fprintf(c.stdout, "signed by the authority %s\n", election.KeyID(def.Authority))
	}
	return nil
}
