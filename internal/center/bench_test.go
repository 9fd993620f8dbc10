package center_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/store"
	"github.com/triplicate-vote/triplicate/internal/store/storetest"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

// BenchmarkIngest30k has 256 machines transmit the final actas of 30,000
// stations (Venezuela's size) to a center over loopback HTTP, with two party
// witnesses that must both cosign every checkpoint, and measures the time
// until a published, cosigned checkpoint covers them all, with the index in
// each backend (PostgreSQL if TRIPLICATE_TEST_POSTGRES names one). In the
// same run it measures the floors: the signature checks of every acta on
// both cores, raw appends of as many entries of the same size to a Tessera
// log with the same batching and concurrency, without HTTP, decisions or
// witnesses, and raw inserts of their rows into an index of the same
// backend, 512 to a Put as the center's indexer writes them.
//
//	go test -run '^$' -bench Ingest30k -benchtime 1x ./internal/center/
func BenchmarkIngest30k(b *testing.B) {
	const stations, machines = 30000, 256
	f := electiontest.New(electiontest.Options{Stations: stations, LogWitnesses: 2})
	actas := make([][]byte, stations)
	parallel(stations, func(i int) { actas[i] = finalActa(b, f, fmt.Sprintf("100.%d", i+1), i%7, i%5, i%3) })
	rows := make([]store.Entry, stations)
	for i := range rows {
		rows[i] = store.Entry{Index: uint64(i), Station: fmt.Sprintf("100.%d", i+1), Kind: string(acta.Final), Status: store.Accepted, Acta: actas[i]}
	}
	for _, backend := range storetest.Backends {
		b.Run(backend, func(b *testing.B) { benchmarkIngest(b, f, actas, rows, backend, machines) })
	}
}

func benchmarkIngest(b *testing.B, f *electiontest.Fixture, actas [][]byte, rows []store.Entry, backend string, machines int) {
	stations := len(actas)
	index := ""
	if backend != "sqlite" {
		index = storetest.Location(b, backend) // skips without one
	}
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		// Floor 1: the signature checks, as fast as both cores go.
		start := time.Now()
		parallel(stations, func(i int) {
			if _, err := acta.Open(actas[i], f.Def); err != nil {
				b.Error(err)
			}
		})
		sigFloor := time.Since(start)
		// Floor 2: raw appends.
		l, err := ledger.Open(context.Background(), ledger.Config{Dir: b.TempDir(), Key: f.Center})
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		concurrently(stations, machines, func(i int) {
			if _, err := l.Add(context.Background(), actas[i]); err != nil {
				b.Error(err)
			}
		})
		appendFloor := time.Since(start)
		l.Close(context.Background())
		// Floor 3: raw inserts.
		st, err := store.Open(context.Background(), storetest.Location(b, backend), "")
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		for i := 0; i < len(rows); i += 512 {
			if err := st.Put(context.Background(), rows[i:min(i+512, len(rows))]...); err != nil {
				b.Fatal(err)
			}
		}
		insertFloor := time.Since(start)
		st.Close()

		// The center, its witnesses and the machines.
		var ws []ledger.Witness
		for _, p := range []string{"pa", "pb"} {
			k := f.Log[p]
			w, err := witness.Open(b.TempDir(), k, []witness.Log{{Key: f.Center.Public}}, nil)
			if err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(w.Handler())
			defer srv.Close()
			defer w.Close()
			ws = append(ws, ledger.Witness{Key: k.Public, URL: srv.URL})
		}
		c, err := center.Open(context.Background(), center.Config{Election: f.Def, Key: f.Center, Dir: b.TempDir(), Store: index, Witnesses: ws, Quorum: 2})
		if err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(c.Handler(nil))
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: machines}}
		latency := make([]time.Duration, stations)
		b.StartTimer()
		start = time.Now()
		concurrently(stations, machines, func(i int) {
			t0 := time.Now()
			resp, err := client.Post(srv.URL+"/v1/actas", "text/plain", bytes.NewReader(actas[i]))
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("station %d: %d", i+1, resp.StatusCode)
			}
			latency[i] = time.Since(t0)
		})
		acked := time.Since(start)
		v, _ := note.NewVerifier(f.Center.Public)
		for {
			cp, err := c.Ledger().Published(context.Background())
			// The actas and the log's head (entry 0, naming the definition).
			if err == nil && cp.Size == uint64(stations)+1 {
				break
			}
			if err == nil && cp.Size > uint64(stations)+1 {
				b.Fatalf("%d log entries for %d actas and the head", cp.Size, stations)
			}
			time.Sleep(5 * time.Millisecond)
		}
		published := time.Since(start)
		b.StopTimer()
		raw, _ := c.Ledger().Published(context.Background())
		if _, _, _, err := log.ParseCheckpoint(raw.Raw, v.Name(), v); err != nil {
			b.Fatal(err)
		}
		res, _ := c.Result(context.Background(), "")
		if res.StationsReported != stations {
			b.Fatalf("%d stations reported, want %d", res.StationsReported, stations)
		}
		srv.Close()
		c.Close(context.Background())

		slices.Sort(latency)
		b.ReportMetric(float64(stations)/acked.Seconds(), "actas/s")
		b.ReportMetric(published.Seconds(), "s-to-published")
		b.ReportMetric(float64(latency[len(latency)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(latency[len(latency)*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(sigFloor.Seconds(), "s-floor-signatures")
		b.ReportMetric(appendFloor.Seconds(), "s-floor-appends")
		b.ReportMetric(acked.Seconds()/sigFloor.Seconds(), "x-floor-signatures")
		b.ReportMetric(acked.Seconds()/appendFloor.Seconds(), "x-floor-appends")
		b.ReportMetric(insertFloor.Seconds(), "s-floor-inserts")
		b.ReportMetric(acked.Seconds()/insertFloor.Seconds(), "x-floor-inserts")
	}
}

// parallel calls fn for 0..n-1 on every core.
func parallel(n int, fn func(int)) {
	concurrently(n, runtime.GOMAXPROCS(0), fn)
}

// concurrently calls fn for 0..n-1 from k goroutines.
func concurrently(n, k int, fn func(int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
