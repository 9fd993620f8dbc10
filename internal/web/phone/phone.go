package phone

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// The licences of the vendored files are served with them. The
// WebAssembly is embedded as brotli (NAME.wasm.br, made by go generate) and
// served as NAME.wasm; the vendored zxing_reader.wasm it is made from stays
// out of the binary.
//
//go:embed assets/*.html assets/*.js assets/*.css assets/*.svg assets/*.webmanifest assets/*.wasm.br assets/*.LICENSE
var assetFS embed.FS

// App is the phone app of one election definition.
type App struct {
	pin     Pin
	files   map[string]*page.Body // by name, sw.js, pin.json and definition.txt included
	version string                // over every file: names the service worker's cache
}

// embedded are the app's files that are the same for every election,
// compressed (or decoded, for those compressed ahead) once, when the
// program first makes an app.
var embedded = sync.OnceValues(func() (map[string]*page.Body, error) {
	m := map[string]*page.Body{}
	names, _ := fs.Glob(assetFS, "assets/*")
	for _, n := range names {
		data, _ := assetFS.ReadFile(n)
		name := path.Base(n)
		if strings.HasSuffix(name, ".br") {
			name = strings.TrimSuffix(name, ".br")
			b, err := page.NewStaticBrotli(contentType(name), data)
			if err != nil {
				return nil, fmt.Errorf("phone: assets/%s: %v", path.Base(n), err)
			}
			m[name] = b
			continue
		}
		m[name] = page.NewStatic(contentType(name), data)
	}
	return m, nil
})

// Pin is what pin.json says: the definition's SHA-256, which the app shows
// and compares with the one it keeps.
type Pin struct {
	SHA256 string `json:"sha256"`
	ID     string `json:"id"`
	Name   string `json:"name"`
	// Center says that the server relays the tallying center's answers
	// under center/, so the app can compare its actas with the log.
	Center bool `json:"center,omitempty"`
}

// New returns the app for the election definition def (its canonical
// text, as kept in the election's file).
func New(def []byte) (*App, error) {
	d, err := election.Parse(def)
	if err != nil {
		return nil, err
	}
	files, err := embedded()
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(def)
	a := &App{pin: Pin{SHA256: hex.EncodeToString(sum[:]), ID: d.ID, Name: d.Name}, files: maps.Clone(files)}
	pin, _ := json.Marshal(a.pin)
	a.set("pin.json", pin)
	a.set("definition.txt", def)
	h := sha256.New()
	for _, n := range slices.Sorted(maps.Keys(a.files)) {
		data := a.files[n].Bytes()
		fmt.Fprintf(h, "%s %d\n", n, len(data))
		h.Write(data)
	}
	a.version = hex.EncodeToString(h.Sum(nil))[:16]
	a.set("sw.js", a.serviceWorker())
	return a, nil
}

// set makes a file of this app's own.
func (a *App) set(name string, data []byte) { a.files[name] = page.NewStatic(contentType(name), data) }

// RelayCenter tells the app that its server relays the tallying center's
// answers under center/ (package collect does).
func (a *App) RelayCenter() {
	a.pin.Center = true
	pin, _ := json.Marshal(a.pin)
	a.set("pin.json", pin)
}

// Pin returns the definition's pin, which the app shows.
func (a *App) Pin() Pin { return a.pin }

// Files returns every file of the app by name, as it is, for hosting it
// as plain static files; Compressed has the same files compressed, for a
// host that serves them so.
func (a *App) Files() map[string][]byte {
	m := map[string][]byte{}
	for n, b := range a.files {
		m[n] = b.Bytes()
	}
	return m
}

// Compressed returns, beside every file of the app that compression makes
// smaller, NAME.br and NAME.gz: what a static host that serves files
// precompressed sends, with Content-Encoding br or gzip, for NAME to the
// browsers that take it (doc.go says how).
func (a *App) Compressed() map[string][]byte {
	m := map[string][]byte{}
	for n, b := range a.files {
		for _, e := range []struct {
			enc page.Encoding
			ext string
		}{{page.Brotli, ".br"}, {page.Gzip, ".gz"}} {
			if data, ok := b.Encoded(e.enc); ok {
				m[n+e.ext] = data
			}
		}
	}
	return m
}

// serviceWorker writes sw.js: it caches every file of the app on install,
// under a cache named by the version, so a phone that loaded the app once
// opens it with no network. pin.json and definition.txt are not cached:
// the app keeps the definition itself (IndexedDB), asks for the pin each
// time it opens, and when that fails knows it is offline and says so.
func (a *App) serviceWorker() []byte {
	var cached []string
	for _, n := range slices.Sorted(maps.Keys(a.files)) {
		if n != "index.html" && n != "pin.json" && n != "definition.txt" {
			cached = append(cached, n)
		}
	}
	list, _ := json.Marshal(append([]string{"./"}, cached...))
	return []byte(strings.NewReplacer("{{VERSION}}", a.version, "{{FILES}}", string(list)).Replace(serviceWorkerJS))
}

const serviceWorkerJS = `// Written by package phone: every file of the app, cached for offline use.
"use strict";
const CACHE = "triplicate-witness-{{VERSION}}";
const FILES = {{FILES}};
self.addEventListener("install", (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});
self.addEventListener("fetch", (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== "GET" || url.origin !== location.origin) return;
  const name = url.pathname.slice(url.pathname.lastIndexOf("/") + 1);
  if (name === "pin.json" || name === "definition.txt") return;
  e.respondWith(caches.match(e.request, { ignoreSearch: true }).then((hit) => hit || fetch(e.request)));
});
`

// contentSecurityPolicy lets the app run its own scripts and WebAssembly
// and talk only to its own server; no inline script or style.
const contentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' blob: data:; media-src 'self' blob:; worker-src 'self'; connect-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// ServeHTTP serves the app's files: "/" is index.html. Each is a
// page.Body: brotli to the browsers that take it (over HTTPS, all), gzip to
// those that take only gzip, as it is to the rest.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(r.URL.Path, "/")
	if name == "" {
		name = "index.html"
	}
	b, ok := a.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	// Revalidated every time: the service worker is what keeps the app
	// offline, and a new version must reach it.
	h.Set("Cache-Control", "no-cache")
	b.Serve(w, r)
}

// contentType is the Content-Type of a file of the app.
func contentType(name string) string {
	switch {
	case strings.HasSuffix(name, ".webmanifest"):
		return "application/manifest+json"
	case name == "definition.txt", strings.HasSuffix(name, ".LICENSE"):
		return "text/plain; charset=utf-8"
	}
	return mime.TypeByExtension(path.Ext(name))
}
