package boards

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/auditlog"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/web/page/pagetest"
)

// The public page in a real browser, on a phone in Spanish and on a
// desktop in English: an audit announced with a seed commitment, its seed
// revealed, a round launched and a box entered, the trail in its log; the
// page shows each, the sample opens, and the link to the log's checkpoint
// gives the checkpoint signed by the auditor.
func TestPublicInBrowser(t *testing.T) {
	fx := electiontest.New(electiontest.Options{Seed: "public", Stations: 30, Registered: 500})
	dir := t.TempDir()
	au, err := audit.Commit(dir, fx.Def, "announced.json", announced(fx, honest), audit.MACRO, audit.SHA256([]byte(seed)), 0.1)
	if err != nil {
		t.Fatal(err)
	}
	if err := au.Reveal(seed); err != nil {
		t.Fatal(err)
	}
	if err := au.Save(); err != nil {
		t.Fatal(err)
	}
	s := testServer(t, fx, audit.MACRO, dir)
	if code, _ := post(t, s, s.AdminPath()+"/launch", url.Values{"boards": {"2"}}); code != http.StatusSeeOther {
		t.Fatalf("launch: %d", code)
	}
	b := s.bs.Round(1).Boards[0]
	if code, _ := post(t, s, s.BoardPath(b.Name)+"/member/1", handCount(1, b.Items[0].Station, honest)); code != http.StatusSeeOther {
		t.Fatalf("an entry: %d", code)
	}
	ctx := context.Background()
	l, err := auditlog.Open(ctx, dir, fx.Def, fx.Auditor, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Publish(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(ctx); err != nil {
		t.Fatal(err)
	}
	secret, _ := ReadSecret(dir)
	s = New(Config{Boards: s.bs, Secret: secret, LogDir: filepath.Join(dir, auditlog.Dir), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()

	desk := pagetest.NewBrowser(t, "en-GB,en")
	phone := pagetest.NewBrowser(t, "es-VE,es")
	if err := chromedp.Run(phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2))); err != nil {
		t.Fatal(err)
	}
	text := func(ctx context.Context, sel string) string {
		t.Helper()
		var s string
		if err := chromedp.Run(ctx, chromedp.Text(sel, &s, chromedp.ByQuery)); err != nil {
			t.Fatalf("reading %s: %v", sel, err)
		}
		return s
	}
	want := func(ctx context.Context, sel string, wants ...string) {
		t.Helper()
		got := text(ctx, sel)
		for _, w := range wants {
			if !strings.Contains(got, w) {
				t.Errorf("%s says %q, want %q in it", sel, got, w)
			}
		}
	}
	for _, c := range []struct {
		ctx  context.Context
		lang string
	}{{phone, "es"}, {desk, "en"}} {
		if err := chromedp.Run(c.ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#log", chromedp.ByID)); err != nil {
			t.Fatal(err)
		}
		ticket := s.bs.Audit().State.Rounds[0].Draws[0].Ticket
		if err := chromedp.Run(c.ctx, chromedp.Click("#round-1 summary", chromedp.ByQuery), chromedp.WaitVisible("#round-1 table.draws", chromedp.ByQuery)); err != nil {
			t.Fatalf("opening the sample: %v", err)
		}
		want(c.ctx, "#round-1 table.draws", ticket)
		want(c.ctx, "#commitment", audit.SHA256([]byte(seed)))
		want(c.ctx, "#seed-value", seed)
		if c.lang == "es" {
			want(c.ctx, "h1", "La auditoría en público")
			want(c.ctx, "#round-1", "Ronda 1", "ingreso de un integrante", "mesas repartidas entre los equipos")
			want(c.ctx, "#checkpoint-ok", "Firmado por el auditor", "no inscribe testigos")
		} else {
			want(c.ctx, "h1", "The audit in public")
			want(c.ctx, "#round-1", "Round 1", "a member's entry", "stations divided among the boards")
			want(c.ctx, "#checkpoint-ok", "Signed by the auditor")
		}
		pagetest.Screenshot(t, c.ctx, "public-"+c.lang)
	}
	if err := chromedp.Run(desk, chromedp.Click(`a[href="/log/checkpoint"]`, chromedp.ByQuery), chromedp.WaitVisible("pre", chromedp.ByQuery)); err != nil {
		t.Fatalf("following the checkpoint's link: %v", err)
	}
	want(desk, "pre", "test/auditor/1\n", "— test/auditor/1 ")
}
