package verify

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/contest"
	"github.com/triplicate-vote/triplicate/internal/election"
)

// RuleOutcome is what a contest's rule (doc/spec/contest.md) decides on
// some totals, with candidates and lists by id.
type RuleOutcome struct {
	// Kind is elected, runoff, seats, passed, rejected, void or tie.
	Kind    string      `json:"kind"`
	Elected []string    `json:"elected,omitempty"` // in order of votes
	Runoff  []string    `json:"runoff,omitempty"`  // in order of votes; the first place only in a tie for the second
	Seats   []ListSeats `json:"seats,omitempty"`   // every list with seats, in the definition's order
	Tied    []string    `json:"tied,omitempty"`
	// Void: the quorum not met ("turnout" or "approval"), what the
	// totals reach and what it asks, in percent of the registered voters.
	Quorum       string  `json:"quorum,omitempty"`
	QuorumPct    float64 `json:"quorum_pct,omitempty"`
	QuorumNeeded float64 `json:"quorum_needed_pct,omitempty"`
	// Says is the outcome in words: "runoff between MAS and CC",
	// "elected: A, B", "seats: PP 71, PSOE 66", "void: turnout 31.2% below
	// the 50% quorum", "tie of A and B".
	Says string `json:"says"`
}

// ListSeats is the seats a list takes.
type ListSeats struct {
	List  string `json:"list"`
	Seats int    `json:"seats"`
}

// ruleOutcome describes o, decided under r on t, for contest c.
func ruleOutcome(c *election.Contest, r contest.Rule, o *contest.Outcome, t *contest.Totals) RuleOutcome {
	ids := func(xs []int) []string {
		var out []string
		for _, i := range xs {
			out = append(out, c.Candidates[i].ID)
		}
		return out
	}
	ro := RuleOutcome{Kind: o.Kind.String(), Elected: ids(o.Elected), Runoff: ids(o.Runoff), Tied: ids(o.Tied)}
	for i, s := range o.Seats {
		if s > 0 {
			ro.Seats = append(ro.Seats, ListSeats{c.Candidates[i].ID, s})
		}
	}
	seats := func() string {
		var parts []string
		for _, s := range ro.Seats {
			parts = append(parts, s.List+" "+strconv.Itoa(s.Seats))
		}
		return strings.Join(parts, ", ")
	}
	switch o.Kind {
	case contest.Elected:
		ro.Says = "elected: " + strings.Join(ro.Elected, ", ")
	case contest.Runoff:
		ro.Says = "runoff between " + strings.Join(ro.Runoff, " and ")
	case contest.Seats:
		ro.Says = "seats: " + seats()
	case contest.Passed:
		ro.Says = "passed"
	case contest.Rejected:
		ro.Says = "rejected"
	case contest.Void:
		ro.Quorum, ro.QuorumPct, ro.QuorumNeeded = "turnout", pct(t.Ballots, t.Registered), float64(r.Turnout)/100
		if 10000*t.Ballots >= int64(r.Turnout)*t.Registered {
			ro.Quorum, ro.QuorumPct, ro.QuorumNeeded = "approval", pct(t.Votes[0], t.Registered), float64(r.Approval)/100
		}
		ro.Says = fmt.Sprintf("void: %s %s%% below the %s%% quorum", ro.Quorum, strconv.FormatFloat(ro.QuorumPct, 'f', 1, 64), strconv.FormatFloat(ro.QuorumNeeded, 'f', -1, 64))
	case contest.Tie:
		ro.Says = "tie of " + and(ro.Tied)
		if len(ro.Seats) > 0 {
			ro.Says += " (seats before the tie: " + seats() + ")"
		}
	}
	return ro
}

// pct is x of n in percent, 0 if n is.
func pct(x, n int64) float64 {
	if n == 0 {
		return 0
	}
	return 100 * float64(x) / float64(n)
}

func and(xs []string) string {
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// same says whether two outcomes are the same: kind, who is elected or
// in the runoff (in any order), seats, who is tied.
func (a RuleOutcome) same(b RuleOutcome) bool {
	set := func(xs []string) []string { return slices.Sorted(slices.Values(xs)) }
	return a.Kind == b.Kind && slices.Equal(set(a.Elected), set(b.Elected)) &&
		slices.Equal(set(a.Runoff), set(b.Runoff)) && slices.Equal(a.Seats, b.Seats) &&
		slices.Equal(set(a.Tied), set(b.Tied))
}

// shares returns each candidate's share of the rule's base, in percent.
func shares(r contest.Rule, t *contest.Totals) []float64 {
	base := ruleBase(r, t)
	out := make([]float64, len(t.Votes))
	for i, v := range t.Votes {
		if base > 0 {
			out[i] = round4(100 * float64(v) / float64(base))
		}
	}
	return out
}

// round4 rounds a percentage to 4 decimals (a hundredth of a basis
// point): what a report needs, and shorter JSON.
func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// ruleBase is the denominator of the rule's shares on t.
func ruleBase(r contest.Rule, t *contest.Totals) int64 {
	var base int64
	for _, v := range t.Votes {
		base += v
	}
	if r.Base == contest.ValidBlank {
		base += t.Blank
	}
	return base
}

var candidateRef = regexp.MustCompile(`\bc([0-9]+)\b`)

// says writes an assertion's meaning with candidates by id: "MAS leads
// CC by more than 10%" for "c0 leads c1 by more than 10%".
func says(c *election.Contest, a *contest.Assertion) string {
	return candidateRef.ReplaceAllStringFunc(a.Says, func(m string) string {
		i, err := strconv.Atoi(m[1:])
		if err != nil || i >= len(c.Candidates) {
			return m
		}
		return c.Candidates[i].ID
	})
}
