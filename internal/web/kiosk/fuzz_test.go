package kiosk

import (
	"errors"
	"maps"
	"net/url"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// FuzzParseBallot sends parseBallot any form body. What it accepts names
// every contest of the ballot with a choice on it, and reads back the same
// from its own encoding; what it refuses, it refuses with a ballot error.
func FuzzParseBallot(f *testing.F) {
	ballot := electiontest.New(electiontest.Options{Contests: 3}).Def.Contests
	for _, seed := range []string{
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
			if !onBallot(c, choices[c.ID]) {
				t.Fatalf("%q: contest %s: %q is not on the ballot", body, c.ID, choices[c.ID])
			}
			again.Set(contestField+c.ID, choices[c.ID])
		}
		choices2, token2, err := parseBallot(again, ballot)
		if err != nil || token2 != token || !maps.Equal(choices, choices2) {
			t.Fatalf("%q: read back: %v %q %v, want %v %q", body, choices2, token2, err, choices, token)
		}
	})
}
