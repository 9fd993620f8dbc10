package page

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed assets/*.js assets/*.css
var assetFS embed.FS

// asset is one embedded file and its hash.
type asset struct {
	data []byte
	gz   []byte // data, gzip-compressed, if that is smaller
	hash string // first 16 hex digits of its SHA-256
	typ  string
}

var assets = func() map[string]asset {
	m := map[string]asset{}
	names, _ := fs.Glob(assetFS, "assets/*")
	for _, n := range names {
		b, _ := assetFS.ReadFile(n)
		sum := sha256.Sum256(b)
		a := asset{data: b, hash: hex.EncodeToString(sum[:8]), typ: mime.TypeByExtension(path.Ext(n))}
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		zw.Write(b)
		zw.Close()
		if gz.Len() < len(b) {
			a.gz = gz.Bytes()
		}
		m[path.Base(n)] = a
	}
	return m
}()

// AssetURL is the address of an embedded asset; it panics on a name that is
// not one, which a page's first render in any test shows.
func AssetURL(name string) string {
	a, ok := assets[name]
	if !ok {
		panic("page: no asset " + name)
	}
	return "/assets/" + name + "?v=" + a.hash
}

// Assets serves the embedded assets under /assets/. An address with the
// current hash is cached for good; any other is revalidated. They are sent
// gzip-compressed (compressed once, when the program starts) to the
// browsers that accept it.
func Assets() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/assets/")
		a, ok := assets[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.typ)
		h.Set("ETag", `"`+a.hash+`"`)
		h.Set("X-Content-Type-Options", "nosniff")
		if r.URL.Query().Get("v") == a.hash {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		h.Add("Vary", "Accept-Encoding")
		if r.Header.Get("If-None-Match") == `"`+a.hash+`"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if a.gz != nil && AcceptsGzip(r) {
			h.Set("Content-Encoding", "gzip")
			w.Write(a.gz)
			return
		}
		w.Write(a.data)
	})
}

// AcceptsGzip reports whether a request's Accept-Encoding allows gzip.
func AcceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			q = strings.ReplaceAll(strings.TrimSpace(q), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
