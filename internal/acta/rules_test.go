package acta_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/contest"
	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
)

// TestMultiVoteBallots opens actas of a contest whose ballots carry up
// to two votes: the votes may add up to more than the ballots, but not
// to more than two on each ballot neither blank nor null; the same acta
// under one vote a ballot is impossible.
func TestMultiVoteBallots(t *testing.T) {
	f := electiontest.New(electiontest.Options{})
	open := func(seats string, votes []int, blank int) error {
		r, err := contest.Parse("plurality seats=" + seats)
		if err != nil {
			t.Fatal(err)
		}
		f.Def.Contests[0].Rule = r
		if seats == "1" {
			f.Def.Contests[0].Rule = contest.Rule{}
		}
		a := finalActa(f)
		for i, v := range votes {
			a.Contests[0].Candidates[i].Votes = v
		}
		a.Contests[0].Blank, a.Contests[0].Null = blank, 0
		msg, err := acta.Sign(a, f.Machines["100.1"])
		if err != nil {
			return err // what no rule allows: Sign checks it
		}
		_, err = acta.Open(msg, f.Def)
		return err
	}
	for _, c := range []struct {
		seats string
		votes []int
		blank int
		want  string // "" for a valid acta
	}{
		{"2", []int{9, 7, 2}, 1, ""},
		{"2", []int{9, 8, 2}, 1, "contest president: 19 votes, more than 2 on each of the 9 ballots neither blank nor null"},
		{"2", []int{11, 3, 2}, 0, "candidate ALBA has 11 votes, more than the 10 ballots"},
		{"3", []int{9, 9, 9}, 1, ""},
		{"1", []int{9, 7, 2}, 1, "contest president: candidates, blank and null add up to 19, not the 10 ballots"},
		{"1", []int{6, 3, 0}, 1, ""},
		{"2", []int{3, 3, 2}, 1, "add up to 9, not the 10 ballots"}, // a ballot neither blank nor null without a vote
	} {
		err := open(c.seats, c.votes, c.blank)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("seats=%s %v blank %d: %v", c.seats, c.votes, c.blank, err)
		case c.want != "" && (!errors.Is(err, acta.ErrImpossible) || !strings.Contains(err.Error(), c.want)):
			t.Errorf("seats=%s %v blank %d: %v, want ErrImpossible %q", c.seats, c.votes, c.blank, err, c.want)
		}
	}
}
