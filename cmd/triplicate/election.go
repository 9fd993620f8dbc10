package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/simulate"
)

var electionInitCommand = &command{
	name: "init",
	args: "-keys DIR [-o FILE] [-template FILE] [-levels ...] STATIONS.csv",
	short: "build an election definition from a CSV of stations, generating a machine key for each\n" +
		"(DIR/STATION.key). Contests, parties, witnesses and auditors come from the template;\n" +
		"the default template is Venezuela's 2024 presidential election with no keys.",
	run: runElectionInit,
}

var electionCheckCommand = &command{
	name:  "check",
	args:  "FILE",
	short: "check an election definition: every error with its line and station",
	run:   runElectionCheck,
}

func runElectionInit(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	keyDir := fs.String("keys", "", "`directory` for the machines' private keys (created)")
	out := fs.String("o", "election.txt", "definition `file` to write")
	tmpl := fs.String("template", "", "template definition `file`: id, name, contests, parties, witnesses, auditors")
	levels := fs.String("levels", election.FormatLevels(election.VE2024.Levels), "jurisdiction levels and their `columns`: LEVEL=CODE[:NAME],...")
	table := fs.String("table", election.VE2024.Table, "`column` of the table number within the innermost level")
	registered := fs.String("registered", election.VE2024.Registered, "`column` of the registered voters")
	if err := parse(fs, args, "keys"); err != nil {
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
	if err := os.WriteFile(*out, def.Marshal(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "wrote %s: election %s, %d stations, %d areas; %d machine keys in %s\n",
		*out, def.ID, len(def.Stations), len(def.Areas), len(def.Stations), *keyDir)
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
	return nil
}
