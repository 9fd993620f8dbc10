package page

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/andybalholm/brotli"
)

// Body is a response body kept compressed, served in the best form a
// request accepts (AcceptedEncodings): brotli to the browsers that take it
// (all of them, over HTTPS), gzip to those that take only gzip, and the
// bytes as they are to the rest. Each form has its own ETag, the bytes'
// hash with "-br" or "-gz" and the hash of the form's own bytes after it,
// so a cache never mixes them and a range resumed under it is of the same
// bytes, whatever the compressor that made them; every
// answer says "Vary: Accept-Encoding". A request for a range or on a
// condition is answered by http.ServeContent (ranges are of the form sent).
//
// A body is made in one of three ways, by what it is:
//   - NewStatic: a file served as long as the program runs, compressed
//     once, as small as brotli makes it in the time a server's start can
//     spare;
//   - NewStaticBrotli: a file too large to compress that well when the
//     program starts, compressed ahead (by go generate) as brotli;
//   - NewPage: a page rendered now and kept while it is current: brotli at
//     a quality nearly as fast as gzip's fastest (PageQuality), and only
//     that, until a client asks for another form.
//
// Gzip is for the few clients that take no brotli (browsers over plain
// HTTP, some programs): a body makes it the first time one asks, and keeps
// it (Size then counts it) — a static body with gzip's best compression,
// a page with its fastest. A page's bytes as they are, for the rare client
// that takes neither, are decoded for each.
type Body struct {
	typ   string
	tag   string // the first 16 hex digits of the bytes' SHA-256
	plain []byte // the bytes as they are; nil for a page, decoded when asked
	br    []byte // nil when brotli does not make the bytes smaller
	brTag string // the first 8 hex digits of br's SHA-256
	page  bool   // NewPage

	gzOnce sync.Once
	gz     []byte
	gzTag  string
	gzSize atomic.Int64 // len(gz), once made
}

// PageQuality is the brotli quality of NewPage. Measured on the
// dashboard's pages (4–40 KB of HTML) it takes 0.1–0.6 ms a page, against
// 0.04–0.23 ms for gzip's fastest, which the pages were kept in before,
// and makes them 11–15% smaller than that gzip. A render of the home page
// with a map of 49 states took 3.4 ms with it, a station's 0.8 ms: some
// 0.4 and 0.1 ms more than with that gzip. Quality 2 would be some 0.3 ms
// faster on the home page for 7% more bytes; quality 11 some 18% smaller,
// at 40–80 ms a page.
const PageQuality = 4

// staticQuality is NewStatic's brotli quality for size bytes: the best
// below 128 KB, some hundreds of milliseconds at most (the assets), and
// less above, where it would take seconds (a definition of some MB).
func staticQuality(size int) int {
	switch {
	case size <= 128<<10:
		return brotli.BestCompression
	case size <= 1<<20:
		return 9
	}
	return 5
}

// NewStatic is a body of data, compressed now as brotli.
func NewStatic(typ string, data []byte) *Body {
	b := &Body{typ: typ, tag: tag(data), plain: data}
	if br := compressBrotli(data, staticQuality(len(data))); len(br) < len(data) {
		b.br, b.brTag = br, tag(br)[:8]
	}
	return b
}

// NewStaticBrotli is a body compressed ahead as brotli: br is decoded now,
// to check it and to have its bytes, and its hash is theirs.
func NewStaticBrotli(typ string, br []byte) (*Body, error) {
	plain, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
	if err != nil {
		return nil, fmt.Errorf("not brotli: %v", err)
	}
	return &Body{typ: typ, tag: tag(plain), plain: plain, br: br, brTag: tag(br)[:8]}, nil
}

// NewPage is a body of a page just rendered, kept as brotli alone (at
// PageQuality) if that is smaller, as it is otherwise.
func NewPage(typ string, data []byte) *Body {
	b := &Body{typ: typ, tag: tag(data), page: true}
	if br := compressBrotli(data, PageQuality); len(br) < len(data) {
		b.br, b.brTag = br, tag(br)[:8]
	} else {
		b.plain = bytes.Clone(data)
	}
	return b
}

// Bytes returns the body as it is, decoded if it is kept compressed alone.
func (b *Body) Bytes() []byte {
	if b.plain != nil {
		return b.plain
	}
	zr := brotliReaders.Get().(*brotli.Reader)
	defer brotliReaders.Put(zr)
	zr.Reset(bytes.NewReader(b.br))
	plain, err := io.ReadAll(zr)
	if err != nil { // brotli made it in this process: never
		panic("page: a page's own brotli does not decode: " + err.Error())
	}
	return plain
}

// Encoded returns the body in encoding e, and false if it is not sent in
// it: a body that brotli does not make smaller is sent as it is.
func (b *Body) Encoded(e Encoding) ([]byte, bool) {
	switch {
	case e == Identity:
		return b.Bytes(), true
	case b.br == nil:
		return nil, false
	case e == Brotli:
		return b.br, true
	}
	b.gzOnce.Do(func() {
		if b.page {
			b.gz = compressGzip(b.Bytes(), gzip.BestSpeed)
		} else {
			b.gz = compressGzip(b.plain, gzip.BestCompression)
		}
		b.gzTag = tag(b.gz)[:8]
		b.gzSize.Store(int64(len(b.gz)))
	})
	return b.gz, true
}

// has reports whether the body is sent in e.
func (b *Body) has(e Encoding) bool { return e == Identity || b.br != nil }

// Tag is the bytes' hash, the ETag of the form as they are.
func (b *Body) Tag() string { return b.tag }

// Size is what the body keeps in memory: more once it has made its gzip.
func (b *Body) Size() int { return len(b.plain) + len(b.br) + int(b.gzSize.Load()) }

// Serve sends the body in the best form r accepts. Content-Type is the
// body's unless the caller set one.
func (b *Body) Serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", b.typ)
	}
	addVary(h)
	enc := negotiate(r, b.has)
	data, _ := b.Encoded(enc)
	switch enc {
	case Brotli:
		h.Set("Content-Encoding", "br")
		h.Set("ETag", `"`+b.tag+`-br`+b.brTag+`"`)
	case Gzip:
		h.Set("Content-Encoding", "gzip")
		h.Set("ETag", `"`+b.tag+`-gz`+b.gzTag+`"`)
	default:
		h.Set("ETag", `"`+b.tag+`"`)
	}
	if !conditional(r) { // most requests: the answer whole, without ServeContent's work
		h.Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			w.Write(data)
		}
		return
	}
	http.ServeContent(lengthWriter{w, len(data)}, r, "", time.Time{}, bytes.NewReader(data))
}

// conditional reports whether r asks for part of a body or for it on a
// condition: what ServeContent answers.
func conditional(r *http.Request) bool {
	for _, k := range []string{"Range", "If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since", "If-Range"} {
		if _, ok := r.Header[k]; ok {
			return true
		}
	}
	return false
}

// addVary adds Accept-Encoding to Vary, once.
func addVary(h http.Header) {
	for _, v := range h.Values("Vary") {
		for f := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), "Accept-Encoding") {
				return
			}
		}
	}
	h.Add("Vary", "Accept-Encoding")
}

// lengthWriter sets Content-Length on a whole answer (status 200), which
// ServeContent leaves unset when there is a Content-Encoding: a browser
// then shows a download's progress, and no answer is chunked. A 412 goes
// without the Content-Encoding of a body it does not have.
type lengthWriter struct {
	http.ResponseWriter
	n int
}

func (lw lengthWriter) WriteHeader(code int) {
	switch code {
	case http.StatusOK:
		lw.Header().Set("Content-Length", strconv.Itoa(lw.n))
	case http.StatusPreconditionFailed:
		// No body: a Content-Encoding would tell a client to decode an
		// empty stream.
		lw.Header().Del("Content-Encoding")
	}
	lw.ResponseWriter.WriteHeader(code)
}

func (lw lengthWriter) Unwrap() http.ResponseWriter { return lw.ResponseWriter }

func tag(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

// The writers are kept for reuse, a pool for each level: each holds
// buffers of some hundreds of KB that would otherwise be allocated for
// every page.
var (
	brotliWriters = pools(brotli.BestSpeed, brotli.BestCompression, func(q int) any { return brotli.NewWriterLevel(nil, q) })
	gzipWriters   = pools(gzip.BestSpeed, gzip.BestCompression, func(l int) any { w, _ := gzip.NewWriterLevel(nil, l); return w })
)

// brotliReaders decode pages for the clients that take no compression.
var brotliReaders = sync.Pool{New: func() any { return brotli.NewReader(nil) }}

func pools(lo, hi int, make func(level int) any) map[int]*sync.Pool {
	m := map[int]*sync.Pool{}
	for l := lo; l <= hi; l++ {
		m[l] = &sync.Pool{New: func() any { return make(l) }}
	}
	return m
}

// compressBrotli compresses data at quality q.
func compressBrotli(data []byte, q int) []byte {
	var out bytes.Buffer
	w := brotliWriters[q].Get().(*brotli.Writer)
	w.Reset(&out)
	w.Write(data)
	w.Close()
	brotliWriters[q].Put(w)
	return out.Bytes()
}

// compressGzip compresses data at level l, with no name or time in its
// header: the same bytes give the same output.
func compressGzip(data []byte, l int) []byte {
	var out bytes.Buffer
	w := gzipWriters[l].Get().(*gzip.Writer)
	w.Reset(&out)
	w.Write(data)
	w.Close()
	gzipWriters[l].Put(w)
	return out.Bytes()
}
