package phone

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// What a first load costs: every file a phone fetches, as sent to a
// browser that takes gzip, and each one the same bytes once inflated.
func TestFirstLoad(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	app, err := New(f.Text)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for name, want := range app.Files() {
		req := httptest.NewRequest("GET", "/"+name, nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate, br")
		rec := httptest.NewRecorder()
		app.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", name, rec.Code)
		}
		body := rec.Body.Bytes()
		total += len(body)
		got := body
		if rec.Header().Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got, _ = io.ReadAll(zr)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: the bytes sent are not the file", name)
		}
	}
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest("GET", "/zxing_reader.wasm", nil))
	if rec.Header().Get("Content-Encoding") != "" || !bytes.Equal(rec.Body.Bytes(), app.Files()["zxing_reader.wasm"]) {
		t.Error("a client that does not take gzip was sent gzip")
	}
	t.Logf("first load: %d files, %d bytes as sent with gzip", len(app.Files()), total)
}
