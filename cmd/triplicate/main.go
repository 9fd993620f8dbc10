// Command triplicate is auditable election tallying: signed tally sheets
// (actas), the voting terminal that makes them, their printed copies and scans.
//
// Usage:
//
//	triplicate demo                              run the whole story on embedded data
//	triplicate keygen NAME                       make a key pair
//	triplicate election init|check ...           build or check an election definition
//	triplicate machine open|vote|close|status    run a station's voting terminal
//	triplicate machine update ...                give it the center's and log witnesses' keys
//	triplicate machine serve ...                 serve it as a touch-screen kiosk page
//	triplicate acta verify|cosign|print|scan ... check, cosign, print and scan actas
//	triplicate center serve|rebuild ...          run the tallying center
//	triplicate witness serve ...                 run a party's log witness
//	triplicate collect serve|app ...             serve the witnesses' phone app and collect their actas
//	triplicate machine transmit ...              send a final acta to the center
//	triplicate verify ...                        check an election from its evidence
//	triplicate simulate -attack NAME             an election day under attack, verified
//	triplicate audit hot|sample|record|poll|status|quickcount ...   audits and the quick count
//	triplicate version                           the module version and VCS revision
//
// Run "triplicate help COMMAND" for the flags of each.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one subcommand, possibly with its own subcommands.
type command struct {
	name  string
	args  string // usage after the name, e.g. "[-o FILE] NAME"
	short string // one line for the list of commands
	run   func(c *cli, self *command, args []string) error
	sub   []*command
	path  string // "machine open": set when dispatched
}

// cli is what every command runs with.
type cli struct {
	stdout, stderr io.Writer
}

// usageError is a mistake in the command line: exit status 2 and the usage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(f string, args ...any) error { return &usageError{fmt.Sprintf(f, args...)} }

var commands = []*command{
	demoCommand,
	verifyCommand,
	forensicsCommand,
	reportCommand,
	simulateCommand,
	keygenCommand,
	versionCommand,
	{name: "election", short: "build or check an election definition", sub: []*command{electionInitCommand, electionCheckCommand, electionSignCommand}},
	{name: "machine", short: "run a station's voting terminal", sub: []*command{machineSetupCommand, machineOpenCommand, machineVoteCommand, machineCloseCommand, machineStatusCommand, machineUpdateCommand, machineTransmitCommand, machineServeCommand}},
	{name: "center", short: "run the tallying center", sub: []*command{centerServeCommand, centerRebuildCommand}},
	{name: "witness", short: "run a party's log witness", sub: []*command{witnessServeCommand}},
	{name: "collect", short: "collect the actas a party's witnesses read with their phones", sub: []*command{collectServeCommand, collectAppCommand}},
	{name: "acta", short: "check, cosign, print and scan actas", sub: []*command{actaVerifyCommand, actaCosignCommand, actaPrintCommand, actaScanCommand}},
	{name: "audit", short: "audit the paper vouchers and run the observers' quick count", sub: []*command{auditHotCommand, auditRecordCommand, auditSampleCommand, auditPollCommand, auditStatusCommand, auditVerifyCommand, auditServeCommand, auditQuickCountCommand}},
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the command line and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	c := &cli{stdout: stdout, stderr: stderr}
	err := dispatch(c, commands, nil, args)
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "triplicate: %s\n", ue.msg)
		return 2
	default:
		fmt.Fprintf(stderr, "triplicate: %v\n", err)
		return 1
	}
}

func dispatch(c *cli, list []*command, path []string, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			return dispatch(c, list, path, append(args[1:], "-h"))
		}
		printCommands(c.stdout, list, path)
		if len(args) == 0 {
			return usagef("missing command")
		}
		return nil
	}
	for _, cmd := range list {
		if cmd.name != args[0] {
			continue
		}
		p := append(path, cmd.name)
		if cmd.sub != nil {
			return dispatch(c, cmd.sub, p, args[1:])
		}
		cmd.path = strings.Join(p, " ")
		return cmd.run(c, cmd, args[1:])
	}
	return usagef("unknown command %q (run 'triplicate help' for the list)", strings.Join(append(path, args[0]), " "))
}

func printCommands(w io.Writer, list []*command, path []string) {
	prefix := strings.Join(append([]string{"triplicate"}, path...), " ")
	fmt.Fprintf(w, "Usage: %s COMMAND ...\n\nCommands:\n", prefix)
	sorted := append([]*command(nil), list...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].name < sorted[j].name })
	for _, cmd := range sorted {
		// The first line only: "help COMMAND" gives the rest.
		line, _, more := strings.Cut(cmd.short, "\n")
		if more {
			line += " …"
		}
		fmt.Fprintf(w, "  %-10s %s\n", cmd.name, line)
	}
}

// flags returns a flag set for a command that prints its usage on -h.
func (c *cli) flags(cmd *command) *flag.FlagSet {
	fs := flag.NewFlagSet(cmd.path, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		fmt.Fprintf(c.stderr, "Usage: triplicate %s %s\n\n%s\n", cmd.path, cmd.args, cmd.short)
		var any bool
		fs.VisitAll(func(*flag.Flag) { any = true })
		if any {
			fmt.Fprintln(c.stderr, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses flags, turning flag errors into usage errors, and reports a
// usage error for the first of the required string flags left empty.
func parse(fs *flag.FlagSet, args []string, required ...string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err.Error()}
	}
	return requireFlags(fs, required...)
}

// requireFlags reports a usage error for the first empty string flag.
func requireFlags(fs *flag.FlagSet, names ...string) error {
	for _, n := range names {
		if fs.Lookup(n).Value.String() == "" {
			return usagef("%s: missing -%s", fs.Name(), n)
		}
	}
	return nil
}
