package web

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestRequestLang(t *testing.T) {
	for _, tc := range []struct {
		url, accept, cookie string
		want                Lang
	}{
		{"/", "", "", English},
		{"/", "es-VE,es;q=0.9,en;q=0.5", "", Spanish},
		{"/", "pt-BR,es;q=0.8", "", Spanish},
		{"/", "fr-FR", "", English},
		{"/", "en-GB,en;q=0.9,es;q=0.5", "", English},
		{"/?lang=es", "en", "", Spanish},
		{"/?lang=en", "es", "es", English},
		{"/", "en", "es", Spanish},
		{"/?lang=xx", "es", "", Spanish},
		{"/", "es", "xx", Spanish},
	} {
		r := httptest.NewRequest("GET", tc.url, nil)
		if tc.accept != "" {
			r.Header.Set("Accept-Language", tc.accept)
		}
		if tc.cookie != "" {
			r.Header.Set("Cookie", "lang="+tc.cookie)
		}
		w := httptest.NewRecorder()
		if got := requestLang(w, r); got != tc.want {
			t.Errorf("%s Accept-Language %q cookie %q: %s, want %s", tc.url, tc.accept, tc.cookie, got, tc.want)
		}
		if set := w.Result().Cookies(); (len(set) == 1) != (r.URL.Query().Get("lang") == string(tc.want)) {
			t.Errorf("%s: cookies set %v", tc.url, set)
		}
	}
}

func TestNumbers(t *testing.T) {
	if got := English.Num(1234567); got != "1,234,567" {
		t.Errorf("English.Num = %q", got)
	}
	if got := Spanish.Num(1234567); got != "1.234.567" {
		t.Errorf("Spanish.Num = %q", got)
	}
	if got := English.Pct(0.12345); got != "12.35%" {
		t.Errorf("English.Pct = %q", got)
	}
	if got := Spanish.Pct(0.12345); got != "12,35 %" {
		t.Errorf("Spanish.Pct = %q", got)
	}
}

// Every message that the templates and the handlers translate has its
// Spanish: .T "..." in templates, .T("...") in Go, and the titles given to
// render and the error pages.
func TestEverythingTranslated(t *testing.T) {
	uses := []*regexp.Regexp{
		regexp.MustCompile(`\.T "((?:[^"\\]|\\.)*)"`),
		regexp.MustCompile(`\.T\("((?:[^"\\]|\\.)*)"\)`),
		regexp.MustCompile(`render\([^,]+, [^,]+, [^,]+, "[^"]+", "((?:[^"\\]|\\.)*)"`),
		regexp.MustCompile(`title = "((?:[^"\\]|\\.)*)"`),
		regexp.MustCompile(`fail\([^,]+, [^,]+, [^,]+, "((?:[^"\\]|\\.)*)"`),
	}
	files, _ := filepath.Glob("templates/*.html")
	gos, _ := filepath.Glob("*.go")
	checked := 0
	for _, f := range append(files, gos...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range uses {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				checked++
				if _, ok := spanish[m[1]]; !ok {
					t.Errorf("%s: %q has no Spanish in messages.go", f, m[1])
				}
			}
		}
	}
	if checked < 5 {
		t.Fatalf("found only %d messages: the patterns no longer match the code", checked)
	}
}
