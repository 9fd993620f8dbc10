package center_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// TestAnnouncedStreamed checks that GET /v1/announced, which the center
// writes a station at a time, is byte for byte what encoding/json makes of
// the Announced that Announce returns, with names that JSON escapes, and its
// CSV the same figures.
func TestAnnouncedStreamed(t *testing.T) {
	f := electiontest.New(electiontest.Options{Stations: 5, Contests: 2})
	text := strings.NewReplacer("Contest 2\n", "Contest \"2\" <b>&amp;</b>\n",
		"Candidate BRUNO\n", "Bruno Ñúñez \\ 'el Toro'\n", "name Test election", "name Test <election> & \"more\"").Replace(string(f.Text))
	def, err := election.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	f.Def = def
	c, srv := openCenter(t, f, t.TempDir())
	for _, st := range []string{"100.4", "100.1", "100.3"} {
		if r := post(t, srv.URL+"/v1/actas", twoContests(t, f, st)); r.code != http.StatusOK {
			t.Fatalf("submitting station %s: %d %s", st, r.code, r.body)
		}
	}
	waitPublished(t, c, 4) // the definition and three actas
	a, err := c.Announce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Stations) != 3 || a.Stations[0].Station != "100.1" || a.Stations[0].Contests[0].Candidates[1].Votes != 20 || a.Stations[2].Contests[1].Null != 10 {
		t.Fatalf("announced %+v", a)
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetIndent("", "  ")
	enc.Encode(a)
	if got := body(t, srv.URL+"/v1/announced"); got != want.String() {
		t.Errorf("GET /v1/announced is not encoding/json's encoding of Announce:\n%s\nwant:\n%s", got, want.String())
	}

	var wantCSV bytes.Buffer
	cw := csv.NewWriter(&wantCSV)
	cw.Write([]string{"station", "index", "registered", "ballots", "contest", "candidate", "votes"})
	for _, s := range a.Stations {
		head := []string{s.Station, strconv.FormatUint(s.Index, 10), strconv.Itoa(s.Registered), strconv.Itoa(s.Ballots)}
		for _, ct := range s.Contests {
			for _, x := range ct.Candidates {
				cw.Write(append(head[:4:4], ct.ID, x.ID, strconv.Itoa(x.Votes)))
			}
			cw.Write(append(head[:4:4], ct.ID, "blank", strconv.Itoa(ct.Blank)))
			cw.Write(append(head[:4:4], ct.ID, "null", strconv.Itoa(ct.Null)))
		}
	}
	cw.Flush()
	if got := body(t, srv.URL+"/v1/announced?format=csv"); got != wantCSV.String() {
		t.Errorf("GET /v1/announced?format=csv:\n%s\nwant:\n%s", got, wantCSV.String())
	}
}

// twoContests is a station's final acta of the two contests: 10, 20 and 30
// votes in the first, 25, 5, 0, 20 blank and 10 null in the second.
func twoContests(t *testing.T, f *electiontest.Fixture, station string) []byte {
	st := f.Def.Station(station)
	a := &acta.Acta{
		Election: f.Def.ID, Station: station, Kind: acta.Final, Machine: st.Machine,
		Opened:     time.Date(2024, 7, 28, 6, 0, 0, 0, time.UTC),
		Closed:     time.Date(2024, 7, 28, 18, 0, 0, 0, time.UTC),
		Registered: st.Registered, Ballots: 60, Records: acta.Digest(nil),
		Contests: acta.Blank(f.Def.Ballot(st)),
	}
	for i, v := range []int{10, 20, 30} {
		a.Contests[0].Candidates[i].Votes = v
	}
	for i, v := range []int{25, 5, 0} {
		a.Contests[1].Candidates[i].Votes = v
	}
	a.Contests[1].Blank, a.Contests[1].Null = 20, 10
	msg, err := acta.Sign(a, f.Machines[station])
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

func body(t *testing.T, url string) string {
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v\n%s", url, resp.StatusCode, err, b)
	}
	return string(b)
}
