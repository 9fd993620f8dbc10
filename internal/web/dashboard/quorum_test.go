package dashboard

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/simulate"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

// TestCheckpointQuorumGroup: an election whose log quorum is a group of
// parties has the checkpoint page say so, count parties, and find the
// published checkpoint meets the election's policy as the center does.
func TestCheckpointQuorumGroup(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	simulate.QuietTessera()
	e, err := simulate.VE2024(2, nil)
	if err != nil {
		t.Fatal(err)
	}
	parties := e.Def.LogParties()
	e.Def.LogGroups = []election.LogGroup{{Name: "everyone", Threshold: len(parties), Members: parties}}
	e.Def.LogQuorumGroup, e.Def.LogQuorum = "everyone", 0
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
		Witnesses: ws, Logger: quiet, PublishInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(dashboardServer(c, New(c, Options{Logger: quiet})))
	t.Cleanup(func() { srv.Close(); c.Close(context.Background()) })
	te := &testElection{e: e, c: c, srv: srv}
	for start := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		if _, err := c.Ledger().Published(context.Background()); err == nil {
			break
		}
		if time.Since(start) > 20*time.Second {
			t.Fatal("no published checkpoint after 20s")
		}
	}
	code, _, body := te.get(t, "/checkpoint", "en")
	want := []string{"2 of 2 parties", "the election requires witness group everyone: 2 of " + e.Def.Party(parties[0]).Name, "meets the election&#39;s witness policy"}
	for _, w := range want {
		if code != 200 || !strings.Contains(body, w) {
			t.Errorf("/checkpoint: %d, no %q in the page\n%s", code, w, body)
		}
	}
}
