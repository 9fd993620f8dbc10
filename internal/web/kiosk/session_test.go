package kiosk

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The poll worker enables each ballot: the voter's screen waits without
// one, shows the same one however often it is loaded, and waits again once
// it is cast; one person at the screen casts one ballot, and a ballot the
// worker cancels counts nothing.
func TestKioskEnable(t *testing.T) {
	tk := newTestKiosk(t, Config{})
	tk.open(t)
	state := func(want string) {
		t.Helper()
		w := tk.do("GET", "/state", nil)
		if w.Code != 200 || w.Body.String() != want+"\n" || w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("GET /state: %d %q %q, want %q", w.Code, w.Body, w.Header().Get("Cache-Control"), want)
		}
	}
	state("waiting")
	for range 3 {
		w := tk.do("GET", "/", nil)
		wantPage(t, "the screen without a ballot", w, 200, "Waiting for the poll worker")
		if tokenRE.MatchString(w.Body.String()) {
			t.Fatal("the screen gives a ballot that no poll worker enabled")
		}
	}
	wantPage(t, "a token issued but never enabled", tk.do("POST", "/cast", vote(tk.tokens.issue(), "president", "ALBA")), 409, "cancelled this ballot")

	tok := tk.ballot(t)
	state("ballot")
	wantPage(t, "the worker's page", tk.worker("GET", "/worker", nil), 200, `id="enabled"`, `action="/worker/cancel?lang=en"`)
	if again := tk.screenToken(t); again != tok {
		t.Error("reloading the screen gives another ballot")
	}
	wantPage(t, "a second ballot at once", tk.worker("POST", "/worker/enable", url.Values{}), 409, "already enabled")
	wantPage(t, "cast", tk.do("POST", "/cast", vote(tok, "president", "ALBA")), 200)
	state("waiting")
	// The same person, again: the screen waits, and the spent ballot
	// counts no more.
	if w := tk.do("GET", "/", nil); tokenRE.MatchString(w.Body.String()) {
		t.Fatal("after a cast, the screen gives another ballot")
	}
	wantPage(t, "the ballot again", tk.do("POST", "/cast", vote(tok, "president", "ALBA")), 409, "already been cast")

	// A ballot enabled, then cancelled.
	tok = tk.ballot(t)
	wantPage(t, "cancel", tk.worker("POST", "/worker/cancel", url.Values{}), 200, `id="no-ballot"`)
	state("waiting")
	for _, path := range []string{"/review", "/ballot", "/cast"} {
		wantPage(t, "a cancelled ballot at "+path, tk.do("POST", path, vote(tok, "president", "BRUNO")), 409, "cancelled this ballot")
	}
	wantPage(t, "cancel twice", tk.worker("POST", "/worker/cancel", url.Values{}), 409, "No ballot is enabled")
	if n := tk.term.Status().Ballots; n != 1 {
		t.Errorf("%d ballots, want 1", n)
	}
}

// The poll worker's session: a cookie only the worker's addresses get, no
// script reads and no other site sends, that lasts as long as the browser;
// logging out or closing the polls ends it. Two devices may each have one.
func TestKioskSession(t *testing.T) {
	tk := newTestKiosk(t, Config{})
	c := tk.login(t)
	if c.Path != "/worker" || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.MaxAge != 0 || !c.Expires.IsZero() || len(c.Value) < 40 {
		t.Errorf("session cookie %+v", c)
	}
	first := tk.session
	tk.login(t) // a second device
	wantPage(t, "open from the second", tk.worker("POST", "/worker/open", url.Values{}), 200)
	second := tk.session
	tk.session = first
	wantPage(t, "enable from the first", tk.worker("POST", "/worker/enable", url.Values{}), 200)
	w := tk.worker("POST", "/worker/logout", url.Values{})
	if cs := w.Result().Cookies(); w.Code != http.StatusSeeOther || len(cs) != 1 || cs[0].MaxAge >= 0 {
		t.Errorf("logout: %d, cookies %v", w.Code, cs)
	}
	wantPage(t, "cancel after logging out", tk.worker("POST", "/worker/cancel", url.Values{}), 403, "Log in")
	if w := tk.worker("GET", "/worker", nil); !strings.Contains(w.Body.String(), `id="login"`) {
		t.Error("after logging out, the worker's page has no login form")
	}
	tk.session = second
	wantPage(t, "cancel from the second", tk.worker("POST", "/worker/cancel", url.Values{}), 200)
	tk.close(t)
	wantPage(t, "after closing", tk.worker("POST", "/worker/enable", url.Values{}), 403, "Log in")
	for range maxSessions + 1 {
		tk.login(t)
	}
	if len(tk.sessions) != maxSessions {
		t.Errorf("%d sessions, want at most %d", len(tk.sessions), maxSessions)
	}
}
