package center_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// BenchmarkSlowSubmitters has 4,000 clients each open a submission, send
// most of a body of the largest size the center takes and trickle the rest
// a byte a second (reconnecting whenever the center drops them), over loopback, while 16 honest machines submit 1,000 actas, and
// measures the center's memory growth over idle and the honest submissions'
// latency (to success, retrying 503 as machines do) against the same honest
// load alone in the same run. The attackers are one goroutine, so what grows
// is the center's. It takes some 30 s.
//
//	go test -run '^$' -bench SlowSubmitters -benchtime 1x ./internal/center/
func BenchmarkSlowSubmitters(b *testing.B) {
	const attackers, honest, machines = 4000, 1000, 16
	f := electiontest.New(electiontest.Options{Stations: 2 * honest})
	actas := make([][]byte, 2*honest)
	parallel(len(actas), func(i int) { actas[i] = finalActa(b, f, fmt.Sprintf("100.%d", i+1), i%7, i%5, i%3) })
	c, err := center.Open(context.Background(), center.Config{Election: f.Def, Key: f.Center, Dir: b.TempDir(),
		Registry: prometheus.NewRegistry(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(c.Handler(nil))
	srv.Config.ReadHeaderTimeout = 5 * time.Second // as center serve has it
	srv.Start()
	defer func() { srv.Close(); c.Close(context.Background()) }()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: machines}}

	// submit has the machines submit actas, and returns each one's latency.
	submit := func(actas [][]byte) []time.Duration {
		lat := make([]time.Duration, len(actas))
		var next atomic.Int64
		var wg sync.WaitGroup
		for range machines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := int(next.Add(1) - 1); i < len(actas); i = int(next.Add(1) - 1) {
					start, wait := time.Now(), 200*time.Millisecond
					for {
						resp, err := client.Post(srv.URL+"/v1/actas", "text/plain", bytes.NewReader(actas[i]))
						if err == nil {
							resp.Body.Close()
							if resp.StatusCode == 200 {
								break
							}
							if resp.StatusCode != 503 && resp.StatusCode != 429 {
								b.Errorf("honest acta %d: %d", i, resp.StatusCode)
								return
							}
						}
						time.Sleep(wait)
						wait = min(2*wait, 10*time.Second)
					}
					lat[i] = time.Since(start)
				}
			}()
		}
		wg.Wait()
		return lat
	}
	p99 := func(lat []time.Duration) time.Duration {
		slices.Sort(lat)
		return lat[len(lat)*99/100]
	}

	idle, idleGo := memory(), goMemory()
	alone := submit(actas[:honest])

	// The attackers: one goroutine keeps 4,000 connections, each a
	// submission whose headers promise a body that comes a byte a second.
	var stop atomic.Bool
	var peak, peakGo atomic.Int64 // of memory() and goMemory(), sampled
	var wg sync.WaitGroup
	addr := srv.Listener.Addr().String()
	// Most of a body as large as the center takes comes at once, the rest
	// never does: the center holds what came.
	head := append([]byte("POST /v1/actas HTTP/1.1\r\nHost: center\r\nContent-Type: text/plain\r\nContent-Length: "+
		strconv.Itoa(center.MaxActaBytes)+"\r\n\r\n"), bytes.Repeat([]byte("x"), center.MaxActaBytes-attackers)...)
	dial := func() net.Conn {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return nil
		}
		conn.SetWriteDeadline(time.Now().Add(time.Second))
		if _, err := conn.Write(head); err != nil {
			conn.Close()
			return nil
		}
		return conn
	}
	var redials, goroutines atomic.Int64
	wg.Add(2)
	go func() {
		defer wg.Done()
		conns := make([]net.Conn, attackers)
		for i := range conns {
			conns[i] = dial()
		}
		for !stop.Load() {
			for i, conn := range conns {
				if stop.Load() {
					break
				}
				if conn != nil {
					conn.SetWriteDeadline(time.Now().Add(time.Millisecond))
					if _, err := conn.Write([]byte("x")); err == nil {
						continue
					}
					conn.Close()
				}
				conns[i] = dial()
				redials.Add(1)
			}
			time.Sleep(time.Second)
		}
		for _, conn := range conns {
			if conn != nil {
				conn.Close()
			}
		}
	}()
	go func() {
		defer wg.Done()
		for !stop.Load() {
			peak.Store(max(peak.Load(), memory()))
			peakGo.Store(max(peakGo.Load(), goMemory()))
			goroutines.Store(max(goroutines.Load(), int64(runtime.NumGoroutine())))
			time.Sleep(100 * time.Millisecond)
		}
	}()
	time.Sleep(5 * time.Second) // the attackers settle in
	attacked := submit(actas[honest:])
	time.Sleep(2 * time.Second)
	stop.Store(true)
	wg.Wait()

	b.ReportMetric(float64(peak.Load()-idle)/(1<<20), "MB-RSS-growth")
	b.ReportMetric(float64(peakGo.Load()-idleGo)/(1<<20), "MB-heap+stacks-growth")
	b.ReportMetric(float64(p99(alone).Microseconds())/1000, "ms-p99-alone")
	b.ReportMetric(float64(p99(attacked).Microseconds())/1000, "ms-p99-attacked")
	b.ReportMetric(float64(redials.Load()), "redials")
	b.ReportMetric(float64(goroutines.Load()), "goroutines")
	b.ReportMetric(0, "ns/op")
}

// memory is what the process holds of the system's memory: its resident
// set, or where /proc is not, what the Go runtime holds.
func memory() int64 {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) == 3 && f[0] == "VmRSS:" {
				if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil {
					return kb << 10
				}
			}
		}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.Sys - m.HeapReleased)
}

// goMemory is the heap and the goroutine stacks the Go runtime has in use.
func goMemory() int64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse + m.StackInuse)
}
