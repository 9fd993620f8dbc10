package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

// witnessedCenter starts a tallying center of the fixture's election whose
// log a party's witness cosigns, as the election requires, and returns its
// URL.
func witnessedCenter(t *testing.T, fx *electiontest.Fixture) string {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	w, err := witness.Open(t.TempDir(), fx.Log["pa"], []witness.Log{{Key: fx.Center.Public}}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	wsrv := httptest.NewServer(w.Handler())
	t.Cleanup(func() { wsrv.Close(); w.Close() })
	ctx := context.Background()
	c, err := center.Open(ctx, center.Config{
		Election: fx.Def, Key: fx.Center, Dir: t.TempDir(), Logger: quiet,
		Witnesses: []ledger.Witness{{Key: fx.Log["pa"].Public, URL: wsrv.URL}}, Quorum: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	csrv := httptest.NewServer(c.Handler(nil))
	t.Cleanup(func() { csrv.Close(); c.Close(ctx) })
	return csrv.URL
}

// The whole day at a kiosk in a real browser: the poll worker opens the
// polls in Spanish (a wrong PIN first), voters vote by clicking — one
// changes their mind at the review, one votes blank, one double-clicks and
// sends the same ballot again — the browser switches to English and a voter
// votes with the keyboard alone, then the poll worker closes the polls and
// transmits the final acta to a center whose log a witness cosigns. The
// final acta counts exactly the votes cast, and the center has it.
func TestKioskInBrowser(t *testing.T) {
	fx := electiontest.New(electiontest.Options{Contests: 2, Registered: 20, LogWitnesses: 1})
	centerURL := witnessedCenter(t, fx)
	tk := newTestKioskOf(t, fx, KioskConfig{Center: centerURL})
	mux := http.NewServeMux()
	mux.Handle("GET /assets/", Assets())
	mux.Handle("/", tk.h)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	ctx := newBrowser(t, "es-VE,es")
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		var s string
		run("reading "+sel, chromedp.Text(sel, &s, chromedp.ByQuery))
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

	// The poll worker opens the polls: a wrong PIN first.
	run("the terminal's first page", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#pin", chromedp.ByID))
	screenshot(t, ctx, "01-new-es")
	wantText("h1", "Miembro de mesa")
	run("a wrong PIN", chromedp.SendKeys("#pin", "000000", chromedp.ByID), chromedp.Submit("#pin", chromedp.ByID),
		chromedp.WaitVisible(".error", chromedp.ByQuery))
	screenshot(t, ctx, "02-wrong-pin-es")
	wantText(".error", "El PIN es incorrecto")
	run("back", chromedp.Click(".actions a", chromedp.ByQuery), chromedp.WaitVisible("#pin", chromedp.ByID),
		chromedp.SendKeys("#pin", testPIN, chromedp.ByID), chromedp.Click("form.worker button", chromedp.ByQuery),
		chromedp.WaitVisible("#tape", chromedp.ByID))
	screenshot(t, ctx, "03-opened-es")
	wantText("h1", "La mesa está abierta")
	wantText("#tape", "Zero count at opening", "ballots    0 of 20 registered")
	resp, err := http.Get(srv.URL + "/zero.pdf")
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("zero.pdf: %d, %.20q", resp.StatusCode, pdf)
	}
	run("to the ballot", chromedp.Click("#start", chromedp.ByID), chromedp.WaitVisible("#ballot", chromedp.ByID))
	screenshot(t, ctx, "04-ballot-es")

	// Voter 1 chooses, reviews, changes their mind, and casts.
	run("voter 1 chooses", choose("president", "ALBA"), choose("contest2", "BRUNO"),
		chromedp.Click("#review", chromedp.ByID), chromedp.WaitVisible("#cast", chromedp.ByID))
	screenshot(t, ctx, "05-review-es")
	wantText("dl.choices", "Candidate ALBA", "Candidate BRUNO")
	var checked bool
	run("voter 1 goes back", chromedp.Click("#change button", chromedp.ByQuery), chromedp.WaitVisible("#ballot", chromedp.ByID),
		chromedp.Evaluate(`document.querySelector('input[name="c:contest2"][value="BRUNO"]').checked`, &checked))
	if !checked {
		t.Error("back at the ballot, the choice made is not checked")
	}
	run("voter 1 changes and casts", choose("president", "CORA"), chromedp.Click("#review", chromedp.ByID),
		chromedp.WaitVisible("#cast", chromedp.ByID), chromedp.Click("#cast button", chromedp.ByQuery),
		chromedp.WaitVisible("#voucher-serial", chromedp.ByID))
	screenshot(t, ctx, "06-voucher-es")
	wantText("h1", "Su voto fue emitido")
	wantText(".voucher", "Candidate CORA", "Candidate BRUNO")
	var href string
	var ok bool
	run("the voucher's PDF", chromedp.AttributeValue("#voucher-pdf", "href", &href, &ok, chromedp.ByID))
	if !strings.HasPrefix(href, "data:application/pdf;base64,") {
		t.Errorf("the voucher's PDF link is %.40q", href)
	}

	// Voter 2 votes blank in both contests.
	run("voter 2", chromedp.Click("#next", chromedp.ByID), chromedp.WaitVisible("#ballot", chromedp.ByID),
		chromedp.Click("#review", chromedp.ByID), chromedp.WaitVisible("#cast", chromedp.ByID))
	wantText("dl.choices", "Voto en blanco")
	run("voter 2 casts", chromedp.Click("#cast button", chromedp.ByQuery), chromedp.WaitVisible("#voucher-serial", chromedp.ByID))

	// Voter 3 votes null, double-clicks the cast, and the same ballot
	// form is then sent again from the voucher's page, as going back and
	// confirming again would.
	run("voter 3", chromedp.Click("#next", chromedp.ByID), chromedp.WaitVisible("#ballot", chromedp.ByID),
		choose("president", "null"), choose("contest2", "ALBA"),
		chromedp.Click("#review", chromedp.ByID), chromedp.WaitVisible("#cast", chromedp.ByID))
	var castForm string
	run("voter 3 double-clicks", chromedp.Evaluate(`document.getElementById("cast").outerHTML`, &castForm),
		chromedp.Evaluate(`{const b = document.querySelector("#cast button"); b.click(); b.click(); true}`, nil),
		chromedp.WaitVisible("#voucher-serial", chromedp.ByID))
	wantText(".voucher", "Voto nulo", "Candidate ALBA")
	if n := tk.term.Status().Ballots; n != 3 {
		t.Fatalf("after a double click, %d ballots, want 3", n)
	}
	js, _ := json.Marshal(castForm)
	run("voter 3's form again", chromedp.Evaluate(`{
		const d = document.createElement("div");
		d.innerHTML = `+string(js)+`;
		document.body.append(d);
		d.querySelector("form").submit(); true}`, nil),
		chromedp.WaitVisible(".error", chromedp.ByQuery))
	screenshot(t, ctx, "07-cast-again-es")
	wantText(".error", "ya fue emitida")
	if n := tk.term.Status().Ballots; n != 3 {
		t.Fatalf("after the same ballot sent again, %d ballots, want 3", n)
	}

	// The browser switches to English, and voter 4 uses the keyboard
	// alone: the first choice has the focus, Space takes it, Tab goes to
	// the next contest, an arrow chooses there, Tab goes to the button,
	// and Enter on each page goes on.
	run("to English", chromedp.Click(".actions a", chromedp.ByQuery), chromedp.WaitVisible("#ballot", chromedp.ByID),
		chromedp.Click("#lang-switch", chromedp.ByID), chromedp.WaitVisible(`html[lang="en"] #ballot`, chromedp.ByQuery))
	screenshot(t, ctx, "08-ballot-en")
	run("voter 4's keys", chromedp.KeyEvent(" "), chromedp.KeyEvent("\t"), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent("\t"))
	var focused string
	run("the focus", chromedp.Evaluate(`document.activeElement.id`, &focused))
	if focused != "review" {
		t.Fatalf("after Space, Tab, Down, Tab the focus is on %q, want the review button", focused)
	}
	screenshot(t, ctx, "09-ballot-keyboard-en")
	run("voter 4 reviews", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible("#cast", chromedp.ByID))
	screenshot(t, ctx, "10-review-en")
	wantText("dl.choices", "Candidate ALBA", "Candidate BRUNO")
	run("voter 4 casts", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible("#voucher-serial", chromedp.ByID))
	screenshot(t, ctx, "11-voucher-en")
	wantText("h1", "Your vote is cast")
	run("next voter", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible("#ballot", chromedp.ByID))

	// The poll worker closes the polls and transmits.
	run("the poll worker", chromedp.Click(".aside a", chromedp.ByQuery), chromedp.WaitVisible(".close", chromedp.ByQuery))
	screenshot(t, ctx, "12-worker-en")
	wantText(".status", "Ballots cast: 4 of 20 registered voters")
	run("closing", chromedp.Click(`input[name="confirm"]`, chromedp.ByQuery),
		chromedp.SendKeys(".close #pin", testPIN, chromedp.ByQuery), chromedp.Click(".close button", chromedp.ByQuery),
		chromedp.WaitVisible(".transmit", chromedp.ByQuery))
	screenshot(t, ctx, "13-closed-en")
	wantText("h1", "The polls are closed")
	wantText("#tape", "Final count at closing", "ballots    4 of 20 registered")
	run("transmitting", chromedp.SendKeys(".transmit #pin", testPIN, chromedp.ByQuery), chromedp.Click(".transmit button", chromedp.ByQuery),
		chromedp.WaitVisible("#sent", chromedp.ByID))
	screenshot(t, ctx, "14-transmitted-en")
	wantText("#sent", "entry 0", "accepted")

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
