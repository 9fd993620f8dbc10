package boards

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/web/page/pagetest"
)

// A whole round of a batch-comparison audit in a real browser, by two
// boards: board 1 on a phone (390 px wide) in Spanish, board 2 on a desktop
// in English. The administrator launches the round; each board opens its
// retrieval list and labels; each member enters every box's hand count on
// their own page — one of board 1's members mistypes a figure, is told the
// entries disagree, and corrects it; a sign-off with the mistake in place
// is refused. Both boards sign off, and the administrator sees the round
// recorded and the outcome confirmed; the audit's trail verifies.
func TestRoundInBrowser(t *testing.T) {
	fx := electiontest.New(electiontest.Options{Seed: "boards", Stations: 40, Registered: 500})
	dir := t.TempDir()
	s := testServer(t, fx, audit.MACRO, dir)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()

	desk := pagetest.NewBrowser(t, "en-GB,en")
	phone := pagetest.NewBrowser(t, "es-VE,es")
	if err := chromedp.Run(phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2))); err != nil {
		t.Fatal(err)
	}
	run := func(ctx context.Context, what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// open loads a page in full; send clicks a button that sends a form
	// and waits for the next page in full (the old one marked first, so
	// that nothing of it is read as the new).
	// complete waits until the page answers, loaded in full: evaluating
	// while a page is replaced fails, so it tries again.
	complete := func(ctx context.Context, what, check string) {
		t.Helper()
		for range 500 {
			var done bool
			if chromedp.Run(ctx, chromedp.Evaluate(check+` && document.readyState === "complete"`, &done)) == nil && done {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("%s: the page never loaded", what)
	}
	open := func(ctx context.Context, path string) {
		t.Helper()
		run(ctx, "opening "+path, chromedp.Evaluate(fmt.Sprintf(`document.body.dataset.old = "1"; setTimeout(() => location.assign(%q), 0)`, srv.URL+path), nil))
		complete(ctx, "opening "+path, `!document.body.dataset.old && location.pathname === `+fmt.Sprintf("%q", path))
	}
	send := func(ctx context.Context, what, button string) {
		t.Helper()
		run(ctx, what, chromedp.Evaluate(fmt.Sprintf(`document.body.dataset.old = "1"; setTimeout(() => document.querySelector(%q).click(), 0)`, button), nil))
		complete(ctx, what, `!document.body.dataset.old`)
	}
	text := func(ctx context.Context, sel string) string {
		t.Helper()
		var s string
		run(ctx, "reading "+sel, chromedp.Text(sel, &s, chromedp.ByQuery))
		return s
	}
	wantText := func(ctx context.Context, sel string, wants ...string) {
		t.Helper()
		got := text(ctx, sel)
		for _, w := range wants {
			if !strings.Contains(got, w) {
				t.Errorf("%s says %q, want %q in it", sel, got, w)
			}
		}
	}

	shots := 0
	shot := func(ctx context.Context, name string) {
		t.Helper()
		shots++
		pagetest.Screenshot(t, ctx, fmt.Sprintf("%02d-%s", shots, name))
	}

	// The administrator launches the round, for two boards.
	open(desk, s.AdminPath())
	wantText(desk, "main", "No round is drawn yet.")
	run(desk, "two boards", chromedp.SetValue("#launch-boards", "2", chromedp.ByID))
	send(desk, "launch", "#launch")
	wantText(desk, "#progress", "Round 1", "0 / 2 boards signed off", "Board 1", "Board 2")
	shot(desk, "admin-launched")
	r := s.bs.Round(1)
	if len(r.Boards) != 2 {
		t.Fatalf("%d boards", len(r.Boards))
	}

	fill := func(ctx context.Context, board *audit.Board, member int, v box, item audit.Item) {
		t.Helper()
		id := "#" + anchor(item)
		values := handCount(1, item.Station, v)
		var acts []chromedp.Action
		for _, k := range audit.HandFields(fx.Def, fx.Def.Station(item.Station)) {
			acts = append(acts, chromedp.SetValue(fmt.Sprintf(`%s input[name="f:%s"]`, id, k), values.Get("f:"+k), chromedp.ByQuery))
		}
		run(ctx, "filling "+item.String(), acts...)
		send(ctx, "saving "+item.String(), "#save-"+anchor(item))
	}
	for i, b := range r.Boards {
		ctx, lang := desk, "en"
		if i == 0 {
			ctx, lang = phone, "es"
		}
		bp := s.BoardPath(b.Name)
		open(ctx, bp)
		if lang == "es" {
			wantText(ctx, "h1", "Equipo de auditoría 1", "Ronda 1")
			wantText(ctx, "main", "Lista de cajas a retirar", "todos los comprobantes de la caja")
		} else {
			wantText(ctx, "h1", "Audit board 2", "Round 1")
			wantText(ctx, "main", "Retrieval list", "every voucher in the box")
		}
		shot(ctx, fmt.Sprintf("board-%s-%s", b.Name, lang))
		open(ctx, bp+"/labels")
		wantText(ctx, ".labels", b.Items[0].Station)
		shot(ctx, fmt.Sprintf("labels-%s-%s", b.Name, lang))

		for m := 1; m <= 2; m++ {
			open(ctx, fmt.Sprintf("%s/member/%d", bp, m))
			for j, it := range b.Items {
				v := honest
				if i == 0 && m == 2 && j == 0 {
					v = box{259, 91, 30, 5, 5} // a slip of the pen, caught
				}
				fill(ctx, b, m, v, it)
			}
			if i == 0 && m == 2 {
				sel := "#" + anchor(b.Items[0])
				wantText(ctx, sel, "Los dos ingresos difieren", "difieren")
				shot(ctx, "disagree-1-es")
				open(ctx, bp)
				send(ctx, "a sign-off with a disagreement", "#signoff")
				wantText(ctx, "#problems", "Rechazado", "the entries disagree on president.ALBA, president.BRUNO")
				shot(ctx, "signoff-refused-1-es")
				open(ctx, fmt.Sprintf("%s/member/%d", bp, m))
				fill(ctx, b, m, honest, b.Items[0])
				wantText(ctx, sel, "coinciden")
			}
		}
		shot(ctx, fmt.Sprintf("member2-%s-%s", b.Name, lang))
		open(ctx, bp)
		send(ctx, "sign-off", "#signoff")
		if lang == "es" {
			wantText(ctx, "#signed-off", "Este equipo cerró la ronda.")
		} else {
			wantText(ctx, "#signed-off", "This board has signed the round off.")
		}
		shot(ctx, fmt.Sprintf("signed-%s-%s", b.Name, lang))
		if i == 0 {
			// The phone follows the round on the administrator's page
			// while board 2 counts: htmx refreshes it.
			open(phone, s.AdminPath())
			wantText(phone, "#progress", "1 / 2 equipos cerraron")
		}
	}
	live := ""
	for range 200 {
		if chromedp.Run(phone, chromedp.Text("#progress", &live, chromedp.ByQuery)) == nil && strings.Contains(live, "registrada") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(live, "registrada") || !strings.Contains(live, "confirmada") {
		t.Errorf("the administrator's page, left open, says %q: want the round recorded and confirmed", live)
	}

	open(desk, s.AdminPath())
	wantText(desk, "#progress", "recorded", "confirmed: the reported outcome stands within the risk limit")
	shot(desk, "admin-confirmed")
	open(phone, s.AdminPath())
	wantText(phone, "#progress", "registrada", "confirmada")
	shot(phone, "admin-confirmed-es")
	if _, err := audit.VerifyTrail(dir); err != nil {
		t.Fatalf("audit verify: %v", err)
	}
}
