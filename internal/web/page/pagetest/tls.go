package pagetest

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// Browsers offer brotli only to secure origins: Chromium asks "gzip,
// deflate, br, zstd" over HTTPS (and of loopback, which counts as secure),
// "gzip, deflate" over plain HTTP elsewhere. A test of what a browser
// really gets serves over TLS, as a real server does.

// NewTLSServer starts h over HTTPS on loopback, with httptest's
// certificate, and returns it with the chromium option that trusts it.
func NewTLSServer(t testing.TB, h http.Handler) (*httptest.Server, chromedp.ExecAllocatorOption) {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	return srv, TrustTLS(srv)
}

// TrustTLS is the chromium option that takes the test server's certificate
// as valid: its public key's hash in --ignore-certificate-errors-spki-list,
// so the origin is a secure one (a service worker registers) and not one
// whose certificate errors were waved through.
func TrustTLS(srv *httptest.Server) chromedp.ExecAllocatorOption {
	sum := sha256.Sum256(srv.Certificate().RawSubjectPublicKeyInfo)
	return chromedp.Flag("ignore-certificate-errors-spki-list", base64.StdEncoding.EncodeToString(sum[:]))
}

// Exchange is one request a server answered: what the client accepted and
// what it was sent.
type Exchange struct {
	Path     string
	Accept   string // the request's Accept-Encoding
	Encoding string // the answer's Content-Encoding
	Status   int
}

// Recorder is a handler that records each exchange with the handler it
// wraps.
type Recorder struct {
	h         http.Handler
	mu        sync.Mutex
	exchanges []Exchange
}

// Record wraps h.
func Record(h http.Handler) *Recorder { return &Recorder{h: h} }

func (rc *Recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	rc.h.ServeHTTP(sw, r)
	rc.mu.Lock()
	rc.exchanges = append(rc.exchanges, Exchange{r.URL.Path, r.Header.Get("Accept-Encoding"), w.Header().Get("Content-Encoding"), sw.status})
	rc.mu.Unlock()
}

// Exchanges returns the exchanges so far, in the order they ended.
func (rc *Recorder) Exchanges() []Exchange {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]Exchange(nil), rc.exchanges...)
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (sw *statusWriter) WriteHeader(code int) {
	sw.status = code
	sw.ResponseWriter.WriteHeader(code)
}

func (sw *statusWriter) Unwrap() http.ResponseWriter { return sw.ResponseWriter }
