package collect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/announced"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/web/phone"
)

// signedFinal returns the final acta of a station of the fixture, signed by
// its machine and cosigned by the given parties' witnesses.
func signedFinal(t testing.TB, f *electiontest.Fixture, station string, ballots int, parties ...string) []byte {
	t.Helper()
	st := f.Def.Station(station)
	a := &acta.Acta{
		Election: f.Def.ID, Definition: f.Def.Digest(), Station: st.ID, Kind: acta.Final, Machine: st.Machine,
		Software:   "triplicate (devel) unknown",
		Opened:     time.Date(2024, 7, 28, 6, 0, 0, 0, time.UTC),
		Closed:     time.Date(2024, 7, 28, 18, 4, 31, 0, time.UTC),
		Registered: st.Registered, Ballots: ballots,
		Records:  acta.Digest(nil),
		Contests: acta.Blank(f.Def.Ballot(st)),
	}
	a.Contests[0].Blank = ballots
	msg, err := acta.Sign(a, f.Machines[station])
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range parties {
		if msg, err = acta.Cosign(msg, f.Def, f.Witness[p]); err != nil {
			t.Fatal(err)
		}
	}
	return msg
}

// Receive keeps what verifies, durably and once, and refuses the rest
// with the reason.
func TestReceive(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	dir := t.TempDir()
	c, err := Open(dir, f.Def)
	if err != nil {
		t.Fatal(err)
	}
	msg := signedFinal(t, f, "100.1", 10, "pa")
	rc, err := c.Receive(msg)
	if err != nil || rc.Kept != "new" || rc.Station != "100.1" {
		t.Fatalf("Receive: %+v, %v", rc, err)
	}
	if kept, _ := os.ReadFile(filepath.Join(dir, "100.1.final.acta")); !bytes.Equal(kept, msg) {
		t.Error("the acta kept is not the bytes received")
	}
	if _, err := c.Receive(msg); !errors.Is(err, ErrDuplicate) {
		t.Errorf("the same acta again: %v, want ErrDuplicate", err)
	}
	more := signedFinal(t, f, "100.1", 10, "pa", "pb")
	if rc, err := c.Receive(more); err != nil || rc.Kept != "resigned" {
		t.Errorf("the same count with another cosignature: %+v, %v", rc, err)
	}
	if rc, err := c.Receive(signedFinal(t, f, "100.1", 12)); err != nil || rc.Kept != "differs" {
		t.Errorf("another count of the station: %+v, %v", rc, err)
	}

	forged := bytes.Replace(signedFinal(t, f, "100.2", 10), []byte("blank 10"), []byte("blank 11"), 1)
	forged = bytes.Replace(forged, []byte("ballots 10"), []byte("ballots 11"), 1)
	var rej *RejectedError
	if _, err := c.Receive(forged); !errors.As(err, &rej) || rej.Result.Kind != "ErrSignature" {
		t.Errorf("a forged acta: %v, want a RejectedError of ErrSignature", err)
	}
	other := electiontest.New(electiontest.Options{Seed: "other"})
	if _, err := c.Receive(signedFinal(t, other, "100.2", 3)); !errors.As(err, &rej) || rej.Result.Kind != "ErrOtherDefinition" {
		t.Errorf("an acta of another election: %v, want ErrOtherDefinition", err)
	}
	if _, err := c.Receive([]byte("hello\n")); !errors.As(err, &rej) || rej.Result.Kind != "ErrMalformed" {
		t.Errorf("not an acta: %v, want ErrMalformed", err)
	}
	if _, err := c.Receive(make([]byte, acta.MaxBytes+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a huge body: %v, want ErrTooLarge", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "100.2.final.acta")); err == nil {
		t.Error("an acta refused was kept")
	}
	held, err := c.Held()
	if err != nil || !slices.Equal(held, []string{"100.1 final"}) {
		t.Errorf("Held = %q, %v", held, err)
	}
}

// serve runs the collector's handler for the fixture's election, relaying
// center if not "", and returns its URL.
func serve(t *testing.T, c *Collector, f *electiontest.Fixture, center string) string {
	t.Helper()
	app, err := phone.New(f.Text)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c.Handler(app, center, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	return srv.URL
}

// The handler answers each outcome with its status and the reason in JSON.
func TestHandler(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	c, err := Open(t.TempDir(), f.Def)
	if err != nil {
		t.Fatal(err)
	}
	url := serve(t, c, f, "")
	msg := signedFinal(t, f, "100.2", 7, "pb")
	if st, m := post(t, url, msg, nil); st != 201 || m["kept"] != "new" || m["station"] != "100.2" {
		t.Errorf("a valid acta: %d %v", st, m)
	}
	if st, m := post(t, url, msg, nil); st != 409 || m["error"] != ErrDuplicate.Error() {
		t.Errorf("the same again: %d %v", st, m)
	}
	if st, m := post(t, url, msg[:len(msg)-20], nil); st != 422 || m["kind"] != "ErrMalformed" || m["error"] == "" {
		t.Errorf("a truncated acta: %d %v", st, m)
	}
	if st, _ := post(t, url, make([]byte, acta.MaxBytes+10), nil); st != 413 {
		t.Errorf("a huge body: %d", st)
	}
	resp, err := http.Get(url + "/held")
	if err != nil {
		t.Fatal(err)
	}
	held, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(held) != "100.2 final\n" {
		t.Errorf("/held = %q", held)
	}
	for _, name := range []string{"/", "/app.js", "/sw.js", "/pin.json", "/definition.txt", "/check.wasm", "/zxing_reader.wasm", "/manifest.webmanifest"} {
		resp, err := http.Get(url + name)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("GET %s: %d, CSP %q", name, resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
		}
	}
}

// The relay passes the center's station and receipt answers, as they are,
// and nothing else of the center.
func TestRelay(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	var asked []string
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.URL.Path)
		switch r.URL.Path {
		case "/v1/receipts/7":
			http.Error(w, "no log entry 7", http.StatusNotFound)
			return
		case "/log/checkpoint":
			io.WriteString(w, "test/center\n1\n")
			return
		}
		io.WriteString(w, `{"station":"100.1","actas":[]}`)
	}))
	defer fake.Close()
	c, err := Open(t.TempDir(), f.Def)
	if err != nil {
		t.Fatal(err)
	}
	app, err := phone.New(f.Text)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c.Handler(app, fake.URL+"/", slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	for path, want := range map[string]int{
		"/center/v1/stations/100.1": 200, "/center/v1/receipts/7": 404,
		"/center/v1/admin/ingest": 404, "/center/v1/stations/a/b": 404, "/center/log/checkpoint": 200,
		"/center/log/tile/0/000": 404, "/center/v1/announced": 404,
	} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
	}
	slices.Sort(asked)
	if !slices.Equal(asked, []string{"/log/checkpoint", "/v1/receipts/7", "/v1/stations/100.1"}) {
		t.Errorf("the center was asked %q", asked)
	}
	resp, _ := http.Get(srv.URL + "/pin.json")
	var pin phone.Pin
	json.NewDecoder(resp.Body).Decode(&pin)
	resp.Body.Close()
	if !pin.Center {
		t.Error("pin.json does not tell the app that the center is relayed")
	}
}

// A collector of one party keeps only what that party's witnesses
// cosigned: the keys it enrolled are who may add to its collection.
func TestOnlyParty(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	c, err := Open(t.TempDir(), f.Def)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.OnlyParty("zz"); err == nil {
		t.Error("OnlyParty accepted a party the election does not have")
	}
	if err := c.OnlyParty("pa"); err != nil {
		t.Fatal(err)
	}
	for _, parties := range [][]string{nil, {"pb"}} {
		if _, err := c.Receive(signedFinal(t, f, "100.1", 10, parties...)); !errors.Is(err, ErrNotOurs) {
			t.Errorf("cosigned by %q: %v, want ErrNotOurs", parties, err)
		}
	}
	if rc, err := c.Receive(signedFinal(t, f, "100.1", 10, "pb", "pa")); err != nil || rc.Kept != "new" {
		t.Errorf("cosigned by pa: %+v, %v", rc, err)
	}
	app, _ := phone.New(f.Text)
	srv := httptest.NewServer(c.Handler(app, "", slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	notOurs := signedFinal(t, f, "100.2", 4)
	status, m := post(t, srv.URL, notOurs, signUpload(t, f.Def.ID, f.Witness["pa"], notOurs, time.Now(), "a-nonce-of-the-test"))
	if status != http.StatusForbidden || !strings.Contains(fmt.Sprint(m["error"]), "not cosigned by a witness of the party pa") {
		t.Errorf("an acta no witness of pa cosigned: %d %v", status, m)
	}
}

// The relay passes the center's signed announcement of a station through
// byte for byte, and the center's 404 of a station it has not announced;
// it has nothing of its own to add, since the phone checks the center's
// signature (check.CompareAnnounced).
func TestRelayAnnounced(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	a := &announced.Announcement{Election: "test", Definition: f.Def.Digest(), Size: 3, Station: "100.1", Index: 2, Registered: 500, Ballots: 0,
		Contests: []announced.Contest{{ID: "president", Candidates: []announced.Candidate{{ID: "ALBA"}, {ID: "BRUNO"}, {ID: "CORA"}}}}}
	signed, err := announced.Sign(a, f.Center)
	if err != nil {
		t.Fatal(err)
	}
	var asked []string
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.URL.Path)
		if r.URL.Path != "/v1/announced/100.1" {
			http.Error(w, "not found: station 100.2 has no figures", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(signed)
	}))
	defer fake.Close()
	c, _ := Open(t.TempDir(), f.Def)
	url := serve(t, c, f, fake.URL)
	get := func(path string) (int, string) {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if st, b := get("/center/v1/announced/100.1"); st != 200 || b != string(signed) {
		t.Errorf("station 100.1: %d %s", st, b)
	}
	if st, b := get("/center/v1/announced/100.2"); st != http.StatusNotFound || !strings.Contains(b, "station 100.2 has no figures") {
		t.Errorf("a station not announced: %d %s", st, b)
	}
	if !slices.Equal(asked, []string{"/v1/announced/100.1", "/v1/announced/100.2"}) {
		t.Errorf("the center was asked %q", asked)
	}
}
