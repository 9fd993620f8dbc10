package tally_test

import (
	"testing"

	"github.com/triplicate-vote/triplicate/internal/contest"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// TestImpossibleMultiVote: under plurality with N seats a ballot carries
// up to N votes, so votes may add up to more than the ballots; under one
// vote a ballot they may not.
func TestImpossibleMultiVote(t *testing.T) {
	three, err := contest.Parse("plurality seats=3")
	if err != nil {
		t.Fatal(err)
	}
	c := &election.Contest{ID: "council", Candidates: []election.Candidate{{ID: "A"}, {ID: "B"}, {ID: "C"}, {ID: "D"}}}
	ballot := []*election.Contest{c}
	for _, x := range []struct {
		rule         contest.Rule
		reg, ballots int32
		votes        []int32 // A B C D blank null
		impossible   bool
	}{
		{three, 100, 10, []int32{9, 9, 9, 3, 0, 0}, false}, // 30 votes on 10 ballots
		{three, 100, 10, []int32{9, 9, 9, 3, 1, 0}, true},  // 30 votes on the 9 not blank
		{three, 100, 10, []int32{11, 1, 1, 0, 0, 0}, true}, // A on more ballots than there are
		{three, 100, 10, []int32{3, 3, 2, 0, 1, 0}, true},  // a ballot with no vote, not blank
		{three, 100, 10, []int32{9, 1, 1, 0, 5, 0}, true},  // A on 9 of the 5 ballots not blank
		{three, 100, 10, []int32{9, 9, 9, 3, tally.Unknown, 0}, false},
		{three, 20, 20, []int32{20, 20, 20, 0, 0, 0}, false},       // 60 votes, 20 voters
		{contest.Rule{}, 100, 10, []int32{9, 9, 9, 3, 0, 0}, true}, // one vote a ballot
		{contest.Rule{}, 100, 10, []int32{4, 3, 2, 0, 1, 0}, false},
		{contest.Rule{}, 5, tally.Unknown, []int32{4, 3, 0, 0, 0, 0}, true}, // more votes than voters
	} {
		c.Rule = x.rule
		f := tally.Figures{Registered: x.reg, Ballots: x.ballots, Votes: x.votes}
		if got := f.Impossible(ballot); (got != "") != x.impossible {
			t.Errorf("%s, %d registered, %d ballots, %v: Impossible %q, want impossible %v", c.DecidedBy(), x.reg, x.ballots, x.votes, got, x.impossible)
		}
	}
}
