package page_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// An asset is sent brotli-compressed to a browser that takes brotli, as
// gzip to one that takes only gzip, and as it is to the rest; every form
// is the same file, and each has its own ETag.
func TestAssetsCompressed(t *testing.T) {
	srv := httptest.NewServer(page.Assets())
	defer srv.Close()
	get := func(accept string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", srv.URL+page.AssetURL("htmx.min.js"), nil)
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		resp, err := plainClient.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	_, plain := get("")
	etags := map[string]string{}
	for _, tc := range []struct{ accept, encoding string }{
		{"", ""}, {"gzip, deflate, br, zstd", "br"}, {"gzip, deflate", "gzip"}, {"gzip;q=0", ""}, {"br;q=0, gzip", "gzip"}, {"identity", ""},
	} {
		resp, body := get(tc.accept)
		if got := resp.Header.Get("Content-Encoding"); got != tc.encoding {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", tc.accept, got, tc.encoding)
			continue
		}
		if resp.Header.Get("Content-Type") != "text/javascript; charset=utf-8" || resp.Header.Get("Vary") != "Accept-Encoding" ||
			resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("Accept-Encoding %q: headers %v", tc.accept, resp.Header)
		}
		if tc.encoding != "" && len(body)*2 > len(plain) {
			t.Errorf("htmx.min.js: %d bytes as %s of %d", len(body), tc.encoding, len(plain))
		}
		if got := decode(t, tc.encoding, body); !bytes.Equal(got, plain) {
			t.Errorf("Accept-Encoding %q: the %q form is not the asset", tc.accept, tc.encoding)
		}
		if e, seen := etags[tc.encoding]; seen && e != resp.Header.Get("ETag") {
			t.Errorf("Accept-Encoding %q: ETag %q, and %q before for the same form", tc.accept, resp.Header.Get("ETag"), e)
		}
		etags[tc.encoding] = resp.Header.Get("ETag")
	}
	if distinct := map[string]bool{etags[""]: true, etags["br"]: true, etags["gzip"]: true}; len(distinct) != 3 {
		t.Errorf("ETags %v: the three forms need three", etags)
	}
}

// plainClient asks for what the test says: no Accept-Encoding of its own,
// no transparent decompression.
var plainClient = &http.Transport{DisableCompression: true}

// decode undoes a Content-Encoding.
func decode(t *testing.T, encoding string, body []byte) []byte {
	t.Helper()
	var rd io.Reader = bytes.NewReader(body)
	switch encoding {
	case "br":
		rd = brotli.NewReader(rd)
	case "gzip":
		zr, err := gzip.NewReader(rd)
		if err != nil {
			t.Fatal(err)
		}
		rd = zr
	}
	b, err := io.ReadAll(rd)
	if err != nil {
		t.Fatalf("%s: %v", encoding, err)
	}
	return b
}
