package phone_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/center/centertest"
	"github.com/triplicate-vote/triplicate/internal/collect"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/printing/printtest"
	"github.com/triplicate-vote/triplicate/internal/qr"
	"github.com/triplicate-vote/triplicate/internal/web/phone"
)

// witnessedCenter starts a tallying center whose log a party's witness
// cosigns (centertest.Witnessed).
var witnessedCenter = centertest.Witnessed

// readAndSend has the phone read each acta from photos of its codes and
// send it to the party, which takes it.
func readAndSend(t *testing.T, tab context.Context, actas ...[]byte) {
	t.Helper()
	dir := t.TempDir()
	for i, msg := range actas {
		codes, err := qr.CodeImages(msg)
		if err != nil {
			t.Fatal(err)
		}
		var shots []string
		for j, img := range codes {
			p := filepath.Join(dir, fmt.Sprintf("acta%d-code%d.png", i, j))
			printtest.Save(t, p, img, 0)
			shots = append(shots, p)
		}
		if err := chromedp.Run(tab, chromedp.Click("#reset", chromedp.ByID), chromedp.SetUploadFiles("#photo", shots, chromedp.ByID),
			chromedp.Poll(fmt.Sprintf(`document.querySelectorAll("li[data-state=sent]").length === %d`, i+1), nil)); err != nil {
			var status string
			chromedp.Run(tab, chromedp.Text("#kept", &status, chromedp.ByID))
			t.Fatalf("reading and sending acta %d: %v\n%s", i+1, err, status)
		}
	}
}

// partyServer runs a collection server for the fixture's election that
// keeps only what party's witnesses cosigned and takes uploads only from
// its enrolled keys, relaying the center at centerURL if not "".
func partyServer(t *testing.T, f *electiontest.Fixture, party, centerURL string) (url, kept string) {
	t.Helper()
	kept = t.TempDir()
	col, err := collect.Open(kept, f.Def)
	if err != nil {
		t.Fatal(err)
	}
	if err := col.OnlyParty(party); err != nil {
		t.Fatal(err)
	}
	app, err := phone.New(f.Text)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(col.Handler(app, centerURL, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	return srv.URL, kept
}

// Once the actas are sent, the phone compares them with the center's log,
// through the party's server: station 100.1 the center logged as signed;
// for station 100.2 it logged another count the machine signed, and the
// phone raises the alarm with the figures, in Spanish.
func TestCompareInBrowser(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 1})
	c, centerURL := witnessedCenter(t, f)
	ctx := context.Background()
	honest := printtest.SignedActa(t, f, 10, 0)
	if _, err := c.Submit(ctx, honest.Msg); err != nil {
		t.Fatal(err)
	}
	st := f.Def.Station("100.2")
	count := func(blank int) []byte {
		a := *honest.Acta
		a.Station, a.Machine, a.Ballots = st.ID, st.Machine, blank
		a.Contests = acta.Blank(f.Def.Ballot(st))
		a.Contests[0].Blank = blank
		msg, err := acta.Sign(&a, f.Machines[st.ID])
		if err != nil {
			t.Fatal(err)
		}
		return msg
	}
	ours, theirs := count(3), count(5)
	if _, err := c.Submit(ctx, theirs); err != nil {
		t.Fatal(err)
	}

	url, _, _ := serverOf(t, f, centerURL)
	tab := openApp(t, url, "es-VE,es")
	readAndSend(t, tab, honest.Msg, ours)
	if err := chromedp.Run(tab, chromedp.WaitVisible(`li[data-compare="same"]`, chromedp.ByQuery), chromedp.WaitVisible(`li[data-compare="differs"]`, chromedp.ByQuery)); err != nil {
		var status string
		chromedp.Run(tab, chromedp.Text("#kept", &status, chromedp.ByID))
		t.Fatalf("the comparisons: %v\n%s", err, status)
	}
	look(t, tab, "01-compared-es")
	if err := chromedp.Run(tab, chromedp.Click(`li[data-compare="same"] .compare-button`, chromedp.ByQuery),
		chromedp.Poll(`document.getElementById("send-status").textContent === ""`, nil)); err != nil {
		t.Fatalf("comparing again: %v", err)
	}
	var same, differs string
	if err := chromedp.Run(tab, chromedp.Text(`li[data-compare="same"] .compare`, &same, chromedp.ByQuery),
		chromedp.Text(`li[data-compare="differs"] .compare`, &differs, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(same, "el centro registró el mismo conteo de la mesa 100.1") {
		t.Errorf("the honest station: %q", same)
	}
	if !strings.Contains(differs, "ALARMA: el centro registró otras cifras para la mesa 100.2") || !strings.Contains(differs, "boletas 3 aquí, 5 en el centro") {
		t.Errorf("the station the center logged otherwise: %q", differs)
	}
}
