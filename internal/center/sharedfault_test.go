package center_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/ledger/ledgertest"
	"github.com/triplicate-vote/triplicate/internal/store"
	"github.com/triplicate-vote/triplicate/internal/store/storetest"
)

// acks keeps what front-ends acknowledged: each station's answers.
type acks struct {
	mu sync.Mutex
	m  map[string][]center.SubmitResponse
}

func (a *acks) add(r center.SubmitResponse) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.m == nil {
		a.m = map[string][]center.SubmitResponse{}
	}
	a.m[r.Station] = append(a.m[r.Station], r)
}

// check fails the test unless every acknowledged acta is in the index of
// the shared log as its station's accepted acta, every station has one,
// and the index has a row for every log entry.
func (a *acks) check(t *testing.T, index string, stations int, size uint64) {
	t.Helper()
	rs := rows(t, "", index)
	if uint64(len(rs))+1 != size { // entry 0, the definition, is not indexed
		t.Fatalf("%d index rows for %d log entries", len(rs), size)
	}
	accepted := map[string]uint64{}
	for i, e := range rs {
		if e.Index != uint64(i)+1 {
			t.Fatalf("index row %d is of log entry %d", i, e.Index)
		}
		if e.Status == store.Accepted {
			accepted[e.Station] = e.Index
		}
	}
	if len(accepted) != stations {
		t.Fatalf("%d stations accepted in the log, want %d", len(accepted), stations)
	}
	n := 0
	for st, rs := range a.m {
		for _, r := range rs {
			n++
			if idx, ok := accepted[st]; !ok || idx != r.Index {
				t.Fatalf("station %s: acknowledged %s as entry %d; the log's accepted entry: %d (%v)", st, r.Status, r.Index, idx, ok)
			}
		}
	}
	t.Logf("%d acknowledgements, %d log entries, %d stations", n, size, stations)
}

// send posts an acta to a front-end and says whether it was acknowledged,
// and with what error if not.
func send(hc *http.Client, url string, msg []byte) (center.SubmitResponse, int, string) {
	resp, err := hc.Post(url+"/v1/actas", "text/plain", bytes.NewReader(msg))
	if err != nil {
		return center.SubmitResponse{}, 0, err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var r center.SubmitResponse
	json.Unmarshal(body, &r)
	return r, resp.StatusCode, string(body)
}

// TestLogOutage: the shared log's database goes away for one front-end
// mid-ingest (a proxy drops its connections) while the other goes on. That
// front-end pauses ingest with a clear error (503, which machines retry)
// and answers what it had already decided as ever; once the database is
// back it resumes, and its follower catches up with what the other logged
// meanwhile. Nothing acknowledged is lost, and both front-ends end with
// the same results.
func TestLogOutage(t *testing.T) {
	dsn := ledgertest.MySQL(t)
	index, _ := storetest.Postgres(t)
	cfg, err := gomysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	px := newProxy(t, cfg.Addr)
	direct := mysqlLocation(t, dsn)
	cfg.Addr = px.ln.Addr().String()
	viaProxy := mysqlLocation(t, cfg.FormatDSN())

	const n = 240
	f := electiontest.New(electiontest.Options{Stations: n})
	actas := make([][]byte, n)
	parallel(n, func(i int) { actas[i] = finalActa(t, f, fmt.Sprintf("100.%d", i+1), i%7, i%5, i%3) })
	a := openFrontEnd(t, f, t.TempDir(), viaProxy, index)
	b := openFrontEnd(t, f, t.TempDir(), direct, index)
	hc := &http.Client{Timeout: 30 * time.Second}
	var ok acks
	ack := func(fe *frontEnd, i int) {
		r, code, body := send(hc, fe.srv.URL, actas[i])
		if code != 200 {
			t.Fatalf("station 100.%d: %d %s", i+1, code, body)
		}
		ok.add(r)
	}
	i := 0
	for ; i < 60; i++ {
		ack([]*frontEnd{a, b}[i%2], i)
	}

	// Away for a: what it has in flight is acknowledged or refused with
	// 503; then it refuses, saying why, while b goes on.
	px.setCut(true)
	deadline := time.Now().Add(20 * time.Second)
	var paused string
	for ; ; i++ {
		if time.Now().After(deadline) {
			t.Fatal("ingest on a did not pause with the log's database away")
		}
		r, code, body := send(hc, a.srv.URL, actas[i])
		if code == 503 {
			paused = body
			break
		}
		if code != 200 {
			t.Fatalf("station 100.%d on a, the database going away: %d %s", i+1, code, body)
		}
		ok.add(r)
	}
	if !strings.Contains(paused, center.ErrLogUnavailable.Error()) {
		t.Fatalf("paused ingest says %q", paused)
	}
	refused := i
	if r, code, body := send(hc, a.srv.URL, actas[0]); code != 200 || r.Status != "duplicate" {
		t.Fatalf("an acta a had decided, with the database away: %d %s", code, body)
	}
	for i++; i < 150; i++ {
		ack(b, i)
	}
	time.Sleep(300 * time.Millisecond) // a's retries, failing
	if _, code, body := send(hc, a.srv.URL, actas[refused]); code != 503 || !strings.Contains(body, center.ErrLogUnavailable.Error()) {
		t.Fatalf("a, the database still away: %d %s", code, body)
	}

	// Back: a takes the refused acta once it holds a lease again, as a
	// machine retrying would find, and catches up with b.
	px.setCut(false)
	deadline = time.Now().Add(30 * time.Second)
	for {
		r, code, body := send(hc, a.srv.URL, actas[refused])
		if code == 200 {
			ok.add(r)
			break
		}
		if code != 503 || time.Now().After(deadline) {
			t.Fatalf("station 100.%d on a after the database came back: %d %s", refused+1, code, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for ; i < n; i++ {
		ack([]*frontEnd{a, b}[i%2], i)
	}
	// Both front-ends answer for the whole log.
	want := waitReported(t, b, n)
	if got := waitReported(t, a, n); got != want {
		t.Fatalf("results of the front-end that lost the database:\n%s\nof the other:\n%s", got, want)
	}
	size, err := b.Ledger().Integrated(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	a.stop()
	b.stop()
	ok.check(t, index, n, size)
}

// waitReported waits until a front-end has n stations reported, and returns
// its results.
func waitReported(t *testing.T, fe *frontEnd, n int) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, _ := fe.Result(context.Background(), "")
		if res.StationsReported == n {
			j, _ := json.Marshal(res)
			return string(j)
		}
		if time.Now().After(deadline) {
			t.Fatalf("a front-end has %d stations reported, want %d", res.StationsReported, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestFrontEndStops: one of two front-ends is stopped mid-ingest, its
// clients' connections dropped, while machines go on sending to both and
// retry on the other what one did not acknowledge. Nothing acknowledged is
// lost; the front-end left has every station, and the stopped one, started
// again, catches up to the same results.
func TestFrontEndStops(t *testing.T) {
	logLoc := mysqlLocation(t, ledgertest.MySQL(t))
	index, _ := storetest.Postgres(t)
	const n = 300
	f := electiontest.New(electiontest.Options{Stations: n})
	actas := make([][]byte, n)
	parallel(n, func(i int) { actas[i] = finalActa(t, f, fmt.Sprintf("100.%d", i+1), i%7, i%5, i%3) })
	a := openFrontEnd(t, f, t.TempDir(), logLoc, index)
	b := openFrontEnd(t, f, t.TempDir(), logLoc, index)
	urls := []string{a.srv.URL, b.srv.URL}
	hc := &http.Client{Timeout: 30 * time.Second}
	var ok acks
	var (
		once    sync.Once
		stopped = make(chan struct{})
		sent    sync.WaitGroup
		retries int
		mu      sync.Mutex
	)
	concurrently(n, 16, func(i int) {
		if i == n/3 {
			sent.Add(1)
			go once.Do(func() {
				defer sent.Done()
				b.srv.CloseClientConnections()
				b.stop()
				close(stopped)
			})
		}
		deadline := time.Now().Add(30 * time.Second)
		for try := i; ; try++ {
			r, code, body := send(hc, urls[try%2], actas[i])
			if code == 200 {
				ok.add(r)
				return
			}
			if time.Now().After(deadline) || code != 0 && code != 503 {
				t.Errorf("station 100.%d: %d %s", i+1, code, body)
				return
			}
			mu.Lock()
			retries++
			mu.Unlock()
		}
	})
	sent.Wait()
	<-stopped
	if t.Failed() {
		t.FailNow()
	}
	t.Logf("%d retries on the other front-end", retries)
	want := waitReported(t, a, n)
	size, err := a.Ledger().Integrated(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b = openFrontEnd(t, f, b.dir, logLoc, index)
	if got := waitReported(t, b, n); got != want {
		t.Fatalf("results of the front-end started again:\n%s\nof the other:\n%s", got, want)
	}
	a.stop()
	b.stop()
	ok.check(t, index, n, size)
}
