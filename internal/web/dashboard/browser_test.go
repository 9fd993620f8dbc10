package dashboard

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/verify"
	"github.com/triplicate-vote/triplicate/internal/web/page"
	"github.com/triplicate-vote/triplicate/internal/web/page/pagetest"
)

// TestDashboardInBrowser opens the dashboard in chromium, in Spanish and in
// English: the home page's figures are the API's, and its progress bar
// follows actas submitted while it is open; a click-through from the
// election down to a station shows the station's figures as the API has
// them, its signatures, and downloads that work; the verifier's report
// shows on the station it names; search finds a place and says when
// nothing matches. Each page is saved as a screenshot.
func TestDashboardInBrowser(t *testing.T) {
	for _, lang := range []page.Lang{page.Spanish, page.English} {
		t.Run(string(lang), func(t *testing.T) { testDashboardInBrowser(t, lang) })
	}
}

func testDashboardInBrowser(t *testing.T, lang page.Lang) {
	const stations, first = 30, 20
	reportFile := filepath.Join(t.TempDir(), "report.json")
	te := newTestElection(t, stations, Options{Poll: 300 * time.Millisecond, Report: reportFile})
	te.submit(t, 0, first)
	te.extras(t)
	te.published(t)
	writeReport(t, te, reportFile)

	accept := "en-US,en"
	if lang == page.Spanish {
		accept = "es-VE,es"
	}
	ctx := pagetest.NewBrowser(t, accept)
	base := te.srv.URL

	// The home page: every figure is the API's.
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(".chart[data-drawn]")); err != nil {
		t.Fatal(err)
	}
	checkTotals(t, ctx, te, lang, first)
	pagetest.Screenshot(t, ctx, "home")

	// More actas arrive: the progress bar follows without a reload.
	go func() {
		for i := first; i < stations; i++ {
			time.Sleep(100 * time.Millisecond)
			if _, err := te.c.Submit(context.Background(), te.finals[i]); err != nil {
				t.Error(err)
			}
		}
	}()
	seen := map[string]bool{}
	var reported, value string
	for start := time.Now(); time.Since(start) < 20*time.Second; time.Sleep(100 * time.Millisecond) {
		// In one evaluation: htmx replaces the nodes while we look.
		var now []string
		if err := chromedp.Run(ctx, chromedp.Evaluate(
			`[document.querySelector("#reported").textContent, document.querySelector("#progress").getAttribute("value")]`, &now)); err != nil {
			t.Fatal(err)
		}
		reported, value = now[0], now[1]
		seen[value] = true
		if reported == lang.Num(stations) && value == "30" {
			break
		}
	}
	if reported != lang.Num(stations) || value != "30" {
		t.Fatalf("after every acta: the page says %s reported, its bar %s", reported, value)
	}
	if len(seen) < 3 {
		t.Errorf("the bar showed only %v on the way to %d: not live", seen, stations)
	}
	if err := chromedp.Run(ctx, chromedp.WaitVisible(".chart[data-drawn]")); err != nil {
		t.Fatal(err)
	}
	checkTotals(t, ctx, te, lang, stations)
	pagetest.Screenshot(t, ctx, "home-all-reported")

	// Down the tree by clicking, to a station.
	for depth := 0; ; depth++ {
		var atStations bool
		if err := chromedp.Run(ctx, chromedp.Evaluate(`!!document.querySelector("table.stations")`, &atStations)); err != nil {
			t.Fatal(err)
		}
		if atStations {
			pagetest.Screenshot(t, ctx, "area-stations")
			break
		}
		if depth > 5 {
			t.Fatal("no stations after 5 levels of areas")
		}
		follow(t, ctx, "table.areas tbody tr:first-child a")
		if depth == 0 {
			pagetest.Screenshot(t, ctx, "area")
		}
	}
	follow(t, ctx, "table.stations tbody tr:first-child a")
	var id string
	if err := chromedp.Run(ctx, chromedp.Text("#station-id", &id)); err != nil {
		t.Fatal(err)
	}
	checkStation(t, ctx, te, lang, id)
	pagetest.Screenshot(t, ctx, "station")

	// The station with a hand count that differs, which the verifier reports.
	other := te.e.Def.Stations[1].ID
	var hand, verdict string
	var found bool
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/stations/"+other),
		chromedp.Text("#hand-status", &hand), chromedp.Text("#verdict", &verdict),
		chromedp.Evaluate(`!!document.querySelector('#verifier [data-check="`+string(verify.CheckHandCount)+`"]')`, &found)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(hand, spanish.T(lang, "Hand-counted: the count of the paper vouchers differs from the machine's acta.")) || !found ||
		!strings.Contains(verdict, spanish.T(lang, checkWords[verify.CheckHandCount])) {
		t.Errorf("station %s: hand count %q, verdict %q, verifier's finding shown: %v", other, hand, verdict, found)
	}
	pagetest.Screenshot(t, ctx, "station-hand-differs")

	// The checkpoint.
	var size string
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/checkpoint"), chromedp.Text("#cp-size", &size)); err != nil {
		t.Fatal(err)
	}
	if cp, _ := te.c.Ledger().Published(context.Background()); size != lang.Num64(cp.Size) {
		t.Errorf("checkpoint page: size %s, the log's %d", size, cp.Size)
	}
	pagetest.Screenshot(t, ctx, "checkpoint")

	// Search: a place by a word of its name, and nothing.
	leaf := te.e.Def.AreaPath(te.e.Def.Stations[0].Area)
	parish := leaf[len(leaf)-2]
	word := strings.Fields(parish.Name)[len(strings.Fields(parish.Name))-1]
	var hits string
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/"),
		chromedp.SendKeys("#q", strings.ToLower(word)), chromedp.Submit("#q"),
		chromedp.WaitVisible("#area-hits"), chromedp.Text("#area-hits", &hits)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(hits, parish.Name) {
		t.Errorf("searching %q: %q, want %s", word, hits, parish.Name)
	}
	pagetest.Screenshot(t, ctx, "search")
	var none string
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/search?q=nowhere+at+all"), chromedp.Text("#no-hits", &none)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(none, spanish.T(lang, "Nothing matches")) {
		t.Errorf("a search for nothing: %q", none)
	}
	pagetest.Screenshot(t, ctx, "search-nothing")
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/stations/NOPE")); err != nil {
		t.Fatal(err)
	}
	pagetest.Screenshot(t, ctx, "unknown-station")
}

// follow clicks a link and waits for its page.
func follow(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	var href string
	// Clicked by the page's own script, not by a DOM node id: the live
	// page's polls swap its parts, and a node id taken before a swap is gone
	// by the click ("Could not find node with given id").
	if err := chromedp.Run(ctx, chromedp.WaitReady(sel, chromedp.ByQuery),
		chromedp.Evaluate(`(() => { const a = document.querySelector(`+jsString(sel)+`); a.click(); return a.getAttribute("href") })()`, &href)); err != nil {
		t.Fatalf("clicking %s: %v", sel, err)
	}
	// A poll that lands on the old page as the new one takes over is
	// cancelled ("Inspected target navigated or closed"): not there yet.
	var path string
	var last error
	for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(50 * time.Millisecond) {
		if last = chromedp.Run(ctx, chromedp.Evaluate(`document.readyState == "complete" ? location.pathname : ""`, &path)); last != nil {
			continue
		}
		if path == href {
			return
		}
	}
	t.Fatalf("clicking %s: still at %s, not %s (last error: %v)", sel, path, href, last)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// apiJSON fetches a path of the center's API.
func apiJSON(t *testing.T, te *testElection, path string, v any) {
	t.Helper()
	resp, err := http.Get(te.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// checkTotals checks the home page's figures against /v1/results.
func checkTotals(t *testing.T, ctx context.Context, te *testElection, lang page.Lang, reported int) {
	t.Helper()
	var res center.Result
	apiJSON(t, te, "/v1/results", &res)
	if res.StationsReported != reported {
		t.Fatalf("the API has %d stations reported, want %d", res.StationsReported, reported)
	}
	var page struct {
		Reported, Expected, Turnout, Ballots, Value, Max string
		Rows                                             [][]string
	}
	err := chromedp.Run(ctx, chromedp.Evaluate(`({
		Reported: document.querySelector("#reported").textContent,
		Expected: document.querySelector("#expected").textContent,
		Turnout: document.querySelector("#turnout").textContent,
		Ballots: document.querySelector("#ballots").textContent,
		Value: document.querySelector("#progress").getAttribute("value"),
		Max: document.querySelector("#progress").getAttribute("max"),
		Rows: Array.from(document.querySelectorAll("#live tr[data-candidate], #live tr.blank, #live tr.null")).map(r =>
			[r.closest("section").dataset.contest, r.dataset.candidate || r.className, r.querySelector(".votes").textContent])
	})`, &page))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{lang.Num(res.StationsReported), lang.Num(res.StationsExpected), lang.Pct(res.Turnout), lang.Num(res.Ballots)}
	got := []string{page.Reported, page.Expected, page.Turnout, page.Ballots}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("home page: %q, the API %q", got[i], want[i])
		}
	}
	if page.Value != strconv.Itoa(res.StationsReported) || page.Max != strconv.Itoa(res.StationsExpected) {
		t.Errorf("progress bar %s of %s, the API %d of %d", page.Value, page.Max, res.StationsReported, res.StationsExpected)
	}
	var rows [][]string
	for _, c := range res.Contests {
		for _, x := range c.Candidates {
			rows = append(rows, []string{c.ID, x.ID, lang.Num(x.Votes)})
		}
		rows = append(rows, []string{c.ID, "blank", lang.Num(c.Blank)}, []string{c.ID, "null", lang.Num(c.Null)})
	}
	if g, w := jsonOf(page.Rows), jsonOf(rows); g != w {
		t.Errorf("home page's votes:\n%s\nthe API's:\n%s", g, w)
	}
}

// checkStation checks a station page's figures and signatures against
// /v1/stations/{id}, and its downloads.
func checkStation(t *testing.T, ctx context.Context, te *testElection, lang page.Lang, id string) {
	t.Helper()
	var st center.StationResponse
	apiJSON(t, te, "/v1/stations/"+id, &st)
	var final *acta.Signed
	for _, e := range st.Actas {
		if e.Kind == "final" && e.Status == "accepted" {
			sa, err := acta.Open([]byte(e.Acta), te.e.Def)
			if err != nil {
				t.Fatal(err)
			}
			final = sa
		}
	}
	if final == nil {
		t.Fatalf("station %s: no accepted final acta in the API", id)
	}
	var page struct {
		Index           string
		Rows            [][]string
		Roles, Statuses []string
		PDF, PNG        string
		QRWidth         int
	}
	err := chromedp.Run(ctx, chromedp.Evaluate(`({
		Index: document.querySelector("#log-index").textContent,
		Rows: Array.from(document.querySelectorAll("#figures tr[data-candidate]")).map(r => [r.dataset.candidate, r.querySelector(".votes").textContent])
			.concat([["ballots", document.querySelector("[data-field=ballots]").textContent]]),
		Roles: Array.from(document.querySelectorAll("#signatures tr.signature:not(.missing)")).map(r => r.dataset.role),
		Statuses: Array.from(document.querySelectorAll("#signatures tr.signature:not(.missing) .sig-status")).map(s => s.textContent.trim()),
		PDF: document.querySelector("#pdf-link").href,
		PNG: document.querySelector(".qr img").src,
		QRWidth: document.querySelector(".qr img").naturalWidth
	})`, &page))
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	for _, c := range final.Contests {
		for _, x := range c.Candidates {
			rows = append(rows, []string{x.Candidate, lang.Num(x.Votes)})
		}
		rows = append(rows, []string{"blank", lang.Num(c.Blank)}, []string{"null", lang.Num(c.Null)})
	}
	rows = append(rows, []string{"ballots", lang.Num(final.Ballots)})
	if g, w := jsonOf(page.Rows), jsonOf(rows); g != w {
		t.Errorf("station %s's figures:\n%s\nthe API's acta:\n%s", id, g, w)
	}
	var roles []string
	for _, s := range final.Signatures {
		roles = append(roles, string(s.Signer.Role))
	}
	if jsonOf(page.Roles) != jsonOf(roles) {
		t.Errorf("station %s's signatures: %v, the acta's %v", id, page.Roles, roles)
	}
	for _, s := range page.Statuses {
		if s != "✓ "+spanish.T(lang, "valid") {
			t.Errorf("station %s: a signature's status is %q", id, s)
		}
	}
	if page.QRWidth == 0 {
		t.Errorf("station %s: the QR code did not load", id)
	}
	for _, d := range []struct{ url, typ string }{{page.PDF, "application/pdf"}, {page.PNG, "image/png"}} {
		resp, err := http.Get(d.url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != d.typ {
			t.Errorf("%s: %d %s", d.url, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}

// writeReport runs the verifier on the center's log and writes its report.
func writeReport(t *testing.T, te *testElection, file string) {
	t.Helper()
	v := verify.New(te.e.Def)
	v.AddLog(context.Background(), verify.LogSource{Location: te.srv.URL + "/log/"})
	data, err := json.Marshal(v.Report(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Over HTTPS, as a browser really gets it: chromium asks for brotli, and
// the home page, every script and style it loads and the live part it
// polls come brotli-encoded, and work — the map is drawn, the chart too
// (uPlot), and the live figures follow new actas (htmx).
func TestBrotliInBrowser(t *testing.T) {
	e, m := usElection(t)
	te := newTestElectionOf(t, e, Options{Boundaries: m, Poll: 300 * time.Millisecond})
	te.submit(t, 0, 10)
	te.published(t)
	rec := pagetest.Record(te.srv.Config.Handler)
	srv, trust := pagetest.NewTLSServer(t, rec)
	ctx := pagetest.NewBrowser(t, "en-US,en", trust)
	if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#map svg"), chromedp.WaitVisible(".chart[data-drawn]")); err != nil {
		t.Fatal(err)
	}
	te.submit(t, 10, 20)
	var reported string
	if err := chromedp.Run(ctx, chromedp.Poll(`document.querySelector("#reported").textContent === "20"`, nil, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Text("#reported", &reported, chromedp.ByID)); err != nil {
		t.Fatalf("the live figures did not follow 10 more actas: %v (reported %q)", err, reported)
	}
	pagetest.Screenshot(t, ctx, "home-over-https")
	seen := map[string]bool{}
	for _, x := range rec.Exchanges() {
		kind := x.Path
		if strings.HasPrefix(kind, "/assets/") {
			kind = "/assets/"
		}
		if x.Status != http.StatusOK || (kind != "/" && kind != "/assets/" && kind != "/live") {
			continue
		}
		seen[x.Path] = true
		if !strings.Contains(x.Accept, "br") || x.Encoding != "br" {
			t.Errorf("%s: Accept-Encoding %q, sent %q", x.Path, x.Accept, x.Encoding)
		}
	}
	t.Logf("fetched brotli-encoded: %d paths; the first exchange: %+v", len(seen), rec.Exchanges()[0])
	if !seen["/"] || !seen["/live"] || len(seen) < 7 {
		t.Errorf("the browser fetched %v: want the home page, its six scripts and styles and its live part", seen)
	}
}
