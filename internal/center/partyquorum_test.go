package center_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/keys"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

// TestQuorumCountsParties: party pa runs two log witnesses, pb one, and the
// election's quorum is two parties. While pb's witness is away, pa's two
// cosignatures are one party's, and the center publishes nothing new; once
// pb's is back, it publishes, and what it publishes meets the election's
// policy.
func TestQuorumCountsParties(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 2})
	pa2 := electiontest.Key("center", "test/logwitness/pa2")
	text := strings.Replace(string(f.Text), "logwitness pb ", fmt.Sprintf("logwitness pa %s\nlogquorum 2\nlogwitness pb ", pa2.Public), 1)
	def, err := election.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if def.LogQuorum != 2 || len(def.LogWitnesses) != 3 {
		t.Fatalf("definition: quorum %d of %d log witnesses", def.LogQuorum, len(def.LogWitnesses))
	}
	f.Def = def
	var pbAway atomic.Bool
	var ws []ledger.Witness
	for _, k := range []*keys.Key{f.Log["pa"], pa2, f.Log["pb"]} {
		w, err := witness.Open(t.TempDir(), k, []witness.Log{{Key: f.Center.Public}}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		h := w.Handler()
		if k == f.Log["pb"] {
			h = http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
				if pbAway.Load() {
					http.Error(rw, "away", http.StatusServiceUnavailable)
					return
				}
				w.Handler().ServeHTTP(rw, r)
			})
		}
		srv := httptest.NewServer(h)
		t.Cleanup(func() { srv.Close(); w.Close() })
		ws = append(ws, ledger.Witness{Key: k.Public, URL: srv.URL})
	}
	c, err := center.Open(context.Background(), center.Config{Election: def, Key: f.Center, Dir: t.TempDir(), Witnesses: ws, Quorum: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })

	pbAway.Store(true)
	if _, err := c.Submit(context.Background(), finalActa(t, f, "100.1", 3, 2, 1)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // ten checkpoint intervals
	if cp, err := c.Ledger().Published(context.Background()); err == nil && cp.Size > 0 {
		t.Fatalf("published a checkpoint of size %d that only party pa's witnesses cosigned:\n%s", cp.Size, cp.Raw)
	}
	pbAway.Store(false)
	waitPolicyCheckpoint(t, c, def, 1)
}
