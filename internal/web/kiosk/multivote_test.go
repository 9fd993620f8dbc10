package kiosk

import (
	"net/url"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// TestKioskMultiVote: a contest of two votes a ballot is a set of
// checkboxes; the voter chooses up to two, reviews them and casts them;
// the final acta (version 3) counts each, with the undervote; a form with
// three, one candidate twice, or a null vote with a candidate counts
// nothing and says why.
func TestKioskMultiVote(t *testing.T) {
	fx := electiontest.New(electiontest.Options{Contests: 2, Registered: 5})
	text := strings.Replace(string(fx.Text), "candidate contest2 CORA Candidate CORA\n", "candidate contest2 CORA Candidate CORA\nrule contest2 plurality seats=2\n", 1)
	def, err := election.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	fx.Def, fx.Text = def, []byte(text)
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
