package center_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/ledger/ledgertest"
	"github.com/triplicate-vote/triplicate/internal/store/storetest"
)

// frontEnd opens a front-end of the election f on the shared log logLoc
// (a mysql:// URL) and index (a PostgreSQL URL, or "" for SQLite in dir),
// with the admin token s3cret; Close stops it.
type frontEnd struct {
	*center.Center
	srv *httptest.Server
	dir string
}

func openFrontEnd(t testing.TB, f *electiontest.Fixture, dir, logLoc, index string) *frontEnd {
	t.Helper()
	reg := prometheus.NewRegistry()
	c, err := center.Open(context.Background(), center.Config{
		Election: f.Def, Key: f.Center, Dir: dir, Store: index, Log: logLoc,
		AdminToken: "s3cret", Registry: reg, PublishInterval: -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	fe := &frontEnd{Center: c, srv: httptest.NewServer(c.Handler(reg)), dir: dir}
	t.Cleanup(fe.stop)
	return fe
}

func (fe *frontEnd) stop() {
	fe.srv.Close()
	fe.Center.Close(context.Background())
}

func (fe *frontEnd) setIngest(t testing.TB, state string) {
	t.Helper()
	if r := post(t, fe.srv.URL+"/v1/admin/ingest", []byte(state), "Authorization", "Bearer s3cret"); r.code != 200 {
		t.Fatalf("ingest %s: %d %s", state, r.code, r.body)
	}
}

// TestSharedIngestClosed: closing ingest on one front-end closes it on
// every front-end of the shared log. Actas flow through two front-ends
// while the admin closes ingest through one; from the answer on, every
// acta sent to either is refused as closed, and the log does not grow. The
// switch outlives a restart of a front-end and holds for a front-end that
// starts afterwards; opening it on another front-end opens it on all.
func TestSharedIngestClosed(t *testing.T) {
	logLoc := mysqlLocation(t, ledgertest.MySQL(t))
	index, _ := storetest.Postgres(t)
	const n = 400
	f := electiontest.New(electiontest.Options{Stations: n})
	actas := make([][]byte, n)
	parallel(n, func(i int) { actas[i] = finalActa(t, f, fmt.Sprintf("100.%d", i+1), i%7, i%5, i%3) })
	a := openFrontEnd(t, f, t.TempDir(), logLoc, index)
	b := openFrontEnd(t, f, t.TempDir(), logLoc, index)
	fes := []*frontEnd{a, b}

	ctx := context.Background()
	var (
		mu       sync.Mutex
		acked    = map[uint64]string{} // log index: station
		closedAt time.Time             // when closing answered
	)
	// A quarter of the way through, the admin closes ingest through a.
	var sent atomic.Int64
	closing, closed := make(chan struct{}), make(chan uint64, 1)
	go func() {
		<-closing
		r := post(t, a.srv.URL+"/v1/admin/ingest", []byte("closed"), "Authorization", "Bearer s3cret")
		size, err := a.Ledger().Integrated(ctx)
		if r.code != 200 || err != nil {
			t.Errorf("closing ingest: %d %s; log size: %v", r.code, r.body, err)
		}
		mu.Lock()
		closedAt = time.Now()
		mu.Unlock()
		closed <- size
	}()
	concurrently(n, 16, func(i int) {
		if sent.Add(1) == n/4 {
			close(closing)
		}
		mu.Lock()
		after := !closedAt.IsZero()
		mu.Unlock()
		r := post(t, fes[i%2].srv.URL+"/v1/actas", actas[i])
		mu.Lock()
		defer mu.Unlock()
		switch {
		case r.code == 200 && !after:
			acked[r.sub.Index] = r.sub.Station
		case r.code == 503 && strings.Contains(string(r.body), center.ErrIngestClosed.Error()):
		default:
			t.Errorf("station 100.%d, sent after closing answered: %v: %d %s", i+1, after, r.code, r.body)
		}
	})
	size := <-closed
	if t.Failed() {
		t.FailNow()
	}
	if len(acked) == 0 || len(acked) == n {
		t.Fatalf("%d of %d actas accepted: the close did not fall mid-ingest", len(acked), n)
	}
	// Closed on both: every acta not accepted is refused by either, and the
	// log is as it was when closing answered.
	refused := func(fe *frontEnd, i int) {
		t.Helper()
		r := post(t, fe.srv.URL+"/v1/actas", actas[i])
		if r.code != 503 || !strings.Contains(string(r.body), center.ErrIngestClosed.Error()) {
			t.Fatalf("station 100.%d with ingest closed: %d %s", i+1, r.code, r.body)
		}
	}
	isAcked := map[string]bool{}
	for _, st := range acked {
		isAcked[st] = true
	}
	pending := -1 // a station whose acta was refused
	for i := range n {
		if !isAcked[fmt.Sprintf("100.%d", i+1)] && i%10 == 0 {
			refused(a, i)
			refused(b, i)
			pending = i
		}
	}
	if pending < 0 {
		t.Fatal("no station of those refused to try again")
	}
	t.Logf("%d of %d actas accepted before closing answered", len(acked), n)
	if now, err := b.Ledger().Integrated(ctx); err != nil || now != size || now != uint64(len(acked))+1 {
		t.Fatalf("the log has %d entries (%v); %d when closing answered; %d accepted", now, err, size, len(acked))
	}

	// Closed it stays across a restart of b, and for a front-end that
	// starts afterwards, whatever its data directory says.
	b.stop()
	b = openFrontEnd(t, f, b.dir, logLoc, index)
	c := openFrontEnd(t, f, t.TempDir(), logLoc, index)
	refused(b, pending)
	refused(c, pending)

	// Opened through b: open on b at once, on a and c at their next check.
	b.setIngest(t, "open")
	for _, fe := range []*frontEnd{b, a, c} {
		deadline := time.Now().Add(10 * time.Second)
		for {
			r := post(t, fe.srv.URL+"/v1/actas", actas[pending])
			if r.code == 200 {
				break
			}
			if r.code != 503 || time.Now().After(deadline) {
				t.Fatalf("station 100.%d after opening: %d %s", pending+1, r.code, r.body)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	// Closed again through c, open again through a.
	c.setIngest(t, "closed")
	refused(a, pending)
	refused(b, pending)
	a.setIngest(t, "open")
	if r := post(t, a.srv.URL+"/v1/actas", actas[pending]); r.code != 200 || r.sub.Status != "duplicate" {
		t.Fatalf("station 100.%d after opening again: %d %s", pending+1, r.code, r.body)
	}
}
