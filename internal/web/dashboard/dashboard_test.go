package dashboard

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

// testElection is a center of the first stations of the Distrito Capital,
// with its two parties' log witnesses, the dashboard and the API on one
// test server, and every station's final acta, signed and cosigned, ready
// to submit.
type testElection struct {
	e      *simulate.Election
	c      *center.Center
	srv    *httptest.Server
	finals [][]byte
}

func newTestElection(t testing.TB, stations int, o Options) *testElection {
	t.Helper()
	e, err := simulate.VE2024(stations, nil)
	if err != nil {
		t.Fatal(err)
	}
	return newTestElectionOf(t, e, o)
}

// newTestElectionOf is a test election of e: its center with its log
// witnesses, the dashboard, and its tables' final actas.
//
// Tessera's logs go nowhere before its first log opens: set later, while
// an earlier test's log still runs, klog's global logger is a data race.
func newTestElectionOf(t testing.TB, e *simulate.Election, o Options) *testElection {
	t.Helper()
	simulate.QuietTessera()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	var ws []ledger.Witness
	for _, lw := range e.Def.LogWitnesses {
		w, err := witness.Open(t.TempDir(), e.Log[lw.Party], []witness.Log{{Key: e.Center.Public}}, quiet)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(w.Handler())
		t.Cleanup(func() { srv.Close(); w.Close() })
		ws = append(ws, ledger.Witness{Key: e.Log[lw.Party].Public, URL: srv.URL})
	}
	c, err := center.Open(context.Background(), center.Config{Election: e.Def, Key: e.Center, Dir: t.TempDir(),
		Witnesses: ws, Quorum: len(ws), Logger: quiet, PublishInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	if o.Logger == nil {
		o.Logger = quiet
	}
	srv := httptest.NewServer(dashboardServer(c, New(c, o)))
	t.Cleanup(func() { srv.Close(); c.Close(context.Background()) })
	te := &testElection{e: e, c: c, srv: srv}
	for i, tb := range e.Tables {
		msg := te.sign(t, i, tb.Votes, tb.Null)
		// One party's witness is away at every fifth station.
		for j, p := range e.Def.Parties {
			if i%5 == 4 && j == 2 {
				continue
			}
			if msg, err = acta.Cosign(msg, e.Def, e.Witness[p.ID]); err != nil {
				t.Fatal(err)
			}
		}
		te.finals = append(te.finals, msg)
	}
	return te
}

// dashboardServer is what center serve serves: the API, and the dashboard.
func dashboardServer(c *center.Center, d *Dashboard) http.Handler {
	api := c.Handler(nil)
	mux := http.NewServeMux()
	for _, p := range []string{"/v1/", "/log/", "/public/", "/healthz"} {
		mux.Handle(p, api)
	}
	mux.Handle("/", d)
	return mux
}

// sign is table i's final acta with the given votes, signed by its machine.
func (te *testElection) sign(t testing.TB, i int, votes map[string]int, null int) []byte {
	t.Helper()
	def := te.e.Def
	st := def.Stations[i]
	a := &acta.Acta{Election: def.ID, Station: st.ID, Kind: acta.Final, Machine: st.Machine,
		Opened: time.Date(2024, 7, 28, 6, 0, 0, 0, time.UTC), Closed: time.Date(2024, 7, 28, 18, 0, 0, 0, time.UTC),
		Registered: st.Registered, Records: acta.Digest(nil), Contests: acta.Blank(def.Ballot(st))}
	for j := range a.Contests[0].Candidates {
		c := &a.Contests[0].Candidates[j]
		c.Votes = votes[c.Candidate]
		a.Ballots += c.Votes
	}
	a.Contests[0].Null = null
	a.Ballots += null
	s, err := note.NewSigner(te.e.Machines[st.ID])
	if err != nil {
		t.Fatal(err)
	}
	msg, err := acta.Sign(a, s)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// submit submits the final actas of tables from..to-1.
func (te *testElection) submit(t testing.TB, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		if _, err := te.c.Submit(context.Background(), te.finals[i]); err != nil {
			t.Fatal(err)
		}
	}
}

// extras logs a hand count that agrees at table 0, one that differs at
// table 1, and a second, different final acta of table 2 (equivocation).
func (te *testElection) extras(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	e := te.e
	h0, err := e.HandCount(te.finals[0], e.Tables[0])
	if err != nil {
		t.Fatal(err)
	}
	t1 := e.Tables[1]
	moved := map[string]int{}
	for k, v := range t1.Votes {
		moved[k] = v
	}
	for k := range moved {
		if moved[k] > 0 {
			moved[k]--
			break
		}
	}
	h1, err := e.HandCount(te.finals[1], simulate.Table{Station: t1.Station, Votes: moved, Null: t1.Null + 1})
	if err != nil {
		t.Fatal(err)
	}
	t2 := e.Tables[2]
	forged := map[string]int{}
	for k, v := range t2.Votes {
		forged[k] = v
	}
	for k := range forged {
		forged[k] += 7
		break
	}
	for _, msg := range [][]byte{h0, h1, te.sign(t, 2, forged, t2.Null)} {
		if _, err := te.c.Submit(ctx, msg); err != nil {
			t.Fatal(err)
		}
	}
}

// published waits until a published checkpoint covers the whole log.
func (te *testElection) published(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	for start := time.Now(); time.Since(start) < 30*time.Second; time.Sleep(20 * time.Millisecond) {
		size, _ := te.c.Ledger().Integrated(ctx)
		if cp, err := te.c.Ledger().Published(ctx); err == nil && cp.Size == size {
			return
		}
	}
	t.Fatal("no published checkpoint covers the log after 30s")
}

func (te *testElection) get(t testing.TB, path, lang string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", te.srv.URL+path, nil)
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestDashboardPages fetches every kind of page, in both languages, and the
// bad addresses and queries: each gets its page and status, never a 500.
func TestDashboardPages(t *testing.T) {
	te := newTestElection(t, 12, Options{})
	te.submit(t, 0, 10)
	te.extras(t)
	te.published(t)
	def := te.e.Def
	st := def.Stations[0]
	area := def.AreaPath(st.Area)
	parish := area[len(area)-2]
	for _, tc := range []struct {
		path, lang string
		code       int
		want       []string
	}{
		{"/", "en", 200, []string{"Stations reported", `id="reported">10<`, `id="expected">12<`, `href="/checkpoint"`, `href="/areas/` + area[0].Path + `"`, `id="glance"`, " leads</strong>", "points) over ", "if the count stopped here", "Last update", " UTC</time>"}},
		{"/", "es", 200, []string{"Mesas informadas", "Participación", `lang="es"`, " encabeza</strong>", "puntos) sobre ", "si el conteo terminara aquí", "Última actualización"}},
		{"/live", "es", 200, []string{`id="live"`, "Mesas informadas"}},
		{"/areas/" + parish.Path, "en", 200, []string{parish.Name, `href="/areas/` + area[0].Path + `"`}},
		{"/areas/" + st.Area, "en", 200, []string{`href="/stations/` + st.ID + `"`, "Stations"}},
		{"/stations/" + st.ID, "en", 200, []string{"The final acta", "agrees with the machine", "No verifier report loaded.", "The station&#39;s machine", "Witness of", "Included in the checkpoint of", "/acta.pdf", "qr-1.png"}},
		{"/stations/" + def.Stations[1].ID, "es", 200, []string{"difiere del acta"}},
		{"/stations/" + def.Stations[2].ID, "en", 200, []string{"refused: a different count"}},
		{"/stations/" + def.Stations[4].ID, "en", 200, []string{"did not sign"}},
		{"/stations/" + def.Stations[11].ID, "es", 200, []string{"aún no tiene el acta final"}},
		{"/checkpoint", "en", 200, []string{"The tallying center", "Log witness of", "2 of 2"}},
		{"/checkpoint", "es", 200, []string{"El centro de totalización", "Testigo del registro de"}},
		{"/search?q=" + url.QueryEscape(st.ID), "en", 200, []string{`href="/stations/` + st.ID + `"`}},
		{"/search?q=" + url.QueryEscape(strings.ToLower(parish.Name)), "en", 200, []string{`href="/areas/` + parish.Path + `"`}},
		{"/search?q=zzzzqqq", "en", 200, []string{"Nothing matches", "zzzzqqq"}},
		{"/search?q=zzzzqqq", "es", 200, []string{"Nada coincide con"}},
		{"/search", "en", 200, []string{"Search for a station"}},
		{"/search?q=" + strings.Repeat("a", 101), "es", 400, []string{"demasiado larga"}},
		{"/search?q=%3Cscript%3E", "en", 400, []string{"may hold only letters", "&lt;script&gt;"}},
		{"/search?q=%ff", "en", 400, []string{"may hold only"}},
		{"/stations/NOPE-1", "es", 404, []string{"no tiene la mesa", "NOPE-1"}},
		{"/stations/" + strings.Repeat("x", 300), "en", 404, []string{"has no station"}},
		{"/areas/9/9/9", "en", 404, []string{"has no area"}},
		{"/areas/", "en", 404, []string{"has no area"}},
		{"/nowhere", "es", 404, []string{"no hay ninguna página"}},
		{"/stations/" + st.ID + "/x/acta.pdf", "en", 400, []string{"is not a log index"}},
		{"/stations/" + st.ID + "/007/acta.pdf", "en", 400, []string{"is not a log index"}},
		{"/stations/" + st.ID + "/1/acta.doc", "en", 404, []string{"there is no download"}},
		{"/stations/" + st.ID + "/1/qr-0.png", "en", 404, []string{"there is no download"}},
		{"/stations/" + st.ID + "/999999/acta.pdf", "en", 404, []string{"is not an acta of station"}},
		{"/stations/" + st.ID + "/1/qr-9.png", "en", 404, []string{"QR codes, not 9"}},
	} {
		code, h, body := te.get(t, tc.path, tc.lang)
		if code != tc.code {
			t.Errorf("%s (%s): %d, want %d\n%s", tc.path, tc.lang, code, tc.code, body)
			continue
		}
		if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("%s: Content-Type %q", tc.path, ct)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s (%s): no %q in the page", tc.path, tc.lang, w)
			}
		}
	}
	// The downloads of station 0's final acta (log entry 1; entry 0 is the definition).
	for _, d := range []struct{ file, typ string }{{"acta.pdf", "application/pdf"}, {"acta.txt", "text/plain; charset=utf-8"}, {"qr-1.png", "image/png"}} {
		code, h, body := te.get(t, fmt.Sprintf("/stations/%s/1/%s", st.ID, d.file), "")
		if code != 200 || h.Get("Content-Type") != d.typ || len(body) == 0 {
			t.Errorf("%s: %d, %q, %d bytes", d.file, code, h.Get("Content-Type"), len(body))
		}
	}
	if _, _, body := te.get(t, "/stations/"+st.ID+"/1/acta.txt", ""); body != string(te.finals[0]) {
		t.Errorf("acta.txt is not the logged acta")
	}
}

// The home page's poll is answered 204 while nothing changed, so that htmx
// leaves the page (and a keyboard reader's focus) alone; downloads that fail
// are not cacheable; a signature that does not verify is shown invalid.
func TestDashboardLiveAndDownloads(t *testing.T) {
	te := newTestElection(t, 6, Options{})
	te.submit(t, 0, 3)
	te.published(t)
	_, _, home := te.get(t, "/", "en")
	m := regexp.MustCompile(`"X-Live-Version": "(\d+)"`).FindStringSubmatch(home)
	if m == nil {
		t.Fatalf("the home page sends no version with its poll:\n%.2000s", home)
	}
	poll := func() int {
		r, _ := http.NewRequest("GET", te.srv.URL+"/live", nil)
		r.Header.Set("X-Live-Version", m[1])
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := poll(); code != http.StatusNoContent {
		t.Errorf("/live with the current version: %d, want 204", code)
	}
	// A kept station page is rendered again once the station has a new entry.
	fourth := "/stations/" + te.e.Def.Stations[3].ID
	if _, _, page := te.get(t, fourth, "en"); !strings.Contains(page, `id="reported">not reported yet`) {
		t.Errorf("%s before its acta: not shown unreported", fourth)
	}
	te.submit(t, 3, 4)
	if _, _, page := te.get(t, fourth, "en"); !strings.Contains(page, `id="reported">reported`) {
		t.Errorf("%s after its acta: the kept page was served", fourth)
	}
	if code := poll(); code != http.StatusOK {
		t.Errorf("/live after a station reported: %d, want 200", code)
	}

	st := te.e.Def.Stations[0].ID
	code, h, _ := te.get(t, "/stations/"+st+"/999/acta.pdf", "en")
	if code != http.StatusNotFound || strings.Contains(h.Get("Cache-Control"), "max-age") {
		t.Errorf("a download of no entry: %d, Cache-Control %q", code, h.Get("Cache-Control"))
	}
	code, h, _ = te.get(t, "/stations/"+st+"/1/qr-9.png", "en")
	if code != http.StatusNotFound || strings.Contains(h.Get("Cache-Control"), "max-age") {
		t.Errorf("a QR code the acta has not: %d, Cache-Control %q", code, h.Get("Cache-Control"))
	}
	_, _, body := te.get(t, "/stations/"+st, "en")
	if strings.Count(body, "✓ valid") < 2 || strings.Contains(body, "invalid") {
		t.Errorf("station %s: its signatures are not all shown valid", st)
	}
}
