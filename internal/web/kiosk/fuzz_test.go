package kiosk

import (
	"errors"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/contest"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// candidateIndex is the place of a candidate on a contest's ballot.
func candidateIndex(c *election.Contest, id string) int {
	return slices.IndexFunc(c.Candidates, func(x election.Candidate) bool { return x.ID == id })
}

// FuzzParseBallot sends parseBallot any form body. What it accepts names
// every contest of the ballot with a choice on it, and reads back the same
// from its own encoding; what it refuses, it refuses with a ballot error.
func FuzzParseBallot(f *testing.F) {
	ballot := electiontest.New(electiontest.Options{Contests: 3}).Def.Contests
	two, err := contest.Parse("plurality seats=2")
	if err != nil {
		f.Fatal(err)
	}
	ballot[2].Rule = two // contest3: up to two candidates a ballot
	for _, seed := range []string{
		"token=abc&c:contest3=ALBA&c:contest3=CORA",
		"token=abc&c:contest3=CORA%2BALBA",
		"token=abc&c:contest3=ALBA&c:contest3=BRUNO&c:contest3=CORA",
		"token=abc&c:contest3=null&c:contest3=ALBA",
		"token=abc&c:contest3=blank&c:contest3=ALBA",
		"token=abc&c%3Apresident=ALBA&c%3Acontest2=blank&c%3Acontest3=null",
		"token=abc",
		"token=abc&c:president=ALBA&c:president=BRUNO",
		"token=abc&token=def",
		"c:president=ALBA",
		"token=abc&c:mayor=ALBA",
		"token=abc&c:president=XAVI",
		"token=abc&president=ALBA",
		"token=&c:=",
		"token=abc&c%3Apresident=%FF%FE",
		"%zz",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return // the request's ParseForm refuses it first
		}
		choices, token, err := parseBallot(form, ballot)
		if err != nil {
			var be *ballotError
			if !errors.As(err, &be) && !errors.Is(err, errNoToken) {
				t.Fatalf("%q: error %v is not a ballot error", body, err)
			}
			return
		}
		if token == "" || len(choices) != len(ballot) {
			t.Fatalf("%q: token %q, choices %v", body, token, choices)
		}
		again := url.Values{tokenField: {token}}
		for _, c := range ballot {
			ids := strings.Split(choices[c.ID], "+")
			if len(ids) > acta.VotesPerBallot(c) || !slices.IsSortedFunc(ids, func(a, b string) int { return candidateIndex(c, a) - candidateIndex(c, b) }) {
				t.Fatalf("%q: contest %s: %q is more candidates than votes, or out of the ballot's order", body, c.ID, choices[c.ID])
			}
			for _, id := range ids {
				if !onBallot(c, id) || len(ids) > 1 && (id == "blank" || id == "null" || strings.Count(choices[c.ID], id) > 1) {
					t.Fatalf("%q: contest %s: %q is not on the ballot", body, c.ID, choices[c.ID])
				}
			}
			again.Set(contestField+c.ID, choices[c.ID])
		}
		choices2, token2, err := parseBallot(again, ballot)
		if err != nil || token2 != token || !maps.Equal(choices, choices2) {
			t.Fatalf("%q: read back: %v %q %v, want %v %q", body, choices2, token2, err, choices, token)
		}
	})
}
