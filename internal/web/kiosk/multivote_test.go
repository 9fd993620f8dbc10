package kiosk

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/web/page"
	"github.com/triplicate-vote/triplicate/internal/web/page/pagetest"
)

// TestKioskMultiVote: a contest of two votes a ballot is a set of
// checkboxes; the voter chooses up to two, reviews them and casts them;
// the final acta (version 3) counts each, with the undervote; a form with
// three, one candidate twice, or a null vote with a candidate counts
// nothing and says why.
func TestKioskMultiVote(t *testing.T) {
	fx := electiontest.New(electiontest.Options{Contests: 2, Registered: 5, Rules: map[string]string{"contest2": "plurality seats=2"}})
	def := fx.Def
	tk := newTestKioskOf(t, fx, Config{})
	tk.open(t)
	tok := tk.ballot(t)
	w := tk.do("GET", "/", nil)
	wantPage(t, "the ballot", w, 200, `type="checkbox" name="c:contest2" value="ALBA"`, `type="radio" name="c:president" value="ALBA"`, "(choose up to 2)")
	if strings.Contains(w.Body.String(), `name="c:contest2" value="blank"`) {
		t.Error("a contest of two votes offers a blank box: nothing chosen is blank")
	}
	for _, bad := range []struct {
		form url.Values
		want string
	}{
		{vote(tok, "president", "ALBA", "contest2", "ALBA", "contest2", "BRUNO", "contest2", "CORA"), "allows at most 2 candidates"},
		{vote(tok, "contest2", "ALBA", "contest2", "ALBA"), "chosen more than once"},
		{vote(tok, "contest2", "null", "contest2", "CORA"), "a null vote cannot go with candidates"},
		{vote(tok, "contest2", "ALBA", "contest2", "DORA"), "is not a choice in contest"},
		{vote(tok, "contest2", "blank", "contest2", "ALBA"), "a blank vote cannot go with candidates"},
		{vote(tok, "contest2", "ALBA+"), "is not a choice in contest"},
		{vote(tok, "contest2", "blank+blank+ALBA"), "chosen more than once"},
		{vote(tok, "contest2", "null", "contest2", "null"), "chosen more than once"},
	} {
		wantPage(t, "a bad ballot", tk.do("POST", "/cast", bad.form), 400, bad.want, "nothing was counted")
	}
	// Chosen in any order, reviewed, back to change, cast.
	wantPage(t, "review", tk.do("POST", "/review", vote(tok, "president", "BRUNO", "contest2", "CORA", "contest2", "ALBA")), 200,
		"Candidate ALBA &#43; Candidate CORA", `name="c:contest2" value="ALBA&#43;CORA"`)
	w = tk.do("POST", "/ballot", vote(tok, "president", "BRUNO", "contest2", "ALBA+CORA"))
	wantPage(t, "back to the ballot", w, 200, `name="c:contest2" value="ALBA" checked`, `name="c:contest2" value="CORA" checked`)
	if w := tk.do("POST", "/cast", vote(tok, "president", "BRUNO", "contest2", "ALBA+CORA")); w.Code != 200 {
		t.Fatalf("cast: %d\n%s", w.Code, w.Body)
	}
	tok = tk.ballot(t)
	if w := tk.do("POST", "/cast", vote(tok, "president", "ALBA", "contest2", "BRUNO")); w.Code != 200 {
		t.Fatalf("cast: %d\n%s", w.Code, w.Body)
	}
	tk.close(t)
	msg, err := tk.term.Acta(acta.Final)
	if err != nil {
		t.Fatal(err)
	}
	sa, err := acta.Open(msg, def)
	if err != nil {
		t.Fatal(err)
	}
	c := sa.Contests[1]
	if sa.Version() != 3 || c.Candidates[0].Votes != 1 || c.Candidates[1].Votes != 1 || c.Candidates[2].Votes != 1 || c.Undervotes != 1 || c.Ballots != 2 {
		t.Errorf("version %d, contest2 %+v; want version 3, ALBA, BRUNO and CORA 1 each, 1 undervote, 2 ballots", sa.Version(), c)
	}
}

// TestKioskMultiVoteInBrowser: in a real browser on a phone-sized screen,
// the voter ticks two candidates of a contest of two votes, reviews them
// and casts; the ballot and the review are screenshotted in Spanish.
func TestKioskMultiVoteInBrowser(t *testing.T) {
	fx := electiontest.New(electiontest.Options{Contests: 2, Registered: 5, Rules: map[string]string{"contest2": "plurality seats=2"}})
	def := fx.Def
	tk := newTestKioskOf(t, fx, Config{})
	tk.open(t)
	mux := http.NewServeMux()
	mux.Handle("GET /assets/", page.Assets())
	mux.Handle("/", tk.h)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	tk.ballot(t)

	ctx := pagetest.NewBrowser(t, "es-VE,es")
	box := func(v string) string { return `input[name="c:contest2"][value="` + v + `"]` }
	var review string
	var width int
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(srv.URL+"/"), loaded("#ballot", chromedp.ByID),
		chromedp.Click(`input[name="c:president"][value="BRUNO"]`, chromedp.ByQuery),
		chromedp.Click(box("CORA"), chromedp.ByQuery), chromedp.Click(box("ALBA"), chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &width)); err != nil {
		t.Fatal(err)
	}
	pagetest.Screenshot(t, ctx, "ballot-two-votes-es")
	if width > 390 {
		t.Errorf("the ballot is %d px wide on a 390 px screen", width)
	}
	if err := chromedp.Run(ctx, chromedp.Click("#review", chromedp.ByID), loaded("#cast", chromedp.ByID),
		chromedp.Text("dl.choices", &review, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	pagetest.Screenshot(t, ctx, "review-two-votes-es")
	if !strings.Contains(review, "Candidate ALBA + Candidate CORA") {
		t.Errorf("the review says %q, want both candidates of contest2", review)
	}
	if err := chromedp.Run(ctx, chromedp.Click("#cast button", chromedp.ByQuery), loaded(`[data-state="voucher"], .voucher, #voucher`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	tk.close(t)
	msg, err := tk.term.Acta(acta.Final)
	if err != nil {
		t.Fatal(err)
	}
	sa, err := acta.Open(msg, def)
	if err != nil {
		t.Fatal(err)
	}
	if c := sa.Contests[1]; c.Candidates[0].Votes != 1 || c.Candidates[2].Votes != 1 || c.Undervotes != 0 {
		t.Errorf("contest2 %+v: want ALBA and CORA one vote each, no undervote", c)
	}
}
