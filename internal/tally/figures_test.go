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

// TestImpossibleContestBallots: a contest's own ballots (a version 3 acta's)
// are what its arithmetic is over, and are among the station's.
func TestImpossibleContestBallots(t *testing.T) {
	c := &election.Contest{ID: "mayor", Candidates: []election.Candidate{{ID: "A"}, {ID: "B"}}}
	ballot := []*election.Contest{c}
	for _, x := range []struct {
		cast       []int32
		votes      []int32 // A B blank null
		impossible bool
	}{
		{nil, []int32{5, 4, 1, 0}, false},          // 10 ballots: the station's
		{nil, []int32{5, 3, 1, 0}, true},           // 9 of the station's 10
		{[]int32{9}, []int32{5, 3, 1, 0}, false},   // 9: one voter not given the contest
		{[]int32{9}, []int32{5, 4, 1, 0}, true},    // 10 votes on its 9 ballots
		{[]int32{11}, []int32{5, 4, 1, 1}, true},   // more ballots than the station
		{[]int32{9, 9}, []int32{5, 3, 1, 0}, true}, // ballots for two contests of one
		{[]int32{tally.Unknown}, []int32{5, 4, 1, 0}, false},
	} {
		f := tally.Figures{Registered: 100, Ballots: 10, Votes: x.votes, Cast: x.cast}
		if got := f.Impossible(ballot); (got != "") != x.impossible {
			t.Errorf("cast %v, %v: Impossible %q, want impossible %v", x.cast, x.votes, got, x.impossible)
		}
	}
	// A count that gives a contest's ballots differs from one that gives
	// others; one that does not give them differs from neither.
	a := tally.Figures{Registered: 100, Ballots: 10, Votes: []int32{5, 3, 1, 0}, Cast: []int32{9}}
	b := a
	b.Cast = []int32{10}
	n := a
	n.Cast = nil
	if !a.Differs(b) || a.Differs(n) || n.Differs(b) || a.Same(n) {
		t.Errorf("Differs/Same on contest ballots: a~b %v a~n %v n~b %v a same n %v", a.Differs(b), a.Differs(n), n.Differs(b), a.Same(n))
	}
}
