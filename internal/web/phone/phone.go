package phone

import (
	"bytes"
	"compress/gzip"
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
	"time"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// The licences of the vendored files are served with them.
//
//go:embed assets/*.html assets/*.js assets/*.css assets/*.svg assets/*.webmanifest assets/*.wasm assets/*.wasm.gz assets/*.LICENSE
var assetFS embed.FS

// App is the phone app of one election definition.
type App struct {
	pin     Pin
	files   map[string][]byte // by name, sw.js, pin.json and definition.txt included
	gzipped map[string][]byte // of the files worth compressing
	version string            // over every file: names the service worker's cache
}

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
	sum := sha256.Sum256(def)
	a := &App{pin: Pin{SHA256: hex.EncodeToString(sum[:]), ID: d.ID, Name: d.Name}}
	pin, _ := json.Marshal(a.pin)
	a.files = map[string][]byte{"pin.json": pin, "definition.txt": def}
	names, _ := fs.Glob(assetFS, "assets/*")
	for _, n := range names {
		a.files[path.Base(n)], _ = assetFS.ReadFile(n)
	}
	h := sha256.New()
	for _, n := range slices.Sorted(maps.Keys(a.files)) {
		fmt.Fprintf(h, "%s %d\n", n, len(a.files[n]))
		h.Write(a.files[n])
	}
	a.version = hex.EncodeToString(h.Sum(nil))[:16]
	a.files["sw.js"] = a.serviceWorker()
	a.gzipped = compress(a.files)
	return a, nil
}

// RelayCenter tells the app that its server relays the tallying center's
// answers under center/ (package collect does).
func (a *App) RelayCenter() {
	a.pin.Center = true
	a.files["pin.json"], _ = json.Marshal(a.pin)
	delete(a.gzipped, "pin.json")
}

// Pin returns the definition's pin, which the app shows.
func (a *App) Pin() Pin { return a.pin }

// Files returns every file of the app by name, for hosting it as plain
// static files.
func (a *App) Files() map[string][]byte { return a.files }

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

// ServeHTTP serves the app's files: "/" is index.html.
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
	data, ok := a.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	typ := mime.TypeByExtension(path.Ext(name))
	switch {
	case strings.HasSuffix(name, ".webmanifest"):
		typ = "application/manifest+json"
	case strings.HasSuffix(name, ".gz"):
		typ = "application/gzip" // inflated by the app, not the browser
	case name == "definition.txt", strings.HasSuffix(name, ".LICENSE"):
		typ = "text/plain; charset=utf-8"
	}
	h.Set("Content-Type", typ)
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	// Revalidated every time: the service worker is what keeps the app
	// offline, and a new version must reach it.
	h.Set("Cache-Control", "no-cache")
	h.Add("Vary", "Accept-Encoding")
	if gz, ok := a.gzipped[name]; ok && acceptsGzip(r) {
		// The same bytes, compressed once: what a first load costs a
		// phone on a poor network.
		h.Set("Content-Encoding", "gzip")
		h.Set("ETag", `"`+a.version+`-gz"`)
		data = gz
	} else {
		h.Set("ETag", `"`+a.version+`"`)
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}

// acceptsGzip reports whether the request's Accept-Encoding names gzip
// (with any quality but zero).
func acceptsGzip(r *http.Request) bool {
	for _, e := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(e), ";")
		if strings.TrimSpace(name) == "gzip" && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// compress returns the files worth sending gzipped: all but those that
// are compressed already, when gzip saves a tenth or more.
func compress(files map[string][]byte) map[string][]byte {
	out := map[string][]byte{}
	for name, data := range files {
		if strings.HasSuffix(name, ".gz") {
			continue
		}
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		w.Write(data)
		w.Close()
		if b.Len() < len(data)*9/10 {
			out[name] = b.Bytes()
		}
	}
	return out
}
