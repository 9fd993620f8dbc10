package main

import (
	"fmt"
	"net"
	"os"

	"github.com/triplicate-vote/triplicate/internal/verify"
	"github.com/triplicate-vote/triplicate/internal/web/report"
)

var reportCommand = &command{
	name: "report",
	args: "[-addr HOST:PORT] FILE.json",
	short: "serve a verifier's report (the JSON of 'verify -json') as pages, discrepancies first,\n" +
		"in Spanish and English, until interrupted",
	run: runReport,
}

func runReport(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	addr := fs.String("addr", "127.0.0.1:8081", "`address` to listen on")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("report: give one report file (the JSON of 'triplicate verify -json FILE')")
	}
	file := fs.Arg(0)
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	r, err := verify.ReadReport(data)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	pages, err := report.NewPages(r)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("-addr %s: %w", *addr, err)
	}
	fmt.Fprintf(c.stdout, "report of election %s (%d findings) at http://%s/\n", r.Election, len(r.Findings), ln.Addr())
	ctx, stop, logger := c.serving()
	defer stop()
	return report.Serve(ctx, ln, pages, logger)
}
