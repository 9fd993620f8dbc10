package kiosk

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/center/centertest"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/web/page"
	"github.com/triplicate-vote/triplicate/internal/web/page/pagetest"
)

// witnessedCenter starts a tallying center whose log a party's witness
// cosigns, and returns its URL.
func witnessedCenter(t *testing.T, fx *electiontest.Fixture) string {
	_, url := centertest.Witnessed(t, fx)
	return url
}

// The whole day at a kiosk in a real browser. The poll worker logs in on
// the kiosk's own screen in Spanish (a wrong PIN first), opens the polls and
// enables the first ballot there; then enables each ballot from a second
// tab, while the voter's screen waits and shows each ballot by itself.
// Voters vote by clicking — one changes their mind at the review, one votes
// blank, one double-clicks and sends the same ballot again — and one
// switches to English and votes with the keyboard alone; the next screen is
// in Spanish again. Each voucher is printed by the kiosk, never by the
// browser. The poll worker closes the polls and transmits the final acta to
// a center whose log a witness cosigns. The final acta counts exactly the
// votes cast, and the center has it.
func TestKioskInBrowser(t *testing.T) {
	fx := electiontest.New(electiontest.Options{Contests: 2, Registered: 20, LogWitnesses: 1})
	centerURL := witnessedCenter(t, fx)
	printer := &testPrinter{}
	tk := newTestKioskOf(t, fx, Config{Center: centerURL, Print: printer.print})
	mux := http.NewServeMux()
	mux.Handle("GET /assets/", page.Assets())
	mux.Handle("/", tk.h)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	screen := pagetest.NewBrowser(t, "es-VE,es")
	ctx := screen // the tab that run, text and wantText act in
	// Every step that loads a page waits with loaded for the node it needs
	// next, on that page loaded in full, before it clicks or reads: a node
	// found while the page it is on is being replaced (by a form sent, or
	// by the voter's screen following the kiosk's state) is gone by the
	// time it is clicked ("Could not find node with given id").
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		var s string
		run("reading "+sel, loaded(sel, chromedp.ByQuery), chromedp.Text(sel, &s, chromedp.ByQuery))
		return s
	}
	wantText := func(sel string, wants ...string) {
		t.Helper()
		got := text(sel)
		for _, w := range wants {
			if !strings.Contains(got, w) {
				t.Errorf("%s says %q, want %q in it", sel, got, w)
			}
		}
	}
	choose := func(contest, candidate string) chromedp.Action {
		return chromedp.Click(`input[name="c:`+contest+`"][value="`+candidate+`"]`, chromedp.ByQuery)
	}
	ballots := 0
	printed := func() {
		t.Helper()
		ballots++
		if n := printer.printed(); n != ballots {
			t.Errorf("%d vouchers printed after %d ballots", n, ballots)
		}
		var links int
		run("the voucher's page", chromedp.Evaluate(`document.querySelectorAll("a[download], a[href^='data:'], [data-print]").length`, &links))
		if links != 0 {
			t.Errorf("the voucher's page offers the browser %d ways to save or print it", links)
		}
	}

	// The voter's screen before the polls open offers nothing.
	run("the voter's screen", chromedp.Navigate(srv.URL+"/"), loaded(`[data-state="new"]`, chromedp.ByQuery))
	wantText("h1", "La mesa aún no está abierta")

	// The poll worker logs in on the kiosk's screen: a wrong PIN first.
	run("the worker's page", chromedp.Navigate(srv.URL+"/worker"), loaded("#pin", chromedp.ByID))
	pagetest.Screenshot(t, ctx, "01-worker-login-es")
	wantText("h1", "Miembro de mesa")
	run("a wrong PIN", chromedp.SendKeys("#pin", "000000", chromedp.ByID), chromedp.Submit("#pin", chromedp.ByID),
		loaded("#problem", chromedp.ByID))
	pagetest.Screenshot(t, ctx, "02-wrong-pin-es")
	wantText("#problem", "El PIN es incorrecto")
	run("the right PIN", chromedp.SendKeys("#pin", testPIN, chromedp.ByID), chromedp.Submit("#pin", chromedp.ByID),
		loaded("#open button", chromedp.ByQuery), chromedp.Click("#open button", chromedp.ByQuery),
		loaded("#enable", chromedp.ByID))
	pagetest.Screenshot(t, ctx, "03-opened-es")
	wantText("#tape", "Escrutinio en cero a la apertura", "votos       0 de 20 inscritos") // the tape in the page's language
	resp, err := http.Get(srv.URL + "/zero.pdf")
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("zero.pdf: %d, %.20q", resp.StatusCode, pdf)
	}
	run("a ballot, on the same screen", chromedp.Click("#enable button", chromedp.ByQuery), loaded("#screen", chromedp.ByID),
		chromedp.Click("#screen", chromedp.ByID), loaded("#ballot", chromedp.ByID))
	pagetest.Screenshot(t, ctx, "04-ballot-es")
	var workerLinks int
	run("links to the worker", chromedp.Evaluate(`document.querySelectorAll("a[href^='/worker']").length`, &workerLinks))
	if workerLinks != 0 {
		t.Error("the ballot links to the poll worker's page")
	}

	// Voter 1 chooses, reviews, changes their mind, and casts.
	run("voter 1 chooses", choose("president", "ALBA"), choose("contest2", "BRUNO"),
		chromedp.Click("#review", chromedp.ByID), loaded("#cast", chromedp.ByID))
	pagetest.Screenshot(t, ctx, "05-review-es")
	wantText("dl.choices", "Candidate ALBA", "Candidate BRUNO")
	var checked bool
	run("voter 1 goes back", chromedp.Click("#change button", chromedp.ByQuery), loaded("#ballot", chromedp.ByID),
		chromedp.Evaluate(`document.querySelector('input[name="c:contest2"][value="BRUNO"]').checked`, &checked))
	if !checked {
		t.Error("back at the ballot, the choice made is not checked")
	}
	run("voter 1 changes and casts", choose("president", "CORA"), chromedp.Click("#review", chromedp.ByID),
		loaded("#cast", chromedp.ByID), chromedp.Click("#cast button", chromedp.ByQuery),
		loaded("#voucher-serial", chromedp.ByID))
	pagetest.Screenshot(t, ctx, "06-voucher-es")
	wantText("h1", "Su voto fue emitido")
	wantText("#printed", "Tome su comprobante de la impresora")
	wantText(".voucher", "Candidate CORA", "Candidate BRUNO")
	printed()
	run("done", chromedp.Click("#done", chromedp.ByID), loaded(`[data-state="waiting"]`, chromedp.ByQuery))
	pagetest.Screenshot(t, ctx, "07-waiting-es")
	wantText("h1", "Esperando a que el miembro de mesa habilite una boleta")

	// From now on the poll worker enables each ballot from a second tab,
	// and the voter's screen shows it by itself.
	worker, cancelWorker := chromedp.NewContext(screen)
	defer cancelWorker()
	enable := func(shot string) {
		t.Helper()
		ctx = worker
		run("the worker's tab", chromedp.Navigate(srv.URL+"/worker"), loaded("#enable button", chromedp.ByQuery))
		if shot != "" {
			pagetest.Screenshot(t, ctx, shot)
		}
		run("enable a ballot", chromedp.Click("#enable button", chromedp.ByQuery), loaded("#enabled", chromedp.ByID))
		ctx = screen
		run("the ballot shows", loaded("#ballot", chromedp.ByID))
	}

	// Voter 2 votes blank in both contests.
	enable("08-worker-enable-es")
	run("voter 2", chromedp.Click("#review", chromedp.ByID), loaded("#cast", chromedp.ByID))
	wantText("dl.choices", "Voto en blanco")
	run("voter 2 casts", chromedp.Click("#cast button", chromedp.ByQuery), loaded("#voucher-serial", chromedp.ByID))
	printed()
	run("done", chromedp.Click("#done", chromedp.ByID), loaded(`[data-state="waiting"]`, chromedp.ByQuery))

	// Voter 3 votes null, double-clicks the cast, and the same ballot
	// form is then sent again from the voucher's page, as going back and
	// confirming again would.
	enable("")
	run("voter 3", choose("president", "null"), choose("contest2", "ALBA"),
		chromedp.Click("#review", chromedp.ByID), loaded("#cast", chromedp.ByID))
	var castForm string
	run("voter 3 double-clicks", chromedp.Evaluate(`document.getElementById("cast").outerHTML`, &castForm),
		chromedp.Evaluate(`{const b = document.querySelector("#cast button"); b.click(); b.click(); true}`, nil),
		loaded("#voucher-serial", chromedp.ByID))
	wantText(".voucher", "Voto nulo", "Candidate ALBA")
	if n := tk.term.Status().Ballots; n != 3 {
		t.Fatalf("after a double click, %d ballots, want 3", n)
	}
	printed()
	js, _ := json.Marshal(castForm)
	run("voter 3's form again", chromedp.Evaluate(`{
		const d = document.createElement("div");
		d.innerHTML = `+string(js)+`;
		document.body.append(d);
		d.querySelector("form").submit(); true}`, nil),
		loaded(".error", chromedp.ByQuery))
	pagetest.Screenshot(t, ctx, "09-cast-again-es")
	wantText(".error", "ya fue emitida")
	if n := tk.term.Status().Ballots; n != 3 || printer.printed() != 3 {
		t.Fatalf("after the same ballot sent again, %d ballots and %d vouchers, want 3", n, printer.printed())
	}
	run("back to the screen", chromedp.Click("main a", chromedp.ByQuery), loaded(`[data-state="waiting"]`, chromedp.ByQuery))

	// Voter 4 switches the ballot to English and uses the keyboard alone:
	// the first choice has the focus, Space takes it, Tab goes to the next
	// contest, an arrow chooses there, Tab goes to the button, and Enter
	// on each page goes on.
	enable("")
	run("to English", chromedp.Click("#lang-switch", chromedp.ByID), loaded(`html[lang="en"] #ballot`, chromedp.ByQuery))
	pagetest.Screenshot(t, ctx, "10-ballot-en")
	run("voter 4's keys", chromedp.KeyEvent(" "), chromedp.KeyEvent("\t"), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent("\t"))
	var focused string
	run("the focus", chromedp.Evaluate(`document.activeElement.id`, &focused))
	if focused != "review" {
		t.Fatalf("after Space, Tab, Down, Tab the focus is on %q, want the review button", focused)
	}
	run("voter 4 reviews", chromedp.KeyEvent(kb.Enter), loaded("#cast", chromedp.ByID))
	pagetest.Screenshot(t, ctx, "11-review-en")
	wantText("dl.choices", "Candidate ALBA", "Candidate BRUNO")
	run("voter 4 casts", chromedp.KeyEvent(kb.Enter), loaded("#voucher-serial", chromedp.ByID))
	pagetest.Screenshot(t, ctx, "12-voucher-en")
	wantText("h1", "Your vote is cast")
	printed()
	// The next voter's screen is in the browser's language again.
	run("done", chromedp.KeyEvent(kb.Enter), loaded(`html[lang="es"] [data-state="waiting"]`, chromedp.ByQuery))

	// The poll worker, in English, closes the polls, logs in again and
	// transmits; the voter's screen says the polls are closed.
	ctx = worker
	run("the poll worker", chromedp.Navigate(srv.URL+"/worker?lang=en"), loaded("#close", chromedp.ByID))
	pagetest.Screenshot(t, ctx, "13-worker-en")
	wantText(".status", "Ballots cast: 4 of 20 registered voters")
	run("closing", chromedp.Click(`input[name="confirm"]`, chromedp.ByQuery), chromedp.Click("#close button", chromedp.ByQuery),
		loaded("#login", chromedp.ByID))
	pagetest.Screenshot(t, ctx, "14-closed-en")
	wantText("#tape", "Final count at closing", "ballots    4 of 20 registered")
	run("logging in again", chromedp.SendKeys("#pin", testPIN, chromedp.ByID), chromedp.Submit("#pin", chromedp.ByID),
		loaded("#transmit", chromedp.ByID))
	run("transmitting", chromedp.Click("#transmit button", chromedp.ByQuery), loaded("#sent", chromedp.ByID))
	pagetest.Screenshot(t, ctx, "15-transmitted-en")
	wantText("#sent", "entry 1", "accepted")
	ctx = screen
	run("the screen after closing", loaded(`[data-state="closed"]`, chromedp.ByQuery))
	wantText("h1", "La mesa está cerrada")

	// The final acta counts the votes cast: contest 1 CORA, blank, null,
	// ALBA; contest 2 BRUNO, blank, ALBA, BRUNO.
	msg, err := tk.term.Acta(acta.Final)
	if err != nil {
		t.Fatal(err)
	}
	sa, err := acta.Open(msg, fx.Def)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range [][5]int{{1, 0, 1, 1, 1}, {1, 2, 0, 1, 0}} {
		c := sa.Contests[i]
		got := [5]int{c.Candidates[0].Votes, c.Candidates[1].Votes, c.Candidates[2].Votes, c.Blank, c.Null}
		if got != want {
			t.Errorf("contest %s: ALBA, BRUNO, CORA, blank, null = %v, want %v", c.Contest, got, want)
		}
	}
	// And the center has it, as the machine signed it.
	resp, err = http.Get(centerURL + "/v1/stations/100.1")
	if err != nil {
		t.Fatal(err)
	}
	var st center.StationResponse
	err = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !st.Reported || len(st.Actas) != 1 || st.Actas[0].Acta != string(msg) {
		t.Errorf("the center's station 100.1: %+v, want the final acta the kiosk transmitted", st)
	}
}

// loaded waits until the tab shows a visible node matching sel, on a page
// that has loaded in full: the node that the next action clicks or reads,
// on the page that is there to stay. The node is found once the new page
// is there (a page still being replaced cannot be polled), then again once
// it has loaded, for the action to use. The poll runs at an interval, not
// on animation frames, which a tab in the background does not get.
func loaded(sel string, opts ...chromedp.QueryOption) chromedp.Action {
	return chromedp.Tasks{
		chromedp.WaitVisible(sel, opts...),
		chromedp.Poll(`document.readyState === "complete"`, nil, chromedp.WithPollingInterval(20*time.Millisecond)),
		chromedp.WaitVisible(sel, opts...),
	}
}
