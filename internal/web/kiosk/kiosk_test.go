package kiosk

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/machine"
)

const testPIN = "482916"

// testKiosk is a kiosk over a new terminal of station 100.1 of a fixture
// with two contests and five registered voters.
type testKiosk struct {
	*kiosk
	h       http.Handler
	term    *machine.Terminal
	fx      *electiontest.Fixture
	logs    *bytes.Buffer
	session string // the poll worker's session cookie, once logged in
}

func newTestKiosk(t testing.TB, cfg Config) *testKiosk {
	t.Helper()
	fx := electiontest.New(electiontest.Options{Contests: 2, Registered: 5})
	return newTestKioskOf(t, fx, cfg)
}

func newTestKioskOf(t testing.TB, fx *electiontest.Fixture, cfg Config) *testKiosk {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "100.1")
	if err := machine.Setup(dir, fx.Def, "100.1", fx.Machines["100.1"].Private); err != nil {
		t.Fatal(err)
	}
	term, err := machine.Load(dir, machine.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { term.Close() })
	if cfg.PIN == "" {
		cfg.PIN = testPIN
	}
	logs := new(bytes.Buffer)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	}
	k := newKiosk(term, cfg)
	return &testKiosk{kiosk: k, h: k.handler(), term: term, fx: fx, logs: logs}
}

// testPrinter is a kiosk's printer that keeps what it prints, or fails:
// the vouchers in pdfs, the actas (the zero tape) in tapes.
type testPrinter struct {
	mu    sync.Mutex
	pdfs  [][]byte
	tapes [][]byte
	fail  error
}

func (p *testPrinter) print(pdf []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail != nil {
		return p.fail
	}
	if isActaPDF(pdf) {
		p.tapes = append(p.tapes, pdf)
	} else {
		p.pdfs = append(p.pdfs, pdf)
	}
	return nil
}

// isActaPDF tells an acta's PDF from a voucher's by its title, which
// printing.PDF starts with "Acta " (in UTF-16, as fpdf writes it).
func isActaPDF(pdf []byte) bool {
	return bytes.Contains(pdf, []byte("/Title (\xfe\xff\x00A\x00c\x00t\x00a"))
}

func (p *testPrinter) printedTapes() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.tapes)
}

func (p *testPrinter) printed() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.pdfs)
}

// do sends a request to the kiosk as a browser on the same site would.
func (tk *testKiosk) do(method, path string, form url.Values, header ...string) *httptest.ResponseRecorder {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, path, body)
	r.RemoteAddr = "127.0.0.1:50000" // the terminal's own browser
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	tk.h.ServeHTTP(w, r)
	return w
}

// worker sends a request as the poll worker, logged in.
func (tk *testKiosk) worker(method, path string, form url.Values, header ...string) *httptest.ResponseRecorder {
	return tk.do(method, path, form, append([]string{"Cookie", sessionCookie + "=" + tk.session}, header...)...)
}

// login logs the poll worker in, and returns the session's cookie.
func (tk *testKiosk) login(t testing.TB) *http.Cookie {
	t.Helper()
	w := tk.do("POST", "/worker/login", url.Values{"pin": {testPIN}})
	cs := w.Result().Cookies()
	if w.Code != http.StatusSeeOther || len(cs) != 1 || cs[0].Name != sessionCookie {
		t.Fatalf("login: %d, cookies %v\n%s", w.Code, cs, w.Body)
	}
	tk.session = cs[0].Value
	return cs[0]
}

// open logs the poll worker in and opens the polls.
func (tk *testKiosk) open(t testing.TB) {
	t.Helper()
	tk.login(t)
	if w := tk.worker("POST", "/worker/open", url.Values{}); w.Code != 200 {
		t.Fatalf("open: %d\n%s", w.Code, w.Body)
	}
}

func (tk *testKiosk) close(t testing.TB) {
	t.Helper()
	if w := tk.worker("POST", "/worker/close", url.Values{"confirm": {"yes"}}); w.Code != 200 {
		t.Fatalf("close: %d\n%s", w.Code, w.Body)
	}
}

var tokenRE = regexp.MustCompile(`name="token" value="([^"]+)"`)

// ballot has the poll worker enable a ballot, and returns its token from
// the voter's screen.
func (tk *testKiosk) ballot(t testing.TB) string {
	t.Helper()
	if w := tk.worker("POST", "/worker/enable", url.Values{}); w.Code != 200 {
		t.Fatalf("enable: %d\n%s", w.Code, w.Body)
	}
	return tk.screenToken(t)
}

// screenToken returns the token of the ballot on the voter's screen.
func (tk *testKiosk) screenToken(t testing.TB) string {
	t.Helper()
	w := tk.do("GET", "/", nil)
	m := tokenRE.FindStringSubmatch(w.Body.String())
	if w.Code != 200 || m == nil {
		t.Fatalf("GET /: %d, no token\n%s", w.Code, w.Body)
	}
	return m[1]
}

// vote is a ballot form: the token, then contest and candidate pairs.
func vote(token string, pairs ...string) url.Values {
	v := url.Values{}
	if token != "" {
		v.Set(tokenField, token)
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Add(contestField+pairs[i], pairs[i+1])
	}
	return v
}

func wantPage(t testing.TB, what string, w *httptest.ResponseRecorder, code int, texts ...string) {
	t.Helper()
	if w.Code != code {
		t.Fatalf("%s: status %d, want %d\n%s", what, w.Code, code, w.Body)
	}
	for _, s := range texts {
		if !strings.Contains(w.Body.String(), s) {
			t.Errorf("%s: page lacks %q\n%s", what, s, w.Body)
		}
	}
	if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s: Cache-Control %q", what, cc)
	}
}

// finalCounts closes the polls and returns the final acta's counts of the
// first contest: every candidate's, then blank and null.
func finalCounts(t testing.TB, term *machine.Terminal) []int {
	t.Helper()
	msg, err := term.Acta(acta.Final)
	if err != nil || msg == nil {
		t.Fatalf("final acta: %q, %v", msg, err)
	}
	sa, err := acta.Open(msg, term.Definition())
	if err != nil {
		t.Fatal(err)
	}
	var n []int
	for _, c := range sa.Contests[0].Candidates {
		n = append(n, c.Votes)
	}
	return append(n, sa.Contests[0].Blank, sa.Contests[0].Null)
}

// A day at the kiosk over HTTP: each step's page, and the final acta counts
// exactly the votes cast.
func TestKioskDay(t *testing.T) {
	printer := &testPrinter{}
	tk := newTestKiosk(t, Config{Print: printer.print})
	w := tk.do("GET", "/", nil)
	wantPage(t, "the voter's screen before opening", w, 200, "The polls are not open yet", `data-state="new"`)
	for _, no := range []string{`name="pin"`, `href="/worker`, `action="/worker`} {
		if strings.Contains(w.Body.String(), no) {
			t.Errorf("the voter's screen has %s", no)
		}
	}
	w = tk.do("GET", "/worker", nil)
	wantPage(t, "the worker's page", w, 200, `action="/worker/login?lang=en"`, `name="pin"`)
	if strings.Contains(w.Body.String(), `id="no-printer"`) {
		t.Error("the worker's page warns of no printer, with one")
	}
	wantPage(t, "open without logging in", tk.do("POST", "/worker/open", url.Values{}), 403, "Log in with the poll worker")
	tk.login(t)
	wantPage(t, "logged in", tk.worker("GET", "/worker", nil), 200, `action="/worker/open?lang=en"`)
	wantPage(t, "open", tk.worker("POST", "/worker/open", url.Values{}), 200, "Zero count at opening", "ballots    0 of 5 registered", "Enable a ballot")
	w = tk.do("GET", "/zero.pdf", nil)
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/pdf" || !strings.HasPrefix(w.Body.String(), "%PDF-") {
		t.Errorf("zero.pdf: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	wantPage(t, "final.pdf before closing", tk.do("GET", "/final.pdf", nil), 404, "no final acta yet")
	wantPage(t, "the screen waits", tk.do("GET", "/", nil), 200, "Waiting for the poll worker to enable a ballot", `data-state="waiting"`)

	tok := tk.ballot(t)
	wantPage(t, "review", tk.do("POST", "/review", vote(tok, "president", "BRUNO")), 200, "Candidate BRUNO", "Blank vote", `value="`+tok+`"`)
	w = tk.do("POST", "/ballot", vote(tok, "president", "BRUNO", "contest2", "null"))
	wantPage(t, "back to the ballot", w, 200, `name="c:president" value="BRUNO" checked`, `name="c:contest2" value="null" checked`)
	w = tk.do("POST", "/cast", vote(tok, "president", "BRUNO", "contest2", "null"))
	wantPage(t, "cast", w, 200, "Your vote is cast", "Take your voucher from the printer", "Candidate BRUNO", "Null vote")
	serial := regexp.MustCompile(`<strong>([0-9A-Z]{12})</strong>`).FindStringSubmatch(w.Body.String())
	if serial == nil {
		t.Fatal("no serial on the voucher's page")
	}
	if n := printer.printed(); n != 1 || !bytes.HasPrefix(printer.pdfs[0], []byte("%PDF-")) {
		t.Fatalf("%d vouchers printed, want one PDF", n)
	}
	wantPage(t, "the screen waits again", tk.do("GET", "/", nil), 200, `data-state="waiting"`)
	// A blank ballot: only the token.
	tok = tk.ballot(t)
	wantPage(t, "blank", tk.do("POST", "/cast", vote(tok)), 200, "Blank vote")
	tok = tk.ballot(t)
	wantPage(t, "ALBA", tk.do("POST", "/cast", vote(tok, "president", "ALBA", "contest2", "ALBA")), 200)
	if n := printer.printed(); n != 3 {
		t.Errorf("%d vouchers printed, want 3", n)
	}

	// Nothing shows or keeps the voucher after its page: not the screen,
	// not the poll worker's page, not the logs, and no address holds it.
	for _, path := range []string{"/", "/worker", "/state"} {
		if w := tk.worker("GET", path, nil); strings.Contains(w.Body.String(), serial[1]) {
			t.Errorf("GET %s shows the serial of a vote cast", path)
		}
	}
	for _, path := range []string{"/voucher/" + serial[1], "/" + serial[1], "/cast?serial=" + serial[1]} {
		if w := tk.do("GET", path, nil); strings.Contains(w.Body.String(), "Candidate BRUNO") {
			t.Errorf("GET %s shows the choices of a vote cast", path)
		}
	}
	if strings.Contains(tk.logs.String(), serial[1]) || strings.Contains(tk.logs.String(), "BRUNO") {
		t.Errorf("the logs tell of a vote:\n%s", tk.logs)
	}

	wantPage(t, "close unconfirmed", tk.worker("POST", "/worker/close", url.Values{}), 400, "Tick the box")
	w = tk.worker("POST", "/worker/close", url.Values{"confirm": {"yes"}})
	wantPage(t, "close", w, 200, "Final count at closing", "ballots    3 of 5 registered", `action="/worker/login?lang=en"`)
	if cs := w.Result().Cookies(); len(cs) != 1 || cs[0].Name != sessionCookie || cs[0].MaxAge >= 0 {
		t.Errorf("closing sets cookies %v, want the session's deleted", cs)
	}
	if got, want := finalCounts(t, tk.term), []int{1, 1, 0, 1, 0}; !slices.Equal(got, want) {
		t.Errorf("contest 1: ALBA, BRUNO, CORA, blank, null = %v, want %v", got, want)
	}
	w = tk.do("GET", "/final.pdf", nil)
	if w.Code != 200 || !strings.HasPrefix(w.Body.String(), "%PDF-") {
		t.Errorf("final.pdf: %d", w.Code)
	}
	wantPage(t, "the screen after closing", tk.do("GET", "/", nil), 200, "The polls are closed", `data-state="closed"`)
	wantPage(t, "the worker's page after closing", tk.do("GET", "/worker", nil), 200, "Final count at closing")
}

// Every bad ballot gets a clear page with its status, and counts nothing.
func TestKioskBadBallots(t *testing.T) {
	tk := newTestKiosk(t, Config{})
	early := tk.tokens.issue()
	wantPage(t, "vote before opening", tk.do("POST", "/cast", vote(early, "president", "ALBA")), 409, "not open yet")
	wantPage(t, "review before opening", tk.do("POST", "/review", vote(early, "president", "ALBA")), 409, "not open yet")
	tk.open(t)
	tok := tk.ballot(t)
	other := newTestKiosk(t, Config{}).tokens.issue()
	for _, tc := range []struct {
		name string
		form url.Values
		code int
		want string
	}{
		{"unknown contest", vote(tok, "mayor", "ALBA"), 400, `Contest &#34;mayor&#34; is not on this ballot`},
		{"unknown candidate", vote(tok, "president", "XAVI"), 400, `&#34;XAVI&#34; is not a choice in contest &#34;president&#34;`},
		{"a candidate of another contest's id", vote(tok, "president", "president"), 400, "is not a choice"},
		{"contest twice", vote(tok, "president", "ALBA", "president", "BRUNO"), 400, "chosen more than once"},
		{"unknown field", url.Values{"token": {tok}, "president": {"ALBA"}}, 400, `a field &#34;president&#34;`},
		{"token twice", url.Values{"token": {tok, tok}}, 400, `a field &#34;token&#34;`},
		{"no token", vote("", "president", "ALBA"), 400, "has no token"},
		{"forged token", vote("AAAA"+tok[4:], "president", "ALBA"), 400, "not one this terminal gave out"},
		{"another kiosk's token", vote(other, "president", "ALBA"), 400, "not one this terminal gave out"},
		{"a token never enabled", vote(early, "president", "ALBA"), 409, "cancelled this ballot"},
		{"long candidate", vote(tok, "president", strings.Repeat("é", 100)), 400, "…"},
	} {
		for _, path := range []string{"/review", "/ballot", "/cast"} {
			wantPage(t, tc.name+" "+path, tk.do("POST", path, tc.form), tc.code, tc.want)
		}
	}
	w := tk.do("POST", "/cast", url.Values{"token": {tok}, "c:president": {strings.Repeat("x", maxForm)}})
	wantPage(t, "a huge form", w, 413, "larger than any ballot")
	if n := tk.term.Status().Ballots; n != 0 {
		t.Fatalf("%d ballots counted from bad forms", n)
	}
	// The same token, cast at last, then sent again everywhere.
	wantPage(t, "cast", tk.do("POST", "/cast", vote(tok, "president", "ALBA")), 200)
	for _, path := range []string{"/cast", "/review", "/ballot"} {
		w := tk.do("POST", path, vote(tok, "president", "ALBA"))
		wantPage(t, "again "+path, w, 409, "already been cast")
		if strings.Contains(w.Body.String(), "Candidate ALBA") {
			t.Errorf("sent again to %s, the ballot's choices are shown", path)
		}
	}
	late := tk.ballot(t)
	tk.close(t)
	wantPage(t, "vote after closing", tk.do("POST", "/cast", vote(late, "president", "ALBA")), 409, "polls are closed")
	if got := finalCounts(t, tk.term); !slices.Equal(got, []int{1, 0, 0, 0, 0}) {
		t.Errorf("final counts %v, want the one vote for ALBA", got)
	}
}

// A full terminal enables no more ballots, and Spanish pages say so in
// Spanish.
func TestKioskFullAndSpanish(t *testing.T) {
	tk := newTestKiosk(t, Config{})
	tk.open(t)
	tok := tk.ballot(t)
	w := tk.do("POST", "/cast?lang=es", vote(tok, "president", "XAVI"))
	wantPage(t, "Spanish bad candidate", w, 400, "no es una opción de la contienda", `<html lang="es">`)
	for range 5 {
		tk.do("POST", "/cast", vote(tk.screenToken(t)))
		tk.worker("POST", "/worker/enable", url.Values{})
	}
	if n := tk.term.Status().Ballots; n != 5 {
		t.Fatalf("%d ballots, want 5", n)
	}
	w = tk.worker("POST", "/worker/enable", url.Values{}, "Accept-Language", "es-VE,es")
	wantPage(t, "a sixth ballot", w, 409, "Todos los electores inscritos han votado", `<html lang="es">`)
}

// Many sends of one ballot at once count it once.
func TestKioskConcurrentCasts(t *testing.T) {
	tk := newTestKiosk(t, Config{})
	tk.open(t)
	tok := tk.ballot(t)
	codes := make([]int, 8)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Go(func() { codes[i] = tk.do("POST", "/cast", vote(tok, "president", "CORA")).Code })
	}
	wg.Wait()
	slices.Sort(codes)
	if codes[0] != 200 || codes[1] != 409 || codes[len(codes)-1] != 409 {
		t.Errorf("statuses %v, want one 200 and the rest 409", codes)
	}
	if n := tk.term.Status().Ballots; n != 1 {
		t.Errorf("%d ballots, want 1", n)
	}
}

// Three wrong PINs in a row are forgiven; the fourth locks the PIN out,
// and each one after for longer; the right PIN during a lock is refused
// too, and after it resets the count.
func TestKioskPIN(t *testing.T) {
	tk := newTestKiosk(t, Config{})
	now := time.Date(2024, 7, 28, 6, 0, 0, 0, time.UTC)
	tk.pin.now = func() time.Time { return now }
	try := func(pin string, code int, retry string) {
		t.Helper()
		w := tk.do("POST", "/worker/login", url.Values{"pin": {pin}})
		if w.Code != code || w.Header().Get("Retry-After") != retry {
			t.Fatalf("PIN %q at %s: %d Retry-After %q, want %d %q", pin, now.Format(time.TimeOnly), w.Code, w.Header().Get("Retry-After"), code, retry)
		}
	}
	wantPage(t, "no PIN", tk.do("POST", "/worker/login", url.Values{}), 400, "Enter the poll worker")
	try("1", 403, "")
	try("48291", 403, "")
	try("4829160", 403, "")
	try("000000", 429, "30")
	try(testPIN, 429, "30")
	now = now.Add(29 * time.Second)
	try(testPIN, 429, "1")
	now = now.Add(time.Second)
	try("000000", 429, "60")
	now = now.Add(time.Minute)
	for range 10 { // refused, and locked for longer each time ...
		if w := tk.do("POST", "/worker/login", url.Values{"pin": {"000000"}}); w.Code != 429 {
			t.Fatalf("a wrong PIN after a lock: %d", w.Code)
		}
		now = now.Add(pinLockMax)
	}
	try("000000", 429, "900") // ... up to 15 minutes
	now = now.Add(pinLockMax)
	if len(tk.sessions) != 0 {
		t.Fatal("a session without the PIN")
	}
	try(testPIN, 303, "")
	for range 3 { // the count starts again
		try("1", 403, "")
	}
	try("1", 429, "30")
	if !strings.Contains(tk.logs.String(), "wrong PIN") || strings.Contains(tk.logs.String(), testPIN) {
		t.Errorf("logs:\n%s", tk.logs)
	}
}

// Only the poll worker's session opens, enables, closes and transmits;
// forms from other sites change nothing; GETs change nothing.
func TestKioskWorkerRefusals(t *testing.T) {
	tk := newTestKiosk(t, Config{})
	for _, h := range [][]string{
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"},
		{"Sec-Fetch-Site", "", "Origin", "http://evil.example"},
	} {
		w := tk.do("POST", "/worker/login", url.Values{"pin": {testPIN}}, h...)
		wantPage(t, fmt.Sprint("cross-site login ", h), w, 403, "another site")
	}
	if len(tk.sessions) != 0 {
		t.Fatal("a session from another site's form")
	}
	for _, path := range []string{"/worker/login", "/worker/open", "/worker/enable", "/worker/close", "/worker/transmit", "/cast", "/review", "/ballot", "/reprint"} {
		w := tk.do("GET", path+"?pin="+testPIN+"&lang=es", nil)
		if loc := w.Header().Get("Location"); w.Code != http.StatusSeeOther || !strings.HasSuffix(loc, "?lang=es") || strings.Contains(loc, "pin") {
			t.Errorf("GET %s: %d Location %q", path, w.Code, w.Header().Get("Location"))
		}
	}
	wantPage(t, "PUT", tk.do("PUT", "/", url.Values{}), 405, "takes no PUT")
	wantPage(t, "unknown page", tk.do("GET", "/nowhere", nil), 404, "no page")
	for _, path := range []string{"/worker/open", "/worker/enable", "/worker/cancel", "/worker/close", "/worker/transmit"} {
		wantPage(t, path+" without a session", tk.do("POST", path, url.Values{"confirm": {"yes"}}), 403, "Log in with the poll worker")
		wantPage(t, path+" with a forged session", tk.do("POST", path, url.Values{"confirm": {"yes"}}, "Cookie", sessionCookie+"=AAAA"), 403, "Log in")
	}
	if tk.term.Status().Phase != machine.PhaseNew {
		t.Fatal("opened without a session")
	}
	tk.login(t)
	wantPage(t, "close before opening", tk.worker("POST", "/worker/close", url.Values{"confirm": {"yes"}}), 409, "not open yet")
	wantPage(t, "enable before opening", tk.worker("POST", "/worker/enable", url.Values{}), 409, "not open yet")
	wantPage(t, "transmit without a center", tk.worker("POST", "/worker/transmit", url.Values{}), 409, "no tallying center")
	wantPage(t, "open", tk.worker("POST", "/worker/open", url.Values{}), 200)
	wantPage(t, "open twice", tk.worker("POST", "/worker/open", url.Values{}), 409, "already open")
}

// Transmitting: refused while the polls are open, accepted by a center, and
// a page with the error when the center cannot be reached.
func TestKioskTransmit(t *testing.T) {
	fx := electiontest.New(electiontest.Options{})
	ctx := context.Background()
	c, err := center.Open(ctx, center.Config{Election: fx.Def, Key: fx.Center, Dir: t.TempDir(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	srv := httptest.NewServer(c.Handler(nil))
	defer srv.Close()
	tk := newTestKioskOf(t, fx, Config{Center: srv.URL})
	tk.open(t)
	wantPage(t, "transmit while open", tk.worker("POST", "/worker/transmit", url.Values{}), 409, "still open")
	tk.do("POST", "/cast", vote(tk.ballot(t), "president", "ALBA"))
	tk.close(t)
	wantPage(t, "transmit after closing, in the session closed", tk.worker("POST", "/worker/transmit", url.Values{}), 403, "Log in")
	tk.login(t)
	wantPage(t, "transmit", tk.worker("POST", "/worker/transmit", url.Values{}), 200, "as entry 1 (accepted)")
	wantPage(t, "transmit again", tk.worker("POST", "/worker/transmit", url.Values{}), 200, "as entry 1 (duplicate)")

	nowhere := newTestKioskOf(t, electiontest.New(electiontest.Options{}), Config{Center: "http://127.0.0.1:1", TransmitTimeout: 300 * time.Millisecond})
	nowhere.open(t)
	nowhere.close(t)
	nowhere.login(t)
	wantPage(t, "transmit to nobody", nowhere.worker("POST", "/worker/transmit", url.Values{}, "Accept-Language", "es"), 502,
		"La transmisión falló", "connection refused")
}

// A failure of the terminal shows the voter a message that says nothing of
// it; its detail is in the log.
func TestKioskFailureHidden(t *testing.T) {
	tk := newTestKiosk(t, Config{})
	w := httptest.NewRecorder()
	tk.serveError(w, httptest.NewRequest("POST", "/cast?lang=es", nil), fmt.Errorf("writing /var/lib/triplicate/m1/ballots: no space left on device"))
	if w.Code != 500 || !strings.Contains(w.Body.String(), "El terminal falló") {
		t.Errorf("a failure: %d\n%s", w.Code, w.Body)
	}
	if strings.Contains(w.Body.String(), "/var/lib") || strings.Contains(w.Body.String(), "no space") {
		t.Errorf("the voter's screen shows the failure's detail:\n%s", w.Body)
	}
	if !strings.Contains(tk.logs.String(), "/var/lib/triplicate/m1/ballots: no space left on device") {
		t.Errorf("the log lacks the failure:\n%s", tk.logs)
	}
}

// The language a voter chooses lasts for that ballot: it goes on through
// its pages in their addresses, never in a cookie, and the next ballot is
// in the browser's language again.
func TestKioskLanguagePerBallot(t *testing.T) {
	tk := newTestKiosk(t, Config{})
	tk.open(t)
	tok := tk.ballot(t)
	noCookie := func(what string, w *httptest.ResponseRecorder) {
		t.Helper()
		if c := w.Header().Values("Set-Cookie"); len(c) > 0 {
			t.Errorf("%s sets cookies %q", what, c)
		}
	}
	w := tk.do("GET", "/?lang=es", nil)
	wantPage(t, "the ballot in Spanish", w, 200, `<html lang="es">`, `action="/review?lang=es"`)
	noCookie("the switch", w)
	w = tk.do("POST", "/review?lang=es", vote(tok, "president", "ALBA"))
	wantPage(t, "the review", w, 200, "Revise su voto", `action="/cast?lang=es"`, `action="/ballot?lang=es"`)
	noCookie("the review", w)
	w = tk.do("POST", "/cast?lang=es", vote(tok, "president", "ALBA"))
	wantPage(t, "the voucher", w, 200, "Su voto fue emitido", `href="/" id="done"`)
	noCookie("the voucher", w)
	tk.ballot(t)
	// Even a cookie left by an older kiosk does not carry over.
	w = tk.do("GET", "/", nil, "Cookie", "lang=es")
	wantPage(t, "the next ballot", w, 200, `<html lang="en">`, `action="/review?lang=en"`)
	w = tk.worker("GET", "/worker?lang=es", nil)
	wantPage(t, "the worker's page in Spanish", w, 200, `action="/worker/cancel?lang=es"`)
	noCookie("the worker's page", w)
	w = tk.worker("POST", "/worker/cancel?lang=es", url.Values{})
	wantPage(t, "cancelled in Spanish", w, 200, `<html lang="es">`, `action="/worker/enable?lang=es"`)
	noCookie("a worker's form", w)
}

// TestKioskScreenIsTheTerminals: a second device on the station's network
// — a phone that reaches the poll worker's page — gets neither the enabled
// ballot's token from the voter's screen nor a vote cast with it, and the
// voter at the terminal still casts the ballot. The poll worker's page still
// answers that device.
func TestKioskScreenIsTheTerminals(t *testing.T) {
	printer := &testPrinter{}
	tk := newTestKiosk(t, Config{Print: printer.print})
	tk.open(t)
	tok := tk.ballot(t)
	phone := func(method, path string, form url.Values) *httptest.ResponseRecorder {
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		r := httptest.NewRequest(method, path, body)
		r.RemoteAddr = "192.168.1.50:41234"
		if form != nil {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		w := httptest.NewRecorder()
		tk.h.ServeHTTP(w, r)
		return w
	}
	vouchers := printer.printed()
	for _, step := range []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/", nil},
		{"GET", "/state", nil},
		{"POST", "/ballot", vote(tok, "president", "ALBA")},
		{"POST", "/review", vote(tok, "president", "ALBA")},
		{"POST", "/cast", vote(tok, "president", "ALBA")},
		{"POST", "/reprint", url.Values{}},
	} {
		w := phone(step.method, step.path, step.form)
		wantPage(t, "a phone: "+step.method+" "+step.path, w, 403, "voting terminal&#39;s own screen")
		if strings.Contains(w.Body.String(), tok) {
			t.Errorf("%s %s handed the ballot's token to another device", step.method, step.path)
		}
	}
	if printer.printed() != vouchers {
		t.Error("a voucher printed for another device's vote")
	}
	wantPage(t, "a phone: the worker's page", phone("GET", "/worker", nil), 200, `name="pin"`)
	wantPage(t, "the voter casts", tk.do("POST", "/cast", vote(tok, "president", "BRUNO")), 200, "Your vote is cast", "Candidate BRUNO")
}
