package center_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	fnote "github.com/transparency-dev/formats/note"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/tlog"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

// cosignatureKey returns a note verifier key in the C2SP cosignature/v1
// form (key type 0x04) that witnesses' key generators print.
func cosignatureKey(t testing.TB, vkey string) string {
	t.Helper()
	k, err := fnote.VKeyToCosignatureV1(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// waitPolicyCheckpoint waits for a published checkpoint of at least size entries
// and checks it against the election's policy, as machines and verifiers
// do.
func waitPolicyCheckpoint(t testing.TB, c *center.Center, def *election.Definition, size uint64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		cp, err := c.Ledger().Published(context.Background())
		if err == nil && cp.Size >= size {
			if _, err := tlog.ElectionPolicy(def).Check(cp.Raw); err != nil {
				t.Fatalf("published checkpoint of size %d fails the election's policy: %v\n%s", cp.Size, err, cp.Raw)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no published checkpoint of size %d: %v", size, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestCosignatureFormWitnessKeys: log witness keys written in the
// cosignature/v1 form, in the definition (logwitness PARTY KEY) and in the
// center's witness list (-witness KEY@URL), as witness software prints them.
func TestCosignatureFormWitnessKeys(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 2})
	text := strings.Replace(string(f.Text), f.Log["pa"].Public, cosignatureKey(t, f.Log["pa"].Public), 1)
	def, err := election.Parse([]byte(text))
	if err != nil {
		t.Fatalf("definition with a cosignature/v1 log witness key: %v", err)
	}
	var ws []ledger.Witness
	for _, p := range []string{"pa", "pb"} {
		w, err := witness.Open(t.TempDir(), f.Log[p], []witness.Log{{Key: f.Center.Public}}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(w.Handler())
		t.Cleanup(func() { srv.Close(); w.Close() })
		key := f.Log[p].Public
		if p == "pb" {
			key = cosignatureKey(t, key) // the other form in the center's list
		}
		ws = append(ws, ledger.Witness{Key: key, URL: srv.URL})
	}
	c, err := center.Open(context.Background(), center.Config{Election: def, Key: f.Center, Dir: t.TempDir(), Witnesses: ws, Quorum: 2})
	if err != nil {
		t.Fatalf("center with cosignature/v1 witness keys: %v", err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	f.Def = def
	if _, err := c.Submit(context.Background(), finalActa(t, f, "100.1", 3, 2, 1)); err != nil {
		t.Fatal(err)
	}
	waitPolicyCheckpoint(t, c, def, 1)
}
