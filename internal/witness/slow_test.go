package witness

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestSlowRequests: clients that open add-checkpoint requests and never
// send their bodies take the slow lane's places, and the next one is
// answered 503 with Retry-After and its connection closed; the log's own
// requests, sent whole, go through meanwhile.
func TestSlowRequests(t *testing.T) {
	key := newKey(t, "witness.example/party-a")
	center, steps := steps(t)
	w := open(t, t.TempDir(), key, center)
	srv := httptest.NewServer(w.Handler())
	t.Cleanup(srv.Close) // after the connections below

	slow := func() (net.Conn, *bufio.Reader) {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		fmt.Fprintf(conn, "POST /add-checkpoint HTTP/1.1\r\nHost: witness\r\nContent-Length: 1000\r\n\r\nold 0\n")
		return conn, bufio.NewReader(conn)
	}
	for range (maxReading + 3) / 4 { // the slow lane's places
		slow()
	}
	time.Sleep(500 * time.Millisecond) // each in the slow lane
	conn, br := slow()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("a slow request with the slow lane full: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !resp.Close || !strings.Contains(string(body), "as many slow ones") {
		t.Fatalf("a slow request with the slow lane full: %d, Retry-After %q, close %v, %q", resp.StatusCode, resp.Header.Get("Retry-After"), resp.Close, body)
	}
	if status, _, body := post(t, srv.URL, steps[0].body); status != steps[0].status {
		t.Fatalf("the log's request with slow ones pending: %d %s, want %d", status, body, steps[0].status)
	}
}
