package boards

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/audit"
	"github.com/triplicate-vote/triplicate/internal/auditlog"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// TestPublic reads the public page without a token, in English and in
// Spanish: the seed's commitment and when it was made, the seed, the
// sample, the boards' entries, then, once the trail is in the audit's
// log, the checkpoint and its signatures with links to the log's files,
// which are served read-only; a checkpoint that does not meet the
// election's policy is said to.
func TestPublic(t *testing.T) {
	fx := electiontest.New(electiontest.Options{Seed: "public", Stations: 30, Registered: 500})
	dir := t.TempDir()
	au, err := audit.Commit(dir, fx.Def, "announced.json", announced(fx, honest), audit.MACRO, audit.SHA256([]byte(seed)), 0.1)
	if err != nil {
		t.Fatal(err)
	}
	s := testServer(t, fx, audit.MACRO, dir)
	code, body := get(t, s, "/")
	wantPage(t, "before the seed", code, body, http.StatusOK, "The audit in public", audit.SHA256([]byte(seed)), `id="committed-at"`, "The seed is not revealed yet", "The audit has no transparency log yet.")

	if err := au.Reveal(seed); err != nil {
		t.Fatal(err)
	}
	if err := au.Save(); err != nil {
		t.Fatal(err)
	}
	s = testServer(t, fx, audit.MACRO, dir)
	if code, _ := post(t, s, s.AdminPath()+"/launch", url.Values{"boards": {"2"}}); code != http.StatusSeeOther {
		t.Fatalf("launch: %d", code)
	}
	b := s.bs.Round(1).Boards[0]
	st := b.Items[0].Station
	if code, _ := post(t, s, s.BoardPath(b.Name)+"/member/1", handCount(1, st, honest)); code != http.StatusSeeOther {
		t.Fatalf("an entry: %d", code)
	}
	if _, _, err := s.bs.Audit().Status(); err != nil {
		t.Fatal(err)
	}
	code, body = get(t, s, "/")
	wantPage(t, "a round under way", code, body, http.StatusOK, "Risk measured", "Decision: <strong>waiting</strong>", "Contest <code>president</code>: measured risk 1.0000")
	wantPage(t, "a round under way", code, body, http.StatusOK, `id="seed-value">`+seed, `id="round-1"`, "stations divided among the boards", "a member&#39;s entry", "<td>"+st+"</td>", "president.ALBA=260",
		"<code>"+s.bs.Audit().State.Rounds[0].Draws[0].Ticket+"</code>")
	if strings.Contains(body, s.AdminPath()) || strings.Contains(body, s.BoardPath(b.Name)) {
		t.Error("the public page shows a token")
	}
	code, body = get(t, s, "/?lang=es")
	wantPage(t, "in Spanish", code, body, http.StatusOK, "La auditoría en público", "Compromiso de la semilla", "ingreso de un integrante")

	// The trail in the audit's log.
	ctx := context.Background()
	l, err := auditlog.Open(ctx, dir, fx.Def, fx.Auditor, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := l.Publish(ctx, dir)
	if err != nil || n == 0 {
		t.Fatalf("published %d: %v", n, err)
	}
	if err := l.Close(ctx); err != nil {
		t.Fatal(err)
	}
	logDir := filepath.Join(dir, auditlog.Dir)
	bs, err := audit.OpenBoards(s.bs.Audit(), fx.Auditor)
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := ReadSecret(dir)
	s = New(Config{Boards: bs, Secret: secret, LogDir: logDir, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	code, body = get(t, s, "/")
	wantPage(t, "with the log", code, body, http.StatusOK, `id="checkpoint-ok"`, "The election enrols no log witnesses", `href="/log/checkpoint"`, `href="/log/tile/entries/000.p/`, "<code>test/auditor/1</code>")
	if strings.Contains(body, `id="behind"`) {
		t.Error("a log that covers the trail is said to be behind it")
	}
	code, cp := get(t, s, "/log/checkpoint")
	wantPage(t, "the log's checkpoint", code, cp, http.StatusOK, "test/auditor/1\n")
	if code, _ := get(t, s, "/log/.state/treeState"); code != http.StatusNotFound {
		t.Errorf("the log's private state: status %d", code)
	}

	// A checkpoint whose signature is changed.
	raw, _ := os.ReadFile(filepath.Join(logDir, "checkpoint"))
	bad := strings.Replace(string(raw), "test/auditor/1 ", "test/auditor/1 AAAA", 1)
	os.WriteFile(filepath.Join(logDir, "checkpoint"), []byte(bad), 0o644)
	code, body = get(t, s, "/")
	wantPage(t, "a bad checkpoint", code, body, http.StatusOK, `id="checkpoint-bad"`, "does not meet the election&#39;s policy")
}
