package web

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/machine"
)

const testPIN = "482916"

// testKiosk is a kiosk over a new terminal of station 100.1 of a fixture
// with two contests and five registered voters.
type testKiosk struct {
	*kiosk
	h    http.Handler
	term *machine.Terminal
	fx   *electiontest.Fixture
	logs *bytes.Buffer
}

func newTestKiosk(t testing.TB, cfg KioskConfig) *testKiosk {
	t.Helper()
	fx := electiontest.New(electiontest.Options{Contests: 2, Registered: 5})
	return newTestKioskOf(t, fx, cfg)
}

func newTestKioskOf(t testing.TB, fx *electiontest.Fixture, cfg KioskConfig) *testKiosk {
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

// do sends a request to the kiosk as a browser on the same site would.
func (tk *testKiosk) do(method, path string, form url.Values, header ...string) *httptest.ResponseRecorder {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, path, body)
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

func (tk *testKiosk) open(t testing.TB) {
	t.Helper()
	if w := tk.do("POST", "/open", url.Values{"pin": {testPIN}}); w.Code != 200 {
		t.Fatalf("open: %d\n%s", w.Code, w.Body)
	}
}

var tokenRE = regexp.MustCompile(`name="token" value="([^"]+)"`)

// ballot gets a new ballot form and returns its token.
func (tk *testKiosk) ballot(t testing.TB) string {
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
