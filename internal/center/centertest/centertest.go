// Package centertest starts a real tallying center for tests of what
// talks to one: the kiosk that transmits, the phone that compares.
package centertest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

// Witnessed starts a tallying center of the fixture's election (which
// must have party pa's log witness) whose log that witness cosigns, as
// the election requires, and returns it and its URL. Both stop when the
// test ends.
func Witnessed(t testing.TB, fx *electiontest.Fixture) (*center.Center, string) {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	w, err := witness.Open(t.TempDir(), fx.Log["pa"], []witness.Log{{Key: fx.Center.Public}}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	wsrv := httptest.NewServer(w.Handler())
	t.Cleanup(func() { wsrv.Close(); w.Close() })
	ctx := context.Background()
	c, err := center.Open(ctx, center.Config{
		Election: fx.Def, Key: fx.Center, Dir: t.TempDir(), Logger: quiet,
		Witnesses: []ledger.Witness{{Key: fx.Log["pa"].Public, URL: wsrv.URL}}, Quorum: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	csrv := httptest.NewServer(c.Handler(nil))
	t.Cleanup(func() { csrv.Close(); c.Close(ctx) })
	return c, csrv.URL
}
