package main

import (
	"bytes"
	"fmt"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/web/boards"
)

var auditServeCommand = &command{
	name: "serve",
	args: "-dir DIR -election FILE -key AUDITOR.key [-addr HOST:PORT]",
	short: "serve a risk-limiting audit's rounds to its audit boards in the browser: the administrator launches\n" +
		"rounds and reopens sign-offs; each board has its retrieval list, box labels, two members' entries of\n" +
		"every count and its sign-off; everything is written to DIR and its trail, the paper signed by -key.\n" +
		"Pages are reached by addresses holding tokens (from DIR/boards.secret, never to publish): printed at start",
	run: runAuditServe,
}

func runAuditServe(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	dir := fs.String("dir", "", "the audit's `directory` (started with 'triplicate audit sample')")
	electionFile := fs.String("election", "", "the election definition `file`: must be the audit's")
	keyFile := fs.String("key", "", "the auditor's key `file`: signs the hand counts and polls the boards agree on")
	addr := fs.String("addr", "127.0.0.1:8095", "`address` to listen on")
	if err := parse(fs, args, "dir", "election", "key"); err != nil {
		return err
	}
	def, err := readElection(*electionFile)
	if err != nil {
		return err
	}
	au, err := audit.Open(*dir)
	if err != nil {
		return err
	}
	if !bytes.Equal(def.Marshal(), au.Def.Marshal()) {
		return fmt.Errorf("audit serve: %s is not the election the audit in %s is of (its copy: %s/election.txt)", *electionFile, *dir, *dir)
	}
	key, err := keys.ReadFile(*keyFile)
	if err != nil {
		return err
	}
	bs, err := audit.OpenBoards(au, key)
	if err != nil {
		return fmt.Errorf("audit serve: %w", err)
	}
	secret, err := boards.ReadSecret(*dir)
	if err != nil {
		return err
	}
	ctx, stop, logger := c.serving()
	defer stop()
	s := boards.New(boards.Config{Boards: bs, Secret: secret, Logger: logger})
	return boards.Serve(ctx, s, *addr, func(url string) {
		fmt.Fprintf(c.stdout, "audit boards of %s listening on %s\n  administrator: %s%s\n", *dir, url, url, s.AdminPath())
	})
}
