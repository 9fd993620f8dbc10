package ledger

import (
	"context"
	"database/sql"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/transparency-dev/tessera"
	"github.com/transparency-dev/tessera/api/layout"
	tmysql "github.com/transparency-dev/tessera/storage/mysql"
)

// The shared log: Tessera's MySQL driver (tested with MariaDB) keeps the
// whole log — tree state, hash tiles, entry bundles and the published
// checkpoint — in one database. Several appenders, in several processes,
// may append to one database: each batch is sequenced and integrated in one
// transaction that holds the tree state's row (SELECT ... FOR UPDATE), so
// the log stays one tree with contiguous entries, and a checkpoint is
// published (under the same row lock, and only if the last one is older
// than the checkpoint interval) by whichever appender gets there first.

//go:embed mysql_schema.sql
var mysqlSchema string

// MinMySQLCheckpointInterval is the least checkpoint interval of the MySQL
// driver.
const MinMySQLCheckpointInterval = time.Second

// MySQLDSN turns a log location mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE
// into the DSN the MySQL driver takes.
func MySQLDSN(location string) (string, error) {
	u, err := url.Parse(location)
	if err != nil || u.Scheme != "mysql" || u.Host == "" || strings.Trim(u.Path, "/") == "" {
		return "", fmt.Errorf("log %q: want mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE", location)
	}
	c := gomysql.NewConfig()
	c.Net, c.Addr, c.DBName = "tcp", u.Host, strings.Trim(u.Path, "/")
	if u.Port() == "" {
		c.Addr += ":3306"
	}
	if u.User != nil {
		c.User = u.User.Username()
		c.Passwd, _ = u.User.Password()
	}
	return c.FormatDSN(), nil
}

// IsMySQL reports whether a log location names a MySQL database.
func IsMySQL(location string) bool { return strings.HasPrefix(location, "mysql://") }

// openMySQL opens the log in the database dsn names, making its tables if
// they are not there.
func openMySQL(ctx context.Context, dsn string) (*sql.DB, *tmysql.Storage, error) {
	if _, err := gomysql.ParseDSN(dsn); err != nil {
		return nil, nil, fmt.Errorf("log database: %v", err)
	}
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return nil, nil, err
	}
	for _, stmt := range strings.Split(mysqlSchema, ";\n") {
		if strings.TrimSpace(stripComments(stmt)) == "" {
			continue
		}
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			db.Close()
			return nil, nil, fmt.Errorf("making the log's tables: %w", err)
		}
	}
	st, err := tmysql.New(ctx, db)
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("opening the log's database: %w", err)
	}
	return db, st, nil
}

func stripComments(s string) string {
	var b strings.Builder
	for line := range strings.Lines(s) {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			b.WriteString(line)
		}
	}
	return b.String()
}

// trimmed is a log reader whose partial tiles and entry bundles have exactly
// the width asked for: the MySQL driver keeps one row a tile, and answers a
// partial tile with all it has so far.
type trimmed struct{ tessera.LogReader }

func (r trimmed) ReadTile(ctx context.Context, level, index uint64, p uint8) ([]byte, error) {
	t, err := r.LogReader.ReadTile(ctx, level, index, p)
	if err == nil && p > 0 && len(t) > int(p)*32 {
		t = t[:int(p)*32]
	}
	return t, err
}

func (r trimmed) ReadEntryBundle(ctx context.Context, index uint64, p uint8) ([]byte, error) {
	b, err := r.LogReader.ReadEntryBundle(ctx, index, p)
	if err != nil || p == 0 {
		return b, err
	}
	// Entries are each a 2-byte big-endian length and the data.
	end := 0
	for range p {
		if end+2 > len(b) {
			return nil, fmt.Errorf("entry bundle %d: shorter than %d entries", index, p)
		}
		end += 2 + int(binary.BigEndian.Uint16(b[end:]))
	}
	if end > len(b) {
		return nil, fmt.Errorf("entry bundle %d: shorter than %d entries", index, p)
	}
	return b[:end], nil
}

// readerHandler serves the public files of a log from its reader, as
// Handler serves them from files.
func readerHandler(r tessera.LogReader) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodGet && req.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "the log is read-only", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(req.URL.Path, "/")
		notFound := func() { http.Error(w, "no such file in the log: "+name, http.StatusNotFound) }
		if !publicPath.MatchString(name) {
			notFound()
			return
		}
		var (
			data []byte
			err  error
		)
		partial := strings.Contains(name, ".p/")
		switch {
		case name == "checkpoint":
			data, err = r.ReadCheckpoint(req.Context())
		case strings.HasPrefix(name, "tile/entries/"):
			var i uint64
			var p uint8
			if i, p, err = layout.ParseTileIndexPartial(strings.TrimPrefix(name, "tile/entries/")); err == nil {
				data, err = r.ReadEntryBundle(req.Context(), i, p)
			}
		default:
			level, index, _ := strings.Cut(strings.TrimPrefix(name, "tile/"), "/")
			var l, i uint64
			var p uint8
			if l, i, p, err = layout.ParseTileLevelIndexPartial(level, index); err == nil {
				data, err = r.ReadTile(req.Context(), l, i, p)
			}
		}
		switch {
		case errors.Is(err, fs.ErrNotExist):
			notFound()
			return
		case err != nil:
			http.Error(w, "reading the log: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		switch {
		case name == "checkpoint":
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
		case partial:
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Header().Set("Cache-Control", "no-cache")
		default:
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		if req.Method == http.MethodGet {
			w.Write(data)
		}
	})
}

// MySQLReader reads a shared log from its database without appending:
// its published checkpoint, tiles and entry bundles, as a log's files.
type MySQLReader struct {
	tessera.LogReader
	db *sql.DB
}

// OpenMySQLReader opens the log in the MySQL database at dsn for reading.
// The database must hold a log: nothing is made in it.
func OpenMySQLReader(ctx context.Context, dsn string) (*MySQLReader, error) {
	if _, err := gomysql.ParseDSN(dsn); err != nil {
		return nil, fmt.Errorf("log database: %v", err)
	}
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1) // so that Sessions knows its own
	st, err := tmysql.New(ctx, db)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("reading the log in its database: %w", err)
	}
	return &MySQLReader{LogReader: trimmed{st}, db: db}, nil
}

// Sessions returns how many sessions other than the reader's own are
// connected to the log's database: those of running centers, among others.
func (r *MySQLReader) Sessions(ctx context.Context) (int, error) {
	var n int
	err := r.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()`).Scan(&n)
	return n, err
}

// Close closes the database.
func (r *MySQLReader) Close() error { return r.db.Close() }
