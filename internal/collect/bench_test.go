package collect

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/web/phone"
)

// BenchmarkCollect sends the final actas of 1000 stations (a machine's
// signature and a witness's each) from 200 phones at once over loopback,
// every one checked and written durably, and reports actas kept per second
// beside the floor: the same actas opened (their signatures checked) by
// 200 goroutines with no HTTP and no disk.
func BenchmarkCollect(b *testing.B) {
	const stations, phones = 1000, 200
	f := electiontest.New(electiontest.Options{Stations: stations})
	var actas [][]byte
	for _, st := range f.Def.Stations {
		actas = append(actas, signedFinal(b, f, st.ID, 10, "pa"))
	}
	app, err := phone.New(f.Text)
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: phones}}
	send := func(each func(msg []byte) bool) {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range phones {
			wg.Go(func() {
				for i := next.Add(1) - 1; i < int64(len(actas)); i = next.Add(1) - 1 {
					if !each(actas[i]) {
						b.Error("an acta was not kept")
						return
					}
				}
			})
		}
		wg.Wait()
	}
	var kept, opened float64
	for b.Loop() {
		c, err := Open(b.TempDir(), f.Def)
		if err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(c.Handler(app, "", slog.New(slog.NewTextHandler(io.Discard, nil))))
		t := b.Elapsed()
		send(func(msg []byte) bool {
			resp, err := client.Post(srv.URL+"/actas", "text/plain", bytes.NewReader(msg))
			if err != nil {
				return false
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return resp.StatusCode == http.StatusCreated
		})
		kept += float64(len(actas)) / (b.Elapsed() - t).Seconds()
		srv.Close()
		t = b.Elapsed()
		send(func(msg []byte) bool { _, err := acta.Open(msg, f.Def); return err == nil })
		opened += float64(len(actas)) / (b.Elapsed() - t).Seconds()
	}
	b.ReportMetric(kept/float64(b.N), "kept/s")
	b.ReportMetric(opened/float64(b.N), "opened/s")
	b.ReportMetric(kept/opened, "ratio")
}
