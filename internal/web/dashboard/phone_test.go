package dashboard

import (
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/triplicate-vote/triplicate/internal/web/page"
	"github.com/triplicate-vote/triplicate/internal/web/page/pagetest"
)

// TestPagesFitAPhone opens every kind of page at a 390-px-wide phone's
// viewport, in both languages, and measures it: none may be wider than
// the screen, and no table wider than its box, so that no figure is cut
// off or needs a sideways scroll; and axe-core finds no violation of the
// WCAG 2.1 A and AA rules on it.
// Each page is saved as a screenshot.
func TestPagesFitAPhone(t *testing.T) {
	const phone = 390
	reportFile := filepath.Join(t.TempDir(), "report.json")
	te := newTestElection(t, 12, Options{Report: reportFile, Poll: time.Hour})
	te.submit(t, 0, 10)
	te.extras(t)
	te.published(t)
	writeReport(t, te, reportFile)
	def := te.e.Def
	st := def.Stations[0]
	areas := def.AreaPath(st.Area)
	pages := map[string]string{
		"home":             "/",
		"station":          "/stations/" + st.ID,
		"station-disputed": "/stations/" + def.Stations[1].ID,
		"station-twice":    "/stations/" + def.Stations[2].ID,
		"station-none":     "/stations/" + def.Stations[11].ID,
		"checkpoint":       "/checkpoint",
		"search":           "/search?q=" + url.QueryEscape(st.ID[:3]),
		"disputes":         "/disputes",
		"not-found":        "/stations/NOPE",
		"data":             "/data",
		"home-sorted":      "/?sort=margin",
	}
	for i, a := range areas {
		pages["area-"+string(rune('0'+i))] = "/areas/" + a.Path
	}
	for _, lang := range []page.Lang{page.English, page.Spanish} {
		ctx := pagetest.NewBrowser(t, string(lang))
		if err := chromedp.Run(ctx, chromedp.EmulateViewport(phone, 844)); err != nil {
			t.Fatal(err)
		}
		for name, path := range pages {
			var width int
			var cut []string
			if err := chromedp.Run(ctx, chromedp.Navigate(te.srv.URL+path+sep(path)+"lang="+string(lang)),
				chromedp.WaitReady("main"),
				chromedp.Evaluate(`Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)`, &width),
				// A table may scroll within its box, but none needs to here.
				chromedp.Evaluate(`Array.from(document.querySelectorAll(".scroll")).filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.firstElementChild.className + " " + e.scrollWidth + " px")`, &cut)); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if width > phone {
				t.Errorf("%s (%s) is %d px wide on a %d-px screen", path, lang, width, phone)
			}
			if len(cut) > 0 {
				t.Errorf("%s (%s): tables cut off at %d px: %v", path, lang, phone, cut)
			}
			for _, v := range pagetest.Axe(t, ctx) {
				t.Errorf("%s (%s): axe-core: %s", path, lang, v)
			}
			pagetest.Screenshot(t, ctx, string(lang)+"-"+name)
		}
	}
}

func sep(path string) string {
	for _, c := range path {
		if c == '?' {
			return "&"
		}
	}
	return "?"
}
