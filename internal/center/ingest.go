package center

import (
	"context"
	"errors"
	"os"
	"path/filepath"
)

// Closing ingest. The admin closes ingest (POST /v1/admin/ingest, body
// "closed") when transmission ends: once the answer comes, no new acta is
// logged until the admin opens it again, and a restart leaves the switch as
// the admin left it.
//
// A center with a log of its own keeps the switch in the file ingest-closed
// of its data directory. Submit checks it while holding the decider's
// logging lock (read) until its acta is decided, so closing waits for the
// decisions in flight by taking that lock.
//
// Front-ends that share a log keep the switch in the log's database, held
// by a gate (gate.go).

// ErrLogUnavailable: the shared log's database cannot be reached, and the
// front-end logs nothing new until it is back (its log says why).
var ErrLogUnavailable = errors.New("the shared log's database is unavailable: ingest is paused until it is back")

// closedFile marks ingest closed by the admin, so that a restart keeps it so.
const closedFile = "ingest-closed"

// setIngest closes or opens ingest, durably. Closing answers once no acta is
// being decided: none is logged after.
func (c *Center) setIngest(ctx context.Context, closed bool) error {
	if c.gate != nil {
		return c.gate.set(ctx, closed)
	}
	path := filepath.Join(c.dir, closedFile)
	if closed {
		if err := os.WriteFile(path, []byte("closed by the admin\n"), 0o644); err != nil {
			return err
		}
		if err := c.lock.Sync(); err != nil { // the directory: the file's name
			return err
		}
	} else if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return err
	}
	c.closed.Store(closed)
	c.dec.settle() // every decision in flight
	return nil
}

// refuseNew says why Submit may not log a new acta now, or nil. The caller
// holds c.dec.logging (read).
func (c *Center) refuseNew() error {
	switch {
	case c.idx.down.Load():
		return ErrIndexUnavailable
	case c.gate != nil && !c.gate.held.Load():
		if c.closed.Load() {
			return ErrIngestClosed
		}
		return ErrLogUnavailable
	}
	return nil
}

// openIngest reads the ingest switch as the admin left it: in the shared
// log's database dsn, where a gate then follows it, or if dsn is empty in
// the data directory.
func (c *Center) openIngest(ctx context.Context, dsn string) error {
	_, serr := os.Stat(filepath.Join(c.dir, closedFile))
	if dsn == "" {
		if serr == nil {
			c.closed.Store(true)
			c.log.Warn("ingest is closed, as the admin left it")
		}
		return nil
	}
	g, err := openGate(ctx, dsn, &c.closed, c.dec, c.log)
	if err != nil {
		return err
	}
	c.gate = g
	if serr == nil {
		c.log.Warn("ignoring " + closedFile + " in the data directory: with a shared log the switch is in the log's database")
	}
	return nil
}
