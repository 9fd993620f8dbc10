package ledger

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// publicPath matches the names of the public files of a tlog-tiles log: the
// checkpoint, hash tiles and entry bundles, full or partial. Anything else
// under the log's directory — Tessera's .state, temporary files a crash left
// behind — is not served.
var publicPath = regexp.MustCompile(`^(checkpoint|tile/(entries|[0-9]|[1-5][0-9]|6[0-3])/(x[0-9]{3}/)*[0-9]{3}(\.p/([1-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5]))?)$`)

// Handler serves the public files of the log in dir, read-only: GET or HEAD
// of /checkpoint and /tile/..., relative to where it is mounted. Full tiles
// and bundles never change, so they are cacheable for ever; the checkpoint
// and partial tiles are not.
func Handler(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "the log is read-only", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(r.URL.Path, "/")
		if !publicPath.MatchString(name) {
			http.Error(w, "no such file in the log: "+name, http.StatusNotFound)
			return
		}
		f, err := os.Open(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			http.Error(w, "no such file in the log: "+name, http.StatusNotFound)
			return
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil || fi.IsDir() {
			http.Error(w, "no such file in the log: "+name, http.StatusNotFound)
			return
		}
		switch {
		case name == "checkpoint":
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
		case strings.Contains(name, ".p/"):
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Header().Set("Cache-Control", "no-cache")
		default:
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		http.ServeContent(w, r, "", fi.ModTime(), f)
	})
}

// Handler serves the public files of the log, as the function Handler does
// for a log in files, from the log's database if it is in one.
func (l *Ledger) Handler() http.Handler {
	if l.db != nil {
		return readerHandler(l.reader)
	}
	return Handler(l.dir)
}
