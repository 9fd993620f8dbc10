package center_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/ledger/ledgertest"
	"github.com/triplicate-vote/triplicate/internal/store/storetest"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

// BenchmarkIngestShared30k has 256 machines transmit the final actas of
// 30,000 stations, with two party witnesses that must both cosign every
// checkpoint, to one center on the embedded default (its own POSIX log and
// SQLite index) and, in the same run, to two front-ends behind a
// round-robin over one MariaDB log and one PostgreSQL index; it reports
// each one's rate, the time until a published checkpoint covers every acta,
// and the ratio of the two. The databases are the test servers
// (TRIPLICATE_TEST_MYSQL, TRIPLICATE_TEST_POSTGRES) on the same machine.
//
//	go test -run '^$' -bench IngestShared30k -benchtime 1x ./internal/center/
func BenchmarkIngestShared30k(b *testing.B) {
	const stations, machines = 30000, 256
	f := electiontest.New(electiontest.Options{Stations: stations, LogWitnesses: 2})
	actas := make([][]byte, stations)
	parallel(stations, func(i int) { actas[i] = finalActa(b, f, fmt.Sprintf("100.%d", i+1), i%7, i%5, i%3) })
	witnesses := func() []ledger.Witness {
		var ws []ledger.Witness
		for _, p := range []string{"pa", "pb"} {
			k := f.Log[p]
			w, err := witness.Open(b.TempDir(), k, []witness.Log{{Key: f.Center.Public}}, nil)
			if err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(w.Handler())
			b.Cleanup(func() { srv.Close(); w.Close() })
			ws = append(ws, ledger.Witness{Key: k.Public, URL: srv.URL})
		}
		return ws
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: machines}}
	// run ingests every acta through the centers, round-robin, and returns
	// the time until all are acknowledged and until a published
	// checkpoint covers them.
	run := func(cs []*center.Center, urls []string) (acked, published time.Duration) {
		start := time.Now()
		concurrently(stations, machines, func(i int) {
			resp, err := client.Post(urls[i%len(urls)]+"/v1/actas", "text/plain", bytes.NewReader(actas[i]))
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("station %d: %d", i+1, resp.StatusCode)
			}
		})
		acked = time.Since(start)
		for {
			cp, err := cs[0].Ledger().Published(context.Background())
			if err == nil && cp.Size >= stations {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		return acked, time.Since(start)
	}
	open := func(cfg center.Config, ws []ledger.Witness) (*center.Center, string) {
		cfg.Election, cfg.Key, cfg.Dir, cfg.Witnesses, cfg.Quorum = f.Def, f.Center, b.TempDir(), ws, 2
		c, err := center.Open(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(c.Handler(nil))
		b.Cleanup(func() { srv.Close(); c.Close(context.Background()) })
		return c, srv.URL
	}
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		logLoc := mysqlLocation(b, ledgertest.MySQL(b))
		index, _ := storetest.Postgres(b)
		one, oneURL := open(center.Config{}, witnesses())
		// The front-ends share the log, and so its witnesses; one publishes.
		ws := witnesses()
		var fes []*center.Center
		var urls []string
		for i := range 2 {
			c, url := open(center.Config{Log: logLoc, Store: index, NoPublish: i > 0}, ws)
			fes, urls = append(fes, c), append(urls, url)
		}
		b.StartTimer()
		oneAcked, onePublished := run([]*center.Center{one}, []string{oneURL})
		twoAcked, twoPublished := run(fes, urls)
		b.StopTimer()

		b.ReportMetric(stations/oneAcked.Seconds(), "actas/s-one")
		b.ReportMetric(stations/twoAcked.Seconds(), "actas/s-two-shared")
		b.ReportMetric(onePublished.Seconds(), "s-to-published-one")
		b.ReportMetric(twoPublished.Seconds(), "s-to-published-two-shared")
		b.ReportMetric(twoAcked.Seconds()/oneAcked.Seconds(), "x-one")
	}
}
