package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/auditlog"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/web/boards"
)

var auditServeCommand = &command{
	name: "serve",
	args: "-dir DIR -election FILE -key AUDITOR.key [-witness KEY@URL...] [-addr HOST:PORT]",
	short: "serve a risk-limiting audit's rounds to its audit boards in the browser: the administrator launches\n" +
		"rounds and reopens sign-offs; each board has its retrieval list, box labels, two members' entries of\n" +
		"every count and its sign-off; everything is written to DIR and its trail, the paper signed by -key.\n" +
		"Pages are reached by addresses holding tokens (from DIR/boards.secret, never to publish): printed at start.\n" +
		"The public page, at /, shows the trail to anyone; with -witness (or once DIR/log exists) the trail is\n" +
		"published as it grows in the audit's log (see audit publish), whose files are served at /log/",
	run: runAuditServe,
}

func runAuditServe(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	dir := fs.String("dir", "", "the audit's `directory` (started with 'triplicate audit sample')")
	electionFile := fs.String("election", "", "the election definition `file`: must be the audit's")
	keyFile := fs.String("key", "", "the auditor's key `file`: signs the hand counts and polls the boards agree on")
	addr := fs.String("addr", "127.0.0.1:8095", "`address` to listen on")
	var witnesses witnessFlags
	fs.Var(&witnesses, "witness", "a party's log witness, enrolled by the election, which cosigns the audit's log: its `KEY@URL` (repeat for each)")
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
	cfg := boards.Config{Boards: bs, Secret: secret, Logger: logger}
	if _, err := os.Stat(filepath.Join(*dir, auditlog.Dir)); len(witnesses) > 0 || err == nil {
		l, err := auditlog.Open(ctx, *dir, au.Def, key, witnesses)
		if err != nil {
			return fmt.Errorf("audit serve: %w", err)
		}
		cfg.LogDir = filepath.Join(*dir, auditlog.Dir)
		done := make(chan struct{})
		go func() { publishTrail(ctx, *dir, l, logger); close(done) }()
		defer func() {
			<-done
			cctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if _, err := l.Publish(cctx, *dir); err != nil {
				logger.Error("publishing the trail", "err", err)
			}
			if err := l.Close(cctx); err != nil {
				logger.Error("closing the audit's log", "err", err)
			}
		}()
	}
	s := boards.New(cfg)
	return boards.Serve(ctx, s, *addr, func(url string) {
		fmt.Fprintf(c.stdout, "audit boards of %s listening on %s\n  administrator: %s%s\n  public: %s/\n", *dir, url, url, s.AdminPath(), url)
	})
}

// publishTrail appends the trail's new lines to the audit's log every
// second until ctx ends: the boards' work is in a checkpoint the
// witnesses cosign within seconds of being entered.
func publishTrail(ctx context.Context, dir string, l *auditlog.Log, logger *slog.Logger) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		if n, err := l.Publish(ctx, dir); err != nil && ctx.Err() == nil {
			logger.Error("publishing the trail", "err", err)
		} else if n > 0 {
			logger.Info("trail published", "entries", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
