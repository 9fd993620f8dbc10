package boards

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

const seed = "31415926535897932384"

// box is a station's count: ALBA, BRUNO, CORA, blank, null.
type box [5]int

var honest = box{260, 90, 30, 5, 5}

// announced is the announcement of every station of the fixture with the
// same count.
func announced(fx *electiontest.Fixture, v box) []byte {
	var parts []string
	for _, st := range fx.Def.Stations {
		parts = append(parts, fmt.Sprintf(`{"station":%q,"index":0,"registered":%d,"ballots":%d,"contests":[{"id":"president","candidates":[{"id":"ALBA","votes":%d},{"id":"BRUNO","votes":%d},{"id":"CORA","votes":%d}],"blank":%d,"null":%d}]}`,
			st.ID, st.Registered, v[0]+v[1]+v[2]+v[3]+v[4], v[0], v[1], v[2], v[3], v[4]))
	}
	return []byte(`{"election":"test","stations":[` + strings.Join(parts, ",") + `]}`)
}

// testServer starts an audit of a fixture's election in a new directory
// and returns its pages.
func testServer(t testing.TB, fx *electiontest.Fixture, m audit.Method, dir string) *Server {
	t.Helper()
	if !audit.Started(dir) {
		au, err := audit.Start(dir, fx.Def, "announced.json", announced(fx, honest), m, seed, 0.1)
		if err != nil {
			t.Fatal(err)
		}
		if err := au.Save(); err != nil {
			t.Fatal(err)
		}
	}
	au, err := audit.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	bs, err := audit.OpenBoards(au, fx.Auditor)
	if err != nil {
		t.Fatal(err)
	}
	secret, err := ReadSecret(dir)
	if err != nil {
		t.Fatal(err)
	}
	return New(Config{Boards: bs, Secret: secret, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// post sends a form and returns the status and the page.
func post(t testing.TB, s *Server, path string, form url.Values) (int, string) {
	t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", "en")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

func get(t testing.TB, s *Server, path string) (int, string) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Accept-Language", "en")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// handCount is the form of a station's hand count.
func handCount(round int, station string, v box) url.Values {
	return url.Values{"round": {fmt.Sprint(round)}, "station": {station}, "ballot": {"0"},
		"f:ballots":         {fmt.Sprint(v[0] + v[1] + v[2] + v[3] + v[4])},
		"f:president.ALBA":  {fmt.Sprint(v[0])},
		"f:president.BRUNO": {fmt.Sprint(v[1])},
		"f:president.CORA":  {fmt.Sprint(v[2])},
		"f:president.blank": {fmt.Sprint(v[3])},
		"f:president.null":  {fmt.Sprint(v[4])},
	}
}

func wantPage(t *testing.T, what string, code int, body string, wantCode int, wants ...string) {
	t.Helper()
	if code != wantCode {
		t.Errorf("%s: status %d, want %d", what, code, wantCode)
	}
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: the page does not say %q", what, w)
		}
	}
}

// Each refusal of the bad input, by the pages: a round launched
// twice, an entry for a station not drawn for the board, counts that
// exceed the ballots, a second entry that disagrees (kept, shown, and
// blocking the sign-off until corrected). Nothing entered is lost: after
// each refusal the entries made before are still there, in a server
// started again from the directory, and the audit's own tools see them.
func TestRefusals(t *testing.T) {
	fx := electiontest.New(electiontest.Options{Seed: "boards", Stations: 40, Registered: 500})
	dir := t.TempDir()
	s := testServer(t, fx, audit.MACRO, dir)
	admin := s.AdminPath()

	if code, body := get(t, s, "/admin/nottheadmintoken"); code != http.StatusNotFound || strings.Contains(body, "Launch") {
		t.Errorf("a wrong token: status %d", code)
	}
	code, body := post(t, s, admin+"/launch", url.Values{"boards": {"2"}})
	wantPage(t, "launch", code, "", http.StatusSeeOther)
	code, body = post(t, s, admin+"/launch", url.Values{"boards": {"2"}})
	wantPage(t, "launched twice", code, body, http.StatusConflict, "Refused", "round 1 is not complete")
	if n := s.bs.Rounds(); n != 1 {
		t.Fatalf("%d rounds after a launch refused, want 1", n)
	}

	r := s.bs.Round(1)
	if len(r.Boards) < 2 {
		t.Fatalf("round 1 has %d boards, want 2 (draws: %d)", len(r.Boards), len(r.Boards[0].Items))
	}
	b1, b2 := r.Boards[0], r.Boards[1]
	p1 := s.BoardPath(b1.Name)
	st := b1.Items[0].Station
	// A first entry, which every refusal after it must leave alone.
	code, _ = post(t, s, p1+"/member/1", handCount(1, st, honest))
	wantPage(t, "member 1's entry", code, "", http.StatusSeeOther)

	// An entry for a station drawn for the other board, and for one not
	// drawn at all.
	other := b2.Items[0].Station
	code, body = post(t, s, p1+"/member/1", handCount(1, other, honest))
	wantPage(t, "another board's station", code, body, http.StatusForbidden, "Not drawn for this board", "station "+other+" is not drawn for board "+b1.Name+" in round 1")
	drawn := map[string]bool{}
	for _, b := range r.Boards {
		for _, it := range b.Items {
			drawn[it.Station] = true
		}
	}
	for _, x := range fx.Def.Stations {
		if !drawn[x.ID] {
			code, body = post(t, s, p1+"/member/2", handCount(1, x.ID, honest))
			wantPage(t, "a station not drawn", code, body, http.StatusForbidden, "station "+x.ID+" is not drawn for board")
			break
		}
	}

	// Counts that exceed the ballots: more votes than vouchers in the box,
	// and more vouchers than registered voters. The page keeps what was
	// typed.
	over := handCount(1, st, honest)
	over.Set("f:president.ALBA", "300")
	code, body = post(t, s, p1+"/member/2", over)
	wantPage(t, "votes over the ballots", code, body, http.StatusUnprocessableEntity, "Not a possible count", "contest president: 430 votes, blank and null, but 390 vouchers in the box", `value="300"`)
	over = handCount(1, st, box{400, 150, 30, 5, 5})
	code, body = post(t, s, p1+"/member/2", over)
	wantPage(t, "ballots over the registered", code, body, http.StatusUnprocessableEntity, "590 vouchers, more than the 500 registered voters")
	over = handCount(1, st, honest)
	over.Set("f:president.CORA", "-3")
	code, body = post(t, s, p1+"/member/2", over)
	wantPage(t, "a negative count", code, body, http.StatusUnprocessableEntity, `president.CORA: &#34;-3&#34; is not a whole number of votes`)

	// A second entry that disagrees: kept, shown, and it blocks the
	// sign-off.
	code, body = post(t, s, p1+"/member/2", handCount(1, st, box{259, 91, 30, 5, 5}))
	wantPage(t, "a disagreeing entry", code, body, http.StatusConflict, "the entries of members 1 and 2 disagree on president.ALBA, president.BRUNO: both are kept")
	code, body = get(t, s, p1)
	wantPage(t, "the board's page", code, body, http.StatusOK, "member 1 <strong>260</strong>, member 2 <strong>259</strong>")
	code, body = post(t, s, p1+"/signoff", url.Values{"round": {"1"}})
	wantPage(t, "a sign-off with a disagreement", code, body, http.StatusConflict, "the entries disagree on president.ALBA, president.BRUNO")

	// Nothing entered is lost: a server started again from the directory
	// has both entries.
	s2 := testServer(t, fx, audit.MACRO, dir)
	a := s2.bs.Round(1).Boards[0].Agreement(b1.Items[0])
	if !a.Entered[0] || !a.Entered[1] || a.Agree || len(a.Differ) != 2 {
		t.Fatalf("after a restart: %+v, want both entries, disagreeing on 2 fields", a)
	}
	s = s2

	// Everything entered correctly by both members of both boards, with a
	// sign-off reopened and signed again.
	for _, b := range s.bs.Round(1).Boards {
		for _, it := range b.Items {
			for m := 2; m >= 1; m-- { // member 2 first: their disagreeing entry corrected
				code, body := post(t, s, s.BoardPath(b.Name)+fmt.Sprintf("/member/%d", m), handCount(1, it.Station, honest))
				wantPage(t, "an entry", code, body, http.StatusSeeOther)
			}
		}
	}
	code, _ = post(t, s, p1+"/signoff", url.Values{"round": {"1"}})
	wantPage(t, "board 1's sign-off", code, "", http.StatusSeeOther)
	code, body = post(t, s, p1+"/member/1", handCount(1, st, honest))
	wantPage(t, "an entry after the sign-off", code, body, http.StatusConflict, "has signed round 1 off: the administrator must reopen it first")
	code, _ = post(t, s, admin+"/reopen", url.Values{"round": {"1"}, "board": {b1.Name}})
	wantPage(t, "reopen", code, "", http.StatusSeeOther)
	for _, b := range s.bs.Round(1).Boards {
		code, body := post(t, s, s.BoardPath(b.Name)+"/signoff", url.Values{"round": {"1"}})
		wantPage(t, "sign-off", code, body, http.StatusSeeOther)
	}
	code, body = post(t, s, admin+"/reopen", url.Values{"round": {"1"}, "board": {b1.Name}})
	wantPage(t, "reopen once recorded", code, body, http.StatusConflict, "round 1&#39;s paper is recorded in the audit, which keeps it")

	// The audit's own tools see the paper: hand actas, the report and the
	// trail.
	for x := range drawn {
		if _, err := os.Stat(filepath.Join(dir, audit.HandDir, x+".acta")); err != nil {
			t.Errorf("station %s drawn, no hand acta: %v", x, err)
		}
	}
	rep, err := audit.VerifyTrail(dir)
	if err != nil {
		t.Fatalf("audit verify: %v", err)
	}
	if rep.Decision != "confirmed" {
		t.Errorf("decision %q, want confirmed", rep.Decision)
	}
	code, body = get(t, s, admin)
	wantPage(t, "the administrator's page", code, body, http.StatusOK, "confirmed: the reported outcome stands", "recorded")
}

// A ballot-polling round by one board: each drawn voucher's choice
// entered by both members (a choice that is no candidate refused), the
// sign-off records the polls as the command line's poll does.
func TestPollingRound(t *testing.T) {
	fx := electiontest.New(electiontest.Options{Seed: "polling", Stations: 6, Registered: 500})
	dir := t.TempDir()
	s := testServer(t, fx, audit.ALPHA, dir)
	if code, body := post(t, s, s.AdminPath()+"/launch", url.Values{"boards": {"1"}}); code != http.StatusSeeOther {
		t.Fatalf("launch: %d\n%s", code, body)
	}
	b := s.bs.Round(1).Boards[0]
	p := s.BoardPath(b.Name)
	if len(b.Items) == 0 || b.Items[0].Ballot == 0 {
		t.Fatalf("items %v: want vouchers", b.Items)
	}
	voucher := func(it audit.Item, choice string) url.Values {
		return url.Values{"round": {"1"}, "station": {it.Station}, "ballot": {fmt.Sprint(it.Ballot)}, "f:president": {choice}}
	}
	code, body := post(t, s, p+"/member/1", voucher(b.Items[0], "DORA"))
	wantPage(t, "no such candidate", code, body, http.StatusUnprocessableEntity, `contest president: &#34;DORA&#34; is not a candidate, blank, null or not-found`)
	code, body = post(t, s, p+"/member/1", voucher(audit.Item{Station: b.Items[0].Station, Ballot: 391}, "ALBA"))
	wantPage(t, "a voucher not drawn", code, body, http.StatusForbidden, "is not drawn for board 1 in round 1")
	for _, it := range b.Items {
		for m := 1; m <= 2; m++ {
			if code, body := post(t, s, p+fmt.Sprintf("/member/%d", m), voucher(it, "ALBA")); code != http.StatusSeeOther {
				t.Fatalf("%s by member %d: %d\n%s", it, m, code, body)
			}
		}
	}
	if code, body := post(t, s, p+"/signoff", url.Values{"round": {"1"}}); code != http.StatusSeeOther {
		t.Fatalf("sign-off: %d\n%s", code, body)
	}
	if _, err := os.Stat(filepath.Join(dir, "polls-1.note")); err != nil {
		t.Fatal(err)
	}
	if _, err := audit.VerifyTrail(dir); err != nil {
		t.Fatalf("audit verify: %v", err)
	}
	code, body = get(t, s, p+"/labels")
	wantPage(t, "labels", code, body, http.StatusOK, "vouchers at positions", b.Items[0].Station)
}

// Rounds after the first: a round divided again among more boards before
// anyone entered anything (and not after), every sign-off of a round
// reopened at once, and hand counts that differ from the announcement
// asking for another round, which the administrator launches.
func TestRounds(t *testing.T) {
	fx := electiontest.New(electiontest.Options{Seed: "boards", Stations: 40, Registered: 500})
	dir := t.TempDir()
	s := testServer(t, fx, audit.MACRO, dir)
	admin := s.AdminPath()
	if code, body := post(t, s, admin+"/launch", url.Values{"boards": {"2"}}); code != http.StatusSeeOther {
		t.Fatalf("launch: %d\n%s", code, body)
	}
	code, body := get(t, s, admin)
	wantPage(t, "a round without entries", code, body, http.StatusOK, `id="redivide"`)
	code, _ = post(t, s, admin+"/assign", url.Values{"round": {"1"}, "boards": {"3"}})
	wantPage(t, "divided again", code, "", http.StatusSeeOther)
	r := s.bs.Round(1)
	if len(r.Boards) != 3 {
		t.Fatalf("%d boards after dividing again among 3", len(r.Boards))
	}
	// The counts that the boxes show: 60 votes moved from BRUNO to ALBA in
	// the announcement.
	found := box{200, 150, 30, 5, 5}
	for i, b := range r.Boards {
		for _, it := range b.Items {
			for m := 1; m <= 2; m++ {
				if code, body := post(t, s, s.BoardPath(b.Name)+fmt.Sprintf("/member/%d", m), handCount(1, it.Station, found)); code != http.StatusSeeOther {
					t.Fatalf("entry: %d\n%s", code, body)
				}
			}
		}
		if i == 0 {
			code, body := post(t, s, admin+"/assign", url.Values{"round": {"1"}, "boards": {"2"}})
			wantPage(t, "divided again after entries", code, body, http.StatusConflict, "round 1&#39;s boards have entered counts: it cannot be divided again")
		}
	}
	for _, b := range r.Boards[:2] {
		if code, body := post(t, s, s.BoardPath(b.Name)+"/signoff", url.Values{"round": {"1"}}); code != http.StatusSeeOther {
			t.Fatalf("sign-off: %d\n%s", code, body)
		}
	}
	code, _ = post(t, s, admin+"/reopen", url.Values{"round": {"1"}})
	wantPage(t, "the round reopened", code, "", http.StatusSeeOther)
	for _, b := range s.bs.Round(1).Boards {
		if b.SignedOff {
			t.Errorf("board %s still signed off after the round was reopened", b.Name)
		}
	}
	for _, b := range r.Boards {
		if code, body := post(t, s, s.BoardPath(b.Name)+"/signoff", url.Values{"round": {"1"}}); code != http.StatusSeeOther {
			t.Fatalf("sign-off: %d\n%s", code, body)
		}
	}
	rep, err := audit.VerifyTrail(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("decision %s, next %d, discrepancies %d", rep.Decision, rep.NextRound, len(rep.Discrepancies))
	if rep.Decision != "next round" {
		t.Fatalf("decision %q, want next round", rep.Decision)
	}
	code, body = get(t, s, admin)
	wantPage(t, "the administrator's page", code, body, http.StatusOK, "another round", `id="launch"`)
	if code, body := post(t, s, admin+"/launch", url.Values{"boards": {"3"}}); code != http.StatusSeeOther {
		t.Fatalf("launch of round 2: %d\n%s", code, body)
	}
	if r2 := s.bs.Round(2); r2 == nil || len(r2.Boards) == 0 {
		t.Fatalf("round 2: %+v", r2)
	}
	code, body = get(t, s, s.BoardPath("1"))
	wantPage(t, "board 1's page", code, body, http.StatusOK, "Round 2")
}

// A ballot-polling audit of a contest of two seats: a voucher's marks are
// check boxes, two members who check the same candidates agree whatever
// order the form sends them in, and three marks are refused.
func TestSeveralSeats(t *testing.T) {
	fx := electiontest.New(electiontest.Options{Seed: "seats", Stations: 6, Registered: 500})
	def, err := election.Parse([]byte(strings.Replace(string(fx.Text), "party pa", "rule president plurality seats=2\nparty pa", 1)))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	au, err := audit.Start(dir, def, "announced.json", announced(fx, honest), audit.ALPHA, seed, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	if err := au.Save(); err != nil {
		t.Fatal(err)
	}
	s := testServer(t, fx, audit.ALPHA, dir)
	if code, body := post(t, s, s.AdminPath()+"/launch", url.Values{"boards": {"1"}}); code != http.StatusSeeOther {
		t.Fatalf("launch: %d\n%s", code, body)
	}
	b := s.bs.Round(1).Boards[0]
	it := b.Items[0]
	p := s.BoardPath(b.Name)
	marks := func(ids ...string) url.Values {
		return url.Values{"round": {"1"}, "station": {it.Station}, "ballot": {fmt.Sprint(it.Ballot)}, "f:president": ids}
	}
	code, body := post(t, s, p+"/member/1", marks("ALBA", "BRUNO", "CORA"))
	wantPage(t, "three marks", code, body, http.StatusUnprocessableEntity, "marks 3 candidates, a ballot marks at most 2")
	if code, body := post(t, s, p+"/member/1", marks("CORA", "ALBA")); code != http.StatusSeeOther {
		t.Fatalf("member 1: %d\n%s", code, body)
	}
	if code, body := post(t, s, p+"/member/2", marks("ALBA", "CORA")); code != http.StatusSeeOther {
		t.Fatalf("member 2: %d\n%s", code, body)
	}
	if a := s.bs.Round(1).Boards[0].Agreement(it); !a.Agree {
		t.Errorf("the same marks in another order: %+v", a)
	}
	code, body = get(t, s, p+"/member/1")
	wantPage(t, "member 1's page", code, body, http.StatusOK, `type="checkbox" name="f:president" value="ALBA" checked`, `value="BRUNO" >`, `value="CORA" checked`)
}
