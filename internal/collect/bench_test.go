package collect

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/web/phone"
)

// BenchmarkCollect sends the final actas of 1000 stations (a machine's
// signature and a witness's each) from 200 phones at once over loopback,
// every one checked and written durably, and reports actas kept per second
// beside the floor: the same actas opened (their signatures checked) by
// 200 goroutines with no HTTP and no disk. In "signed", each upload is
// signed by the witness's key and the server takes only that enrolled key
// (one more signature to check a copy, and a nonce to remember).
func BenchmarkCollect(b *testing.B) {
	b.Run("open", func(b *testing.B) { benchCollect(b, false) })
	b.Run("signed", func(b *testing.B) { benchCollect(b, true) })
}

func benchCollect(b *testing.B, signed bool) {
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
	// The phones sign before the clock starts: it is their work, not the
	// server's. Each loop opens a new collector, so the nonces are new to it.
	headers := make([]http.Header, len(actas))
	if signed {
		for i, msg := range actas {
			headers[i] = signUpload(b, f.Def.ID, f.Witness["pa"], msg, time.Now(), fmt.Sprintf("bench-nonce-%08d", i))
		}
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: phones}}
	send := func(each func(i int, msg []byte) bool) {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range phones {
			wg.Go(func() {
				for i := next.Add(1) - 1; i < int64(len(actas)); i = next.Add(1) - 1 {
					if !each(int(i), actas[i]) {
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
		if signed {
			if err := c.OnlyParty("pa"); err != nil {
				b.Fatal(err)
			}
		}
		srv := httptest.NewServer(c.Handler(app, "", slog.New(slog.NewTextHandler(io.Discard, nil))))
		t := b.Elapsed()
		send(func(i int, msg []byte) bool {
			req, _ := http.NewRequest("POST", srv.URL+"/actas", bytes.NewReader(msg))
			for k, v := range headers[i] {
				req.Header[k] = v
			}
			resp, err := client.Do(req)
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
		send(func(_ int, msg []byte) bool { _, err := acta.Open(msg, f.Def); return err == nil })
		opened += float64(len(actas)) / (b.Elapsed() - t).Seconds()
	}
	b.ReportMetric(kept/float64(b.N), "kept/s")
	b.ReportMetric(opened/float64(b.N), "opened/s")
	b.ReportMetric(kept/opened, "ratio")
}
