package center_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/ledger/ledgertest"
	"github.com/triplicate-vote/triplicate/internal/store"
	"github.com/triplicate-vote/triplicate/internal/store/storetest"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

// sharedStations is how many stations TestTwoFrontEnds ingests: 3,000 by
// default, TRIPLICATE_SHARED_STATIONS if set (30000 for the figure).
func sharedStations(t *testing.T) int {
	if s := os.Getenv("TRIPLICATE_SHARED_STATIONS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if testing.Short() {
		return 300
	}
	return 3000
}

// TestTwoFrontEnds ingests the same actas through one center with a log of
// its own, and through two centers behind a round-robin that share one log
// (MySQL) and one index (PostgreSQL): every station's answers, the results
// and the index are the same, and the shared log is one tree, published
// under the witness policy, in which every station's first acta is accepted
// once. Some first actas go to both front-ends at once, so the two race to
// log them; then come duplicates, copies with the same count, and different
// counts, each logged as evidence of a conflict.
func TestTwoFrontEnds(t *testing.T) {
	logDSN := ledgertest.MySQL(t)
	index, _ := storetest.Postgres(t)
	n := sharedStations(t)
	f := electiontest.New(electiontest.Options{Stations: n, LogWitnesses: 2})
	first := make([][]byte, n)
	parallel(n, func(i int) { first[i] = finalActa(t, f, fmt.Sprintf("100.%d", i+1), i%7, i%5, i%3) })
	// The second phase: what a station sends after its first acta is in.
	type later struct {
		station int
		acta    []byte
	}
	var second []later
	for i := range n {
		switch i % 10 {
		case 0:
			second = append(second, later{i, first[i]})
		case 3:
			second = append(second, later{i, mustCosign(t, first[i], f)})
		case 7:
			second = append(second, later{i, finalActa(t, f, fmt.Sprintf("100.%d", i+1), 9, 9, 9)})
		}
	}
	// Each log has witnesses of its own: the single center's log and the
	// shared one have the same origin and key but different histories, and a
	// witness of one would rightly refuse the other's checkpoints.
	witnesses := func() []ledger.Witness {
		var ws []ledger.Witness
		for _, p := range []string{"pa", "pb"} {
			k := f.Log[p]
			w, err := witness.Open(t.TempDir(), k, []witness.Log{{Key: f.Center.Public}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(w.Handler())
			t.Cleanup(func() { srv.Close(); w.Close() })
			ws = append(ws, ledger.Witness{Key: k.Public, URL: srv.URL})
		}
		return ws
	}
	open := func(logLoc, store string, ws []ledger.Witness) (*center.Center, string) {
		reg := prometheus.NewRegistry()
		c, err := center.Open(context.Background(), center.Config{
			Election: f.Def, Key: f.Center, Dir: t.TempDir(), Store: store, Log: logLoc,
			Witnesses: ws, Quorum: 2, Registry: reg, PublishInterval: -1,
		})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(c.Handler(reg))
		t.Cleanup(func() { srv.Close(); c.Close(context.Background()) })
		return c, srv.URL
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	submit := func(url string, msg []byte) center.SubmitResponse {
		resp, err := client.Post(url+"/v1/actas", "text/plain", bytes.NewReader(msg))
		if err != nil {
			t.Error(err)
			return center.SubmitResponse{}
		}
		defer resp.Body.Close()
		var r center.SubmitResponse
		json.NewDecoder(resp.Body).Decode(&r)
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusConflict {
			t.Errorf("station %s: %d", r.Station, resp.StatusCode)
		}
		return r
	}
	// ingest sends every acta through the front-ends, round-robin, 64 at a
	// time, and returns each station's answers: the statuses, sorted, and
	// whether each answer's entry is the station's accepted one.
	ingest := func(urls []string) [][]string {
		var next atomic.Uint64
		rr := func() string { return urls[next.Add(1)%uint64(len(urls))] }
		answers := make([][]string, n)
		accepted := make([]uint64, n)
		var mu sync.Mutex
		note := func(i int, r center.SubmitResponse) {
			mu.Lock()
			defer mu.Unlock()
			answers[i] = append(answers[i], r.Status)
			if r.Status == string(store.Accepted) {
				accepted[i] = r.Index
			}
		}
		concurrently(n, 64, func(i int) {
			if i%10 == 5 { // both front-ends at once
				var wg sync.WaitGroup
				for range 2 {
					wg.Add(1)
					go func() { defer wg.Done(); note(i, submit(rr(), first[i])) }()
				}
				wg.Wait()
				return
			}
			note(i, submit(rr(), first[i]))
		})
		concurrently(len(second), 64, func(j int) {
			i := second[j].station
			r := submit(rr(), second[j].acta)
			note(i, r)
			mu.Lock()
			defer mu.Unlock()
			if r.Status != string(store.Conflict) && r.Index != accepted[i] {
				t.Errorf("station 100.%d: %s with entry %d, not the accepted %d", i+1, r.Status, r.Index, accepted[i])
			}
		})
		for i := range answers {
			slices.Sort(answers[i])
		}
		return answers
	}
	results := func(c *center.Center) string {
		var b bytes.Buffer
		for _, area := range []string{"", "1", "1/100"} {
			res, ok := c.Result(context.Background(), area)
			if !ok {
				t.Fatalf("no area %q", area)
			}
			j, _ := json.Marshal(res)
			b.Write(j)
			b.WriteByte('\n')
		}
		return b.String()
	}

	single, url := open("", "", witnesses())
	start := time.Now()
	want := ingest([]string{url})
	t.Logf("one center, a log of its own: %d stations in %v", n, time.Since(start))
	wantResults := results(single)

	mysqlURL := mysqlLocation(t, logDSN)
	ws := witnesses()
	a, urlA := open(mysqlURL, index, ws)
	b, urlB := open(mysqlURL, index, ws)
	start = time.Now()
	got := ingest([]string{urlA, urlB})
	t.Logf("two front-ends, one shared log and index: %d stations in %v", n, time.Since(start))
	for i := range n {
		if !slices.Equal(got[i], want[i]) {
			t.Fatalf("station 100.%d: answers %v through two front-ends, %v through one center", i+1, got[i], want[i])
		}
	}

	// Both front-ends follow the whole log, and publish one tree.
	ctx := context.Background()
	size, err := a.Ledger().Integrated(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	var cps []string
	for _, c := range []*center.Center{a, b} {
		for {
			cp, err := c.Ledger().Published(ctx)
			if err == nil && cp.Size >= size {
				cps = append(cps, fmt.Sprintf("%d %x", cp.Size, cp.Hash))
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no checkpoint of size %d published: %v, %v", size, cp, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	if cps[0] != cps[1] {
		t.Fatalf("the front-ends read different checkpoints: %s, %s", cps[0], cps[1])
	}
	for _, c := range []*center.Center{a, b} {
		for {
			res, _ := c.Result(ctx, "")
			if res.StationsReported == n {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("a front-end has %d stations reported, want %d", res.StationsReported, n)
			}
			time.Sleep(50 * time.Millisecond)
		}
		if r := results(c); r != wantResults {
			t.Fatalf("results through two front-ends differ from one center's:\n%s\n%s", r, wantResults)
		}
	}
	a.Close(ctx)
	b.Close(ctx)

	// The log and the index: one row an entry, every first acta accepted
	// once, every conflict logged as such.
	rs := rows(t, t.TempDir(), index)
	if uint64(len(rs))+1 != size { // entry 0, the definition, is not indexed
		t.Fatalf("%d index rows for %d log entries", len(rs), size)
	}
	firstOf := map[[32]byte]int{}
	for i, m := range first {
		firstOf[sha256.Sum256(m)] = i
	}
	acceptedAt := map[string]uint64{}
	count := map[store.Status]int{}
	for i, e := range rs {
		if e.Index != uint64(i)+1 {
			t.Fatalf("index row %d is of log entry %d", i, e.Index)
		}
		count[e.Status]++
		switch e.Status {
		case store.Accepted:
			if _, ok := acceptedAt[e.Station]; ok {
				t.Fatalf("station %s accepted twice", e.Station)
			}
			acceptedAt[e.Station] = e.Index
			if j, ok := firstOf[sha256.Sum256(e.Acta)]; !ok || fmt.Sprintf("100.%d", j+1) != e.Station {
				t.Fatalf("entry %d: station %s's accepted acta is not its first", e.Index, e.Station)
			}
		case store.Conflict:
			if _, ok := firstOf[sha256.Sum256(e.Acta)]; ok {
				t.Fatalf("entry %d: a first acta logged as a conflict", e.Index)
			}
		}
	}
	if len(acceptedAt) != n || count[store.Conflict] != n/10+boolInt(n%10 > 7) {
		t.Fatalf("%d stations accepted, %d conflicts logged; want %d, %d", len(acceptedAt), count[store.Conflict], n, n/10+boolInt(n%10 > 7))
	}
	t.Logf("shared log: %d entries: %v", size, count)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// mysqlLocation turns a test database's DSN (user@tcp(host:port)/db) into
// the mysql:// URL a center takes.
func mysqlLocation(t testing.TB, dsn string) string {
	c, err := gomysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u := url.URL{Scheme: "mysql", Host: c.Addr, Path: "/" + c.DBName, User: url.User(c.User)}
	if c.Passwd != "" {
		u.User = url.UserPassword(c.User, c.Passwd)
	}
	return u.String()
}
