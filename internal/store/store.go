// Package store is the tallying center's index over its log: one row per log
// entry, saying which station and kind of acta it holds and what the center
// made of it (the station's acta, a resubmission, or a conflicting acta kept
// as evidence). It is SQLite (modernc.org/sqlite, no cgo) in a file by default.
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

	_ "modernc.org/sqlite"
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

// Store is an open index.
type Store struct {
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

// Open opens the index in the SQLite file at path, making it if need be.
func Open(path string) (*Store, error) {
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
	return &Store{db: db}, nil
}

// Close closes the index.
func (s *Store) Close() error { return s.db.Close() }

// ErrIndexed is returned by Put for an index the store already has with
// other contents.
var ErrIndexed = errors.New("log index already indexed differently")

// Put indexes log entries, all in one transaction. Putting an entry again
// does nothing.
func (s *Store) Put(ctx context.Context, entries ...Entry) error {
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
func (s *Store) Station(ctx context.Context, station string) ([]Entry, error) {
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
func (s *Store) Scan(ctx context.Context, fn func(Entry) error) error {
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
