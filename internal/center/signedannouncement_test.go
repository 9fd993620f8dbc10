package center_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/announced"
	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// The center signs each reported station's announcement with its key: the
// note opens under the definition, gives the figures of the JSON table, is
// the same in the bundle, and is the same bytes however often it is asked
// for and after a restart. A second, different final acta of a station
// (a conflict) changes nothing it signs: one announcement a station and a
// size. A station not yet reported, or unknown, is a 404.
func TestSignedAnnouncement(t *testing.T) {
	f := electiontest.New(electiontest.Options{Stations: 3})
	dir := t.TempDir()
	c, srv := openCenter(t, f, dir)
	status := func(url string) int {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := status(srv.URL + "/v1/announced/100.1"); code != http.StatusNotFound {
		t.Errorf("before it reports: %d", code)
	}
	if code := status(srv.URL + "/v1/announced/100.9"); code != http.StatusNotFound {
		t.Errorf("an unknown station: %d", code)
	}
	for _, st := range []string{"100.1", "100.3"} {
		if r := post(t, srv.URL+"/v1/actas", finalActa(t, f, st, 5, 3, 1)); r.code != http.StatusOK {
			t.Fatalf("submitting %s: %d %s", st, r.code, r.body)
		}
	}
	if r := post(t, srv.URL+"/v1/actas", finalActa(t, f, "100.1", 50, 3, 1)); r.code == http.StatusOK && r.sub.Status == "accepted" {
		t.Fatalf("a second final acta accepted: %s", r.body)
	}
	waitPublished(t, c, 4)
	one := body(t, srv.URL+"/v1/announced/100.1")
	sa, err := announced.Open([]byte(one), f.Def)
	if err != nil {
		t.Fatalf("the center's signed announcement does not open: %v\n%s", err, one)
	}
	cp, err := c.Ledger().Published(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sa.Station != "100.1" || sa.Size != 4 || !bytes.Equal(sa.Root[:], cp.Hash) || sa.Index != 1 || sa.Ballots != 9 ||
		sa.Contests[0].Candidates[0].Votes != 5 || sa.Contests[0].Candidates[1].Votes != 3 {
		t.Errorf("signed announcement: %+v", sa.Announcement)
	}
	if again := body(t, srv.URL+"/v1/announced/100.1"); again != one {
		t.Errorf("asked twice, two announcements:\n%s\n%s", one, again)
	}
	notes, err := announced.Split([]byte(body(t, srv.URL+"/v1/announced?format=signed")))
	if err != nil || len(notes) != 2 || string(notes[0]) != one {
		t.Fatalf("the bundle: %q, %v", notes, err)
	}
	if three, err := announced.Open(notes[1], f.Def); err != nil || three.Station != "100.3" || three.Index != 2 {
		t.Errorf("the bundle's second: %v", err)
	}
	// One bundle at a time (a signature a station): a second reader is
	// told to come back, and one station's note is still served.
	release := center.HoldBundle(c)
	if code := status(srv.URL + "/v1/announced?format=signed"); code != http.StatusServiceUnavailable {
		t.Errorf("a second bundle at once: %d", code)
	}
	if again := body(t, srv.URL+"/v1/announced/100.1"); again != one {
		t.Errorf("one station's note while a bundle is written: %s", again)
	}
	release()

	srv.Close()
	c.Close(context.Background())
	c, srv = openCenter(t, f, dir)
	waitPublished(t, c, 4)
	if after := body(t, srv.URL+"/v1/announced/100.1"); after != one {
		t.Errorf("after a restart, another announcement at one size:\n%s\n%s", one, after)
	}
}
