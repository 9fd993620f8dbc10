package center

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
)

// Front-ends that share a log keep the switch in the log's database, in the
// table TriplicateIngest beside Tessera's: the log's database is what every
// front-end of an election reaches (the index may be each one's own SQLite),
// and a front-end that cannot reach it cannot log anything either. Row 0 is
// the switch, row 1 the admin's request; ingest is closed if either says so.
//
// A front-end logs new actas only while it holds a lease: an open
// transaction that has read the switch open under a shared lock on its row
// (SELECT ... LOCK IN SHARE MODE), and the request open. Every leaseCheck it
// reads the request again on the lease's connection; when the request says
// closed, or the connection fails, it stops admitting actas, waits for its
// decisions in flight, and only then ends the lease. Closing, on any
// front-end, sets the request and then the switch; the switch's UPDATE
// needs its row exclusively, which InnoDB grants only once every lease has
// ended, and a front-end asking for a lease meanwhile queues behind it and
// then reads the switch closed. So when closing answers, no front-end is
// logging, and none logs another acta until ingest is opened again.
//
// The one window: if the database ends a lease's session while the
// front-end's other connections to it still work (an operator kills that
// session, or the database drops that one connection), the close may pass
// before the front-end notices, at its next check (leaseCheck) — and the
// actas it had admitted by then are logged after the close was
// acknowledged. A front-end cut off from the database logs nothing in that
// time: its appends go to the same database. A strict guarantee there would
// need the switch checked inside the transaction that sequences each batch,
// which is Tessera's.

// gate is a front-end's lease on the shared switch.
type gate struct {
	closed *atomic.Bool // the center's: ingest is closed
	dec    *decider     // whose decisions in flight a lease waits for when it ends
	log    *slog.Logger

	db   *sql.DB
	ctx  context.Context // the leases' transactions live under it
	mu   sync.Mutex      // held by a step
	tx   *sql.Tx         // the lease, while held
	held atomic.Bool
	down bool // the last step failed on the database; under mu
	stop context.CancelFunc
	done chan struct{}
}

// leaseCheck is how often a front-end reads the admin's request.
const leaseCheck = 50 * time.Millisecond

// lockWait is how long a front-end waits for a lease while a close is
// under way, and closeWait how long closing waits for every lease to end.
const (
	lockWait  = 1
	closeWait = 60
)

const ingestSchema = `CREATE TABLE IF NOT EXISTS TriplicateIngest (
  id     TINYINT UNSIGNED NOT NULL, -- 0: the switch; 1: the admin's request
  closed BOOLEAN NOT NULL,
  PRIMARY KEY (id)
)`

// openGate opens the switch in the shared log's database, makes it (open)
// if it is not there, takes a lease if ingest is open, and goes on checking
// until close.
func openGate(ctx context.Context, dsn string, closed *atomic.Bool, dec *decider, log *slog.Logger) (*gate, error) {
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return nil, err
	}
	for _, stmt := range []string{ingestSchema, `INSERT IGNORE INTO TriplicateIngest (id, closed) VALUES (0, FALSE), (1, FALSE)`} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			db.Close()
			return nil, fmt.Errorf("the ingest switch in the log's database: %w", err)
		}
	}
	gctx, cancel := context.WithCancel(context.Background())
	g := &gate{closed: closed, dec: dec, log: log, db: db, ctx: gctx, stop: cancel, done: make(chan struct{})}
	g.step()
	if closed.Load() {
		log.Warn("ingest is closed, as the admin left it")
	}
	go func() {
		defer close(g.done)
		t := time.NewTicker(leaseCheck)
		defer t.Stop()
		for {
			select {
			case <-gctx.Done():
				return
			case <-t.C:
				g.step()
			}
		}
	}()
	return g, nil
}

// close ends the lease. The caller has stopped Submit (Center.stopped).
func (g *gate) close() {
	g.stop()
	<-g.done
	g.mu.Lock()
	defer g.mu.Unlock()
	g.held.Store(false)
	if g.tx != nil {
		g.tx.Rollback()
		g.tx = nil
	}
	g.db.Close()
}

// step checks the lease if it is held, and takes one if it is not and
// ingest is open.
func (g *gate) step() {
	g.mu.Lock()
	defer g.mu.Unlock()
	qctx, cancel := context.WithTimeout(g.ctx, 5*time.Second)
	defer cancel()
	if g.tx != nil {
		var closed bool
		err := g.tx.QueryRowContext(qctx, `SELECT closed FROM TriplicateIngest WHERE id = 1`).Scan(&closed)
		if err == nil && !closed {
			return
		}
		// Stop admitting, let the decisions in flight finish, let go.
		g.held.Store(false)
		if err == nil {
			g.closed.Store(true)
			g.log.Info("ingest closed by the admin on a front-end")
		}
		g.dec.settle() // every decision in flight
		g.tx.Rollback()
		g.tx = nil
		g.failed(err)
		return
	}
	closed, err := g.takeLease(qctx)
	g.failed(err)
	if err != nil {
		return
	}
	if g.closed.Swap(closed) && !closed {
		g.log.Info("ingest opened by the admin")
	}
}

// takeLease takes a lease if ingest is open, and says whether it is closed.
func (g *gate) takeLease(qctx context.Context) (closed bool, err error) {
	// The lease's transaction lives until it is ended, under g.ctx; its
	// queries each under qctx.
	tx, err := g.db.BeginTx(g.ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	if err != nil {
		return false, err
	}
	var sw, req bool
	_, err = tx.ExecContext(qctx, fmt.Sprintf("SET SESSION innodb_lock_wait_timeout = %d", lockWait))
	if err == nil {
		err = tx.QueryRowContext(qctx, `SELECT closed FROM TriplicateIngest WHERE id = 0 LOCK IN SHARE MODE`).Scan(&sw)
	}
	if err == nil {
		err = tx.QueryRowContext(qctx, `SELECT closed FROM TriplicateIngest WHERE id = 1`).Scan(&req)
	}
	if isLockWait(err) {
		// Only a close holds the switch this long: it is closing.
		tx.Rollback()
		return true, nil
	}
	if err != nil || sw || req {
		tx.Rollback()
		return sw || req, err
	}
	g.tx = tx
	g.held.Store(true)
	return false, nil
}

// failed records whether the last step could reach the database, and
// says so when that changes. The caller holds g.mu.
func (g *gate) failed(err error) {
	switch {
	case g.ctx.Err() != nil: // stopping
	case err != nil && !g.down:
		g.down = true
		g.log.Error("the shared log's database is unavailable: ingest is paused until it is back", "err", err)
	case err == nil && g.down:
		g.down = false
		g.log.Info("the shared log's database is back")
	}
}

// set sets the shared switch. Closing sets the request, ends this
// front-end's lease, and sets the switch, which waits until every front-end
// has ended its lease (up to closeWait seconds).
func (g *gate) set(ctx context.Context, closed bool) error {
	if !closed {
		if _, err := g.db.ExecContext(ctx, `UPDATE TriplicateIngest SET closed = FALSE`); err != nil {
			return fmt.Errorf("opening ingest: %w (%v)", ErrLogUnavailable, err)
		}
		g.step()
		return nil
	}
	if _, err := g.db.ExecContext(ctx, `UPDATE TriplicateIngest SET closed = TRUE WHERE id = 1`); err != nil {
		return fmt.Errorf("closing ingest: %w (%v)", ErrLogUnavailable, err)
	}
	g.step()
	conn, err := g.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("closing ingest: %w (%v)", ErrLogUnavailable, err)
	}
	defer conn.Close()
	_, err = conn.ExecContext(ctx, fmt.Sprintf("SET SESSION innodb_lock_wait_timeout = %d", closeWait))
	if err == nil {
		_, err = conn.ExecContext(ctx, `UPDATE TriplicateIngest SET closed = TRUE WHERE id = 0`)
	}
	if isLockWait(err) {
		return fmt.Errorf("closing ingest: a front-end still holds it open after %d s; no front-end takes new actas once it sees the request, and closing again completes it: %w", closeWait, ErrLogUnavailable)
	}
	if err != nil {
		return fmt.Errorf("closing ingest: %w (%v)", ErrLogUnavailable, err)
	}
	return nil
}

// isLockWait reports whether err is MySQL's lock wait timeout.
func isLockWait(err error) bool {
	var me *gomysql.MySQLError
	return errors.As(err, &me) && me.Number == 1205
}
