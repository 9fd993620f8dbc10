package dashboard

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

// BenchmarkDashboard30k measures the dashboard's page latency at
// Venezuela's size: a center with the 30,000 stations' final actas in its
// log, and 200 concurrent readers over loopback HTTP fetching a mix of
// pages — the home page and its live fragment, areas at every level,
// stations (the acta, its signatures and its receipt) and searches — as a
// browser over HTTPS asks for them. In the same run the same readers fetch
// /healthz, the floor: what loopback HTTP alone costs at that concurrency
// on this machine. It reports p50 and p99 of each and their ratio, and
// apart those of the first pass over the mix (cold), which renders and
// compresses each page the mix asks for.
//
// The election is made once (simulate.Stream: every acta signed, cosigned,
// transmitted and logged; a few minutes) under
// $TMPDIR/triplicate-bench-dashboard-30000 and reopened after.
//
//	go test -run '^$' -bench Dashboard30k -benchtime 1x ./internal/web/dashboard/
func BenchmarkDashboard30k(b *testing.B) { benchDashboard(b, 30_000, 30) }

// BenchmarkDashboard470k is the same at Brazil's size: 470,000 stations
// (the embedded tables cycled), the same 200 readers and mix of pages.
// Making the election takes some minutes on two cores (4 in the last
// run; 35 in an older one) and 2.5 GB of disk under $TMPDIR, once
// (doc/performance.md has the figures).
//
//	go test -run '^$' -bench Dashboard470k -benchtime 1x -timeout 3h ./internal/web/dashboard/
func BenchmarkDashboard470k(b *testing.B) { benchDashboard(b, 470_000, 470) }

func benchDashboard(b *testing.B, stations int, seed uint64) {
	const readers, requests = 200, 20_000
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	simulate.QuietTessera()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("triplicate-bench-dashboard-%d", stations))
	if _, err := os.Stat(filepath.Join(dir, "complete")); err != nil {
		os.RemoveAll(dir)
		b.Logf("making the election of %d stations in %s, once", stations, dir)
		if _, err := simulate.Stream(context.Background(), simulate.StreamConfig{Dir: dir, Stations: stations, Seed: seed}); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "complete"), nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	e, err := simulate.NewStreamElection(stations, seed)
	if err != nil {
		b.Fatal(err)
	}
	var ws []ledger.Witness
	for _, lw := range e.Def.LogWitnesses {
		w, err := witness.Open(filepath.Join(dir, "witness-"+lw.Party), e.Log[lw.Party], []witness.Log{{Key: e.Center.Public}}, quiet)
		if err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(w.Handler())
		defer srv.Close()
		defer w.Close()
		ws = append(ws, ledger.Witness{Key: e.Log[lw.Party].Public, URL: srv.URL})
	}
	c, err := center.Open(context.Background(), center.Config{Election: e.Def, Key: e.Center, Dir: filepath.Join(dir, "center"),
		Witnesses: ws, Quorum: len(ws), Logger: quiet, PublishInterval: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close(context.Background())
	if res, _ := c.Result(context.Background(), ""); res.StationsReported != stations {
		b.Fatalf("%d stations reported, want %d", res.StationsReported, stations)
	}
	d := New(c, Options{Logger: quiet})
	srv := httptest.NewServer(dashboardServer(c, d))
	defer srv.Close()

	// The mix of pages: a third stations, a quarter areas, the home page
	// and its fragment, and searches for places and station ids.
	rnd := rand.New(rand.NewPCG(1, 2))
	var areas []string
	for _, a := range e.Def.Areas {
		areas = append(areas, a.Path)
	}
	words := []string{"petare", "libertador", "recreo", "san juan", "caricuao", "sucre", "antimano", "catedral", "la vega", "el valle"}
	pages := make([]string, requests)
	for i := range pages {
		switch k := rnd.IntN(100); {
		case k < 35:
			pages[i] = "/stations/" + e.Def.Stations[rnd.IntN(stations)].ID
		case k < 60:
			pages[i] = "/areas/" + areas[rnd.IntN(len(areas))]
		case k < 75:
			pages[i] = "/"
		case k < 85:
			pages[i] = "/live"
		case k < 95:
			pages[i] = "/search?q=" + url.QueryEscape(words[rnd.IntN(len(words))])
		default:
			pages[i] = "/search?q=" + e.Def.Stations[rnd.IntN(stations)].ID[:6]
		}
	}
	floor := slices.Repeat([]string{"/healthz"}, requests)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: readers, MaxConnsPerHost: readers}}
	// Every page once, so that the first requests do not pay for what is
	// made once (each station's opened acta, receipt).
	cold := fetchAll(b, client, srv.URL, pages, readers)
	b.ResetTimer()
	var pageLat, floorLat []time.Duration
	for range b.N {
		pageLat = append(pageLat, fetchAll(b, client, srv.URL, pages, readers)...)
		b.StopTimer()
		floorLat = append(floorLat, fetchAll(b, client, srv.URL, floor, readers)...)
		b.StartTimer()
	}
	b.StopTimer()
	p50, p99 := percentile(pageLat, 50), percentile(pageLat, 99)
	f50, f99 := percentile(floorLat, 50), percentile(floorLat, 99)
	b.ReportMetric(ms(p50), "p50-ms")
	b.ReportMetric(ms(p99), "p99-ms")
	b.ReportMetric(ms(f50), "floor-p50-ms")
	b.ReportMetric(ms(f99), "floor-p99-ms")
	b.ReportMetric(ms(p99)/ms(f99), "x-floor-p99")
	b.ReportMetric(ms(percentile(cold, 50)), "cold-p50-ms")
	b.ReportMetric(ms(percentile(cold, 99)), "cold-p99-ms")
	b.ReportMetric(float64(len(pageLat))/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(float64(homeWire(b, srv.URL))/1000, "home-KB")
}

// homeWire is the home page's first load on the wire: the page and every
// script and style it loads, compressed as a browser over HTTPS gets them
// (brotli).
func homeWire(b testing.TB, base string) int {
	get := func(path string) []byte {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Accept-Encoding", browserEncodings)
		resp, err := http.DefaultTransport.RoundTrip(req) // no transparent decompression
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if enc := resp.Header.Get("Content-Encoding"); enc != "br" {
			b.Fatalf("%s: Content-Encoding %q, not br", path, enc)
		}
		return body
	}
	br := get("/")
	page, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
	if err != nil {
		b.Fatal(err)
	}
	total := len(br)
	for _, m := range assetRef.FindAllStringSubmatch(string(page), -1) {
		total += len(get(strings.ReplaceAll(m[1], "&amp;", "&")))
	}
	return total
}

// browserEncodings is what Chromium accepts over HTTPS, where browsers
// offer brotli (over plain HTTP they do not).
const browserEncodings = "gzip, deflate, br, zstd"

// fetchAll fetches the paths with k concurrent readers, as a browser over
// HTTPS asks for them (the bodies are read as sent, not decoded), and
// returns each request's latency.
func fetchAll(b *testing.B, client *http.Client, base string, paths []string, k int) []time.Duration {
	lat := make([]time.Duration, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	for range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				t0 := time.Now()
				req, _ := http.NewRequest("GET", base+paths[i], nil)
				req.Header.Set("Accept-Encoding", browserEncodings)
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat[i] = time.Since(t0)
				if resp.StatusCode != http.StatusOK {
					b.Errorf("%s: %d", paths[i], resp.StatusCode)
				}
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	return lat
}

func percentile(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
