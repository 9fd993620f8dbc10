package page_test

import (
	"net/http/httptest"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/web/page"
	"github.com/triplicate-vote/triplicate/internal/web/page/pagetest"
)

func TestRequestLang(t *testing.T) {
	for _, tc := range []struct {
		url, accept, cookie string
		want                page.Lang
	}{
		{"/", "", "", page.English},
		{"/", "es-VE,es;q=0.9,en;q=0.5", "", page.Spanish},
		{"/", "pt-BR,es;q=0.8", "", page.Spanish},
		{"/", "fr-FR", "", page.English},
		{"/", "en-GB,en;q=0.9,es;q=0.5", "", page.English},
		{"/?lang=es", "en", "", page.Spanish},
		{"/?lang=en", "es", "es", page.English},
		{"/", "en", "es", page.Spanish},
		{"/?lang=xx", "es", "", page.Spanish},
		{"/", "es", "xx", page.Spanish},
	} {
		r := httptest.NewRequest("GET", tc.url, nil)
		if tc.accept != "" {
			r.Header.Set("Accept-Language", tc.accept)
		}
		if tc.cookie != "" {
			r.Header.Set("Cookie", "lang="+tc.cookie)
		}
		w := httptest.NewRecorder()
		if got := page.RequestLang(w, r); got != tc.want {
			t.Errorf("%s Accept-Language %q cookie %q: %s, want %s", tc.url, tc.accept, tc.cookie, got, tc.want)
		}
		if set := w.Result().Cookies(); (len(set) == 1) != (r.URL.Query().Get("lang") == string(tc.want)) {
			t.Errorf("%s: cookies set %v", tc.url, set)
		}
	}
}

func TestNumbers(t *testing.T) {
	if got := page.English.Num(1234567); got != "1,234,567" {
		t.Errorf("English.Num = %q", got)
	}
	if got := page.Spanish.Num(1234567); got != "1.234.567" {
		t.Errorf("Spanish.Num = %q", got)
	}
	if got := page.English.Pct(0.12345); got != "12.35%" {
		t.Errorf("English.Pct = %q", got)
	}
	if got := page.Spanish.Pct(0.12345); got != "12,35 %" {
		t.Errorf("Spanish.Pct = %q", got)
	}
}

// Every message that the layout and the error page use has its Spanish.
func TestEverythingTranslated(t *testing.T) {
	pagetest.CheckTranslated(t, page.NewCatalog())
}
