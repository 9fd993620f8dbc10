package center_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// TestSlowSubmissions: a submission whose body does not come is answered
// 503 with Retry-After once its time is up, and its connection closed; one
// more while the slow lane is full is answered so at once; machines'
// submissions go through meanwhile.
func TestSlowSubmissions(t *testing.T) {
	f := electiontest.New(electiontest.Options{Stations: 3})
	c, err := center.Open(context.Background(), center.Config{Election: f.Def, Key: f.Center, Dir: t.TempDir(),
		Registry: prometheus.NewRegistry(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		MaxSubmissions: 4, SubmitTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c.Handler(nil))
	t.Cleanup(func() { srv.Close(); c.Close(context.Background()) })

	// slow opens a submission of which only part of the body comes.
	slow := func() (net.Conn, *bufio.Reader) {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		fmt.Fprintf(conn, "POST /v1/actas HTTP/1.1\r\nHost: center\r\nContent-Length: 1000\r\n\r\npart of an acta")
		return conn, bufio.NewReader(conn)
	}
	answer := func(conn net.Conn, br *bufio.Reader, within time.Duration, want string) {
		t.Helper()
		conn.SetReadDeadline(time.Now().Add(within))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("no answer within %v: %v", within, err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !resp.Close || !strings.Contains(string(body), want) {
			t.Fatalf("answer: %d, Retry-After %q, close %v, %q; want 503 saying %q", resp.StatusCode, resp.Header.Get("Retry-After"), resp.Close, body, want)
		}
		if _, err := br.ReadByte(); err != io.EOF {
			t.Fatalf("after the answer, the connection: %v, want it closed", err)
		}
	}

	start := time.Now()
	c1, br1 := slow()
	time.Sleep(300 * time.Millisecond) // in the slow lane, its only place
	c2, br2 := slow()
	answer(c2, br2, 2*time.Second, "as many slow ones are being read")
	if r := post(t, srv.URL+"/v1/actas", finalActa(t, f, "100.1", 3, 2, 1)); r.code != 200 {
		t.Fatalf("a machine's submission with a slow one pending: %d %s", r.code, r.body)
	}
	answer(c1, br1, 3*time.Second, "did not come in time")
	if d := time.Since(start); d < time.Second {
		t.Fatalf("a slow body was cut short after %v, before its second", d)
	}
	if r := post(t, srv.URL+"/v1/actas", finalActa(t, f, "100.2", 3, 2, 1)); r.code != 200 {
		t.Fatalf("a machine's submission after: %d %s", r.code, r.body)
	}
}
