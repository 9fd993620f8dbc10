package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/store"
	"github.com/triplicate-vote/triplicate/internal/store/storetest"
)

// eachBackend runs a test against a fresh index location of each backend.
func eachBackend(t *testing.T, test func(t *testing.T, location string)) {
	for _, b := range storetest.Backends {
		t.Run(b, func(t *testing.T) { test(t, storetest.Location(t, b)) })
	}
}

func open(t *testing.T, location string) store.Index {
	t.Helper()
	s, err := store.Open(context.Background(), location, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func all(t *testing.T, s store.Index) []store.Entry {
	t.Helper()
	var out []store.Entry
	if err := s.Scan(context.Background(), func(e store.Entry) error { out = append(out, e); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPutAndRead(t *testing.T) {
	eachBackend(t, func(t *testing.T, location string) {
		ctx := context.Background()
		s := open(t, location)
		entries := []store.Entry{
			{0, "1.1", "final", store.Accepted, []byte("a")},
			{1, "1.2", "final", store.Accepted, []byte("b")},
			{2, "1.1", "final", store.Conflict, []byte("c")},
			{3, "1.1", "zero", store.Accepted, []byte("z")},
		}
		for _, e := range entries {
			if err := s.Put(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		// Again: nothing changes.
		if err := s.Put(ctx, entries[1]); err != nil {
			t.Fatalf("Put of the same entry again: %v", err)
		}
		// Another entry at a taken index is refused.
		if err := s.Put(ctx, store.Entry{1, "1.2", "final", store.Accepted, []byte("x")}); !errors.Is(err, store.ErrIndexed) {
			t.Fatalf("Put of another entry at a taken index: %v", err)
		}
		// Two accepted actas of one station and kind are refused.
		if err := s.Put(ctx, store.Entry{4, "1.2", "final", store.Accepted, []byte("d")}); err == nil {
			t.Fatal("a second accepted final acta for station 1.2 was indexed")
		}
		s.Close()

		s = open(t, location)
		got, err := s.Station(ctx, "1.1")
		if err != nil || len(got) != 3 || got[1].Status != store.Conflict || string(got[2].Acta) != "z" {
			t.Fatalf("Station(1.1) = %+v, %v", got, err)
		}
		if got, err := s.Station(ctx, "9.9"); err != nil || len(got) != 0 {
			t.Fatalf("Station(9.9) = %+v, %v; want none", got, err)
		}
		if got := all(t, s); !reflect.DeepEqual(got, entries) {
			t.Fatalf("Scan:\n%+v\nwant\n%+v", got, entries)
		}
	})
}

// batch returns n entries from index first on: an accepted final acta of
// each station, with every byte value in its acta.
func batch(first, n int) []store.Entry {
	var out []store.Entry
	for i := first; i < first+n; i++ {
		acta := []byte(fmt.Sprintf("acta %d\x00\xff", i))
		for b := range 256 {
			acta = append(acta, byte(b))
		}
		out = append(out, store.Entry{uint64(i), fmt.Sprintf("%d.1", i), "final", store.Accepted, acta})
	}
	return out
}

// TestPutBatch: what the center does, a batch at a time, and again on
// replay after a restart, with whatever the index already had.
func TestPutBatch(t *testing.T) {
	eachBackend(t, func(t *testing.T, location string) {
		ctx := context.Background()
		s := open(t, location)
		want := batch(0, 1000)
		if err := s.Put(ctx, want[:600]...); err != nil {
			t.Fatal(err)
		}
		// Replayed: entries it has, with new ones, in one call.
		if err := s.Put(ctx, want[500:]...); err != nil {
			t.Fatalf("Put of a batch partly indexed: %v", err)
		}
		if err := s.Put(ctx, want...); err != nil {
			t.Fatalf("Put of a batch all indexed: %v", err)
		}
		// One entry given twice in a call, the same both times.
		if err := s.Put(ctx, append(batch(1000, 2), batch(1001, 1)...)...); err != nil {
			t.Fatalf("Put of an entry twice in one call: %v", err)
		}
		want = append(want, batch(1000, 2)...)

		// Any entry that differs from the one indexed refuses the whole
		// call: nothing of it is indexed, new entries included.
		bad := batch(990, 20)
		bad[5].Status = store.Duplicate // entry 995
		if err := s.Put(ctx, bad...); !errors.Is(err, store.ErrIndexed) || !strings.Contains(err.Error(), "log entry 995") {
			t.Fatalf("Put of a batch with a different entry 995: %v; want ErrIndexed naming it", err)
		}
		twice := batch(2000, 2)
		twice = append(twice, twice[1])
		twice[2].Acta = []byte("other")
		if err := s.Put(ctx, twice...); !errors.Is(err, store.ErrIndexed) {
			t.Fatalf("Put of two different entries at one index in one call: %v", err)
		}
		// A second accepted acta of a station, new index: refused, and
		// nothing of its call is indexed.
		second := append(batch(3000, 3), store.Entry{3003, "7.1", "final", store.Accepted, []byte("again")})
		if err := s.Put(ctx, second...); err == nil {
			t.Fatal("a second accepted final acta of station 7.1 was indexed")
		}
		if err := s.Put(ctx); err != nil {
			t.Fatalf("Put of nothing: %v", err)
		}
		if got := all(t, s); !reflect.DeepEqual(got, want) {
			t.Fatalf("Scan: %d entries, want %d as put", len(got), len(want))
		}
		if got, err := s.Station(ctx, "7.1"); err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], want[7]) {
			t.Fatalf("Station(7.1) = %+v, %v", got, err)
		}
	})
}

func TestScanStops(t *testing.T) {
	eachBackend(t, func(t *testing.T, location string) {
		ctx := context.Background()
		s := open(t, location)
		if err := s.Put(ctx, batch(0, 10)...); err != nil {
			t.Fatal(err)
		}
		stop := errors.New("enough")
		n := 0
		err := s.Scan(ctx, func(e store.Entry) error {
			if n++; n == 3 {
				return stop
			}
			return nil
		})
		if err != stop || n != 3 {
			t.Fatalf("Scan after fn's error: %v after %d entries", err, n)
		}
		// The index is still usable after a scan left early.
		if got := all(t, s); len(got) != 10 {
			t.Fatalf("Scan: %d entries, want 10", len(got))
		}
	})
}

// TestRebuild: a new index takes the old one's place only once it is
// complete.
func TestRebuild(t *testing.T) {
	eachBackend(t, func(t *testing.T, location string) {
		ctx := context.Background()
		s := open(t, location)
		old := batch(0, 5)
		if err := s.Put(ctx, old...); err != nil {
			t.Fatal(err)
		}
		s.Close()

		failed := errors.New("the log ends early")
		err := store.Rebuild(ctx, location, "", func(ix store.Index) error {
			if err := ix.Put(ctx, batch(100, 3)...); err != nil {
				return err
			}
			if got := all(t, ix); len(got) != 3 {
				t.Errorf("the index being rebuilt has %d entries, want the 3 put", len(got))
			}
			return failed
		})
		if err != failed {
			t.Fatalf("Rebuild whose fill fails: %v", err)
		}
		if got := all(t, open(t, location)); !reflect.DeepEqual(got, old) {
			t.Fatalf("after a failed rebuild the index has %d entries, want the old %d", len(got), len(old))
		}

		want := batch(100, 700)
		err = store.Rebuild(ctx, location, "", func(ix store.Index) error {
			for i := 0; i < len(want); i += 512 {
				if err := ix.Put(ctx, want[i:min(i+512, len(want))]...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := all(t, open(t, location)); !reflect.DeepEqual(got, want) {
			t.Fatalf("after rebuilding the index has %d entries, want the new %d", len(got), len(want))
		}
	})
}

func TestOpenSQLiteNotPostgres(t *testing.T) {
	for _, loc := range []string{"index.db", "postgres.db", "dir/postgres:/x"} {
		if store.IsPostgres(loc) {
			t.Errorf("IsPostgres(%q)", loc)
		}
	}
	for _, loc := range []string{"postgres://h/db", "postgresql://u@h:5432/db?sslmode=disable"} {
		if !store.IsPostgres(loc) {
			t.Errorf("!IsPostgres(%q)", loc)
		}
	}
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "index.db"), "ignored")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*store.SQLite); !ok {
		t.Fatalf("Open of a path: %T", s)
	}
	s.Close()
}

func TestDefaultSchema(t *testing.T) {
	if got := store.DefaultSchema("ve2024"); got != "triplicate_ve2024" {
		t.Errorf("DefaultSchema(ve2024) = %q", got)
	}
	long := strings.Repeat("a", 64)
	a, b := store.DefaultSchema(long), store.DefaultSchema(long[:63]+"b")
	if len(a) != store.MaxSchema || len(b) != store.MaxSchema || a == b {
		t.Errorf("DefaultSchema of two 64-byte ids: %q, %q", a, b)
	}
}

// TestPostgresSchemas: elections sharing one database each have their own
// schema, named by the URL or by the caller.
func TestPostgresSchemas(t *testing.T) {
	ctx := context.Background()
	loc1, schema1 := storetest.Postgres(t)
	loc2, _ := storetest.Postgres(t)
	s1, s2 := open(t, loc1), open(t, loc2)
	if err := s1.Put(ctx, batch(0, 3)...); err != nil {
		t.Fatal(err)
	}
	if err := s2.Put(ctx, store.Entry{0, "9.1", "final", store.Accepted, []byte("other election")}); err != nil {
		t.Fatal(err)
	}
	if got := all(t, s1); len(got) != 3 {
		t.Fatalf("the first schema has %d entries, want its 3", len(got))
	}
	if got := all(t, s2); len(got) != 1 {
		t.Fatalf("the second schema has %d entries, want its 1", len(got))
	}
	if p, ok := s1.(*store.Postgres); !ok || p.Schema() != schema1 {
		t.Fatalf("Open of %s: %T, not in schema %s", loc1, s1, schema1)
	}

	// Without a schema parameter, the caller's schema; with other
	// parameters, the schema parameter is not sent to the server.
	base, _, _ := strings.Cut(loc1, "schema=")
	base = strings.TrimRight(base, "?&")
	p, err := store.OpenPostgres(ctx, base, schema1)
	if err != nil {
		t.Fatal(err)
	}
	if got := all(t, p); len(got) != 3 {
		t.Fatalf("OpenPostgres in schema %s: %d entries, want 3", schema1, len(got))
	}
	p.Close()
	if _, err := store.Open(ctx, base, ""); err == nil {
		t.Fatal("Open of a PostgreSQL URL with no schema anywhere")
	}
	if _, err := store.Open(ctx, base, strings.Repeat("s", 64)); err == nil {
		t.Fatal("Open in a schema PostgreSQL would cut short")
	}
}
