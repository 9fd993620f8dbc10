package verify

import (
	"testing"

	"github.com/triplicate-vote/triplicate/internal/contest"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// TestRuleOutcomeWords: every kind of outcome in words.
func TestRuleOutcomeWords(t *testing.T) {
	c := &election.Contest{ID: "c", Candidates: []election.Candidate{{ID: "A"}, {ID: "B"}, {ID: "C"}}}
	yesNo := &election.Contest{ID: "q", Candidates: []election.Candidate{{ID: "yes"}, {ID: "no"}}}
	for _, x := range []struct {
		rule   string
		c      *election.Contest
		totals contest.Totals
		says   string
	}{
		{"plurality seats=2", c, contest.Totals{Votes: []int64{50, 40, 30}}, "elected: A, B"},
		{"majority", c, contest.Totals{Votes: []int64{50, 40, 30}}, "runoff between A and B"},
		{"threshold win=50 or=40 lead=10", c, contest.Totals{Votes: []int64{90, 40, 30}}, "elected: A"},
		{"plurality seats=1", c, contest.Totals{Votes: []int64{50, 50, 30}}, "tie of A and B"},
		{"dhondt seats=5", c, contest.Totals{Votes: []int64{500, 300, 100}}, "seats: A 3, B 2"},
		{"referendum turnout=50", yesNo, contest.Totals{Votes: []int64{300, 12}, Ballots: 312, Registered: 1000}, "void: turnout 31.2% below the 50% quorum"},
		{"referendum approval=25", yesNo, contest.Totals{Votes: []int64{200, 100}, Ballots: 300, Registered: 1000}, "void: approval 20.0% below the 25% quorum"},
		{"referendum turnout=25", yesNo, contest.Totals{Votes: []int64{200, 100}, Ballots: 300, Registered: 1000}, "passed"},
		{"referendum", yesNo, contest.Totals{Votes: []int64{100, 200}, Ballots: 300, Registered: 1000}, "rejected"},
	} {
		r, err := contest.Parse(x.rule)
		if err != nil {
			t.Fatal(err)
		}
		o := contest.Decide(r, x.totals)
		if got := ruleOutcome(x.c, r, &o, &x.totals); got.Says != x.says {
			t.Errorf("%s on %v: %q, want %q", x.rule, x.totals.Votes, got.Says, x.says)
		}
	}
}

// TestOutcomeFindingUnderRule: a flip under a rule is said as the rule's
// outcomes, not as winners.
func TestOutcomeFindingUnderRule(t *testing.T) {
	o := Outcome{Contest: "president", Flips: true, Rule: "majority", AnnouncedWinner: "A", CorrectedWinner: "A",
		AnnouncedOutcome: &RuleOutcome{Kind: "elected", Elected: []string{"A"}, Says: "elected: A"},
		CorrectedOutcome: &RuleOutcome{Kind: "runoff", Runoff: []string{"A", "B"}, Says: "runoff between A and B"}}
	f := outcomeFindings([]Outcome{o})
	if len(f) != 1 || f[0].Summary != "under its rule (majority), the center's figures give elected: A in contest president, but the corrected count gives runoff between A and B, and the stations not counted cannot change that" {
		t.Errorf("findings %+v", f)
	}
}
