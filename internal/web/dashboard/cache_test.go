package dashboard

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestPageCache(t *testing.T) {
	renders := 0
	page := strings.Repeat("<p>a station's page</p>\n", 200)
	keep := true
	render := func(w http.ResponseWriter) bool {
		renders++
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
		return keep
	}
	pc := newPageCache(1 << 20)
	get := func(path, encoding string, version uint64) *http.Response {
		r := httptest.NewRequest("GET", path, nil)
		if encoding != "" {
			r.Header.Set("Accept-Encoding", encoding)
		}
		w := httptest.NewRecorder()
		pc.serve(w, r, version, render)
		return w.Result()
	}
	body := func(resp *http.Response) string {
		rd := io.Reader(resp.Body)
		if resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			rd = zr
		}
		b, _ := io.ReadAll(rd)
		return string(b)
	}
	for _, tc := range []struct {
		encoding string
		gzip     bool
	}{{"gzip, deflate, br", true}, {"", false}, {"br;q=1, gzip;q=0", false}, {"GZIP;q=0.5", true}} {
		resp := get("/stations/1", tc.encoding, 1)
		if (resp.Header.Get("Content-Encoding") == "gzip") != tc.gzip || body(resp) != page {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q", tc.encoding, resp.Header.Get("Content-Encoding"))
		}
		if resp.Header.Get("Content-Type") != "text/html; charset=utf-8" || resp.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: headers %v", tc.encoding, resp.Header)
		}
	}
	if renders != 1 {
		t.Errorf("one page at one version rendered %d times", renders)
	}
	get("/stations/1", "gzip", 2)
	if renders != 2 || len(pc.pages) != 1 {
		t.Errorf("a new version: %d renders, %d pages kept", renders, len(pc.pages))
	}
	// The query does not matter; ?lang= sets the cookie on its answer only.
	resp := get("/stations/1?x=1&lang=es", "gzip", 2)
	if renders != 3 || len(resp.Cookies()) != 1 || resp.Cookies()[0].Value != "es" {
		t.Errorf("?lang=es: %d renders, cookies %v", renders, resp.Cookies())
	}
	r := httptest.NewRequest("GET", "/stations/1?junk", nil)
	r.Header.Set("Cookie", "lang=es")
	w := httptest.NewRecorder()
	pc.serve(w, r, 2, render)
	if renders != 3 || w.Result().Header.Get("Set-Cookie") != "" {
		t.Errorf("the Spanish page again: %d renders, Set-Cookie %q", renders, w.Result().Header.Get("Set-Cookie"))
	}
	// A page its renderer says not to keep is not kept.
	keep = false
	get("/stations/2", "gzip", 1)
	get("/stations/2", "gzip", 1)
	if renders != 5 {
		t.Errorf("a page not to keep: %d renders, want 5", renders)
	}
	keep = true
	// Full: the cache stays within its bytes.
	for i := range 5000 {
		get(fmt.Sprintf("/stations/%d", i), "gzip", 1)
	}
	if pc.bytes > pc.maxBytes || len(pc.pages) < 100 || len(pc.pages) == 5000 {
		t.Errorf("after 5,000 pages: %d pages, %d bytes of %d", len(pc.pages), pc.bytes, pc.maxBytes)
	}
	sum := 0
	for k, p := range pc.pages {
		sum += len(p.gz) + len(k.path) + 64
	}
	if sum != pc.bytes {
		t.Errorf("the cache counts %d bytes, holds %d", pc.bytes, sum)
	}
}
