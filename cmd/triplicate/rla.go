package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/durable"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

var auditSampleCommand = &command{
	name: "sample",
	args: "-dir DIR [-election FILE -announced FILE|URL -seed DIGITS -risk-limit 5% -method macro|bravo|minerva]",
	short: "draw the next round of a risk-limiting audit from a public seed (the first round starts the audit\n" +
		"in DIR): stations to hand-count (macro) or vouchers to read (bravo, minerva), in round-N.csv",
	run: runAuditSample,
}

var auditPollCommand = &command{
	name: "poll",
	args: "-dir DIR -key AUDITOR.key -csv POLLS.csv",
	short: "record the vouchers read in a ballot-polling audit (a CSV: station, ballot, one column per contest),\n" +
		"signed by the auditor; refuses vouchers not drawn, duplicates and conflicts, keeping the rest",
	run: runAuditPoll,
}

var auditStatusCommand = &command{
	name: "status",
	args: "-dir DIR",
	short: "measure the risk of each contest from the paper recorded so far and say what to do: confirmed,\n" +
		"another round (and its size), or a full hand count; writes DIR/report.json for the verifier;\n" +
		"exit status 0 only when every contest is confirmed",
	run: runAuditStatus,
}

// flagSet reports whether a flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// riskFlag parses a risk limit as "5%" or "0.05".
func riskFlag(s string) (float64, error) {
	v, pct := strings.CutSuffix(strings.TrimSpace(s), "%")
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, fmt.Errorf("risk limit %q: not a number", s)
	}
	if pct {
		x /= 100
	}
	if x <= 0 || x >= 1 {
		return 0, fmt.Errorf("risk limit %q: want more than 0 and less than 100%%", s)
	}
	return x, nil
}

// openAudit loads an audit's state, definition and reported result.
func openAudit(dir, electionFile string) (*audit.RLA, *election.Definition, *audit.Reported, error) {
	a, err := audit.Load(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	if electionFile == "" {
		electionFile = filepath.Join(dir, "election.txt")
	}
	def, err := readElection(electionFile)
	if err != nil {
		return nil, nil, nil, err
	}
	if def.ID != a.Election {
		return nil, nil, nil, fmt.Errorf("%s is election %s, the audit is of %s", electionFile, def.ID, a.Election)
	}
	announced := a.Announced
	if !filepath.IsAbs(announced) {
		announced = filepath.Join(dir, announced) // the audit's own copy
	}
	data, err := verify.Fetch(context.Background(), announced, nil)
	if err != nil {
		return nil, nil, nil, err
	}
	rep, err := audit.ReadReported(def, a.Announced, data, a.AnnouncedSHA256)
	if err != nil {
		return nil, nil, nil, err
	}
	return a, def, rep, nil
}

func runAuditSample(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	dir := fs.String("dir", "", "the audit's `directory`")
	electionFile := fs.String("election", "", "the election definition `file` (to start the audit)")
	announced := fs.String("announced", "", "the center's announced figures, `file or URL` (to start the audit): what the audit checks")
	seedFlag := fs.String("seed", "", "the public seed, at least 20 `digits` rolled after the results were published (to start)")
	risk := fs.String("risk-limit", "5%", "the `risk limit` (to start)")
	method := fs.String("method", "macro", "`macro` (batch comparison of stations), bravo or minerva (ballot polling)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "dir"); err != nil {
		return err
	}
	var a *audit.RLA
	var def *election.Definition
	var rep *audit.Reported
	var status *audit.Report
	if _, err := os.Stat(filepath.Join(*dir, audit.StateFile)); errors.Is(err, os.ErrNotExist) {
		// Start the audit.
		if err := required(fs, "election", "announced", "seed"); err != nil {
			return err
		}
		seed, err := audit.ParseSeed(*seedFlag)
		if err != nil {
			return usagef("audit sample: %v", err)
		}
		limit, err := riskFlag(*risk)
		if err != nil {
			return usagef("audit sample: %v", err)
		}
		m := audit.Method(*method)
		if m != audit.MACRO && m != audit.BRAVO && m != audit.Minerva {
			return usagef("audit sample: method %q: want macro, bravo or minerva", *method)
		}
		if def, err = readElection(*electionFile); err != nil {
			return err
		}
		data, err := verify.Fetch(context.Background(), *announced, nil)
		if err != nil {
			return err
		}
		if rep, err = audit.ReadReported(def, *announced, data, ""); err != nil {
			return err
		}
		// The audit keeps its own copies of what it checks, in a directory
		// of its own.
		if entries, err := os.ReadDir(*dir); err == nil && len(entries) > 0 {
			return fmt.Errorf("audit sample: %s is not empty and holds no audit: start an audit in a new directory", *dir)
		}
		if err := os.MkdirAll(*dir, 0o755); err != nil {
			return err
		}
		if err := durable.WriteFile(filepath.Join(*dir, "election.txt"), def.Marshal(), 0o644); err != nil {
			return err
		}
		kept := "announced" + filepath.Ext(*announced)
		if filepath.Ext(*announced) != ".csv" {
			kept = "announced.json"
		}
		if err := durable.WriteFile(filepath.Join(*dir, kept), data, 0o644); err != nil {
			return err
		}
		a = &audit.RLA{Election: def.ID, Method: m, Seed: seed, RiskLimit: limit, Announced: kept, AnnouncedSHA256: audit.SHA256(data)}
		if status, err = audit.FirstRoundSize(a, rep); err != nil {
			return err
		}
	} else {
		for _, name := range []string{"election", "announced", "seed", "risk-limit", "method"} {
			if flagSet(fs, name) {
				return usagef("audit sample: %s already holds an audit: -%s is set when it starts", *dir, name)
			}
		}
		var err error
		if a, def, rep, err = openAudit(*dir, ""); err != nil {
			return err
		}
		if status, err = audit.Status(*dir, a, rep, filepath.Join(*dir, "hand")); err != nil {
			return err
		}
	}
	round, err := audit.NextRound(a, rep, status)
	if err != nil {
		return err
	}
	path := filepath.Join(*dir, fmt.Sprintf("round-%d.csv", round.Number))
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	if a.Method == audit.MACRO {
		w.Write([]string{"ticket", "station"})
	} else {
		w.Write([]string{"ticket", "station", "ballot"})
	}
	for _, d := range round.Draws {
		if a.Method == audit.MACRO {
			w.Write([]string{d.Ticket, d.Station})
		} else {
			w.Write([]string{d.Ticket, d.Station, strconv.Itoa(d.Ballot)})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := a.Save(*dir); err != nil {
		return err
	}
	what := "station draws: hand-count each station's box and record it with 'triplicate audit record -sample " + path + " -out " + filepath.Join(*dir, "hand") + "'"
	if a.Method != audit.MACRO {
		what = "vouchers: read each and record them with 'triplicate audit poll -dir " + *dir + "'"
	}
	fmt.Fprintf(c.stdout, "round %d of the %s audit of election %s (risk limit %g%%, seed %s): %d %s\n  the sample: %s\n",
		round.Number, a.Method, def.ID, 100*a.RiskLimit, a.Seed, len(round.Draws), what, path)
	return nil
}

func runAuditPoll(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	dir := fs.String("dir", "", "the audit's `directory`")
	keyFile := fs.String("key", "", "the auditor's key `file`")
	csvFile := fs.String("csv", "", "the vouchers read: a CSV `file`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "dir", "key", "csv"); err != nil {
		return err
	}
	a, def, _, err := openAudit(*dir, "")
	if err != nil {
		return err
	}
	if a.Method == audit.MACRO {
		return fmt.Errorf("audit poll: the audit in %s is a batch comparison: record hand counts with 'triplicate audit record'", *dir)
	}
	key, err := keys.ReadFile(*keyFile)
	if err != nil {
		return err
	}
	f, err := os.Open(*csvFile)
	if err != nil {
		return err
	}
	polls, errs := audit.ReadPolls(f, *csvFile, def)
	f.Close()
	path, rerrs := audit.RecordPolls(*dir, a, def, key, polls)
	errs = append(errs, rerrs...)
	if path != "" {
		fmt.Fprintf(c.stdout, "recorded in %s\n", path)
	}
	if len(errs) > 0 {
		for _, err := range errs {
			fmt.Fprintf(c.stderr, "  %v\n", err)
		}
		return fmt.Errorf("audit poll: %d records refused", len(errs))
	}
	return nil
}

func runAuditStatus(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	dir := fs.String("dir", "", "the audit's `directory` (its hand counts are in DIR/hand)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "dir"); err != nil {
		return err
	}
	hand := filepath.Join(*dir, "hand") // where audit sample reads them too
	a, _, rep, err := openAudit(*dir, "")
	if err != nil {
		return err
	}
	r, err := audit.Status(*dir, a, rep, hand)
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := durable.WriteFile(filepath.Join(*dir, "report.json"), append(data, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%s audit of election %s, risk limit %g%%, seed %s: %d rounds, %d complete\n",
		a.Method, a.Election, 100*a.RiskLimit, a.Seed, len(a.Rounds), r.Complete)
	for _, co := range r.Contests {
		state := "not confirmed"
		if co.Confirmed {
			state = "CONFIRMED"
		}
		fmt.Fprintf(c.stdout, "  contest %s: reported margin %.2f%%, measured risk %.4f: %s\n", co.Contest, 100*co.Margin, co.Risk, state)
	}
	if len(r.Discrepancies) > 0 {
		fmt.Fprintf(c.stdout, "  %d stations whose hand count differs from the reported figures\n", len(r.Discrepancies))
	}
	switch r.Decision {
	case "confirmed":
		fmt.Fprintf(c.stdout, "decision: confirmed — the reported outcome stands, with a risk of at most %g%%\n", 100*a.RiskLimit)
	case "waiting":
		fmt.Fprintf(c.stdout, "decision: waiting — %d draws of round %d have no paper recorded yet\n", len(r.Missing), len(a.Rounds))
	case "next round":
		fmt.Fprintf(c.stdout, "decision: another round — draw %d more with 'triplicate audit sample -dir %s'\n", r.NextRound, *dir)
	case "full hand count":
		fmt.Fprintf(c.stdout, "decision: FULL HAND COUNT — the sample cannot confirm the reported outcome at this risk limit\n")
	}
	fmt.Fprintf(c.stdout, "report: %s\n", filepath.Join(*dir, "report.json"))
	if r.Decision != "confirmed" {
		return fmt.Errorf("audit status: %s", r.Decision)
	}
	return nil
}
