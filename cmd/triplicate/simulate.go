package main

import (
	"context"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/simulate/check"
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
	streamed := *stream || *n > simulate.EmbeddedTables
	if streamed && *attack != "honest" {
		return usagef("simulate: a streamed election (-stream, or more than %d stations) is honest: no -attack %s", simulate.EmbeddedTables, *attack)
	}
	if _, ok := simulate.AttackNamed(*attack); !ok {
		return usagef("simulate: no attack %q (have %s)", *attack, strings.Join(names, ", "))
	}
	return check.Simulate(context.Background(), check.Config{Out: c.stdout, Terminal: isTerminal(c.stdout), Attack: *attack,
		Stream: streamed, Stations: *n, Senders: *senders, Dir: *out, Seed: *seed, JSON: *jsonOut, HTML: *htmlOut})
}
