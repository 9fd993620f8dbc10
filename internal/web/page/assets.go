package page

import (
	"embed"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
)

//go:embed assets/*.js assets/*.css
var assetFS embed.FS

// assetTags are the embedded files' hashes, by name, which their addresses
// carry.
var assetTags = func() map[string]string {
	m := map[string]string{}
	names, _ := fs.Glob(assetFS, "assets/*")
	for _, n := range names {
		b, _ := assetFS.ReadFile(n)
		m[path.Base(n)] = tag(b)
	}
	return m
}()

// assets are the embedded files, compressed once, when a program first
// serves them (a second or so of brotli's best: not paid by the commands
// that serve nothing).
var assets = sync.OnceValue(func() map[string]*Body {
	m := map[string]*Body{}
	names, _ := fs.Glob(assetFS, "assets/*")
	for _, n := range names {
		b, _ := assetFS.ReadFile(n)
		m[path.Base(n)] = NewStatic(mime.TypeByExtension(path.Ext(n)), b)
	}
	return m
})

// AssetURL is the address of an embedded asset; it panics on a name that is
// not one, which a page's first render in any test shows.
func AssetURL(name string) string {
	t, ok := assetTags[name]
	if !ok {
		panic("page: no asset " + name)
	}
	return "/assets/" + name + "?v=" + t
}

// Assets serves the embedded assets under /assets/. An address with the
// current hash is cached for good; any other is revalidated. Each is sent
// as a [Body]: brotli to the browsers that take it, gzip to those that
// take only gzip.
func Assets() http.Handler {
	assets := assets()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/assets/")
		a, ok := assets[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		if r.URL.Query().Get("v") == a.Tag() {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		a.Serve(w, r)
	})
}
