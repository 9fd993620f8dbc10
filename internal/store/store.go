// Package store is the tallying center's index over its log: one row per log
// entry, saying which station and kind of acta it holds and what the center
// made of it (the station's acta, a resubmission, or a conflicting acta kept
// as evidence). It is SQLite (modernc.org/sqlite, no cgo) in a file by default,
// or a schema of a PostgreSQL database (github.com/jackc/pgx/v5); both keep
// the same rows with the same constraints behind [Index].
//
// The store is derived data. The log is what is durable and public: the
// center indexes on startup whatever part of the log the store has not seen,
// and `triplicate center rebuild` makes the store anew from the log alone.
// So writes are not flushed one by one.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"

	_ "modernc.org/sqlite"

	"github.com/triplicate-vote/triplicate/internal/durable"
)

// Status is what the center made of a logged acta.
type Status string

const (
	// Accepted: the station's acta of its kind, the first one logged.
	Accepted Status = "accepted"
	// SameCount: the same body as the accepted one, with other signatures.
	SameCount Status = "same-count"
	// Duplicate: the very same bytes as the accepted one, logged again.
	Duplicate Status = "duplicate"
	// Conflict: a different count of the same station and kind, signed by
	// its machine: evidence that the machine key was misused.
	Conflict Status = "conflict"
)

// Entry is one log entry as indexed.
type Entry struct {
	Index   uint64
	Station string
	Kind    string
	Status  Status
	Acta    []byte // the signed acta, verbatim
}

// Index is an open index, in SQLite or PostgreSQL.
type Index interface {
	// Put indexes log entries, all in one transaction. Putting an entry
	// again does nothing; another entry at an index already indexed is
	// refused with ErrIndexed, and so is a second accepted acta of one
	// station and kind. On any error nothing of the call is indexed.
	Put(ctx context.Context, entries ...Entry) error
	// Station returns every entry of a station, in log order.
	Station(ctx context.Context, station string) ([]Entry, error)
	// Scan calls fn with every entry, in log order.
	Scan(ctx context.Context, fn func(Entry) error) error
	// Close closes the index.
	Close() error
}

// IsPostgres reports whether location names a PostgreSQL database rather
// than a SQLite file.
func IsPostgres(location string) bool {
	return strings.HasPrefix(location, "postgres://") || strings.HasPrefix(location, "postgresql://")
}

// Open opens the index at location, making it if need be: a PostgreSQL
// database's URL (postgres:// or postgresql://), where the index is kept in
// the schema that the URL's schema parameter names, or else in schema (see
// [OpenPostgres]); otherwise the path of a SQLite file, and schema is unused.
func Open(ctx context.Context, location, schema string) (Index, error) {
	if IsPostgres(location) {
		return OpenPostgres(ctx, location, schema)
	}
	return OpenSQLite(location)
}

// Rebuild makes a new index at location (as [Open] reads it) and has fill
// write it; only once fill has returned nil does the new index take the old
// one's place, in one step. Until then the old index is as it was. For
// SQLite the new index is written to a file beside the old and renamed over
// it; for PostgreSQL, to a schema of its own that then takes the old one's
// name, in one transaction.
func Rebuild(ctx context.Context, location, schema string, fill func(Index) error) error {
	if IsPostgres(location) {
		return rebuildPostgres(ctx, location, schema, fill)
	}
	return rebuildSQLite(location, fill)
}

func rebuildSQLite(path string, fill func(Index) error) error {
	tmp := path + ".rebuild"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(tmp + suffix)
	}
	st, err := OpenSQLite(tmp)
	if err != nil {
		return err
	}
	err = fill(st)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	return durable.Rename(tmp, path)
}

// SQLite is an index in a SQLite file.
type SQLite struct {
	db *sql.DB
}

const schema = `
CREATE TABLE IF NOT EXISTS entries (
	idx     INTEGER PRIMARY KEY,
	station TEXT NOT NULL,
	kind    TEXT NOT NULL,
	status  TEXT NOT NULL,
	acta    BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS accepted ON entries (station, kind) WHERE status = 'accepted';
CREATE INDEX IF NOT EXISTS by_station ON entries (station);
`

// OpenSQLite opens the index in the SQLite file at path, making it if need be.
func OpenSQLite(path string) (*SQLite, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, err
	}
	// One connection: SQLite writes one at a time anyway, and the center
	// keeps what it reads often in memory.
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	return &SQLite{db: db}, nil
}

// Close closes the index.
func (s *SQLite) Close() error { return s.db.Close() }

// ErrIndexed is returned by Put for an index the store already has with
// other contents.
var ErrIndexed = errors.New("log index already indexed differently")

// ErrUnavailable wraps the errors of an index whose database cannot be
// reached, or is shutting down or starting: the same call may succeed once
// it is back. A SQLite index, a file, is never unavailable.
var ErrUnavailable = errors.New("the index's database is unavailable")

// Put indexes log entries, all in one transaction. Putting an entry again
// does nothing.
func (s *SQLite) Put(ctx context.Context, entries ...Entry) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO entries (idx, station, kind, status, acta) VALUES (?, ?, ?, ?, ?) ON CONFLICT (idx) DO NOTHING`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, e := range entries {
		res, err := ins.ExecContext(ctx, int64(e.Index), e.Station, e.Kind, string(e.Status), e.Acta)
		if err != nil {
			return fmt.Errorf("indexing log entry %d: %w", e.Index, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			old, err := scan(tx.QueryRowContext(ctx, `SELECT idx, station, kind, status, acta FROM entries WHERE idx = ?`, int64(e.Index)))
			if err != nil {
				return err
			}
			if old.Station != e.Station || old.Kind != e.Kind || old.Status != e.Status || string(old.Acta) != string(e.Acta) {
				return fmt.Errorf("log entry %d: %w", e.Index, ErrIndexed)
			}
		}
	}
	return tx.Commit()
}

// Station returns every entry of a station, in log order.
func (s *SQLite) Station(ctx context.Context, station string) ([]Entry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT idx, station, kind, status, acta FROM entries WHERE station = ? ORDER BY idx`, station)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}

// Scan calls fn with every entry, in log order.
func (s *SQLite) Scan(ctx context.Context, fn func(Entry) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT idx, station, kind, status, acta FROM entries ORDER BY idx`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return err
		}
		if err := fn(*e); err != nil {
			return err
		}
	}
	return rows.Err()
}

type scanner interface{ Scan(...any) error }

func scan(r scanner) (*Entry, error) {
	var e Entry
	var idx int64
	var status string
	if err := r.Scan(&idx, &e.Station, &e.Kind, &status, &e.Acta); err != nil {
		return nil, err
	}
	e.Index, e.Status = uint64(idx), Status(status)
	return &e, nil
}
