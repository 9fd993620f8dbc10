package report

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/triplicate-vote/triplicate/internal/web/page/pagetest"
)

// The report's pages in a real browser: discrepancies first, a click to a
// station's evidence with the differing figures marked, the search, and the
// whole thing in Spanish.
func TestReportPagesInBrowser(t *testing.T) {
	r := reportOfDay(t, 40, "announce")
	pages, err := NewPages(r)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(pages)
	defer srv.Close()
	f := r.Findings[0]

	ctx := pagetest.NewBrowser(t, "en-US,en")
	var verdict, firstStation, heading, summary string
	var differing int
	err = chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.Text("#verdict", &verdict),
		chromedp.Text("table.findings tbody tr:first-child td:nth-child(2)", &firstStation),
	)
	if err != nil {
		t.Fatal(err)
	}
	pagetest.Screenshot(t, ctx, "index-en")
	if !strings.Contains(verdict, "discrepancies found") || firstStation != f.Station {
		t.Errorf("index: verdict %q, first station %q (want %s)", verdict, firstStation, f.Station)
	}
	// The discrepancies come before the outcomes.
	var before bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(`(document.querySelector("#discrepancies").compareDocumentPosition(document.querySelector("#outcomes")) & Node.DOCUMENT_POSITION_FOLLOWING) != 0`, &before)); err != nil {
		t.Fatal(err)
	}
	if !before {
		t.Error("the outcomes come before the discrepancies")
	}
	err = chromedp.Run(ctx,
		chromedp.Click("table.findings tbody tr:first-child td:nth-child(2) a"),
		chromedp.WaitVisible("section.finding"),
		chromedp.Text("h1", &heading),
		chromedp.Text("section.finding > p", &summary),
		chromedp.Evaluate(`document.querySelectorAll("section.finding tr.differs").length`, &differing),
	)
	if err != nil {
		t.Fatal(err)
	}
	pagetest.Screenshot(t, ctx, "station-en")
	if heading != "Station "+f.Station || summary != f.Summary || differing == 0 {
		t.Errorf("station page: heading %q, summary %q, %d differing rows", heading, summary, differing)
	}

	// In Spanish, by the switch, and the search by id.
	var title string
	err = chromedp.Run(ctx,
		chromedp.Click("#lang-switch"),
		chromedp.WaitVisible(`html[lang="es"]`),
		chromedp.Click(".breadcrumbs a"),
		chromedp.WaitVisible("#q"),
		chromedp.SendKeys("#q", f.Station),
		chromedp.Submit("#q"),
		chromedp.WaitVisible("section.finding"),
		chromedp.Text("h1", &title),
	)
	if err != nil {
		t.Fatal(err)
	}
	pagetest.Screenshot(t, ctx, "station-es")
	if title != "Mesa "+f.Station {
		t.Errorf("searched in Spanish: heading %q", title)
	}
}
