package center_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/store"
	"github.com/triplicate-vote/triplicate/internal/store/storetest"
)

// proxy stands between the center and PostgreSQL on loopback, so that a test
// can take the database away and bring it back without touching the server
// that other tests share: while cut, it drops every connection it has and
// closes each new one at once.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	cut    bool
	conns  map[net.Conn]bool
	wg     sync.WaitGroup
}

func newProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(func() {
		ln.Close()
		p.setCut(true)
		p.wg.Wait()
	})
	return p
}

func (p *proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.cut {
			p.mu.Unlock()
			c.Close()
			continue
		}
		up, err := net.DialTimeout("tcp", p.target, 5*time.Second)
		if err != nil {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.conns[c], p.conns[up] = true, true
		p.mu.Unlock()
		p.wg.Add(2)
		go p.pipe(c, up)
		go p.pipe(up, c)
	}
}

func (p *proxy) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	io.Copy(dst, src)
	dst.Close()
	src.Close()
}

// setCut takes the database away (dropping every connection) or brings it
// back.
func (p *proxy) setCut(cut bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = cut
	if cut {
		for c := range p.conns {
			c.Close()
		}
		clear(p.conns)
	}
}

// TestIndexOutage: the index's database goes away mid-ingest and comes back.
// While it is away ingest pauses with a clear error (503, which machines
// retry), and once it is back ingest resumes; every acta acknowledged before,
// during and after is in the index, without a restart to fill gaps.
func TestIndexOutage(t *testing.T) {
	index, _ := storetest.Postgres(t)
	u, err := url.Parse(index)
	if err != nil {
		t.Fatal(err)
	}
	px := newProxy(t, u.Host)
	u.Host = px.ln.Addr().String()
	index = u.String()

	const n = 120
	f := electiontest.New(electiontest.Options{Stations: n})
	dir := t.TempDir()
	c, srv := openCenterStore(t, f, dir, index)
	submit := func(i int) response {
		return post(t, srv.URL+"/v1/actas", finalActa(t, f, fmt.Sprintf("100.%d", i), i, n-i, 0))
	}
	acked := map[uint64]string{} // log index: station
	ack := func(i int, r response) {
		if r.code != 200 || r.sub.Status != "accepted" {
			t.Fatalf("station 100.%d: %d %s", i, r.code, r.body)
		}
		acked[r.sub.Index] = r.sub.Station
	}
	i := 1
	for ; i <= 40; i++ {
		ack(i, submit(i))
	}

	// Away: the actas already in flight are acknowledged (they are in the
	// log); then ingest pauses, saying why.
	px.setCut(true)
	deadline := time.Now().Add(20 * time.Second)
	var paused response
	for ; ; i++ {
		if time.Now().After(deadline) {
			t.Fatal("ingest did not pause with the index away")
		}
		r := submit(i)
		if r.code == 503 {
			paused = r
			break
		}
		ack(i, r)
	}
	if !strings.Contains(string(paused.body), "the center's index is unavailable: ingest is paused until it is back") {
		t.Fatalf("paused ingest says %q", paused.body)
	}
	if code := get(t, srv.URL+"/v1/stations/100.1", nil); code != 503 {
		t.Fatalf("a station's page with the index away: %d, want 503", code)
	}
	// An acta already logged is answered as ever.
	if r := post(t, srv.URL+"/v1/actas", finalActa(t, f, "100.1", 1, n-1, 0)); r.code != 200 || r.sub.Status != "duplicate" {
		t.Fatalf("an acta already logged, with the index away: %d %s", r.code, r.body)
	}
	time.Sleep(300 * time.Millisecond) // a few retries
	if r := submit(i); r.code != 503 {
		t.Fatalf("submit with the index still away: %d %s", r.code, r.body)
	}

	// Back: the refused acta goes in once the indexer has written what it
	// kept, as a machine retrying would find.
	px.setCut(false)
	deadline = time.Now().Add(20 * time.Second)
	for {
		r := submit(i)
		if r.code == 200 {
			ack(i, r)
			break
		}
		if r.code != 503 || time.Now().After(deadline) {
			t.Fatalf("after the index came back: %d %s", r.code, r.body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for i++; i <= n; i++ {
		ack(i, submit(i))
	}
	var st struct{ Actas []struct{ Index uint64 } }
	if code := get(t, srv.URL+"/v1/stations/100.1", &st); code != 200 || len(st.Actas) != 1 {
		t.Fatalf("station 100.1 after the index came back: %d %+v", code, st)
	}

	// Every acknowledged acta is in the index, as the center wrote it,
	// before any restart could fill a gap from the log.
	srv.Close()
	if err := c.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := rows(t, dir, index)
	if len(got) != len(acked) || len(acked) != n {
		t.Fatalf("the index has %d entries; %d acknowledged, of %d stations", len(got), len(acked), n)
	}
	for _, e := range got {
		if acked[e.Index] != e.Station || e.Status != store.Accepted {
			t.Fatalf("index entry %d: %s %s; acknowledged: %q", e.Index, e.Station, e.Status, acked[e.Index])
		}
	}
}
