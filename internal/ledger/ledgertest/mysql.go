// Package ledgertest gives tests a fresh database of the MySQL (MariaDB)
// server that TRIPLICATE_TEST_MYSQL names, for logs that several centers
// share.
package ledgertest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
)

// EnvMySQL is the environment variable that gives the tests a MySQL server,
// as a DSN without a database, such as root@tcp(127.0.0.1:3306)/. .ci/run
// sets it when a server answers there.
const EnvMySQL = "TRIPLICATE_TEST_MYSQL"

// MySQL returns the DSN of a fresh database of the test server, dropped when
// the test ends. Without TRIPLICATE_TEST_MYSQL, or if the server does not
// answer, it skips the test, saying so.
func MySQL(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvMySQL)
	if dsn == "" {
		t.Skipf("no MySQL to test the shared log against: set %s to a server's DSN, such as root@tcp(127.0.0.1:3306)/", EnvMySQL)
	}
	cfg, err := gomysql.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("%s: %v", EnvMySQL, err)
	}
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		t.Skipf("no MySQL to test the shared log against: %s=%s does not answer: %v", EnvMySQL, dsn, err)
	}
	var b [6]byte
	rand.Read(b[:])
	name := "triplicate_test_" + hex.EncodeToString(b[:])
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("mysql", dsn)
		if err != nil {
			t.Error(err)
			return
		}
		defer db.Close()
		if _, err := db.Exec("DROP DATABASE IF EXISTS " + name); err != nil {
			t.Errorf("dropping the test database %s: %v", name, err)
		}
	})
	cfg.DBName = name
	return cfg.FormatDSN()
}
