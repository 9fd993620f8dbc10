package center_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// otherDefinition returns the fixture's definition with other registered
// voters at station 100.2: the same election id, another definition.
func otherDefinition(t *testing.T, f *electiontest.Fixture) *election.Definition {
	t.Helper()
	text := strings.Replace(string(f.Text), "station 100.2 1/100 500 ", "station 100.2 1/100 600 ", 1)
	def, err := election.Parse([]byte(text))
	if err != nil || text == string(f.Text) {
		t.Fatalf("other definition: %v", err)
	}
	return def
}

// v2Final is a version 2 final acta of station 100.1 naming the digest of def.
func v2Final(t *testing.T, f *electiontest.Fixture, def *election.Definition) []byte {
	t.Helper()
	st := f.Def.Station("100.1")
	a := &acta.Acta{
		Election: f.Def.ID, Definition: def.Digest(), Station: st.ID, Kind: acta.Final, Machine: st.Machine,
		Software: "triplicate v1.0.0 0123abcd",
		Opened:   time.Date(2024, 7, 28, 6, 0, 0, 0, time.UTC), Closed: time.Date(2024, 7, 28, 18, 0, 0, 0, time.UTC),
		Registered: st.Registered, Ballots: 3, Records: acta.Digest(nil), Contests: acta.Blank(f.Def.Ballot(st)),
	}
	a.Contests[0].Candidates[0].Votes = 3
	msg, err := acta.Sign(a, f.Machines[st.ID])
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// An acta of another definition of the same election id, signed by the
// station's own machine, is refused (4xx) and not logged; one of the
// center's definition, and a version 1 acta, are accepted.
func TestOtherDefinitionRefused(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	c, srv := openCenter(t, f, t.TempDir())
	ctx := context.Background()
	r := post(t, srv.URL+"/v1/actas", v2Final(t, f, otherDefinition(t, f)))
	if r.code != http.StatusForbidden && r.code != http.StatusBadRequest && r.code != http.StatusUnprocessableEntity {
		t.Fatalf("acta of another definition: %d %s, want a 4xx refusal", r.code, r.body)
	}
	if !strings.Contains(string(r.body), "another definition") {
		t.Errorf("refusal %q does not say the acta is of another definition", r.body)
	}
	if size, err := c.Ledger().Integrated(ctx); err != nil || size != 1 {
		t.Fatalf("log of %d entries (%v) after the refusal: want 1, the definition alone", size, err)
	}
	if r := post(t, srv.URL+"/v1/actas", v2Final(t, f, f.Def)); r.code != 200 || r.sub.Index != 1 {
		t.Fatalf("acta of the definition: %d %s", r.code, r.body)
	}
	if r := post(t, srv.URL+"/v1/actas", finalActa(t, f, "100.2", 1, 2, 3)); r.code != 200 || r.sub.Status != "accepted" {
		t.Fatalf("version 1 acta: %d %s", r.code, r.body)
	}
	if res, ok := c.Result(ctx, ""); !ok || res.StationsReported != 2 {
		t.Fatalf("results: %+v, want the v1 and the v2 acta counted", res)
	}
}

// A center refuses to start on a log whose entry 0 names another
// definition of the same election id.
func TestOtherDefinitionLog(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	dir := t.TempDir()
	c, _ := openCenter(t, f, dir)
	c.Close(context.Background())
	other := otherDefinition(t, f)
	_, err := center.Open(context.Background(), center.Config{Election: other, Key: f.Center, Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "refusing to start on another election's log") {
		t.Fatalf("a center of another definition on the log: %v", err)
	}
}
