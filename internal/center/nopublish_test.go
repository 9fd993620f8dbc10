package center_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/ledger/ledgertest"
)

// TestNoPublish: of two front-ends of a shared log, the one that publishes
// writes the results' files and serves them; the other (NoPublish) writes
// none and serves none, so that a CDN's /public/ origin has one source.
func TestNoPublish(t *testing.T) {
	logLoc := mysqlLocation(t, ledgertest.MySQL(t))
	f := electiontest.New(electiontest.Options{Stations: 3})
	open := func(noPublish bool) (*center.Center, string, string) {
		dir := t.TempDir()
		c, err := center.Open(context.Background(), center.Config{
			Election: f.Def, Key: f.Center, Dir: dir, Log: logLoc,
			PublishInterval: 10 * time.Millisecond, NoPublish: noPublish,
		})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(c.Handler(nil))
		t.Cleanup(func() { srv.Close(); c.Close(context.Background()) })
		return c, srv.URL, dir
	}
	pub, pubURL, _ := open(false)
	_, quietURL, quietDir := open(true)
	if r := post(t, quietURL+"/v1/actas", finalActa(t, f, "100.1", 6, 3, 1)); r.code != 200 {
		t.Fatalf("submit: %d %s", r.code, r.body)
	}
	waitPublished(t, pub, 2)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if code, _, _ := fetchCached(t, pubURL+"/public/results/2/index.json"); code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the publishing front-end wrote no results' files")
		}
	}
	if code, body, _ := fetchCached(t, quietURL+"/public/results/latest.json"); code != 404 {
		t.Fatalf("latest.json from the front-end that does not publish: %d %s", code, body)
	}
	if ents, err := os.ReadDir(filepath.Join(quietDir, "public", "results")); err != nil || len(ents) != 0 {
		t.Fatalf("the front-end that does not publish wrote %v (%v)", ents, err)
	}
}
