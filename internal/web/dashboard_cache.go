package web

import (
	"bytes"
	"net/http"
	"sync"
)

// pageCache keeps rendered pages whose content is fixed by a key the
// handler can compute cheaply — an area's page by its stations reported —
// so that a page many people read is rendered once per change. Only
// requests without a query are cached (the language switch's address
// depends on it). When full it starts again.
type pageCache struct {
	mu    sync.Mutex
	max   int
	pages map[pageKey]*cachedPage
}

type pageKey struct {
	path    string
	lang    Lang
	version uint64
}

type cachedPage struct {
	status int
	header http.Header
	body   []byte
}

func newPageCache(max int) *pageCache { return &pageCache{max: max, pages: map[pageKey]*cachedPage{}} }

// serve writes the cached page of r at version, or renders it with fn and
// keeps it.
func (pc *pageCache) serve(w http.ResponseWriter, r *http.Request, version uint64, fn func(w http.ResponseWriter)) {
	if r.URL.RawQuery != "" {
		fn(w)
		return
	}
	k := pageKey{r.URL.Path, langOf(r), version}
	pc.mu.Lock()
	p := pc.pages[k]
	pc.mu.Unlock()
	if p == nil {
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		fn(rec)
		p = &cachedPage{rec.status, rec.header, rec.body.Bytes()}
		if p.status == http.StatusOK {
			pc.mu.Lock()
			if len(pc.pages) >= pc.max {
				clear(pc.pages)
			}
			pc.pages[k] = p
			pc.mu.Unlock()
		}
	}
	h := w.Header()
	for k, v := range p.header {
		h[k] = v
	}
	w.WriteHeader(p.status)
	w.Write(p.body)
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
