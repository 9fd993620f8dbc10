package dashboard

import (
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/contest"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// A contest's outcome at a glance is its leader and margin, in votes and in
// points of the votes for candidates, and what its rule makes of the
// figures: elected, a runoff, seats per list, or a tie.
func TestOutcomeUnderRule(t *testing.T) {
	for _, tc := range []struct {
		rule          string
		votes         []int
		reported      int
		kind          string
		names         []string
		seats         string
		margin        int
		points, final string
	}{
		{"plurality seats=1", []int{483, 482, 35}, 10, "elected", []string{"A"}, "", 1, "0.10", "false"},
		{"majority base=valid", []int{40, 35, 25}, 12, "runoff", []string{"A", "B"}, "", 5, "5.00", "true"},
		{"majority base=valid", []int{60, 35, 5}, 12, "elected", []string{"A"}, "", 25, "25.00", "true"},
		{"dhondt seats=5 base=valid", []int{50, 30, 20}, 12, "seats", nil, "A 3 B 1 C 1", 20, "20.00", "true"},
		{"plurality seats=1", []int{10, 10, 5}, 12, "tie", []string{"A", "B"}, "", 0, "0.00", "true"},
		{"plurality seats=2", []int{10, 30, 20}, 12, "elected", []string{"B", "C"}, "", 10, "16.67", "true"},
	} {
		t.Run(tc.rule+fmt.Sprint(tc.votes), func(t *testing.T) {
			rule, err := contest.Parse(tc.rule)
			if err != nil {
				t.Fatal(err)
			}
			c := &election.Contest{ID: "c", Rule: rule}
			cr := center.ContestResult{ID: "c"}
			for i, v := range tc.votes {
				name := string(rune('A' + i))
				c.Candidates = append(c.Candidates, election.Candidate{ID: name, Name: name})
				cr.Candidates = append(cr.Candidates, center.CandidateResult{ID: name, Name: name, Votes: v})
			}
			o := newOutcome(c, cr, &center.Result{StationsExpected: 12, StationsReported: tc.reported, Registered: 10000, Ballots: 1000})
			var seats []string
			for _, s := range o.Seats {
				seats = append(seats, fmt.Sprint(s.Name, " ", s.Seats))
			}
			if o.Kind != tc.kind || !slices.Equal(o.Names, tc.names) || strings.Join(seats, " ") != tc.seats ||
				o.Margin != tc.margin || fmt.Sprintf("%.2f", o.Points) != tc.points || fmt.Sprint(o.Final) != tc.final {
				t.Errorf("%s on %v: %+v", tc.rule, tc.votes, o)
			}
		})
	}
}

// Pages give times in the election's time zone when the definition names
// one, and in UTC, saying so, when it does not.
func TestTimeInElectionZone(t *testing.T) {
	at := time.Date(2024, 7, 28, 22, 4, 0, 0, time.UTC)
	for zone, want := range map[string]string{
		"":                "2024-07-28 22:04 UTC",
		"UTC":             "2024-07-28 22:04 UTC",
		"America/Caracas": "2024-07-28 18:04 (America/Caracas, UTC-04:00)",
		"Asia/Kolkata":    "2024-07-29 03:34 (Asia/Kolkata, UTC+05:30)",
	} {
		if got := timeIn(zone)(at); got != want {
			t.Errorf("%q: %s, want %s", zone, got, want)
		}
	}
}

// The home page says when its figures last changed in the time zone the
// definition names.
func TestHomeUpdatedInZone(t *testing.T) {
	te := newTestElection(t, 4, Options{})
	te.submit(t, 0, 2)
	te.published(t)
	te.e.Def.TimeZone = "America/Caracas" // as its definition's "timezone America/Caracas" line would
	d := New(te.c, Options{})
	rec := httptest.NewRecorder()
	d.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if body := rec.Body.String(); !strings.Contains(body, `(America/Caracas, UTC-04:00)</time>`) {
		t.Errorf("the home page's last update is not in America/Caracas time:\n%.3000s", body[strings.Index(body, `id="glance"`):])
	}
}
