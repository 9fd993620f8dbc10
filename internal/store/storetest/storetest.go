// Package storetest gives tests the index locations of both backends: a
// SQLite file in a temporary directory, and a fresh schema of the PostgreSQL
// database that TRIPLICATE_TEST_POSTGRES names.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvPostgres is the environment variable that gives the tests a PostgreSQL
// database's URL, such as postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
// .ci/run sets it when a server answers there.
const EnvPostgres = "TRIPLICATE_TEST_POSTGRES"

// Backends are the names of the index's backends, for table-driven tests.
var Backends = []string{"sqlite", "postgres"}

// Postgres returns the URL of the test database with a schema parameter
// naming a fresh schema, dropped when the test ends, and the schema's name.
// Without TRIPLICATE_TEST_POSTGRES it skips the test, saying so.
func Postgres(t testing.TB) (location, schema string) {
	t.Helper()
	dsn := os.Getenv(EnvPostgres)
	if dsn == "" {
		t.Skipf("no PostgreSQL to test against: set %s to a database's URL, such as postgres://postgres@127.0.0.1:5432/test?sslmode=disable", EnvPostgres)
	}
	var b [6]byte
	rand.Read(b[:])
	schema = "test_" + strings.ToLower(strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()))
	if len(schema) > 40 {
		schema = schema[:40]
	}
	schema += "_" + hex.EncodeToString(b[:])
	t.Cleanup(func() { Drop(t, schema) })
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "schema=" + schema, schema
}

// Exec runs statements on the test database, failing the test on an error.
func Exec(t testing.TB, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, os.Getenv(EnvPostgres))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// Drop drops a schema of the test database, and everything in it.
func Drop(t testing.TB, schema string) {
	t.Helper()
	Exec(t, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
}

// Location returns a fresh index location of the backend: a SQLite file or a
// PostgreSQL URL with a fresh schema.
func Location(t testing.TB, backend string) string {
	t.Helper()
	switch backend {
	case "sqlite":
		return t.TempDir() + "/index.db"
	case "postgres":
		loc, _ := Postgres(t)
		return loc
	}
	t.Fatalf("no backend %q", backend)
	return ""
}
