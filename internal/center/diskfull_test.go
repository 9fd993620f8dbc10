package center_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/store"
)

// faultyIndex is an index whose writes fail while full is set, as a SQLite
// file's do on a full disk.
type faultyIndex struct {
	store.Index
	full *atomic.Bool
}

func (x faultyIndex) Put(ctx context.Context, entries ...store.Entry) error {
	if x.full.Load() {
		return errors.New("database or disk is full (SQLITE_FULL)")
	}
	return x.Index.Put(ctx, entries...)
}

// TestIndexWriteFault: the index refuses writes (its disk is full) mid-ingest,
// then accepts them again. Ingest pauses with 503 meanwhile, which machines
// retry, and no acknowledged acta goes missing from the index: every station
// acknowledged shows its acta once the fault clears, without a restart.
func TestIndexWriteFault(t *testing.T) {
	const n = 60
	f := electiontest.New(electiontest.Options{Stations: n})
	var full atomic.Bool
	cfg := center.Config{Election: f.Def, Key: f.Center, Dir: t.TempDir(), Registry: prometheus.NewRegistry()}
	center.WrapIndex(&cfg, func(x store.Index) store.Index { return faultyIndex{x, &full} })
	c, err := center.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c.Handler(prometheus.NewRegistry()))
	t.Cleanup(func() {
		srv.Close()
		c.Close(context.Background())
	})
	submit := func(i int) response {
		return post(t, srv.URL+"/v1/actas", finalActa(t, f, fmt.Sprintf("100.%d", i), i, n-i, 0))
	}
	var acked []string
	ack := func(i int, r response) {
		if r.code != 200 || r.sub.Status != "accepted" {
			t.Fatalf("station 100.%d: %d %s", i, r.code, r.body)
		}
		acked = append(acked, r.sub.Station)
	}
	i := 1
	for ; i <= 20; i++ {
		ack(i, submit(i))
	}

	full.Store(true)
	deadline := time.Now().Add(20 * time.Second)
	for ; ; i++ {
		if time.Now().After(deadline) || i > n-10 {
			t.Fatalf("ingest did not pause with the index refusing writes: %d actas acknowledged", len(acked))
		}
		r := submit(i)
		if r.code == 503 {
			break
		}
		ack(i, r)
	}
	time.Sleep(200 * time.Millisecond) // a few retries
	if r := submit(i); r.code != 503 {
		t.Fatalf("submit with the index still refusing writes: %d %s", r.code, r.body)
	}

	full.Store(false)
	deadline = time.Now().Add(20 * time.Second)
	for {
		r := submit(i)
		if r.code == 200 {
			ack(i, r)
			break
		}
		if r.code != 503 || time.Now().After(deadline) {
			t.Fatalf("after the fault cleared: %d %s", r.code, r.body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for i++; i <= n; i++ {
		ack(i, submit(i))
	}
	for _, s := range acked {
		var st struct{ Actas []struct{ Index uint64 } }
		if code := get(t, srv.URL+"/v1/stations/"+s, &st); code != 200 || len(st.Actas) != 1 {
			t.Fatalf("station %s, acknowledged, after the fault cleared: %d %+v", s, code, st)
		}
	}
}
