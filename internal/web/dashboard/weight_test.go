package dashboard

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// wire is what a path costs on the wire to a browser that sends accept as
// its Accept-Encoding, which must get the path in encoding.
func wire(t *testing.T, te *testElection, path, accept, encoding string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", te.srv.URL+path, nil)
	req.Header.Set("Accept-Encoding", accept)
	resp, err := http.DefaultTransport.RoundTrip(req) // no transparent decompression
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != encoding {
		t.Errorf("%s with Accept-Encoding %q: %d, Content-Encoding %q, want %q", path, accept, resp.StatusCode, resp.Header.Get("Content-Encoding"), encoding)
	}
	return len(b), string(b)
}

var assetRef = regexp.MustCompile(`(?:src|href)="(/assets/[^"]+)"`)

// The home page's first load — the page and every script and style it
// loads, as a browser over HTTPS gets them (brotli) — is under 50 KB; the pages without a chart or live
// figures load no script.
func TestPageWeight(t *testing.T) {
	te := newTestElection(t, 12, Options{})
	te.submit(t, 0, 10)
	te.published(t)
	_, _, home := te.get(t, "/", "en")
	paths := []string{"/"}
	for _, m := range assetRef.FindAllStringSubmatch(home, -1) {
		paths = append(paths, strings.ReplaceAll(m[1], "&amp;", "&"))
	}
	for _, c := range []struct{ accept, encoding string }{{browserEncodings, "br"}, {"gzip, deflate", "gzip"}} {
		total := 0
		for _, p := range paths {
			n, _ := wire(t, te, p, c.accept, c.encoding)
			total += n
		}
		t.Logf("home page on the wire, Accept-Encoding %q: %d bytes", c.accept, total)
		if c.encoding == "br" && total > 50_000 {
			t.Errorf("the home page's first load is %d bytes, over 50 KB", total)
		}
	}
	if !strings.Contains(home, "<script") {
		t.Error("the home page loads no script: its chart and live figures need them")
	}
	st := te.e.Def.Stations[0]
	for _, path := range []string{"/stations/" + st.ID, "/areas/" + st.Area, "/checkpoint", "/search?q=x", "/disputes"} {
		if _, _, body := te.get(t, path, "en"); strings.Contains(body, "<script") {
			t.Errorf("%s loads a script it does not use", path)
		}
	}
}
