package witness

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/keys"
)

func post(t *testing.T, url string, body []byte) (status int, contentType string, respBody []byte) {
	t.Helper()
	resp, err := http.Post(url+"/add-checkpoint", "text/plain", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// TestHandler runs the steps of TestAddCheckpoint over HTTP.
func TestHandler(t *testing.T) {
	key := newKey(t, "witness.example/party-a")
	center, steps := steps(t)
	w := open(t, t.TempDir(), key, center)
	srv := httptest.NewServer(w.Handler())
	defer srv.Close()
	for _, s := range steps {
		status, ct, body := post(t, srv.URL, s.body)
		if status != s.status {
			t.Errorf("%s: status %d, want %d (%s)", s.name, status, s.status, body)
			continue
		}
		var conflict *ConflictError
		switch {
		case status == http.StatusOK:
			r, _ := parseRequest(s.body)
			checkCosignature(t, key, r.checkpoint, body)
		case errors.As(s.want, &conflict):
			if want := strconv.FormatUint(conflict.Size, 10) + "\n"; ct != "text/x.tlog.size" || string(body) != want {
				t.Errorf("%s: %s %q, want text/x.tlog.size %q", s.name, ct, body, want)
			}
		case ct == "text/x.tlog.size":
			// Tessera would take it for a size to retry from.
			t.Errorf("%s: %d with Content-Type %s", s.name, status, ct)
		}
	}
}

func TestHandlerLimits(t *testing.T) {
	key := newKey(t, "witness.example/party-a")
	center := newTestLog(t, "example.org/center", 3)
	w := open(t, t.TempDir(), key, center)
	srv := httptest.NewServer(w.Handler())
	defer srv.Close()

	big := append([]byte("old 0\n\n"), bytes.Repeat([]byte("x"), maxRequest)...)
	rec := httptest.NewRecorder()
	w.Handler().ServeHTTP(rec, httptest.NewRequest("POST", "/add-checkpoint", bytes.NewReader(big)))
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("request of %d bytes: status %d, want 413", len(big), rec.Code)
	}
	resp, err := http.Get(srv.URL + "/add-checkpoint")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /add-checkpoint: status %d, want 405", resp.StatusCode)
	}

	if status, _, body := post(t, srv.URL, center.add(t, 0, 3)); status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	resp, err = http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	index, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	ck, _ := keys.CosignatureKey(key.Public)
	if want := "C2SP tlog-witness " + ck + "\nlog example.org/center size 3\n"; string(index) != want {
		t.Errorf("GET /:\n%s\nwant\n%s", index, want)
	}
}
