package page_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/triplicate-vote/triplicate/internal/web/page"
	"github.com/triplicate-vote/triplicate/internal/web/page/pagetest"
)

// The error page in a real browser: the language follows Accept-Language,
// the switch changes it and is remembered, and the page loads its style
// under the Content-Security-Policy.
func TestErrorPageInBrowser(t *testing.T) {
	pages := page.Parse(page.Config{Catalog: page.NewCatalog()})
	mux := http.NewServeMux()
	mux.Handle("GET /assets/", page.Assets())
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		pages.Fail(w, r, http.StatusNotFound, "election %s has no station %q", "ve2024", "X-1")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	ctx := pagetest.NewBrowser(t, "es-VE,es")
	var title, msg, other, color string
	err := chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/stations/X-1"),
		chromedp.Text("h1", &title),
		chromedp.Text(".error", &msg),
		chromedp.Evaluate(`getComputedStyle(document.querySelector(".error")).color`, &color),
	)
	if err != nil {
		t.Fatal(err)
	}
	pagetest.Screenshot(t, ctx, "es")
	if title != "No encontrado" || !strings.Contains(msg, `"X-1"`) {
		t.Errorf("Spanish page: title %q, message %q", title, msg)
	}
	if color != "rgb(180, 35, 24)" {
		t.Errorf("the error's color is %q: site.css did not load", color)
	}
	err = chromedp.Run(ctx,
		chromedp.Click("#lang-switch"),
		chromedp.WaitVisible(`html[lang="en"]`),
		chromedp.Text("h1", &title),
		chromedp.Navigate(srv.URL+"/elsewhere"),
		chromedp.Text("#lang-switch", &other),
	)
	if err != nil {
		t.Fatal(err)
	}
	if title != "Not found" || other != "Español" {
		t.Errorf("after the switch: title %q, switch %q", title, other)
	}
}

func TestAssets(t *testing.T) {
	h := page.Assets()
	for _, name := range []string{"htmx.min.js", "uPlot.iife.min.js", "uPlot.min.css", "site.css"} {
		u := page.AssetURL(name)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", u, nil))
		if w.Code != 200 || w.Body.Len() == 0 || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
			t.Errorf("%s: %d, %d bytes, Cache-Control %q", u, w.Code, w.Body.Len(), w.Header().Get("Cache-Control"))
		}
		r := httptest.NewRequest("GET", "/assets/"+name+"?v=old", nil)
		r.Header.Set("If-None-Match", w.Header().Get("ETag"))
		w = httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusNotModified || w.Header().Get("Cache-Control") != "no-cache" {
			t.Errorf("%s revalidated: %d, Cache-Control %q", name, w.Code, w.Header().Get("Cache-Control"))
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/assets/../web.go", nil))
	if w.Code != http.StatusNotFound {
		t.Errorf("/assets/../web.go: %d", w.Code)
	}
}
