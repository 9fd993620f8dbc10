package dashboard

import (
	"bytes"
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
// brotli-compressed (page.NewPage: a station's page shrinks to less than a
// fifth), served as such to the browsers that accept it, which over HTTPS
// all do, up to maxBytes of them; when full, pages picked at random make
// room.
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
	header  http.Header
	body    *page.Body
	charged int // the bytes pc.bytes counts for it, under pc.mu
}

// defaultPageCacheBytes holds every station page of a 30,000-station
// election in both languages, about 100 MiB.
const defaultPageCacheBytes = 128 << 20

// searchCacheBytes is the searches' cache: some thousands of searches' pages.
const searchCacheBytes = 8 << 20

func newPageCache(maxBytes int) *pageCache {
	return &pageCache{maxBytes: maxBytes, pages: map[pageKey]*cachedPage{}}
}

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
		// Vary names Accept-Encoding already, so that serving the page
		// adds to no header of the kept page's, which every answer shares.
		rec.header.Add("Vary", "Accept-Encoding")
		p = &cachedPage{version: version, header: rec.header, body: page.NewPage(rec.header.Get("Content-Type"), rec.body.Bytes())}
		pc.keep(k, p)
	}
	h := w.Header()
	for k, v := range p.header {
		h[k] = v
	}
	size := p.body.Size()
	p.body.Serve(w, r)
	if p.body.Size() != size { // it made its gzip, for a client without brotli
		pc.recharge(k, p)
	}
}

// keep adds a page, making room by dropping others if the cache is full.
func (pc *pageCache) keep(k pageKey, p *cachedPage) {
	size := p.body.Size() + len(k.path) + 64
	if size > pc.maxBytes {
		return
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if old := pc.pages[k]; old != nil {
		pc.bytes -= old.charged
		delete(pc.pages, k)
	}
	pc.makeRoom(size)
	p.charged = size
	pc.pages[k] = p
	pc.bytes += size
}

// recharge counts what a kept page has grown by, making room for it.
func (pc *pageCache) recharge(k pageKey, p *cachedPage) {
	size := p.body.Size() + len(k.path) + 64
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.pages[k] != p || p.charged == size {
		return // replaced or dropped meanwhile, or counted by another request
	}
	pc.bytes -= p.charged
	delete(pc.pages, k)
	if size > pc.maxBytes {
		return
	}
	pc.makeRoom(size)
	p.charged = size
	pc.pages[k] = p
	pc.bytes += size
}

// makeRoom drops pages until size more bytes fit; under pc.mu.
func (pc *pageCache) makeRoom(size int) {
	for old, op := range pc.pages { // map order: a random page each time
		if pc.bytes+size <= pc.maxBytes {
			break
		}
		pc.bytes -= op.charged
		delete(pc.pages, old)
	}
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
