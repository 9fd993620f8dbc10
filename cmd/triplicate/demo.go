package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/simulate/demo"
)

var demoCommand = &command{
	name: "demo",
	args: "[-out DIR] [-stations N] [-scan N] [-seed N]",
	short: "tell the whole story on real data: the 1,534 tables of the Distrito Capital in 2024 as a race\n" +
		"decided by 728 votes; terminals vote, sign and print, witnesses cosign and keep copies, the machines\n" +
		"transmit to a tallying center on loopback whose log two parties' witnesses cosign, auditors hand-count\n" +
		"a sample; the center alters the figures it announces for 11 stations, and the verifier proves it",
	run: runDemo,
}

func runDemo(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	out := fs.String("out", filepath.Join(os.TempDir(), "triplicate-demo"), "`directory` for everything the demo makes (cleared first)")
	n := fs.Int("stations", 0, "how many tables of the Distrito Capital to run (0: all 1,534)")
	nscan := fs.Int("scan", 8, "how many printed sheets to scan back")
	seed := fs.Uint64("seed", 2024, "seed of the voters' order and the close race (keys are new every run)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("demo: unexpected argument %q", fs.Arg(0))
	}
	return demo.Run(context.Background(), demo.Config{Out: c.stdout, Terminal: isTerminal(c.stdout), Dir: *out,
		Stations: *n, Scan: *nscan, Seed: *seed, Command: selfCommand()})
}

// selfCommand is how to run this program again as the user can type it:
// "go run ./cmd/triplicate" if go run built it (its executable is in the
// go-build cache, gone or not on the PATH), "triplicate" if that is it on
// the PATH, else its path.
func selfCommand() string {
	exe, err := os.Executable()
	if err != nil {
		return "triplicate"
	}
	if strings.Contains(filepath.ToSlash(exe), "go-build") {
		return "go run ./cmd/triplicate"
	}
	if p, err := exec.LookPath("triplicate"); err == nil {
		if a, err := os.Stat(p); err == nil {
			if b, err := os.Stat(exe); err == nil && os.SameFile(a, b) {
				return "triplicate"
			}
		}
	}
	if strings.ContainsAny(exe, " '\"\\$`") {
		return "'" + strings.ReplaceAll(exe, "'", `'\''`) + "'"
	}
	return exe
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
