package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

var auditSampleCommand = &command{
	name: "sample",
	args: "-dir DIR [-election FILE -announced FILE|URL (-seed DIGITS | -commit SHA256) -risk-limit 5% -method macro|bravo|minerva|alpha|oneaudit [-compare DIR]] [-seed DIGITS]",
	short: "draw the next round of a risk-limiting audit from a public seed (the first round starts the audit\n" +
		"in DIR): stations to hand-count (macro) or vouchers to read (bravo, minerva, alpha), in round-N.csv",
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

var auditVerifyCommand = &command{
	name: "verify",
	args: "-dir DIR",
	short: "recompute an audit from its trail (DIR/trail.log) and files alone: the trail's hash chain, the seed\n" +
		"against its commitment, every round redrawn, every record of polls against its logged digest, the last\n" +
		"report's decision and risks; exit status 0 only if every step checks",
	run: runAuditVerify,
}

func runAuditVerify(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	dir := fs.String("dir", "", "the audit's `directory`")
	if err := parse(fs, args, "dir"); err != nil {
		return err
	}
	r, err := audit.VerifyTrail(*dir)
	if err != nil {
		return fmt.Errorf("audit verify: %w", err)
	}
	fmt.Fprintf(c.stdout, "the trail of %s checks: %d rounds redrawn from seed %s; decision recomputed: %s\n", *dir, len(r.Rounds), r.Seed, r.Decision)
	return nil
}

// flagSet reports whether a flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func runAuditSample(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	dir := fs.String("dir", "", "the audit's `directory`")
	electionFile := fs.String("election", "", "the election definition `file` (to start the audit)")
	announced := fs.String("announced", "", "the center's announced figures, `file or URL` (to start the audit): what the audit checks")
	seedFlag := fs.String("seed", "", "the public seed, at least 20 `digits` rolled after the results were published (to start)")
	risk := fs.String("risk-limit", "5%", "the `risk limit` (to start)")
	method := fs.String("method", "macro", "`macro` (batch comparison of stations), bravo or minerva (ballot polling), alpha (ballot polling of each contest under its rule, SHANGRLA assertions tested by ALPHA), or oneaudit (vouchers compared with their station's acta, stations without a valid one polled)")
	compare := fs.String("compare", "", "oneaudit: the signed actas, a `directory`; stations whose final acta is valid and agrees with the announcement are compared, the rest polled (to start)")
	commit := fs.String("commit", "", "the seed's SHA-256, 64 hex `digits`: announce the audit now, draw once the seed is revealed (to start)")
	if err := parse(fs, args, "dir"); err != nil {
		return err
	}
	var au *audit.Audit
	var err error
	if !audit.Started(*dir) {
		if flagSet(fs, "compare") && *method != string(audit.ONEAudit) {
			return usagef("audit sample: -compare is for -method oneaudit")
		}
		if flagSet(fs, "commit") && flagSet(fs, "seed") {
			return usagef("audit sample: -commit announces the audit before the seed is rolled: give -seed later")
		}
		if au, err = startAudit(fs, *dir, *electionFile, *announced, *seedFlag, *commit, *risk, *method); err != nil {
			return err
		}
		if flagSet(fs, "compare") {
			ids, errs := au.Compare([]string{*compare})
			for _, err := range errs {
				fmt.Fprintf(c.stderr, "  %v\n", err)
			}
			fmt.Fprintf(c.stdout, "%d of %d stations compared with their acta, the rest polled\n", len(ids), len(au.Reported.Stations))
		}
		if flagSet(fs, "commit") {
			if err := au.Save(); err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "audit announced in %s: the seed whose SHA-256 is %s draws its first round with 'triplicate audit sample -dir %s -seed DIGITS'\n", *dir, *commit, *dir)
			return nil
		}
	} else {
		for _, name := range []string{"election", "announced", "commit", "risk-limit", "method", "compare"} {
			if flagSet(fs, name) {
				return usagef("audit sample: %s already holds an audit: -%s is set when it starts", *dir, name)
			}
		}
		if au, err = audit.Open(*dir); err != nil {
			return err
		}
		if flagSet(fs, "seed") {
			if au.State.SeedCommitment == "" || au.State.Seed != "" {
				return usagef("audit sample: %s already holds an audit: -seed is set when it starts", *dir)
			}
			seed, err := audit.ParseSeed(*seedFlag)
			if err != nil {
				return usagef("audit sample: %v", err)
			}
			if err := au.Reveal(seed); err != nil {
				return fmt.Errorf("audit sample: %w", err)
			}
		}
	}
	round, path, err := au.Sample()
	if err != nil {
		return err
	}
	round.WriteText(c.stdout, au.State, *dir, path)
	return nil
}

// startAudit checks the flags that start an audit and starts it.
func startAudit(fs *flag.FlagSet, dir, electionFile, announced, seedFlag, commit, risk, method string) (*audit.Audit, error) {
	var seed string
	var err error
	if commit != "" {
		if err := requireFlags(fs, "election", "announced"); err != nil {
			return nil, err
		}
	} else {
		if err := requireFlags(fs, "election", "announced", "seed"); err != nil {
			return nil, err
		}
		if seed, err = audit.ParseSeed(seedFlag); err != nil {
			return nil, usagef("audit sample: %v", err)
		}
	}
	limit, err := audit.ParseRiskLimit(risk)
	if err != nil {
		return nil, usagef("audit sample: %v", err)
	}
	m, err := audit.ParseMethod(method)
	if err != nil {
		return nil, usagef("audit sample: %v", err)
	}
	def, err := readElection(electionFile)
	if err != nil {
		return nil, err
	}
	data, err := tally.Fetch(context.Background(), announced, nil)
	if err != nil {
		return nil, err
	}
	var au *audit.Audit
	if commit != "" {
		au, err = audit.Commit(dir, def, announced, data, m, commit, limit)
	} else {
		au, err = audit.Start(dir, def, announced, data, m, seed, limit)
	}
	if err != nil {
		return nil, fmt.Errorf("audit sample: %w", err)
	}
	return au, nil
}

func runAuditPoll(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	dir := fs.String("dir", "", "the audit's `directory`")
	keyFile := fs.String("key", "", "the auditor's key `file`")
	csvFile := fs.String("csv", "", "the vouchers read: a CSV `file`")
	if err := parse(fs, args, "dir", "key", "csv"); err != nil {
		return err
	}
	au, err := audit.Open(*dir)
	if err != nil {
		return err
	}
	if au.State.Method == audit.MACRO {
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
	polls, errs := audit.ReadPolls(f, *csvFile, au.Def)
	f.Close()
	path, rerrs := au.Poll(key, polls)
	if path != "" {
		fmt.Fprintf(c.stdout, "recorded in %s\n", path)
	}
	return refused(c, "audit poll", append(errs, rerrs...))
}

// refused prints the records refused, if any, and says how many.
func refused(c *cli, cmd string, errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	for _, err := range errs {
		fmt.Fprintf(c.stderr, "  %v\n", err)
	}
	return fmt.Errorf("%s: %d records refused", cmd, len(errs))
}

func runAuditStatus(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	dir := fs.String("dir", "", "the audit's `directory` (its hand counts are in DIR/hand)")
	if err := parse(fs, args, "dir"); err != nil {
		return err
	}
	au, err := audit.Open(*dir)
	if err != nil {
		return err
	}
	r, path, err := au.Status()
	if err != nil {
		return err
	}
	r.WriteText(c.stdout, *dir)
	if bs, err := audit.ReadBoards(au); err != nil {
		fmt.Fprintf(c.stderr, "audit status: the boards' work in the trail: %v\n", err)
	} else {
		bs.WriteText(c.stdout) // what the boards entered and have not recorded yet, if any
	}
	fmt.Fprintf(c.stdout, "report: %s\n", path)
	if r.Decision != "confirmed" {
		return fmt.Errorf("audit status: %s", r.Decision)
	}
	return nil
}
