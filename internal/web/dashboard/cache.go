package dashboard

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"sync"

	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// pageCache keeps rendered pages, each at a version the handler computes
// cheaply — an area's page by its stations reported, a station's by its log
// entries — so that a page many people read is rendered once per change.
// A page is kept by its path and language, whatever the query (the pages
// it serves depend on nothing else; ?lang= sets the cookie on the answer,
// which is never cached), and only its latest version. Pages are kept
// gzip-compressed (a station's page shrinks to about a fifth), served as
// such to the browsers that accept it, which all do, up to maxBytes of them;
// when full, pages picked at random make room.
type pageCache struct {
	mu       sync.Mutex
	maxBytes int
	bytes    int
	pages    map[pageKey]*cachedPage
}

type pageKey struct {
	path string
	lang page.Lang
}

type cachedPage struct {
	version uint64
	status  int
	header  http.Header
	gz      []byte // the body, gzip-compressed
}

// defaultPageCacheBytes holds every station page of a 30,000-station
// election in both languages, about 100 MiB.
const defaultPageCacheBytes = 128 << 20

// searchCacheBytes is the searches' cache: some thousands of searches' pages.
const searchCacheBytes = 8 << 20

func newPageCache(maxBytes int) *pageCache {
	return &pageCache{maxBytes: maxBytes, pages: map[pageKey]*cachedPage{}}
}

var gzipWriters = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed); return w }}

// serve writes the cached page of r at version, or renders it with fn and
// keeps it if fn says it may: a page that shows a passing failure is not
// kept.
func (pc *pageCache) serve(w http.ResponseWriter, r *http.Request, version uint64, fn func(w http.ResponseWriter) (keep bool)) {
	pc.serveKey(w, r, r.URL.Path, version, fn)
}

// serveKey is serve of a page kept by key instead of its path: a search's
// page, by its query.
func (pc *pageCache) serveKey(w http.ResponseWriter, r *http.Request, key string, version uint64, fn func(w http.ResponseWriter) (keep bool)) {
	k := pageKey{key, page.RequestLang(w, r)}
	pc.mu.Lock()
	p := pc.pages[k]
	pc.mu.Unlock()
	if p == nil || p.version != version {
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		keep := fn(rec)
		rec.header.Del("Set-Cookie") // set on w above, if at all: never kept
		if rec.status != http.StatusOK || !keep {
			rec.writeTo(w)
			return
		}
		var gz bytes.Buffer
		zw := gzipWriters.Get().(*gzip.Writer)
		zw.Reset(&gz)
		zw.Write(rec.body.Bytes())
		zw.Close()
		gzipWriters.Put(zw)
		p = &cachedPage{version, rec.status, rec.header, gz.Bytes()}
		pc.keep(k, p)
	}
	h := w.Header()
	for k, v := range p.header {
		h[k] = v
	}
	h.Add("Vary", "Accept-Encoding")
	if page.AcceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		w.WriteHeader(p.status)
		w.Write(p.gz)
		return
	}
	w.WriteHeader(p.status)
	zr, err := gzip.NewReader(bytes.NewReader(p.gz))
	if err == nil {
		io.Copy(w, zr)
	}
}

// keep adds a page, making room by dropping others if the cache is full.
func (pc *pageCache) keep(k pageKey, p *cachedPage) {
	size := len(p.gz) + len(k.path) + 64
	if size > pc.maxBytes {
		return
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if old := pc.pages[k]; old != nil {
		pc.bytes -= len(old.gz) + len(k.path) + 64
	}
	for old, op := range pc.pages { // map order: a random page each time
		if pc.bytes+size <= pc.maxBytes {
			break
		}
		pc.bytes -= len(op.gz) + len(old.path) + 64
		delete(pc.pages, old)
	}
	pc.pages[k] = p
	pc.bytes += size
}

// recorder is a response writer that keeps the response.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(status int)      { r.status = status }

// writeTo sends the recorded response.
func (r *recorder) writeTo(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range r.header {
		h[k] = v
	}
	w.WriteHeader(r.status)
	w.Write(r.body.Bytes())
}
