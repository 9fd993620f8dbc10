package tally

import (
	"slices"
	"strconv"

	"github.com/triplicate-vote/triplicate/internal/acta"
	"github.com/triplicate-vote/triplicate/internal/contest"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// Unknown is a figure a source does not give (a CSV without that column).
const Unknown = -1

// Figures are one source's count of one station, compactly: the station's
// ballot in the definition's order, each contest as its candidates' votes,
// then blank, then null. Any figure may be Unknown.
type Figures struct {
	Registered int32
	Ballots    int32
	Votes      []int32
}

// BallotFigures returns the number of figures of a station's ballot in Votes.
func BallotFigures(ballot []*election.Contest) int {
	n := 0
	for _, c := range ballot {
		n += len(c.Candidates) + 2
	}
	return n
}

// FromActa returns the figures of an acta (which matches its station's ballot:
// acta.Open checked it).
func FromActa(a *acta.Acta) Figures {
	f := Figures{Registered: int32(a.Registered), Ballots: int32(a.Ballots)}
	for _, t := range a.Contests {
		for _, c := range t.Candidates {
			f.Votes = append(f.Votes, int32(c.Votes))
		}
		f.Votes = append(f.Votes, int32(t.Blank), int32(t.Null))
	}
	return f
}

// NewFigures returns figures of a station's ballot, all Unknown.
func NewFigures(ballot []*election.Contest) Figures {
	f := Figures{Registered: Unknown, Ballots: Unknown, Votes: make([]int32, BallotFigures(ballot))}
	for i := range f.Votes {
		f.Votes[i] = Unknown
	}
	return f
}

// Differs says whether two counts disagree on a figure both know
// (registered voters included).
func (f Figures) Differs(g Figures) bool {
	if f.Ballots != Unknown && g.Ballots != Unknown && f.Ballots != g.Ballots {
		return true
	}
	if f.Registered != Unknown && g.Registered != Unknown && f.Registered != g.Registered {
		return true
	}
	if len(f.Votes) != len(g.Votes) {
		return true
	}
	for i, v := range f.Votes {
		if v != Unknown && g.Votes[i] != Unknown && v != g.Votes[i] {
			return true
		}
	}
	return false
}

// Overlap says whether two counts give a figure in common.
func (f Figures) Overlap(g Figures) bool {
	if f.Registered != Unknown && g.Registered != Unknown || f.Ballots != Unknown && g.Ballots != Unknown {
		return true
	}
	for i, v := range f.Votes {
		if i < len(g.Votes) && v != Unknown && g.Votes[i] != Unknown {
			return true
		}
	}
	return false
}

// Same says whether two counts give the same figures, and leave the same
// ones unknown.
func (f Figures) Same(g Figures) bool {
	return f.Registered == g.Registered && f.Ballots == g.Ballots && slices.Equal(f.Votes, g.Votes)
}

// Contest returns the figures of the contest at position i of the ballot:
// the candidates' votes, blank and null.
func (f Figures) Contest(ballot []*election.Contest, i int) (candidates []int32, blank, null int32) {
	off := 0
	for _, c := range ballot[:i] {
		off += len(c.Candidates) + 2
	}
	n := len(ballot[i].Candidates)
	return f.Votes[off : off+n], f.Votes[off+n], f.Votes[off+n+1]
}

// Impossible returns what cannot hold in the figures, or "": more ballots
// than registered voters, or a contest whose known figures cannot hold
// under its rule. Under one vote a ballot a contest's candidates, blank
// and null add up to the ballots (when every figure is known). Under
// plurality with N seats a ballot carries up to N votes: the
// candidates' votes are at most N times the ballots neither blank nor
// null, and no candidate has more votes than those ballots.
func (f Figures) Impossible(ballot []*election.Contest) string {
	if f.Registered != Unknown && f.Ballots != Unknown && f.Ballots > f.Registered {
		return "more ballots than registered voters"
	}
	for i, c := range ballot {
		cands, blank, null := f.Contest(ballot, i)
		seats := int64(1)
		if r := c.DecidedBy(); r.Method == contest.Plurality {
			seats = int64(r.Seats)
		}
		votes, spoilt, known := int64(0), int64(0), true
		var top int64
		for _, v := range cands {
			if v == Unknown {
				known = false
				continue
			}
			votes += int64(v)
			top = max(top, int64(v))
		}
		for _, v := range []int32{blank, null} {
			if v == Unknown {
				known = false
				continue
			}
			spoilt += int64(v)
		}
		switch {
		case f.Registered != Unknown && seats == 1 && votes+spoilt > int64(f.Registered),
			f.Registered != Unknown && (votes > seats*int64(f.Registered) || spoilt > int64(f.Registered) || top > int64(f.Registered)):
			return "contest " + c.ID + " has more votes than registered voters"
		case seats == 1 && known && f.Ballots != Unknown && votes+spoilt != int64(f.Ballots):
			return "contest " + c.ID + "'s votes do not add up to the ballots"
		case seats > 1 && f.Ballots != Unknown && (top > int64(f.Ballots) || spoilt > int64(f.Ballots)):
			return "contest " + c.ID + " has a candidate with more votes than ballots"
		case seats > 1 && f.Ballots != Unknown && blank != Unknown && null != Unknown && top > int64(f.Ballots)-spoilt:
			return "contest " + c.ID + " has a candidate with more votes than the ballots neither blank nor null"
		case seats > 1 && known && f.Ballots != Unknown && (votes > seats*(int64(f.Ballots)-spoilt) || votes < int64(f.Ballots)-spoilt):
			return "contest " + c.ID + "'s votes do not fit the ballots, up to " + strconv.FormatInt(seats, 10) + " a ballot"
		}
	}
	return ""
}
