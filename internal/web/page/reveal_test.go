package page_test

import (
	"bytes"
	"html/template"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// A name with a bidirectional override or an invisible character is shown
// with it written out, so that it cannot pass for another; the joiners that
// scripts spell with are kept.
func TestHiddenCharactersRevealed(t *testing.T) {
	fsys := fstest.MapFS{"templates/p.html": {Data: []byte(`{{define "content"}}<p title="{{.Data}}">{{.Data}}</p>{{end}}`)}}
	pages := page.Parse(page.Config{FS: fsys, Pages: []string{"p.html"}, Catalog: page.NewCatalog(), Funcs: template.FuncMap{}})
	rec := httptest.NewRecorder()
	pages.Render(rec, httptest.NewRequest("GET", "/", nil), 200, "p.html", "Page", "EG \u202e231\u202c, Ma\u200bduro, می\u200cخواهم")
	body := rec.Body.String()
	for _, want := range []string{"EG ⟦U+202E⟧231⟦U+202C⟧", "Ma⟦U+200B⟧duro", "می\u200cخواهم"} {
		if strings.Count(body, want) != 2 {
			t.Errorf("%q is not in the page, in its text and its title:\n%s", want, body)
		}
	}
}

func FuzzReveal(f *testing.F) {
	for _, s := range []string{"", "plain", "EG \u202e231", "\u200b\ufeff\u00ad", "\xff\u2066x", "می\u200cخواهم"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		out := page.Reveal(b)
		for _, r := range string(out) {
			if r == '\u202e' || r == '\u200b' || r == '\u2066' || r == '\ufeff' {
				t.Fatalf("Reveal(%q) = %q keeps %U", b, out, r)
			}
		}
		if !bytes.ContainsAny(b, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u2060\ufeff\u2061\u2062\u2063\u2064\u00ad\u180e") && !bytes.Equal(out, b) {
			t.Fatalf("Reveal(%q) = %q, changed text with nothing hidden", b, out)
		}
		if utf8.Valid(b) != utf8.Valid(out) {
			t.Fatalf("Reveal(%q) = %q changes its validity", b, out)
		}
	})
}
