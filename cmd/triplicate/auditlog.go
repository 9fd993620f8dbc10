package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/auditlog"
	"github.com/triplicate-vote/triplicate/internal/durable"
	"github.com/triplicate-vote/triplicate/internal/keys"
)

var auditPublishCommand = &command{
	name: "publish",
	args: "-dir DIR -key AUDITOR.key [-witness KEY@URL...] [-checkpoint FILE] [-timeout 30s]",
	short: "append the audit trail's new entries, with the files each commits to, to the audit's transparency log\n" +
		"in DIR/log (C2SP tlog-tiles), signed by the auditor and cosigned by the election's log witnesses under\n" +
		"its policy; waits until a published checkpoint covers the whole trail and writes it to -checkpoint",
	run: runAuditPublish,
}

func runAuditPublish(c *cli, self *command, args []string) error {
	fs := c.flags(self)
	dir := fs.String("dir", "", "the audit's `directory`")
	keyFile := fs.String("key", "", "the auditor's key `file`: signs the log's checkpoints; an auditor key of the election")
	var witnesses witnessFlags
	fs.Var(&witnesses, "witness", "a party's log witness, enrolled by the election: its `KEY@URL` (repeat for each)")
	out := fs.String("checkpoint", "", "write the published checkpoint, with its cosignatures, to this `file`: keep it to catch a cut trail later")
	timeout := fs.Duration("timeout", 30*time.Second, "how long to wait for the witnesses")
	if err := parse(fs, args, "dir", "key"); err != nil {
		return err
	}
	au, err := audit.Open(*dir)
	if err != nil {
		return err
	}
	key, err := keys.ReadFile(*keyFile)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	l, err := auditlog.Open(ctx, *dir, au.Def, key, witnesses)
	if err != nil {
		return fmt.Errorf("audit publish: %w", err)
	}
	n, perr := l.Publish(ctx, *dir)
	var raw []byte
	var size uint64
	if perr == nil {
		if size, perr = l.Integrated(ctx); perr == nil && size > 0 {
			rc, err := l.Receipt(ctx, size-1)
			if err != nil {
				perr = err
			} else {
				raw = []byte(rc.Checkpoint)
			}
		}
	}
	if err := l.Close(ctx); err != nil && perr == nil {
		perr = err
	}
	if perr != nil {
		return fmt.Errorf("audit publish: %w", perr)
	}
	fmt.Fprintf(c.stdout, "%d new entries of %s in its log %s: %d in all, in a checkpoint cosigned under the election's policy\n",
		n, filepath.Join(*dir, audit.TrailFile), filepath.Join(*dir, auditlog.Dir), size)
	if *out != "" {
		if err := durable.WriteFile(*out, raw, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// verifyAuditLog recomputes an audit from its log alone (-log), against a
// checkpoint saved earlier (-checkpoint); with -dir too, the trail in DIR
// must be the one in the log.
func verifyAuditLog(c *cli, location, electionFile, checkpoint, dir, save string) error {
	def, err := readElection(electionFile)
	if err != nil {
		return err
	}
	var saved []byte
	if checkpoint != "" {
		if saved, err = os.ReadFile(checkpoint); err != nil {
			return err
		}
	}
	src, err := auditlog.Location(location)
	if err != nil {
		return usagef("audit verify: -log %s: %v", location, err)
	}
	work, err := os.MkdirTemp("", "triplicate-audit-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	res, err := auditlog.Verify(context.Background(), def, src, saved, work)
	if err != nil {
		return fmt.Errorf("audit verify: %s: %w", location, err)
	}
	if dir != "" {
		logged, _ := os.ReadFile(filepath.Join(work, audit.TrailFile))
		path := filepath.Join(dir, audit.TrailFile)
		mine, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		switch {
		case bytes.Equal(mine, logged):
		case len(mine) < len(logged) && bytes.HasPrefix(logged, mine):
			return fmt.Errorf("audit verify: %s is the log's trail cut short: the log has %d entries", path, res.Checkpoint.Size)
		case bytes.HasPrefix(mine, logged):
			fmt.Fprintf(c.stderr, "audit verify: %s has entries the log does not hold yet: publish them with 'triplicate audit publish'\n", path)
		default:
			return fmt.Errorf("audit verify: %s is not the trail in the log %s: it was altered", path, location)
		}
	}
	if save != "" {
		if err := durable.WriteFile(save, res.Raw, 0o644); err != nil {
			return err
		}
	}
	r := res.Report
	fmt.Fprintf(c.stdout, "the log %s checks: %d entries in a checkpoint signed by %s and cosigned under election %s's policy; %d rounds redrawn from seed %s; decision recomputed: %s\n",
		location, res.Checkpoint.Size, res.Checkpoint.Origin, def.ID, len(r.Rounds), r.Seed, r.Decision)
	return nil
}
