package page

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
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
	Title   string
	Data    any
	url     *url.URL
	catalog Catalog
}

// T translates an English message into the page's language.
func (p *Page) T(msg string) string { return p.catalog.T(p.Lang, msg) }

// Say is a message in the page's language: its format translated, then
// given its arguments, those that are messages said in that language too.
func (p *Page) Say(m *Message) string {
	args := make([]any, len(m.args))
	for i, a := range m.args {
		if n, ok := a.(*Message); ok {
			a = p.Say(n)
		}
		args[i] = a
	}
	return fmt.Sprintf(p.T(m.format), args...)
}

// Sayf is a message in the page's language given its arguments: format
// translated, then formatted.
func (p *Page) Sayf(format string, args ...any) string { return fmt.Sprintf(p.T(format), args...) }

// Count is Sayf of a message about n things, n formatted as the first
// argument, in its singular or its plural: English one or other (which
// may be the same), and in Spanish the translation of other, or for n = 1
// of other+"|one" where the catalog has it ("%s encontrado").
func (p *Page) Count(n int, one, other string, args ...any) string {
	format := other
	if n == 1 {
		format = one
		if p.Lang == Spanish {
			format = other
			if s, ok := p.catalog[other+"|one"]; ok {
				return fmt.Sprintf(s, append([]any{p.Num(n)}, args...)...)
			}
		}
	}
	return fmt.Sprintf(p.T(format), append([]any{p.Num(n)}, args...)...)
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
func (p *Page) Asset(name string) string { return AssetURL(name) }

// Message is what an error page or a form's problem says: an English
// format, translated through the catalog like any message when the page
// renders, and then given its arguments.
type Message struct {
	format string
	args   []any
}

// NewMessage returns a message of a format and its arguments.
func NewMessage(format string, args ...any) *Message { return &Message{format, args} }

// Templates is a program's pages, each parsed with the layout.
type Templates struct {
	pages   map[string]*template.Template
	catalog Catalog
	lang    func(*http.Request) Lang
}

// Config is what a program's pages are parsed from.
type Config struct {
	// FS holds the program's template files, in its directory templates.
	FS fs.FS
	// Pages are the files of FS that are pages: each defines "content" and
	// may define "head" (more of the document's head) and "home" (the
	// brand link's target).
	Pages []string
	// Shared are files of FS with templates that every page uses, the
	// error page's too.
	Shared []string
	// Funcs are the program's own template functions.
	Funcs template.FuncMap
	// Catalog is the Spanish of the program's messages.
	Catalog Catalog
	// Lang, if set, is the language of a request instead of RequestLang.
	Lang func(*http.Request) Lang
}

// Parse parses a program's pages and the error page, each with the layout
// and the shared files. It panics on a template that does not parse, which
// any test that makes the program shows.
func Parse(c Config) *Templates {
	base := template.Must(template.New("layout.html").Funcs(c.Funcs).ParseFS(templateFS, "templates/layout.html"))
	for _, name := range c.Shared {
		template.Must(base.ParseFS(c.FS, "templates/"+name))
	}
	t := &Templates{pages: map[string]*template.Template{}, catalog: c.Catalog, lang: c.Lang}
	for _, name := range c.Pages {
		t.pages[name] = template.Must(template.Must(base.Clone()).ParseFS(c.FS, "templates/"+name))
	}
	t.pages["error.html"] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/error.html"))
	return t
}

// Lang is the language that a request's page is rendered in, for what a
// handler says outside a template. Unlike rendering the page, it does not
// remember a ?lang= choice in a cookie.
func (t *Templates) Lang(r *http.Request) Lang { return t.requestLang(discard{}, r) }

func (t *Templates) requestLang(w http.ResponseWriter, r *http.Request) Lang {
	if t.lang != nil {
		return t.lang(r)
	}
	return RequestLang(w, r)
}

// T translates an English message into a language, for what a handler
// says outside a template.
func (t *Templates) T(l Lang, msg string) string { return t.catalog.T(l, msg) }

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Render writes the page name with data, in the request's language, with
// the given status; title is translated. It renders into a buffer first,
// so a template error is a clean 500 and never half a page.
func (t *Templates) Render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	lang := t.requestLang(w, r)
	p := &Page{Lang: lang, Title: t.catalog.T(lang, title), Data: data, url: r.URL, catalog: t.catalog}
	t.write(w, status, name, "", p)
}

// Fragment writes one template of a page, without the layout: what htmx
// swaps into a page. It is never cached.
func (t *Templates) Fragment(w http.ResponseWriter, r *http.Request, name, template string, data any) {
	p := &Page{Lang: t.Lang(r), Data: data, url: r.URL, catalog: t.catalog}
	w.Header().Set("Cache-Control", "no-store")
	t.write(w, http.StatusOK, name, template, p)
}

// write executes a page, or one template of it, into a buffer and then
// sends it.
func (t *Templates) write(w http.ResponseWriter, status int, name, template string, p *Page) {
	buf := buffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer buffers.Put(buf)
	var err error
	if template == "" {
		err = t.pages[name].Execute(buf, p)
	} else {
		err = t.pages[name].ExecuteTemplate(buf, template, p)
	}
	if err != nil {
		http.Error(w, "rendering "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	headers(w.Header(), p.Lang)
	w.WriteHeader(status)
	w.Write(Reveal(buf.Bytes()))
}

// headers sets the headers of every page and fragment of a page.
func headers(h http.Header, lang Lang) {
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Language", string(lang))
	h.Add("Vary", "Accept-Language, Cookie")
}

// Fail renders the error page: status, its title and a message that says
// what was wrong with which input. The format is English, translated
// through the catalog like any message, and then given its arguments.
func (t *Templates) Fail(w http.ResponseWriter, r *http.Request, status int, format string, args ...any) {
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
	t.Render(w, r, status, "error.html", title, NewMessage(format, args...))
}

// Clip shortens what a user typed, to quote it on an error page.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

// discard is a response writer that keeps nothing: what RequestLang would
// set on the response is not wanted on a fragment's.
type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}
