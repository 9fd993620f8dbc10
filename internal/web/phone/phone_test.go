package phone

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// What a first load costs: every file a phone fetches, as sent to a
// browser over HTTPS (which takes brotli), to one that takes only gzip
// (over plain HTTP) and to a client that takes neither; each one the same
// bytes once decoded, and each one that compression makes smaller sent
// compressed to the browsers.
func TestFirstLoad(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	app, err := New(f.Text)
	if err != nil {
		t.Fatal(err)
	}
	compressed := app.Compressed()
	totals := map[string]int{}
	for _, c := range []struct{ accept, encoding, ext string }{
		{"gzip, deflate, br, zstd", "br", ".br"}, {"gzip, deflate", "gzip", ".gz"}, {"", "", ""},
	} {
		for name, want := range app.Files() {
			req := httptest.NewRequest("GET", "/"+name, nil)
			req.Header.Set("Accept-Encoding", c.accept)
			rec := httptest.NewRecorder()
			app.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: %d", name, rec.Code)
			}
			body := rec.Body.Bytes()
			totals[c.encoding] += len(body)
			enc := rec.Header().Get("Content-Encoding")
			if _, smaller := compressed[name+c.ext]; c.encoding != "" && smaller != (enc == c.encoding) || c.encoding == "" && enc != "" {
				t.Errorf("%s, Accept-Encoding %q: Content-Encoding %q", name, c.accept, enc)
			}
			got := body
			switch enc {
			case "gzip":
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				got, err = io.ReadAll(zr)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			case "br":
				if got, err = io.ReadAll(brotli.NewReader(bytes.NewReader(body))); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s, Accept-Encoding %q: the bytes sent are not the file", name, c.accept)
			}
			if c.ext != "" && enc == c.encoding && !bytes.Equal(body, compressed[name+c.ext]) {
				t.Errorf("%s: sent as %s, not as %s%s, which a static host would send", name, enc, name, c.ext)
			}
		}
		t.Logf("first load, Accept-Encoding %q: %d files, %d bytes", c.accept, len(app.Files()), totals[c.encoding])
	}
	if totals["br"] >= totals["gzip"] || totals["gzip"] >= totals[""] {
		t.Errorf("first load: %d bytes with brotli, %d with gzip, %d as they are", totals["br"], totals["gzip"], totals[""])
	}
	for _, name := range []string{"check.wasm", "zxing_reader.wasm"} {
		if _, ok := compressed[name+".br"]; !ok {
			t.Errorf("%s is not sent compressed", name)
		}
		rec := httptest.NewRecorder()
		app.ServeHTTP(rec, httptest.NewRequest("HEAD", "/"+name, nil))
		if rec.Header().Get("Content-Type") != "application/wasm" {
			t.Errorf("%s: Content-Type %q", name, rec.Header().Get("Content-Type"))
		}
	}
}
