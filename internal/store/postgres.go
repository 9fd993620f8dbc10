package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Postgres is an index in a schema of a PostgreSQL database: the same table,
// constraints and semantics as [SQLite], so that several elections, or test
// runs, can share one database, each in its own schema.
type Postgres struct {
	pool   *pgxpool.Pool
	schema string

	insert, check, station, scan string
}

var (
	_ Index = (*SQLite)(nil)
	_ Index = (*Postgres)(nil)
)

// MaxSchema is the longest schema name PostgreSQL keeps whole (it cuts longer
// identifiers short, which could make two names one).
const MaxSchema = 63

// DefaultSchema is the schema an election's index is kept in when the
// database's URL names none: "triplicate_" and the election id, quoted, so
// its case and its dots and hyphens are kept; a name too long for
// PostgreSQL ends in a digest of the id instead.
func DefaultSchema(electionID string) string {
	s := "triplicate_" + electionID
	if len(s) > MaxSchema {
		sum := sha256.Sum256([]byte(electionID))
		s = s[:MaxSchema-17] + "_" + hex.EncodeToString(sum[:8])
	}
	return s
}

// rebuildSchema is the schema a rebuild of schema is written to before it
// takes schema's place.
func rebuildSchema(schema string) string {
	sum := sha256.Sum256([]byte(schema))
	return "triplicate_rebuild_" + hex.EncodeToString(sum[:12])
}

// ddlLock is the transaction-level advisory lock under which schemas are
// made, dropped and renamed, so that two stores opening at once do not race
// on CREATE SCHEMA IF NOT EXISTS.
const ddlLock = 0x7472697056 // "tripV"

// OpenPostgres opens the index in a schema of the PostgreSQL database at dsn
// (a postgres:// URL or key=value settings, as pgx reads them), making the
// schema and its table if need be. A URL's schema parameter, if any, names
// the schema instead of the argument, and is not passed on to the server.
//
// Connections set synchronous_commit off (unless the DSN sets it): like the
// SQLite index, this one is derived from the log and caught up from it on
// start, so a commit need not wait for the disk.
func OpenPostgres(ctx context.Context, dsn, schema string) (*Postgres, error) {
	dsn, schema, err := splitSchema(dsn, schema)
	if err != nil {
		return nil, err
	}
	return openPostgres(ctx, dsn, schema, false)
}

// splitSchema takes the schema parameter out of a URL's query, if it has
// one, and checks the schema's name. The query is split by hand: a URL with
// several hosts is not one Go's url package parses.
func splitSchema(dsn, schema string) (string, string, error) {
	if IsPostgres(dsn) {
		if base, query, ok := strings.Cut(dsn, "?"); ok {
			q, err := url.ParseQuery(query)
			if err != nil {
				return "", "", fmt.Errorf("postgres store: the URL's query: %w", err)
			}
			if s, ok := q["schema"]; ok {
				schema = s[len(s)-1]
				q.Del("schema")
				if dsn = base; len(q) > 0 {
					dsn += "?" + q.Encode()
				}
			}
		}
	}
	switch {
	case schema == "":
		return "", "", errors.New("postgres store: no schema to keep the index in")
	case len(schema) > MaxSchema:
		return "", "", fmt.Errorf("postgres store: schema name %q is longer than PostgreSQL's %d bytes", schema, MaxSchema)
	case strings.ContainsRune(schema, 0):
		return "", "", fmt.Errorf("postgres store: schema name %q holds a NUL", schema)
	}
	return dsn, schema, nil
}

func openPostgres(ctx context.Context, dsn, schema string, fresh bool) (*Postgres, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres store: %w", err)
	}
	rp := cfg.ConnConfig.RuntimeParams
	if _, ok := rp["synchronous_commit"]; !ok {
		rp["synchronous_commit"] = "off"
	}
	if _, ok := rp["application_name"]; !ok {
		rp["application_name"] = "triplicate"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres store: %w", err)
	}
	sch := pgx.Identifier{schema}.Sanitize()
	t := pgx.Identifier{schema, "entries"}.Sanitize()
	p := &Postgres{pool: pool, schema: schema,
		insert: `INSERT INTO ` + t + ` (idx, station, kind, status, acta)
			SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bytea[])
			ON CONFLICT DO NOTHING RETURNING idx`,
		// Any conflict, not only the index's: several centers sharing a log
		// index the same entries at once, and a concurrent insert of the
		// same accepted row trips the accepted index before idx's. What was
		// not inserted must be there already, the same.
		check: `SELECT n.idx FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bytea[]) AS n (idx, station, kind, status, acta)
			LEFT JOIN ` + t + ` e ON e.idx = n.idx
			WHERE e.idx IS NULL OR (e.station, e.kind, e.status, e.acta) IS DISTINCT FROM (n.station, n.kind, n.status, n.acta)
			ORDER BY n.idx LIMIT 1`,
		station: `SELECT idx, station, kind, status, acta FROM ` + t + ` WHERE station = $1 ORDER BY idx`,
		scan:    `SELECT idx, station, kind, status, acta FROM ` + t + ` ORDER BY idx`,
	}
	// The same table and constraints as SQLite's, bigint for its 64-bit
	// integer and bytea for its blob. Index names are the schema's own.
	ddl := fmt.Sprintf("SELECT pg_advisory_xact_lock(%d);\n", ddlLock)
	if fresh {
		ddl += "DROP SCHEMA IF EXISTS " + sch + " CASCADE;\n"
	}
	ddl += fmt.Sprintf(`CREATE SCHEMA IF NOT EXISTS %s;
CREATE TABLE IF NOT EXISTS %s (
	idx     bigint PRIMARY KEY,
	station text NOT NULL,
	kind    text NOT NULL,
	status  text NOT NULL,
	acta    bytea NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS accepted ON %s (station, kind) WHERE status = 'accepted';
CREATE INDEX IF NOT EXISTS by_station ON %s (station);
`, sch, t, t, t)
	if err := p.tx(ctx, ddl); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres store, schema %s: %w", sch, unavailable(err))
	}
	return p, nil
}

// tx runs statements, without arguments, in one transaction.
func (p *Postgres) tx(ctx context.Context, sql string) error {
	return pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, sql)
		return err
	})
}

// Schema returns the schema the index is kept in.
func (p *Postgres) Schema() string { return p.schema }

// Close closes the index's connections.
func (p *Postgres) Close() error {
	p.pool.Close()
	return nil
}

// unavailable marks the errors of the database's going away: any error but
// ErrIndexed, the caller's context ending, and an SQL error the server
// answered with, unless its code says the server is shutting down or
// starting (57P01-57P03), out of resources (53) or the connection lost (08).
func unavailable(err error) error {
	var pe *pgconn.PgError
	switch {
	case err == nil, errors.Is(err, ErrIndexed), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.As(err, &pe):
		if c := pe.Code; !strings.HasPrefix(c, "08") && !strings.HasPrefix(c, "53") && !strings.HasPrefix(c, "57P") {
			return err
		}
	}
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}

// columns are entries as the arrays the statements take.
func columns(entries []Entry) []any {
	idx := make([]int64, len(entries))
	station := make([]string, len(entries))
	kind := make([]string, len(entries))
	status := make([]string, len(entries))
	acta := make([][]byte, len(entries))
	for i, e := range entries {
		idx[i], station[i], kind[i], status[i], acta[i] = int64(e.Index), e.Station, e.Kind, string(e.Status), e.Acta
	}
	return []any{idx, station, kind, status, acta}
}

// Put indexes log entries, all in one transaction, with one statement for
// all of them. Putting an entry again does nothing: the entries that were
// not inserted are compared with the rows already there, in one more
// statement, and any that differs is refused with ErrIndexed.
func (p *Postgres) Put(ctx context.Context, entries ...Entry) error {
	if len(entries) == 0 {
		return nil
	}
	return unavailable(pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, p.insert, columns(entries)...)
		inserted, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return fmt.Errorf("indexing log entries %d to %d: %w", entries[0].Index, entries[len(entries)-1].Index, err)
		}
		if len(inserted) == len(entries) {
			return nil
		}
		// Compare the others: those whose index was not inserted, and any
		// entry given twice in this call.
		in := make(map[int64]int, len(inserted))
		for _, i := range inserted {
			in[i]++
		}
		var rest []Entry
		for _, e := range entries {
			if in[int64(e.Index)] > 0 {
				in[int64(e.Index)]--
				continue
			}
			rest = append(rest, e)
		}
		var bad int64
		switch err := tx.QueryRow(ctx, p.check, columns(rest)...).Scan(&bad); {
		case err == nil:
			return fmt.Errorf("log entry %d: %w", bad, ErrIndexed)
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		return nil
	}))
}

// Station returns every entry of a station, in log order.
func (p *Postgres) Station(ctx context.Context, station string) ([]Entry, error) {
	rows, _ := p.pool.Query(ctx, p.station, station)
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return nil, unavailable(err)
		}
		out = append(out, *e)
	}
	return out, unavailable(rows.Err())
}

// Scan calls fn with every entry, in log order.
func (p *Postgres) Scan(ctx context.Context, fn func(Entry) error) error {
	rows, _ := p.pool.Query(ctx, p.scan)
	defer rows.Close()
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return unavailable(err)
		}
		if err := fn(*e); err != nil {
			return err
		}
	}
	return unavailable(rows.Err())
}

// rebuildPostgres fills a fresh schema of its own and, once that is
// complete, drops the old schema and renames the new one to it in one
// transaction: readers see the old index or the new, never a part.
func rebuildPostgres(ctx context.Context, location, schema string, fill func(Index) error) error {
	dsn, schema, err := splitSchema(location, schema)
	if err != nil {
		return err
	}
	tmp := rebuildSchema(schema)
	p, err := openPostgres(ctx, dsn, tmp, true)
	if err != nil {
		return err
	}
	defer p.Close()
	if err := fill(p); err != nil {
		p.tx(context.WithoutCancel(ctx), "DROP SCHEMA IF EXISTS "+pgx.Identifier{tmp}.Sanitize()+" CASCADE")
		return err
	}
	sch := pgx.Identifier{schema}.Sanitize()
	err = p.tx(ctx, fmt.Sprintf("SELECT pg_advisory_xact_lock(%d);\nDROP SCHEMA IF EXISTS %s CASCADE;\nALTER SCHEMA %s RENAME TO %s;\n",
		ddlLock, sch, pgx.Identifier{tmp}.Sanitize(), sch))
	if err != nil {
		return fmt.Errorf("postgres store: putting the rebuilt index in place of schema %s: %w", sch, err)
	}
	return nil
}
