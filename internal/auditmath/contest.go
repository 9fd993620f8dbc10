package auditmath

import (
	"errors"
	"fmt"
	"sort"
)

// Contest is one contest's reported result, for the audit: the votes of each candidate as
// reported, the ballots cast in the contest, and how many winners it has.
type Contest struct {
	ID         string
	Votes      map[string]int64 // reported votes by candidate id
	Ballots    int64            // ballots cast in the contest (incl. blank, null, undervotes)
	NumWinners int              // 1 for a presidential race
}

// ranked returns the candidate ids, most voted first, ties broken by
// candidate id (ascending), so that the order never depends on map order.
func (c Contest) ranked() []string {
	ids := make([]string, 0, len(c.Votes))
	for id := range c.Votes {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		vi, vj := c.Votes[ids[i]], c.Votes[ids[j]]
		if vi != vj {
			return vi > vj
		}
		return ids[i] < ids[j]
	})
	return ids
}

// Winners returns the reported winners: the NumWinners most voted
// candidates, most voted first, ties broken by candidate id. If the contest
// has no more candidates than winners, every candidate is a winner.
func (c Contest) Winners() []string {
	r := c.ranked()
	if c.NumWinners < len(r) {
		r = r[:max(c.NumWinners, 0)]
	}
	return r
}

// Losers returns the candidates who are not reported winners, most voted
// first, ties broken by candidate id.
func (c Contest) Losers() []string {
	r := c.ranked()
	if c.NumWinners >= len(r) {
		return nil
	}
	return r[max(c.NumWinners, 0):]
}

// Margin returns the diluted margin: the smallest difference between a
// reported winner's and a reported loser's votes, over Ballots. It is -1
// when there is nothing to audit (no loser, or no ballots), as in Arlo.
func (c Contest) Margin() float64 {
	w, l := c.Winners(), c.Losers()
	if len(l) == 0 || c.Ballots <= 0 {
		return -1
	}
	// Winners and losers are sorted by votes: the closest pair is the last
	// winner and the first loser.
	return float64(c.Votes[w[len(w)-1]]-c.Votes[l[0]]) / float64(c.Ballots)
}

// Validate checks that the contest can be audited as a plurality contest:
// at least one winner, no negative votes, and no candidate with more votes
// than there are ballots.
func (c Contest) Validate() error {
	if c.NumWinners < 1 {
		return fmt.Errorf("contest %q: %d winners; want at least 1", c.ID, c.NumWinners)
	}
	if c.Ballots <= 0 {
		return fmt.Errorf("contest %q: %d ballots; want at least 1", c.ID, c.Ballots)
	}
	if len(c.Votes) == 0 {
		return fmt.Errorf("contest %q: no candidates", c.ID)
	}
	for id, v := range c.Votes {
		if v < 0 {
			return fmt.Errorf("contest %q: candidate %q has %d votes", c.ID, id, v)
		}
		if v > c.Ballots {
			return fmt.Errorf("contest %q: candidate %q has %d votes, more than the %d ballots", c.ID, id, v, c.Ballots)
		}
	}
	return nil
}

// The errors of the ballot-polling sample-size functions. Their texts are
// Arlo's, so that a reader can match them with Arlo's behaviour.
var (
	// ErrNoLosers: every candidate is a winner; there is nothing to audit.
	ErrNoLosers = errors.New("contest must have candidates who did not win")
	// ErrAllAudited: the sample already has as many ballots as the contest.
	ErrAllAudited = errors.New("all ballots have already been audited")
	// ErrAuditOver: the sample already confirms the outcome.
	ErrAuditOver = errors.New("sample indicates the audit is over")
)

// checkRiskLimit reports an error unless 0 < riskLimit < 1.
func checkRiskLimit(riskLimit float64) error {
	if !(riskLimit > 0 && riskLimit < 1) {
		return fmt.Errorf("risk limit %v: want a fraction between 0 and 1 (0.1 for 10%%)", riskLimit)
	}
	return nil
}
