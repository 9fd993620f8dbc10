package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/simulate/check"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

var simulateCommand = &command{
	name: "simulate",
	args: "[-attack NAME] [-stations N] [-stream] [-out DIR] [-seed N]",
	short: "simulate an election day on the embedded data, with one attack of the trust model (or none),\n" +
		"and run the verifier over its evidence: exit status 0 if the verifier catches exactly the attack\n" +
		"(or, for \"honest\", certifies the election clean); with more stations than the 1,534 tables\n" +
		"(or -stream), streams an honest election of N stations through the whole pipeline in bounded memory",
	run: runSimulate,
}

func runSimulate(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	var names []string
	for _, a := range simulate.Attacks {
		names = append(names, a.Name)
	}
	attack := fs.String("attack", "honest", "the `attack`: "+strings.Join(names, ", "))
	n := fs.Int("stations", 100, "how many tables of the Distrito Capital (0: all 1,534); more streams the tables, cycled")
	stream := fs.Bool("stream", false, "stream the pipeline (generate, vote, sign, cosign, transmit, log, verify) in bounded memory, as for more than 1,534 stations")
	senders := fs.Int("senders", 64, "with -stream: concurrent transmissions to the center")
	out := fs.String("out", "", "`directory` for the day's evidence (default: a new temporary one, removed after)")
	seed := fs.Uint64("seed", 2024, "seed of the voters' order and the attack's choices")
	jsonOut := fs.String("json", "", "write the evidence bundle to this `file`")
	htmlOut := fs.String("html", "", "write the HTML report to this `file`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("simulate: unexpected argument %q", fs.Arg(0))
	}
	if *stream || *n > simulate.EmbeddedTables {
		if *attack != "honest" {
			return usagef("simulate: a streamed election (-stream, or more than %d stations) is honest: no -attack %s", simulate.EmbeddedTables, *attack)
		}
		return runStream(c, *n, *senders, *out, *seed, *jsonOut, *htmlOut)
	}
	at, ok := simulate.AttackNamed(*attack)
	if !ok {
		return usagef("simulate: no attack %q (have %s)", *attack, strings.Join(names, ", "))
	}
	dir, cleanup, err := simulationDir(*out)
	if err != nil {
		return err
	}
	defer cleanup()
	start := time.Now()
	step := func(f string, args ...any) {
		fmt.Fprintf(c.stdout, "%6.1fs  "+f+"\n", append([]any{time.Since(start).Seconds()}, args...)...)
	}
	ctx := context.Background()
	fmt.Fprintf(c.stdout, "attack %s: %s\n", at.Name, at.Does)
	day, err := simulate.Run(ctx, simulate.Config{Dir: dir, Stations: *n, Seed: *seed, Attack: at.Name, Hand: 0.05, Progress: step})
	if err != nil {
		return err
	}
	defer day.Close()
	ev, err := check.Sources(day)
	if err != nil {
		return err
	}
	r := verify.Gather(ctx, day.Election.Def, ev)
	r.Simulated = true
	step("verified")
	if err := writeReport(c, r, 20, *jsonOut, *htmlOut); err != nil {
		return err
	}
	if err := check.Caught(day, r); err != nil {
		return fmt.Errorf("simulate: %w", err)
	}
	if at.Name == "honest" {
		fmt.Fprintf(c.stdout, "certified clean: every count of every source agrees, and everything given was checked\n")
	} else {
		fmt.Fprintf(c.stdout, "caught: the verifier found %s at exactly the stations the attack touched, with its evidence\n", strings.Join(at.Checks, ", "))
	}
	return nil
}

// runStream streams an honest election of n stations through the whole
// pipeline and verifies it from the center's log: progress bars on a
// terminal, a few summary lines otherwise.
func runStream(c *cli, n, senders int, out string, seed uint64, jsonOut, htmlOut string) error {
	if n <= 0 {
		n = simulate.EmbeddedTables
	}
	dir, cleanup, err := simulationDir(out)
	if err != nil {
		return err
	}
	defer cleanup()
	if entries, _ := os.ReadDir(dir); out != "" && len(entries) > 0 {
		return fmt.Errorf("%s is not empty: a simulated election needs a directory of its own", dir)
	}
	r, rep, err := check.Stream(context.Background(), simulate.StreamConfig{Dir: dir, Stations: n, Seed: seed, Senders: senders,
		Progress: c.stdout, Terminal: isTerminal(c.stdout)})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "verified from the log: %d stations agree, %d findings, %d problems\n", rep.Agreeing, len(rep.Findings), len(rep.Problems))
	r.WriteStages(c.stdout)
	if !rep.Clean() || rep.Agreeing != n {
		if err := writeReport(c, rep, 20, jsonOut, htmlOut); err != nil {
			return err
		}
		return fmt.Errorf("simulate: the streamed election is not clean: %d of %d stations agree", rep.Agreeing, n)
	}
	if jsonOut != "" || htmlOut != "" {
		if err := writeReport(c, rep, 20, jsonOut, htmlOut); err != nil {
			return err
		}
	}
	fmt.Fprintf(c.stdout, "certified clean: %d stations, every acta in the log signed, cosigned and counted; %.1fs\n", n, r.Wall.Seconds())
	return nil
}

// simulationDir returns the directory a simulation writes to: out, made if
// need be, or a new temporary one that cleanup removes.
func simulationDir(out string) (dir string, cleanup func(), err error) {
	if out == "" {
		tmp, err := os.MkdirTemp("", "triplicate-simulate-")
		if err != nil {
			return "", nil, err
		}
		return tmp, func() { os.RemoveAll(tmp) }, nil
	}
	return out, func() {}, os.MkdirAll(out, 0o755)
}
