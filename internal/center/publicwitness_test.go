package center_test

import (
	"context"
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
	"github.com/triplicate-vote/triplicate/internal/ledger"
	"github.com/triplicate-vote/triplicate/internal/tlog"
	"github.com/triplicate-vote/triplicate/internal/witness"
)

// partyWitness runs a party's log witness of the fixture's center.
func partyWitness(t *testing.T, f *electiontest.Fixture, party string) ledger.Witness {
	t.Helper()
	w, err := witness.Open(t.TempDir(), f.Log[party], []witness.Log{{Key: f.Center.Public}}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w.Handler())
	t.Cleanup(func() { srv.Close(); w.Close() })
	return ledger.Witness{Key: f.Log[party].Public, URL: srv.URL}
}

// waitSlowFeed waits until the center's slow feed, as served, has a
// checkpoint of at least size entries that meets the election's slow-feed
// policy, and returns it.
func waitSlowFeed(t *testing.T, srv *httptest.Server, def *election.Definition, size uint64) []byte {
	t.Helper()
	var last string
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get(srv.URL + "/log/checkpoint.public")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		last = resp.Status + "\n" + string(body)
		if resp.StatusCode == http.StatusOK {
			cp, err := tlog.PublicPolicy(def).Check(body)
			if err != nil {
				t.Fatalf("the slow feed's checkpoint fails its policy: %v\n%s", err, body)
			}
			if cp.Size >= size {
				return body
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no checkpoint of %d entries on the slow feed; the last answer:\n%s", size, last)
		}
	}
}

// TestLitewitnessPublic runs litewitness (filippo.io/torchwood) as a public
// witness beside a party's witness: the log publishes with the party's
// cosignature, and the slow feed gains litewitness's, twice, the second
// time with a consistency proof from the first.
func TestLitewitnessPublic(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 1, PublicWitnesses: 1})
	vkey, url := startLitewitness(t, f.Center, f.Public["pw1"])
	def, err := election.Parse([]byte(strings.Replace(string(f.Text), f.Public["pw1"].Public, vkey, 1)))
	if err != nil {
		t.Fatalf("definition declaring litewitness's key: %v", err)
	}
	f.Def = def
	c, err := center.Open(context.Background(), center.Config{Election: def, Key: f.Center, Dir: t.TempDir(),
		Witnesses:       []ledger.Witness{partyWitness(t, f, "pa")},
		PublicWitnesses: []ledger.Witness{{Key: vkey, URL: url}}, PublicInterval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	srv := httptest.NewServer(c.Handler(nil))
	t.Cleanup(srv.Close)
	for i, st := range []string{"100.1", "100.2"} {
		if _, err := c.Submit(context.Background(), finalActa(t, f, st, 3, 2, 1)); err != nil {
			t.Fatal(err)
		}
		waitPolicyCheckpoint(t, c, def, uint64(i+2)) // entry 0 is the log head
		slow := waitSlowFeed(t, srv, def, uint64(i+2))
		if _, err := tlog.ElectionPolicy(def).Check(slow); err != nil {
			t.Errorf("the slow feed's checkpoint fails the log's own policy: %v", err)
		}
	}
}

// TestPublicWitnessHangs: a public witness that never answers holds up
// neither ingest nor the log's checkpoints, and the slow feed serves
// nothing it did not cosign.
func TestPublicWitnessHangs(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 1, PublicWitnesses: 1})
	asked := make(chan struct{}, 1)
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		select {
		case asked <- struct{}{}:
		default:
		}
		<-r.Context().Done()
	}))
	c, err := center.Open(context.Background(), center.Config{Election: f.Def, Key: f.Center, Dir: t.TempDir(),
		Witnesses:       []ledger.Witness{partyWitness(t, f, "pa")},
		PublicWitnesses: []ledger.Witness{{Key: f.Public["pw1"].Public, URL: hanging.URL}}, PublicInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	// Closed first: the center ends the request in flight, then the
	// hanging server can close.
	t.Cleanup(hanging.Close)
	t.Cleanup(func() { c.Close(context.Background()) })
	srv := httptest.NewServer(c.Handler(nil))
	t.Cleanup(srv.Close)
	select {
	case <-asked:
	case <-time.After(30 * time.Second):
		t.Fatal("the public witness was never asked")
	}
	for _, st := range []string{"100.1", "100.2"} {
		if _, err := c.Submit(context.Background(), finalActa(t, f, st, 3, 2, 1)); err != nil {
			t.Fatalf("ingest with a public witness hanging: %v", err)
		}
	}
	waitPolicyCheckpoint(t, c, f.Def, 3)
	resp, err := http.Get(srv.URL + "/log/checkpoint.public")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("the slow feed with no public cosignature: %s, want 404", resp.Status)
	}
}

// TestPublicWitnessNotDeclared: the center refuses a public witness the
// election does not declare, and a party's log witness given as one.
func TestPublicWitnessNotDeclared(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 1, PublicWitnesses: 1})
	stranger := electiontest.Key("other", "test/publicwitness/pw9")
	for _, key := range []string{stranger.Public, f.Log["pa"].Public} {
		_, err := center.Open(context.Background(), center.Config{Election: f.Def, Key: f.Center, Dir: t.TempDir(),
			Witnesses:       []ledger.Witness{{Key: f.Log["pa"].Public, URL: "http://127.0.0.1:1"}},
			PublicWitnesses: []ledger.Witness{{Key: key, URL: "http://127.0.0.1:1"}}})
		if err == nil || !strings.Contains(err.Error(), "is not a public witness election test declares") {
			t.Errorf("public witness %s: %v", election.KeyID(key), err)
		}
	}
}

// TestPublicWitnessNoPublish: a front-end that does not publish runs no
// slow feed, so that the public witnesses are asked by one front-end only.
func TestPublicWitnessNoPublish(t *testing.T) {
	f := electiontest.New(electiontest.Options{LogWitnesses: 1, PublicWitnesses: 1})
	var asked atomic.Int64
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		http.Error(w, "no", http.StatusNotFound)
	}))
	t.Cleanup(public.Close)
	c, err := center.Open(context.Background(), center.Config{Election: f.Def, Key: f.Center, Dir: t.TempDir(), NoPublish: true,
		Witnesses:       []ledger.Witness{partyWitness(t, f, "pa")},
		PublicWitnesses: []ledger.Witness{{Key: f.Public["pw1"].Public, URL: public.URL}}, PublicInterval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	srv := httptest.NewServer(c.Handler(nil))
	t.Cleanup(srv.Close)
	if _, err := c.Submit(context.Background(), finalActa(t, f, "100.1", 3, 2, 1)); err != nil {
		t.Fatal(err)
	}
	waitPolicyCheckpoint(t, c, f.Def, 2)
	resp, err := http.Get(srv.URL + "/log/checkpoint.public")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "runs no slow feed") {
		t.Errorf("the slow feed of a front-end that does not publish: %s %s", resp.Status, body)
	}
	if n := asked.Load(); n != 0 {
		t.Errorf("a front-end that does not publish asked the public witness %d times", n)
	}
}
