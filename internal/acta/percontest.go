package acta

import (
	"slices"

	"github.com/triplicate-vote/triplicate/internal/contest"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// VotesPerBallot returns how many votes a ballot carries in a contest: N
// under plurality with N seats, else one.
func VotesPerBallot(c *election.Contest) int {
	if r := c.DecidedBy(); r.Method == contest.Plurality {
		return r.Seats
	}
	return 1
}

// NeedsPerContest says whether a ballot's actas must be version 3: it has
// a contest in which a ballot carries more than one vote, whose arithmetic
// a version 2 acta cannot state exactly.
func NeedsPerContest(ballot []*election.Contest) bool {
	return slices.ContainsFunc(ballot, func(c *election.Contest) bool { return VotesPerBallot(c) > 1 })
}

// CountPerContest makes a the version 3 acta of a count in which every
// contest of the ballot (in the acta's order) was on every ballot: each
// contest's ballots are the station's, and its undervotes the votes its
// ballots neither blank nor null left unused.
func (a *Acta) CountPerContest(ballot []*election.Contest) {
	a.PerContest = true
	for i := range a.Contests {
		t := &a.Contests[i]
		t.Ballots = a.Ballots
		t.Undervotes = VotesPerBallot(ballot[i])*a.Marked(*t) - (t.Total() - t.Blank - t.Null)
	}
}
