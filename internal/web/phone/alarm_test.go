package phone_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/announced"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/printing/printtest"
	"github.com/triplicate-vote/triplicate/internal/web/page/pagetest"
)

// dishonest fronts a real center and, with the center's own key, signs
// other figures for station 100.1 than its log holds: its ballots, plus
// two, until truthful is set. Once hide is set, it also shows no log entry
// of station 100.1.
func dishonest(t *testing.T, f *electiontest.Fixture, centerURL string, hide, truthful *atomic.Bool) string {
	t.Helper()
	u, _ := url.Parse(centerURL)
	p := httputil.NewSingleHostReverseProxy(u)
	p.ModifyResponse = func(resp *http.Response) error {
		if resp.Request.URL.Path == "/v1/stations/100.1" && hide.Load() {
			b := []byte(`{"station":"100.1","actas":[]}`)
			resp.Body.Close()
			resp.Body = io.NopCloser(bytes.NewReader(b))
			resp.ContentLength = int64(len(b))
			resp.Header.Del("Content-Length")
			return nil
		}
		if resp.Request.URL.Path != "/v1/announced/100.1" || resp.StatusCode != http.StatusOK || truthful.Load() {
			return nil
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		a, err := announced.Open(b, f.Def)
		if err != nil {
			return err
		}
		a.Ballots += 2
		if b, err = announced.Sign(a.Announcement, f.Center); err != nil {
			return err
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = int64(len(b))
		resp.Header.Del("Content-Length")
		return nil
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return srv.URL
}

// The witness's alarms, on a 390-pixel phone in Spanish and English: a
// center that logged station 100.1 as signed but signs an announcement of
// other figures for it (both shown side by side, the signed announcement
// saveable as the evidence), and that withholds station 100.2 past
// the definition's deadline (the checkpoint, its time and cosigners
// named). The phone sends each acta signed by its witness key, which the
// party's server, enrolling only party pa's keys, takes.
func TestAlarmsInBrowser(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 1, Deadline: "2024-07-29T06:00:00-04:00"})
	c, centerURL := witnessedCenter(t, f)
	ctx := context.Background()
	honest := printtest.SignedActa(t, f, 10, 1)
	if _, err := c.Submit(ctx, honest.Msg); err != nil {
		t.Fatal(err)
	}
	// The announcement covers station 100.1 before the phone asks.
	for i := 0; ; i++ {
		var an struct {
			LogSize uint64 `json:"log_size"`
		}
		resp, err := http.Get(centerURL + "/v1/announced")
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(resp.Body).Decode(&an)
		resp.Body.Close()
		if an.LogSize >= 2 {
			break
		}
		if i > 500 {
			t.Fatal("the center does not announce station 100.1")
		}
		time.Sleep(20 * time.Millisecond)
	}
	st := f.Def.Station("100.2")
	a := *honest.Acta
	a.Station, a.Machine = st.ID, st.Machine
	withheld, err := acta.Sign(&a, f.Machines[st.ID])
	if err != nil {
		t.Fatal(err)
	}
	if withheld, err = acta.Cosign(withheld, f.Def, f.Witness["pa"]); err != nil {
		t.Fatal(err)
	}

	var hide, truthful atomic.Bool
	url, kept := partyServer(t, f, "pa", dishonest(t, f, centerURL, &hide, &truthful))
	tab := openApp(t, url, "es-VE,es")
	importKey(t, tab, f.Witness["pa"])
	readAndSend(t, tab, honest.Msg, withheld)
	if err := chromedp.Run(tab, chromedp.WaitVisible(`li[data-compare="same"][data-announced="differs"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`li[data-compare="withheld"]`, chromedp.ByQuery)); err != nil {
		var status string
		chromedp.Run(tab, chromedp.Text("#kept", &status, chromedp.ByID))
		t.Fatalf("the alarms: %v\n%s", err, status)
	}
	for _, file := range []string{"100.1.final.acta", "100.2.final.acta"} {
		if _, err := os.Stat(filepath.Join(kept, file)); err != nil {
			t.Errorf("the party did not keep the signed upload: %v", err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		var s string
		if err := chromedp.Run(tab, chromedp.Text(sel, &s, chromedp.ByQuery)); err != nil {
			t.Fatalf("reading %s: %v", sel, err)
		}
		return s
	}
	check := func(lang string, want map[string][]string) {
		t.Helper()
		for sel, ws := range want {
			got := text(sel)
			for _, w := range ws {
				if !strings.Contains(got, w) {
					t.Errorf("%s: %s says %q, want %q", lang, sel, got, w)
				}
			}
		}
	}
	check("es", map[string][]string{
		`#deadline`: {"Plazo para que el acta de cada mesa esté en el registro del centro: 2024-07-29 10:00 UTC."},
		`li[data-announced="differs"] .announced`:               {"ALARMA: el centro anunció otras cifras de la mesa 100.1 que esta copia firmada: boletas 10 aquí, 12 anunciado"},
		`li[data-announced="differs"] table.figures tr.differs`: {"boletas", "10", "12"},
		`li[data-compare="withheld"] .compare`:                  {"ALARMA: la mesa 100.2 no está en el registro del centro en el punto de control", "por los testigos del registro de pa", "horas después del plazo (2024-07-29 10:00 UTC)"},
	})
	// The evidence: the center's signed announcement, as kept, to save.
	var note, download string
	if err := chromedp.Run(tab, chromedp.AttributeValue(`li[data-announced="differs"] a.evidence`, "download", &download, nil, chromedp.ByQuery),
		chromedp.Evaluate(`decodeURIComponent(document.querySelector('li[data-announced="differs"] a.evidence').href.replace("data:text/plain;charset=utf-8,", ""))`, &note)); err != nil {
		t.Fatal(err)
	}
	if a, err := announced.Open([]byte(note), f.Def); err != nil || a.Ballots != 12 || download != "100.1.announced.note" {
		t.Errorf("the evidence saved as %q does not open as the center's announcement of 12 ballots: %v\n%s", download, err, note)
	}
	check("es", map[string][]string{`li[data-announced="differs"] a.evidence`: {"Guardar el anuncio firmado por el centro (la prueba)"}})
	look(t, tab, "alarm-01-es")
	if err := chromedp.Run(tab, chromedp.Click("#lang", chromedp.ByID), chromedp.WaitVisible(`body[data-lang="en"]`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	check("en", map[string][]string{
		`#deadline`: {"Deadline for every station's acta to be in the center's log: 2024-07-29 10:00 UTC."},
		`li[data-announced="differs"] .announced`:    {"ALARM: the center announced other figures for station 100.1 than this signed copy: ballots 10 here, 12 announced"},
		`li[data-announced="differs"] table.figures`: {"Signed copy", "Announced"},
		`li[data-announced="differs"] a.evidence`:    {"Save the center's signed announcement (the evidence)"},
		`li[data-compare="withheld"] .compare`:       {"ALARM: station 100.2 is not in the center's log at checkpoint", "by the log witnesses of pa", "hours after the deadline"},
	})
	look(t, tab, "alarm-02-en")
	if err := chromedp.Run(tab, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	pagetest.Screenshot(t, tab, "alarm-03-en-desktop")

	// The center now announces the signed copy's figures: that is said,
	// and the figures it signed before stay the alarm, with their note.
	truthful.Store(true)
	if err := chromedp.Run(tab, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Click(`li[data-compare="same"] .compare-button`, chromedp.ByQuery),
		chromedp.WaitVisible(`li[data-announced="differs"] .announced.same`, chromedp.ByQuery)); err != nil {
		t.Fatalf("the center announcing the right figures later: %v", err)
	}
	check("en", map[string][]string{
		`li[data-announced="differs"] .announced.same`:  {"the center announced the same figures for station 100.1 as this signed copy"},
		`li[data-announced="differs"] .announced.alarm`: {"ALARM: the center announced other figures for station 100.1 than this signed copy: ballots 10 here, 12 announced"},
		`li[data-announced="differs"] a.evidence`:       {"Save the center's signed announcement (the evidence)"},
	})
	look(t, tab, "alarm-04-corrected-en")
	truthful.Store(false)

	// The center (or the relay) now hides station 100.1's entry, which the
	// phone holds the proof of: comparing again is an alarm, not "missing".
	hide.Store(true)
	if err := chromedp.Run(tab, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Click(`li[data-compare="same"] .compare-button`, chromedp.ByQuery),
		chromedp.WaitVisible(`li[data-compare="vanished"]`, chromedp.ByQuery)); err != nil {
		var status string
		chromedp.Run(tab, chromedp.Text("#kept", &status, chromedp.ByID))
		t.Fatalf("an entry hidden after it was proven: %v\n%s", err, status)
	}
	check("en", map[string][]string{
		`li[data-compare="vanished"] .compare`: {"ALARM: the center's answer no longer shows log entry 1, which the log proved before"},
	})
	look(t, tab, "alarm-05-vanished-en")
}
