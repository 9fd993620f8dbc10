package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/store"
)

func TestPutAndRead(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "index.db")
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
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

	s, err = store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Station(ctx, "1.1")
	if err != nil || len(got) != 3 || got[1].Status != store.Conflict || string(got[2].Acta) != "z" {
		t.Fatalf("Station(1.1) = %+v, %v", got, err)
	}
	var all []uint64
	s.Scan(ctx, func(e store.Entry) error { all = append(all, e.Index); return nil })
	if len(all) != 4 || all[3] != 3 {
		t.Fatalf("Scan: %v", all)
	}
}
