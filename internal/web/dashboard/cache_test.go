package dashboard

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
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
		switch resp.Header.Get("Content-Encoding") {
		case "gzip":
			zr, err := gzip.NewReader(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			rd = zr
		case "br":
			rd = brotli.NewReader(resp.Body)
		}
		b, _ := io.ReadAll(rd)
		return string(b)
	}
	etags := map[string]bool{}
	for _, tc := range []struct {
		accept, encoding string
	}{
		{"gzip, deflate, br, zstd", "br"}, {"gzip, deflate", "gzip"}, {"", ""}, {"br;q=0, gzip;q=0", ""},
		{"br;q=1, gzip;q=0", "br"}, {"GZIP;q=0.5", "gzip"}, {"br;q=0.5, gzip", "gzip"},
	} {
		resp := get("/stations/1", tc.accept, 1)
		if resp.Header.Get("Content-Encoding") != tc.encoding || body(resp) != page {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", tc.accept, resp.Header.Get("Content-Encoding"), tc.encoding)
		}
		if resp.Header.Get("Content-Type") != "text/html; charset=utf-8" || resp.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: headers %v", tc.accept, resp.Header)
		}
		etags[resp.Header.Get("ETag")] = true
	}
	if len(etags) != 3 {
		t.Errorf("ETags %v: want one for each of br, gzip and the page as it is", etags)
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
	// A page keeps the gzip it made for a client without brotli, and
	// counts it.
	before := pc.bytes
	get("/stations/3", "br", 1)
	afterBr := pc.bytes
	get("/stations/3", "gzip", 1)
	grown := pc.bytes
	get("/stations/3", "gzip", 1)
	if afterBr <= before || grown <= afterBr || pc.bytes != grown {
		t.Errorf("the cache's bytes: %d, %d with a page kept as brotli, %d once it made its gzip, %d after a second gzip client", before, afterBr, grown, pc.bytes)
	}
	// Full: the cache stays within its bytes, pages growing their gzip
	// while others arrive.
	for i := range 5000 {
		get(fmt.Sprintf("/stations/%d", i), "gzip, deflate, br, zstd", 1)
		if i%3 == 0 {
			get(fmt.Sprintf("/stations/%d", i/2), "gzip", 1)
		}
	}
	if pc.bytes > pc.maxBytes || len(pc.pages) < 100 || len(pc.pages) == 5000 {
		t.Errorf("after 5,000 pages: %d pages, %d bytes of %d", len(pc.pages), pc.bytes, pc.maxBytes)
	}
	sum := 0
	for k, p := range pc.pages {
		sum += p.body.Size() + len(k.path) + 64
	}
	if sum != pc.bytes {
		t.Errorf("the cache counts %d bytes, holds %d", pc.bytes, sum)
	}
}
