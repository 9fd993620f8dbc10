package page_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/triplicate-vote/triplicate/internal/web/page"
)

func TestAcceptedEncodings(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   page.Accepted
		best   page.Encoding
	}{
		{"", page.Accepted{Identity: 1000}, page.Identity},
		{"  ", page.Accepted{Identity: 1000}, page.Identity},
		{"gzip, deflate, br, zstd", page.Accepted{Brotli: 1000, Gzip: 1000, Identity: 1}, page.Brotli}, // Chromium, HTTPS
		{"gzip, deflate", page.Accepted{Gzip: 1000, Identity: 1}, page.Gzip},                           // Chromium, HTTP
		{"gzip", page.Accepted{Gzip: 1000, Identity: 1}, page.Gzip},                                    // Go's client
		{"deflate, gzip;q=1.0, *;q=0.5", page.Accepted{Brotli: 500, Gzip: 1000, Identity: 1}, page.Gzip},
		{"br;q=0.5, gzip;q=0.8", page.Accepted{Brotli: 500, Gzip: 800, Identity: 1}, page.Gzip},
		{"br;q=0.8, gzip;q=0.8", page.Accepted{Brotli: 800, Gzip: 800, Identity: 1}, page.Brotli},
		{"BR;Q=0.800, X-GZIP", page.Accepted{Brotli: 800, Gzip: 1000, Identity: 1}, page.Gzip},
		{"br;q=0, gzip;q=0", page.Accepted{Identity: 1}, page.Identity},
		{"br;q=0.000, gzip;q=0.", page.Accepted{Identity: 1}, page.Identity},
		{"br, br;q=0", page.Accepted{Identity: 1}, page.Identity}, // a refusal stands
		{"*", page.Accepted{Brotli: 1000, Gzip: 1000, Identity: 1}, page.Brotli},
		{"*;q=0", page.Accepted{}, page.Identity}, // nothing acceptable: as it is all the same
		{"*;q=0, identity", page.Accepted{Identity: 1000}, page.Identity},
		{"br;q=0.1, identity;q=0.5", page.Accepted{Brotli: 100, Identity: 500}, page.Identity},
		{"br;q=0.5, identity;q=0.5", page.Accepted{Brotli: 500, Identity: 500}, page.Brotli},
		{"identity;q=0, gzip;q=0.2", page.Accepted{Gzip: 200}, page.Gzip},
		{"br;q=2, gzip", page.Accepted{Gzip: 1000, Identity: 1}, page.Gzip},        // not a qvalue: br unnamed
		{"br;q=high, gzip", page.Accepted{Gzip: 1000, Identity: 1}, page.Gzip},     // likewise
		{"br;q=1.001", page.Accepted{Identity: 1}, page.Identity},                  // above 1
		{"br;q=0.5000", page.Accepted{Identity: 1}, page.Identity},                 // four digits
		{"br;level=3;q=0.3", page.Accepted{Brotli: 300, Identity: 1}, page.Brotli}, // other parameters ignored
		{",,gzip,,", page.Accepted{Gzip: 1000, Identity: 1}, page.Gzip},
		{"zstd, deflate", page.Accepted{Identity: 1}, page.Identity},
	} {
		got := page.AcceptedEncodings(tc.header)
		if got != tc.want {
			t.Errorf("%q: %+v, want %+v", tc.header, got, tc.want)
		}
		if best := got.Best(func(page.Encoding) bool { return true }); best != tc.best {
			t.Errorf("%q: best %q, want %q", tc.header, best, tc.best)
		}
	}
	// Of the encodings a body has: a body that gzip does not shrink is
	// sent as it is to a browser that prefers gzip.
	onlyBrotli := func(e page.Encoding) bool { return e != page.Gzip }
	if best := page.AcceptedEncodings("gzip, deflate").Best(onlyBrotli); best != page.Identity {
		t.Errorf("gzip asked of a body kept as brotli: %q", best)
	}
}

// Whatever the header, the weights are weights, a coding refused by name
// is never chosen, and neither the case of the names nor the spaces
// between elements change the outcome.
func FuzzAcceptedEncodings(f *testing.F) {
	for _, s := range []string{"", "gzip, deflate, br, zstd", "br;q=0, gzip;q=0.5", "*;q=0, identity", "br;q=0.001", "x-gzip;Q=1.000", "br;;q=0", "br;q=", ";q=1", "gzip;q=0.5;q=0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		a := page.AcceptedEncodings(header)
		for _, w := range []int{a.Brotli, a.Gzip, a.Identity} {
			if w < 0 || w > 1000 {
				t.Fatalf("%q: weights %+v", header, a)
			}
		}
		refused := map[string]bool{}
		for _, elem := range strings.Split(header, ",") {
			name, q, _ := strings.Cut(elem, ";")
			name = strings.ToLower(strings.TrimSpace(name))
			if name == "x-gzip" {
				name = "gzip"
			}
			if strings.EqualFold(strings.ReplaceAll(q, " ", ""), "q=0") {
				refused[name] = true
			}
		}
		all := func(page.Encoding) bool { return true }
		best := a.Best(all)
		if refused["br"] && (a.Brotli != 0 || best == page.Brotli) || refused["gzip"] && (a.Gzip != 0 || best == page.Gzip) {
			t.Fatalf("%q: %+v, best %q: a refused coding", header, a, best)
		}
		if best != page.Identity && a.Identity > map[page.Encoding]int{page.Brotli: a.Brotli, page.Gzip: a.Gzip}[best] {
			t.Fatalf("%q: %+v: %q chosen over the bytes as they are, weighed more", header, a, best)
		}
		if !strings.ContainsAny(header, "ıſK") { // letters that case-fold to ASCII
			if b := page.AcceptedEncodings(strings.ToUpper(header)); b != a {
				t.Fatalf("%q: %+v, upper case %+v", header, a, b)
			}
		}
		if b := page.AcceptedEncodings(strings.ReplaceAll(header, ",", " ,\t")); b != a {
			t.Fatalf("%q: %+v, spaced %+v", header, a, b)
		}
	})
}

// A body of each kind, asked for by each kind of client: the form the
// client takes, decoding to the bytes; ETags per form, revalidated per
// form; HEAD, ranges of the form sent, Content-Length on a whole answer.
func TestBodyServe(t *testing.T) {
	data := []byte(strings.Repeat("<p>a page of results, some of it the same</p>\n", 400))
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, 11)
	bw.Write(data)
	bw.Close()
	ahead, err := page.NewStaticBrotli("text/html; charset=utf-8", br.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string]*page.Body{
		"static":        page.NewStatic("text/html; charset=utf-8", data),
		"static brotli": ahead,
		"page":          page.NewPage("text/html; charset=utf-8", data),
	}
	if n := bodies["page"].Size(); n*10 > len(data) {
		t.Errorf("a page keeps %d bytes of %d", n, len(data))
	}
	for kind, b := range bodies {
		if !bytes.Equal(b.Bytes(), data) {
			t.Errorf("%s: Bytes are not the body", kind)
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Vary", "Cookie")
			b.Serve(w, r)
		}))
		do := func(method, accept string, header ...string) (*http.Response, []byte) {
			req, _ := http.NewRequest(method, srv.URL, nil)
			req.Header.Set("Accept-Encoding", accept)
			for i := 0; i < len(header); i += 2 {
				req.Header.Set(header[i], header[i+1])
			}
			resp, err := plainClient.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatalf("%s: %s %q: %v", kind, method, accept, err)
			}
			return resp, got
		}
		for _, tc := range []struct{ accept, encoding string }{
			{"gzip, deflate, br, zstd", "br"}, {"gzip, deflate", "gzip"}, {"identity", ""}, {"br;q=0, gzip;q=0", ""},
		} {
			resp, got := do("GET", tc.accept)
			enc := resp.Header.Get("Content-Encoding")
			if resp.StatusCode != 200 || enc != tc.encoding {
				t.Errorf("%s: %q: %d, Content-Encoding %q, want %q", kind, tc.accept, resp.StatusCode, enc, tc.encoding)
				continue
			}
			if !bytes.Equal(decode(t, enc, got), data) {
				t.Errorf("%s: the %q form is not the body", kind, enc)
			}
			if resp.ContentLength != int64(len(got)) || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" ||
				strings.Join(resp.Header.Values("Vary"), "; ") != "Cookie; Accept-Encoding" {
				t.Errorf("%s: %q: Content-Length %d of %d bytes, headers %v", kind, tc.accept, resp.ContentLength, len(got), resp.Header)
			}
			etag := resp.Header.Get("ETag")
			// The form's ETag: the bytes' hash, then the form's own bytes'.
			want := `"` + b.Tag() + `"`
			if enc != "" {
				want = `"` + b.Tag() + map[string]string{"br": "-br", "gzip": "-gz"}[enc] + hex8(got) + `"`
			}
			if etag != want {
				t.Errorf("%s: %q: ETag %s, want %s", kind, tc.accept, etag, want)
			}
			if resp, _ := do("GET", tc.accept, "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
				t.Errorf("%s: %q: If-None-Match its own ETag: %d", kind, tc.accept, resp.StatusCode)
			}
			if resp, _ := do("GET", tc.accept, "If-None-Match", `"`+b.Tag()+`-other"`); resp.StatusCode != 200 {
				t.Errorf("%s: %q: If-None-Match another form's ETag: %d", kind, tc.accept, resp.StatusCode)
			}
			if resp, head := do("HEAD", tc.accept); resp.StatusCode != 200 || len(head) != 0 || resp.ContentLength != int64(len(got)) ||
				resp.Header.Get("Content-Encoding") != enc {
				t.Errorf("%s: %q: HEAD %d, %d bytes, Content-Length %d", kind, tc.accept, resp.StatusCode, len(head), resp.ContentLength)
			}
			if resp, part := do("GET", tc.accept, "Range", "bytes=10-19"); resp.StatusCode != http.StatusPartialContent || !bytes.Equal(part, got[10:20]) {
				t.Errorf("%s: %q: bytes 10-19: %d, %q", kind, tc.accept, resp.StatusCode, part)
			}
			if resp, _ := do("GET", tc.accept, "If-Match", `"stale"`); resp.StatusCode != http.StatusPreconditionFailed {
				t.Errorf("%s: %q: If-Match a stale ETag: %d", kind, tc.accept, resp.StatusCode)
			}
		}
		srv.Close()
	}
	// A file compressed ahead makes its gzip once, and keeps it.
	first, _ := ahead.Encoded(page.Gzip)
	again, _ := ahead.Encoded(page.Gzip)
	if &first[0] != &again[0] {
		t.Error("a static body's gzip is made each time it is asked for")
	}
}

// Bytes compression does not shrink are sent as they are.
func TestBodyIncompressible(t *testing.T) {
	data := make([]byte, 4096)
	rand.Read(data)
	b := page.NewStatic("image/png", data)
	for _, e := range []page.Encoding{page.Brotli, page.Gzip} {
		if _, ok := b.Encoded(e); ok {
			t.Errorf("random bytes kept as %q", e)
		}
	}
	w := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
	b.Serve(w, r)
	if w.Header().Get("Content-Encoding") != "" || !bytes.Equal(w.Body.Bytes(), data) {
		t.Errorf("random bytes sent with Content-Encoding %q", w.Header().Get("Content-Encoding"))
	}
	p := page.NewPage("text/plain", []byte("ok"))
	if !bytes.Equal(p.Bytes(), []byte("ok")) || p.Size() != 2 {
		t.Errorf("a two-byte page: %q, keeping %d bytes", p.Bytes(), p.Size())
	}
}

func TestNewStaticBrotliRefusesOther(t *testing.T) {
	_, err := page.NewStaticBrotli("application/wasm", []byte("\x00asm not brotli at all"))
	if err == nil || !strings.Contains(err.Error(), "not brotli") {
		t.Errorf("not brotli: %v", err)
	}
}

// Clients at once: a page makes its gzip once, and Size counts it after.
func TestBodyGzipOnce(t *testing.T) {
	data := []byte(strings.Repeat("<tr><td>a station</td><td>12,345</td></tr>\n", 300))
	b := page.NewPage("text/html; charset=utf-8", data)
	kept := b.Size()
	var wg sync.WaitGroup
	forms := make([][]byte, 8)
	for i := range forms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			forms[i], _ = b.Encoded(page.Gzip)
			b.Size()
		}()
	}
	wg.Wait()
	for _, f := range forms[1:] {
		if &f[0] != &forms[0][0] {
			t.Fatal("a page made its gzip more than once")
		}
	}
	if !bytes.Equal(decode(t, "gzip", forms[0]), data) || b.Size() != kept+len(forms[0]) {
		t.Errorf("a page's gzip: Size %d, was %d, the gzip %d bytes", b.Size(), kept, len(forms[0]))
	}
}

// Two bodies of the same bytes compressed apart (a page and a static
// file; another quality; another release of the compressor) have the
// same ETag as they are and different ones compressed: a range resumed
// with If-Range under the first's ETag is not spliced from the second's
// bytes, and a 412 has no Content-Encoding for its empty body.
func TestETagIsOfTheBytesSent(t *testing.T) {
	data := bytes.Repeat([]byte("<p>a page of a station, the same bytes twice</p>\n"), 1200)
	pg, static := page.NewPage("text/html", data), page.NewStatic("text/html", data)
	get := func(b *page.Body, headers ...string) *http.Response {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Encoding", "br")
		for i := 0; i+1 < len(headers); i += 2 {
			r.Header.Set(headers[i], headers[i+1])
		}
		w := httptest.NewRecorder()
		b.Serve(w, r)
		return w.Result()
	}
	first := get(pg, "Range", "bytes=0-99")
	if first.StatusCode != http.StatusPartialContent {
		t.Fatalf("a range: %d", first.StatusCode)
	}
	etag := first.Header.Get("ETag")
	if other := get(static).Header.Get("ETag"); other == etag {
		t.Fatalf("two brotli forms of the same bytes share the ETag %s", etag)
	}
	if rest := get(static, "Range", "bytes=100-", "If-Range", etag); rest.StatusCode != http.StatusOK {
		t.Errorf("a range resumed under another form's ETag: %d, want the whole body (200)", rest.StatusCode)
	}
	if failed := get(pg, "If-Match", `"another"`); failed.StatusCode != http.StatusPreconditionFailed || failed.Header.Get("Content-Encoding") != "" {
		t.Errorf("If-Match another ETag: %d, Content-Encoding %q", failed.StatusCode, failed.Header.Get("Content-Encoding"))
	}
}

// hex8 is the first 8 hex digits of data's SHA-256.
func hex8(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:4])
}
