package center_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/ledger/ledgertest"
	"github.com/triplicate-vote/triplicate/internal/store"
	"github.com/triplicate-vote/triplicate/internal/store/storetest"
)

// TestRebuildShared: the index of front-ends that share a log is made anew
// from the shared log alone — into their PostgreSQL index, with no data
// directory, or into a SQLite file — with the rows ingest made, and a
// front-end opened on it has the same results. Rebuild refuses while a
// front-end is running.
func TestRebuildShared(t *testing.T) {
	ctx := context.Background()
	logLoc := mysqlLocation(t, ledgertest.MySQL(t))
	index, schema := storetest.Postgres(t)
	const n = 60
	f := electiontest.New(electiontest.Options{Stations: n})
	a := openFrontEnd(t, f, t.TempDir(), logLoc, index)
	b := openFrontEnd(t, f, t.TempDir(), logLoc, index)
	concurrently(n, 8, func(i int) {
		fe := []*frontEnd{a, b}[i%2]
		if r := post(t, fe.srv.URL+"/v1/actas", finalActa(t, f, fmt.Sprintf("100.%d", i+1), i%7, i%5, i%3)); r.code != 200 {
			t.Errorf("station 100.%d: %d %s", i+1, r.code, r.body)
		}
	})
	for i := 0; i < n; i += 10 { // different counts: conflicts, logged
		if r := post(t, b.srv.URL+"/v1/actas", finalActa(t, f, fmt.Sprintf("100.%d", i+1), 9, 9, 9)); r.code != 409 {
			t.Fatalf("station 100.%d, another count: %d %s", i+1, r.code, r.body)
		}
	}
	want := snapshot(t, a.Center)

	cfg := center.Config{Election: f.Def, Log: logLoc, Store: index}
	if _, err := center.Rebuild(ctx, cfg); err == nil || !strings.Contains(err.Error(), "is a front-end running?") {
		t.Fatalf("Rebuild with front-ends running: %v", err)
	}
	a.stop()
	b.stop()
	wantRows := rows(t, "", index)
	if len(wantRows) != n+n/10 {
		t.Fatalf("the index has %d rows, want %d", len(wantRows), n+n/10)
	}

	storetest.Drop(t, schema)
	got, err := center.Rebuild(ctx, cfg)
	if err != nil || got != uint64(len(wantRows)) {
		t.Fatalf("Rebuild from the shared log into PostgreSQL: %d entries, %v; want %d", got, err, len(wantRows))
	}
	if rs := rows(t, "", index); !reflect.DeepEqual(rs, wantRows) {
		t.Fatal("the index rebuilt from the shared log differs from the one ingest made")
	}
	dir := t.TempDir()
	if got, err := center.Rebuild(ctx, center.Config{Election: f.Def, Log: logLoc, Dir: dir}); err != nil || got != uint64(len(wantRows)) {
		t.Fatalf("Rebuild from the shared log into SQLite: %d entries, %v", got, err)
	}
	if rs := rows(t, dir, ""); !reflect.DeepEqual(rs, wantRows) {
		t.Fatal("the SQLite index rebuilt from the shared log differs from the one ingest made")
	}
	if _, err := center.Rebuild(ctx, center.Config{Election: f.Def, Log: logLoc}); err == nil {
		t.Fatal("Rebuild with a shared log and neither an index nor a data directory")
	}
	if _, err := center.Rebuild(ctx, center.Config{Election: f.Def, Log: "file://" + filepath.Join(dir, "log"), Dir: dir}); err == nil {
		t.Fatal("Rebuild from a log location that is not mysql://")
	}

	c := openFrontEnd(t, f, t.TempDir(), logLoc, index)
	if got := snapshot(t, c.Center); got != want {
		t.Fatalf("after rebuilding from the shared log:\n%s\nwant:\n%s", got, want)
	}
	if e := rows(t, "", index); e[0].Status != store.Accepted {
		t.Fatalf("entry 0: %s", e[0].Status)
	}
}
