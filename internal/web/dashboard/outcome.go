package dashboard

import (
	"sort"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/center"
	"github.com/triplicate-vote/triplicate/internal/contest"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// outcomeView is a contest's outcome at a glance: who leads and by how
// much, and what the contest's rule makes of the figures so far — the
// same contest.Decide the verifier weighs outcomes with. While stations
// are still to report it is what the rule would decide if the count
// stopped here, and the page says so.
type outcomeView struct {
	Rule     string // the rule's text, "plurality seats=1"
	Method   string // contest.Method's name: plurality, majority, threshold, dhondt, ...
	Filled   int    // seats the rule fills (plurality, lists)
	Kind     string // contest.Kind's name: elected, runoff, seats, passed, rejected, void, tie; "" with no votes yet
	Final    bool   // every station of the area has reported
	Leader   string // the candidate (or list, or answer) with the most votes
	LeaderAt int    // its place in the contest: its colour on the chart and the tiles
	Second   string // the next one; "" if there is none
	Margin   int    // the leader's votes over the second's
	Points   float64
	Names    []string   // the elected, the runoff's two, or the tied
	Seats    []seatView // seats per list, most first, for the list methods
	HasVotes bool
}

type seatView struct {
	Name  string
	Seats int
}

// newOutcome decides a contest's figures under its rule. The contest's
// ballots are taken as its votes, blank and null (a referendum's turnout
// quorum counts them), and its registered voters as the area's.
func newOutcome(c *election.Contest, cr center.ContestResult, res *center.Result) *outcomeView {
	rule := c.DecidedBy()
	o := &outcomeView{Rule: rule.String(), Method: rule.Method.String(), Filled: rule.Seats, Final: res.StationsReported == res.StationsExpected}
	t := contest.Totals{Votes: make([]int64, len(cr.Candidates)), Blank: int64(cr.Blank), Null: int64(cr.Null),
		Registered: int64(res.Registered)}
	var valid int64
	for i, x := range cr.Candidates {
		t.Votes[i] = int64(x.Votes)
		valid += int64(x.Votes)
	}
	t.Ballots = valid + t.Blank + t.Null
	if rule.Method == contest.Plurality && rule.Seats > 1 {
		t.Ballots = int64(res.Ballots) // a ballot carries up to Seats votes
	}
	if valid == 0 {
		return o
	}
	o.HasVotes = true
	order := make([]int, len(t.Votes))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return t.Votes[order[a]] > t.Votes[order[b]] })
	o.Leader, o.LeaderAt = cr.Candidates[order[0]].Name, order[0]
	if len(order) > 1 {
		o.Second = cr.Candidates[order[1]].Name
		o.Margin = int(t.Votes[order[0]] - t.Votes[order[1]])
		o.Points = 100 * float64(o.Margin) / float64(valid)
	}
	d := contest.Decide(rule, t)
	o.Kind = d.Kind.String()
	name := func(i int) string { return cr.Candidates[i].Name }
	switch d.Kind {
	case contest.Elected:
		for _, i := range d.Elected {
			o.Names = append(o.Names, name(i))
		}
	case contest.Runoff:
		for _, i := range d.Runoff {
			o.Names = append(o.Names, name(i))
		}
	case contest.Tie:
		for _, i := range d.Tied {
			o.Names = append(o.Names, name(i))
		}
	}
	if d.Seats != nil {
		for _, i := range order {
			if d.Seats[i] > 0 {
				o.Seats = append(o.Seats, seatView{name(i), d.Seats[i]})
			}
		}
	}
	return o
}

// pagePair is what a template that needs the page (for its language) and
// a value of its own gets, as (pair $ .): the rule's words, a download.
type pagePair struct {
	P *page.Page
	V any
}

// joinNames lists names in the page's language: "A", "A and B", "A, B and C".
func joinNames(p *page.Page, names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + p.T("and") + " " + names[len(names)-1]
}
