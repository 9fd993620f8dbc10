package page_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// An asset is sent gzip-compressed to a browser that accepts it, and as it
// is to one that does not; both are the same file.
func TestAssetsCompressed(t *testing.T) {
	srv := httptest.NewServer(page.Assets())
	defer srv.Close()
	get := func(enc string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", srv.URL+page.AssetURL("htmx.min.js"), nil)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		resp, err := http.DefaultTransport.RoundTrip(req) // no transparent decompression
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	plainResp, plain := get("")
	gzResp, gz := get("gzip, br")
	if plainResp.Header.Get("Content-Encoding") != "" || gzResp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding: %q without gzip, %q with", plainResp.Header.Get("Content-Encoding"), gzResp.Header.Get("Content-Encoding"))
	}
	if len(gz)*2 > len(plain) {
		t.Errorf("htmx.min.js: %d bytes compressed of %d", len(gz), len(plain))
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	un, _ := io.ReadAll(zr)
	if !bytes.Equal(un, plain) {
		t.Error("the compressed asset is not the asset")
	}
	if _, b := get("gzip;q=0"); !bytes.Equal(b, plain) {
		t.Error("gzip;q=0 got the compressed asset")
	}
}
