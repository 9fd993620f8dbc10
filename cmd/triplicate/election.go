package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/durable"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
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
	if err := required(fs, "key"); err != nil {
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
	levels := fs.String("levels", levelsFlag(election.VE2024), "jurisdiction levels and their `columns`: LEVEL=CODE[:NAME],...")
	table := fs.String("table", election.VE2024.Table, "`column` of the table number within the innermost level")
	registered := fs.String("registered", election.VE2024.Registered, "`column` of the registered voters")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "keys"); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("election init: want one CSV file of stations, have %d arguments", fs.NArg())
	}
	layout, err := parseLevels(*levels)
	if err != nil {
		return usagef("election init: -levels: %v", err)
	}
	layout.Table, layout.Registered = *table, *registered
	template, templateName := simulate.VE2024Template, "the default template"
	if *tmpl != "" {
		if template, err = os.ReadFile(*tmpl); err != nil {
			return err
		}
		templateName = *tmpl
	}
	if entries, err := os.ReadDir(*keyDir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s already holds files: not mixing new machine keys with old ones", *keyDir)
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
	id := templateID(template)
	private := map[string]string{}
	def, err := election.Build(template, templateName, layout, rows, func(station string) (string, error) {
		skey, vkey, err := keys.Generate(nil, id+"/machine/"+station)
		private[station] = skey
		return vkey, err
	})
	if err != nil {
		return err
	}
	if err := writeKeyDir(*keyDir, private); err != nil {
		return err
	}
	if err := os.WriteFile(*out, def.Marshal(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "wrote %s: election %s, %d stations, %d areas; %d machine keys in %s\n",
		*out, def.ID, len(def.Stations), len(def.Areas), len(def.Stations), *keyDir)
	return nil
}

// writeKeyDir writes the private keys into a new directory, all or none:
// into a temporary directory first (keys.WriteFile syncs each key), renamed
// into place at the end, durably.
func writeKeyDir(dir string, private map[string]string) error {
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for station, skey := range private {
		if err := keys.WriteFile(filepath.Join(tmp, station+".key"), skey); err != nil {
			return err
		}
	}
	os.Remove(dir) // an empty directory, if any; a full one was refused above
	return durable.Rename(tmp, dir)
}

// templateID returns the election id a template declares, for key names.
func templateID(template []byte) string {
	for _, line := range strings.Split(string(template), "\n") {
		if id, ok := strings.CutPrefix(line, "id "); ok {
			return id
		}
	}
	return "election"
}

func levelsFlag(l election.Layout) string {
	var parts []string
	for _, lv := range l.Levels {
		s := lv.Level + "=" + lv.Code
		if lv.Name != "" {
			s += ":" + lv.Name
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ",")
}

func parseLevels(s string) (election.Layout, error) {
	var l election.Layout
	for _, part := range strings.Split(s, ",") {
		level, cols, ok := strings.Cut(part, "=")
		code, name, _ := strings.Cut(cols, ":")
		if !ok || level == "" || code == "" {
			return l, fmt.Errorf("malformed level %q (want LEVEL=CODE or LEVEL=CODE:NAME)", part)
		}
		l.Levels = append(l.Levels, election.LevelColumns{Level: level, Code: code, Name: name})
	}
	return l, nil
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
			for _, e := range list {
				where := fs.Arg(0)
				if e.Line > 0 {
					where = fmt.Sprintf("%s:%d", where, e.Line)
				}
				if e.Station != "" {
					where += ": station " + e.Station
				}
				fmt.Fprintf(c.stdout, "%s: %s\n", where, e.Msg)
			}
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
	if def.Authority == "" {
		fmt.Fprintf(c.stdout, "unsigned: no authority line\n")
	} else {
		fmt.Fprintf(c.stdout, "signed by the authority %s\n", election.KeyID(def.Authority))
	}
	return nil
}
