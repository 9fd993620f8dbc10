// Package web is triplicate's pages: the public results dashboard that the
// center serves, the verifier's report as pages, and the voting terminal's
// kiosk. Pages are rendered on the server with html/template from the same
// figures the JSON API gives; the few front-end libraries they use (htmx,
// uPlot) are vendored into the binary (assets/README.md), so nothing is
// fetched from elsewhere at run time and nothing is built.
//
// Every page is in Spanish and English: the language comes from the
// "lang" query parameter (which also sets a cookie), else that cookie, else
// the browser's Accept-Language; each page links to the other language.
//
// Pages send a Content-Security-Policy that allows only the server's own
// scripts, styles and connections: no inline script, no inline style.
package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sync"
)

//go:embed templates
var templateFS embed.FS

// csp is the pages' Content-Security-Policy. Scripts may set element styles
// (uPlot does); markup may not carry style attributes.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// Page is what every template receives: the request's language and the
// page's own data.
type Page struct {
	Lang
	Title string
	Data  any
	url   *url.URL
}

// Switch returns the current page's address in the other language.
func (p *Page) Switch() string {
	u := *p.url
	q := u.Query()
	q.Set("lang", string(p.Other()))
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

// Signed is Num with a sign: +12, −3.
func (p *Page) Signed(n int64) string {
	if n > 0 {
		return "+" + p.Lang.Num(int(n))
	}
	if n < 0 {
		return "−" + p.Lang.Num(int(-n))
	}
	return "0"
}

// Asset returns the address of an embedded asset, with its content hash so
// that it can be cached for good.
func (p *Page) Asset(name string) string { return assetURL(name) }

// templates is a set of pages, each parsed with the layout.
type templates struct {
	pages map[string]*template.Template
	// lang, if set, is the language of a request, instead of requestLang.
	lang func(*http.Request) Lang
}

// parseTemplates parses templates/layout.html with each of the named page
// files and error.html; a page file defines "content" and may define
// "head" (more of the document's head) and "home" (the brand link's target).
func parseTemplates(names ...string) *templates { return parseTemplatesWith(nil, names...) }

// parseTemplatesWith is parseTemplates with shared files, defining templates
// that several of the pages use, parsed into each.
func parseTemplatesWith(shared []string, names ...string) *templates {
	base := template.Must(template.New("layout.html").ParseFS(templateFS, "templates/layout.html"))
	for _, s := range shared {
		template.Must(base.ParseFS(templateFS, "templates/"+s))
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, name := range append(names, "error.html") {
		t.pages[name] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name))
	}
	return t
}

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes the page name with data, in the request's language, with
// the given status. It renders into a buffer first, so a template error is
// a clean 500 and never half a page.
func (t *templates) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	var lang Lang
	if t.lang != nil {
		lang = t.lang(r)
	} else {
		lang = requestLang(w, r)
	}
	p := &Page{Lang: lang, Title: lang.T(title), Data: data, url: r.URL}
	buf := buffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer buffers.Put(buf)
	if err := t.pages[name].Execute(buf, p); err != nil {
		http.Error(w, "rendering "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	pageHeaders(w.Header(), lang)
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// pageHeaders sets the headers of every page and fragment of a page.
func pageHeaders(h http.Header, lang Lang) {
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Language", string(lang))
	h.Add("Vary", "Accept-Language, Cookie")
}

// fail renders the error page: status, its title and a message that says
// what was wrong with which input. The format is English, translated
// through the catalog like any message, and then given its arguments.
func (t *templates) fail(w http.ResponseWriter, r *http.Request, status int, format string, args ...any) {
	title := "Bad request"
	switch status {
	case http.StatusForbidden:
		title = "Refused"
	case http.StatusNotFound:
		title = "Not found"
	case http.StatusMethodNotAllowed:
		title = "Not allowed"
	case http.StatusConflict:
		title = "Not possible now"
	case http.StatusTooManyRequests:
		title = "Locked for now"
	case http.StatusInternalServerError:
		title = "Failure"
	case http.StatusServiceUnavailable:
		title = "Unavailable"
	}
	t.render(w, r, status, "error.html", title, failure{format, args})
}

// failure is an error page's message, translated when the page renders.
type failure struct {
	format string
	args   []any
}

// Message returns the error page's message in a language.
func (p *Page) Message() string {
	f := p.Data.(failure)
	return fmt.Sprintf(p.T(f.format), f.args...)
}

// clip shortens what a user typed, to quote it on an error page.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
