package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/machine"
	"github.com/triplicate-vote/triplicate/internal/printing"
)

var machineOpenCommand = &command{
	name: "open",
	args: "-dir DIR [-election FILE -station ID -key FILE] [-lang en|es]",
	short: "open the polls: print and keep the signed zero tape. The first time, -election,\n" +
		"-station and -key set up the station's state directory DIR.",
	run: runMachineOpen,
}

var machineSetupCommand = &command{
	name: "setup",
	args: "-dir DIR -election FILE -station ID -key FILE",
	short: "set up a station's state directory without opening the polls: until it opens, 'machine update'\n" +
		"can still give it a definition that enrols the center's and log witnesses' keys",
	run: runMachineSetup,
}

var machineVoteCommand = &command{
	name:  "vote",
	args:  "-dir DIR CONTEST=CANDIDATE...",
	short: "cast one ballot and print its voucher; a contest left out is blank, CANDIDATE may be blank or null",
	run:   runMachineVote,
}

var machineCloseCommand = &command{
	name:  "close",
	args:  "-dir DIR [-lang en|es]",
	short: "close the polls: print and keep the final acta, signed by the machine",
	run:   runMachineClose,
}

var machineStatusCommand = &command{
	name:  "status",
	args:  "-dir DIR",
	short: "print the terminal's phase and ballots cast",
	run:   runMachineStatus,
}

var machineUpdateCommand = &command{
	name: "update",
	args: "-dir DIR -election FILE",
	short: "give the terminal a new election definition that differs from its copy only in the keys\n" +
		"that check the center's receipts and checkpoints (center, logwitness, publicwitness, loggroup, logquorum, publicquorum); refuse any other change",
	run: runMachineUpdate,
}

var machineTransmitCommand = &command{
	name:  "transmit",
	args:  "-dir DIR -center URL [-timeout D]",
	short: "send the final acta to the tallying center, retrying until it is logged, and keep the receipt",
	run:   runMachineTransmit,
}

// dirFlags parses the flags of a command that works on a state directory.
func dirFlags(c *cli, cmd *command, args []string, more func(*flag.FlagSet)) (*flag.FlagSet, string, error) {
	fs := c.flags(cmd)
	dir := fs.String("dir", "", "the station's state `directory`")
	if more != nil {
		more(fs)
	}
	if err := parse(fs, args, "dir"); err != nil {
		return nil, "", err
	}
	if cmd.name != "vote" && fs.NArg() > 0 {
		return nil, "", usagef("machine %s: unexpected argument %q", cmd.name, fs.Arg(0))
	}
	return fs, *dir, nil
}

// setupFlags are the flags that set up a station's state directory.
type setupFlags struct{ defPath, station, keyPath string }

func (s *setupFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.defPath, "election", "", "election definition `file`, to set up DIR")
	fs.StringVar(&s.station, "station", "", "the station's `id`, to set up DIR")
	fs.StringVar(&s.keyPath, "key", "", "the machine's private key `file`, to set up DIR")
}

// setup sets up the state directory dir if the flags ask for it.
func (s *setupFlags) setup(cmd *command, dir string) error {
	if s.defPath == "" && s.station == "" && s.keyPath == "" {
		return nil
	}
	if s.defPath == "" || s.station == "" || s.keyPath == "" {
		return usagef("machine %s: to set up %s, give all of -election, -station and -key", cmd.name, dir)
	}
	return machine.SetupFiles(dir, s.defPath, s.station, s.keyPath)
}

func runMachineSetup(c *cli, self *command, args []string) error {
	var set setupFlags
	_, dir, err := dirFlags(c, self, args, set.register)
	if err != nil {
		return err
	}
	if set.defPath == "" || set.station == "" || set.keyPath == "" {
		return usagef("machine setup: give all of -election, -station and -key")
	}
	if err := set.setup(self, dir); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "station %s: set up in %s, polls not open\n", set.station, dir)
	return nil
}

func runMachineOpen(c *cli, self *command, args []string) error {
	var set setupFlags
	var langCode *string
	_, dir, err := dirFlags(c, self, args, func(fs *flag.FlagSet) {
		set.register(fs)
		langCode = langFlag(fs)
	})
	if err != nil {
		return err
	}
	lang, err := printing.ParseLang(*langCode)
	if err != nil {
		return usagef("machine open: %v", err)
	}
	if err := set.setup(self, dir); err != nil {
		return err
	}
	return machine.Use(dir, func(t *machine.Terminal) error {
		msg, err := t.Open()
		if err != nil {
			return err
		}
		return printTape(c, t, dir, msg, "zero.acta", lang)
	})
}

func runMachineVote(c *cli, self *command, args []string) error {
	fs, dir, err := dirFlags(c, self, args, nil)
	if err != nil {
		return err
	}
	choices := map[string]string{}
	for _, a := range fs.Args() {
		contest, candidate, ok := strings.Cut(a, "=")
		if !ok || contest == "" || candidate == "" {
			return usagef("machine vote: %q is not CONTEST=CANDIDATE", a)
		}
		if _, dup := choices[contest]; dup {
			return usagef("machine vote: contest %s chosen twice", contest)
		}
		choices[contest] = candidate
	}
	return machine.Use(dir, func(t *machine.Terminal) error {
		v, err := t.Vote(choices)
		if err != nil {
			return err
		}
		fmt.Fprint(c.stdout, v.String())
		return nil
	})
}

func runMachineClose(c *cli, self *command, args []string) error {
	var langCode *string
	_, dir, err := dirFlags(c, self, args, func(fs *flag.FlagSet) { langCode = langFlag(fs) })
	if err != nil {
		return err
	}
	lang, err := printing.ParseLang(*langCode)
	if err != nil {
		return usagef("machine close: %v", err)
	}
	return machine.Use(dir, func(t *machine.Terminal) error {
		msg, err := t.ClosePolls()
		if err != nil {
			return err
		}
		return printTape(c, t, dir, msg, "final.acta", lang)
	})
}

func runMachineStatus(c *cli, self *command, args []string) error {
	_, dir, err := dirFlags(c, self, args, nil)
	if err != nil {
		return err
	}
	return machine.Use(dir, func(t *machine.Terminal) error {
		s := t.Status()
		fmt.Fprintf(c.stdout, "election %s, station %s: polls %s, %d ballots of %d registered\n", s.Election, s.Station, s.Phase, s.Ballots, s.Registered)
		return nil
	})
}

func runMachineUpdate(c *cli, self *command, args []string) error {
	var defPath string
	fs, dir, err := dirFlags(c, self, args, func(fs *flag.FlagSet) {
		fs.StringVar(&defPath, "election", "", "the new election definition `file`")
	})
	if err != nil {
		return err
	}
	if err := requireFlags(fs, "election"); err != nil {
		return err
	}
	def, err := election.ReadFile(defPath)
	if err != nil {
		return err
	}
	return machine.Use(dir, func(t *machine.Terminal) error {
		changed, err := t.UpdateDefinition(def)
		if err != nil {
			return fmt.Errorf("%s: %w", defPath, err)
		}
		d := t.Definition()
		if !changed {
			fmt.Fprintf(c.stdout, "station %s: definition unchanged\n", d.Stations[0].ID)
			return nil
		}
		fmt.Fprintf(c.stdout, "station %s: definition updated: receipts are checked with center key %s and %d of %d log witnesses\n",
			d.Stations[0].ID, d.Center, d.LogQuorum, len(d.LogWitnesses))
		return nil
	})
}

func runMachineTransmit(c *cli, self *command, args []string) error {
	var centerURL string
	var timeout time.Duration
	_, dir, err := dirFlags(c, self, args, func(fs *flag.FlagSet) {
		fs.StringVar(&centerURL, "center", "", "the tallying center's `URL`")
		fs.DurationVar(&timeout, "timeout", 10*time.Minute, "how long to keep trying")
	})
	if err != nil {
		return err
	}
	if centerURL == "" {
		return usagef("machine transmit: missing -center URL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return machine.Use(dir, func(t *machine.Terminal) error {
		tr, err := t.Transmit(ctx, centerURL, &http.Client{Timeout: 30 * time.Second, Transport: &sayFailures{w: c.stderr}})
		if err != nil {
			return err
		}
		st := t.Status()
		fmt.Fprintf(c.stdout, "station %s: final acta logged as entry %d (%s) after %d attempts\n", st.Station, tr.Index, tr.Status, tr.Attempts)
		fmt.Fprintf(c.stdout, "receipt: published checkpoint of %d entries, inclusion proof verified; kept in %s/receipt.json\n", tr.LogSize, dir)
		return nil
	})
}

// printTape prints a signed acta the terminal made, as its paper tape, in
// a language.
func printTape(c *cli, t *machine.Terminal, dir string, msg []byte, file string, lang printing.Lang) error {
	def := t.Definition()
	sa, err := acta.Open(msg, def)
	if err != nil {
		return err
	}
	if err := printing.WriteText(c.stdout, sa, def, lang); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "signed acta: %s\n", filepath.Join(dir, file))
	return nil
}

// sayFailures says each request of a transmission that failed, so that a
// terminal that keeps trying a center that is down is not silent.
type sayFailures struct {
	w io.Writer
	n int
}

func (t *sayFailures) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	t.n++
	switch {
	case err != nil:
		fmt.Fprintf(t.w, "transmit: request %d: %v (trying again until -timeout)\n", t.n, err)
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 &&
		// (a receipt not yet published is a 503 the terminal waits out)
		!(resp.StatusCode == http.StatusServiceUnavailable && r.Method == http.MethodGet):
		fmt.Fprintf(t.w, "transmit: request %d: the center answered %s (trying again until -timeout)\n", t.n, resp.Status)
	}
	return resp, err
}
