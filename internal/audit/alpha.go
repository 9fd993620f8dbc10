package audit

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/auditmath"
	"github.com/triplicate-vote/triplicate/internal/contest"
	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/tally"
)

// An ALPHA audit polls single vouchers, as BRAVO does, but tests each
// contest's outcome under its own rule: the SHANGRLA assertions the
// outcome rests on (auditmath.NewAssertions), each measured by ALPHA over
// the vouchers drawn, without replacement, from the stations whose ballot
// has the contest. Given where they fell, those draws are a sample without
// replacement of the contest's ballots, in the order drawn. A voucher not
// found in its box is the least favourable ballot for every assertion
// (auditmath.Ballot.Missing). The contest's risk is the largest of its
// assertions'; each is in the report.

// AssertionRisk is one assertion of a contest's outcome and its measured
// risk (ALPHA's p-value over the sample).
type AssertionRisk struct {
	Says string  `json:"says"`
	Risk float64 `json:"risk"`
	// Margin is the assorter's reported margin, 2·mean − 1: the share of
	// ballots the assertion stands on, scaled to its bound.
	Margin float64 `json:"margin"`
}

// alphaContest is one contest of an ALPHA or ONEAudit audit: its rule,
// reported figures and assertions (nil when the reported outcome is a
// tie); one is the ONEAudit of its stations (ONEAudit only).
type alphaContest struct {
	c      *election.Contest
	totals contest.Totals
	as     *auditmath.Assertions
	one    *auditmath.OneAudit
}

// alphaContests builds the assertions of every contest with ballots;
// for ONEAudit, each contest's pools: its stations with ballots, those
// in a.Compared compared with their acta, the rest polled together.
func alphaContests(a *RLA, rep *Reported) ([]alphaContest, error) {
	compared := map[string]bool{}
	for _, id := range a.Compared {
		compared[id] = true
	}
	var out []alphaContest
	for _, c := range rep.Def.Contests {
		t := rep.Totals[c.ID]
		if t.Ballots <= 0 {
			continue
		}
		ac := alphaContest{c: c, totals: t}
		var err error
		if a.Method == ONEAudit {
			var pools []auditmath.Pool
			for _, st := range rep.Def.Stations {
				f, ok := rep.Stations[st.ID]
				ballot := rep.Def.Ballot(st)
				if !ok || f.Ballots <= 0 || election.ContestIndex(ballot, c.ID) < 0 {
					continue
				}
				pools = append(pools, auditmath.Pool{ID: st.ID, Totals: contestTotals(rep.Def, map[string]tally.Figures{st.ID: f}, c), Trusted: compared[st.ID]})
			}
			if ac.one, err = auditmath.NewOneAudit(c.DecidedBy(), pools, a.RiskLimit); err == nil {
				ac.as = ac.one.Assertions
			}
		} else {
			ac.as, err = auditmath.NewAssertions(c.DecidedBy(), t, a.RiskLimit)
		}
		switch {
		case errors.Is(err, auditmath.ErrTie):
			ac.as, ac.one = nil, nil
		case err != nil:
			return nil, fmt.Errorf("contest %s: %w", c.ID, err)
		}
		out = append(out, ac)
	}
	return out, nil
}

// outcome measures the contest on its sample (nil before any round is
// complete) and sets the size of the next round, in draws over the whole
// election of rep.
func (ac *alphaContest) outcome(rep *Reported, riskLimit float64, sample []auditmath.OneDraw) (ContestOutcome, error) {
	co := ContestOutcome{Contest: ac.c.ID, Risk: 1}
	if ac.as == nil {
		co.FullHandCount = true // a tie: the law's tie-break after a full count
		return co, nil
	}
	o := ac.as.Outcome
	co.Margin = float64(o.Margin()) / float64(ac.totals.Ballots)
	var risk float64
	var each []float64
	var err error
	if ac.one != nil {
		risk, each, err = ac.one.Risk(sample)
	} else {
		ballots := make([]auditmath.Ballot, len(sample))
		for i, d := range sample {
			ballots[i] = d.Ballot
		}
		risk, each, err = ac.as.Risk(ballots)
	}
	if err != nil {
		return co, fmt.Errorf("contest %s: %w", ac.c.ID, err)
	}
	// With no sample every assertion's risk is 1, but for those that hold
	// whatever the ballots say (0).
	for k, a := range ac.as.Assorters {
		m := 2*a.Mean - 1
		if ac.one != nil {
			m = ac.one.Margin(k)
		}
		co.Assertions = append(co.Assertions, AssertionRisk{Says: named(ac.c, a.Says), Risk: each[k], Margin: m})
	}
	co.Risk = risk
	if co.Confirmed = co.Risk <= riskLimit; co.Confirmed {
		return co, nil
	}
	drawn := int64(len(sample))
	var est int64
	if ac.one != nil {
		est, err = ac.one.SampleSize(riskLimit)
	} else {
		est, err = ac.as.SampleSize(riskLimit)
	}
	if err != nil {
		return co, fmt.Errorf("contest %s: %w", ac.c.ID, err)
	}
	// The estimate assumes the reported figures are right; once the
	// sample has reached it without confirming, the ballots read say
	// otherwise, and the next round doubles the sample (advice only: the
	// risk limit holds whatever the round sizes).
	n := est - drawn
	if n <= 0 {
		n = max(drawn, 1)
	}
	if est >= ac.totals.Ballots || drawn+n >= ac.totals.Ballots {
		co.FullHandCount = true
		return co, nil
	}
	co.NextRound = int64(math.Ceil(float64(n) * float64(rep.Ballots) / float64(ac.totals.Ballots)))
	return co, nil
}

// named writes an assertion with its candidates' ids: internal/contest
// names candidate i "ci".
func named(c *election.Contest, says string) string {
	words := strings.Split(says, " ")
	for k, w := range words {
		if i, err := strconv.Atoi(strings.TrimPrefix(w, "c")); err == nil && w != strings.TrimPrefix(w, "c") && i >= 0 && i < len(c.Candidates) {
			words[k] = c.Candidates[i].ID
		}
	}
	return strings.Join(words, " ")
}

// alphaStatus measures an ALPHA audit from the recorded polls.
func alphaStatus(dir string, a *RLA, rep *Reported, r *Report) error {
	polls, _, err := loadPolls(dir, rep.Def)
	if err != nil {
		return err
	}
	r.Polls = len(polls)
	var drawn []Draw // the draws of the complete rounds, in order
	for _, round := range a.Rounds {
		var missing []Draw
		for _, d := range round.Draws {
			if _, ok := polls[pollKey{d.Station, d.Ballot}]; !ok {
				missing = append(missing, d)
			}
		}
		if len(missing) > 0 || len(r.Missing) > 0 {
			r.Missing = append(r.Missing, missing...)
			continue
		}
		r.Complete++
		drawn = append(drawn, round.Draws...)
	}
	contests, err := alphaContests(a, rep)
	if err != nil {
		return err
	}
	for _, ac := range contests {
		var sample []auditmath.OneDraw
		for _, d := range drawn {
			if !rep.has(d.Station, ac.c.ID) {
				continue
			}
			p := polls[pollKey{d.Station, d.Ballot}]
			b, err := pollBallot(ac.c, p.Choices[ac.c.ID])
			if err != nil {
				return fmt.Errorf("%s: %v", p.Where, err)
			}
			sample = append(sample, auditmath.OneDraw{Pool: d.Station, Ballot: b})
		}
		co, err := ac.outcome(rep, a.RiskLimit, sample)
		if err != nil {
			return err
		}
		r.Contests = append(r.Contests, co)
	}
	return nil
}

// alphaFirstRound is the first round of an ALPHA audit: every contest's
// sample-size estimate, scaled to the election.
func alphaFirstRound(a *RLA, rep *Reported, r *Report) error {
	contests, err := alphaContests(a, rep)
	if err != nil {
		return err
	}
	for _, ac := range contests {
		co, err := ac.outcome(rep, a.RiskLimit, nil)
		if err != nil {
			return err
		}
		r.Contests = append(r.Contests, co)
	}
	return nil
}

// pollBallot is a voucher's choice in contest c as the assertions read it:
// a candidate id (several joined by + where the rule lets a ballot mark
// several), blank, null, or NotFound.
func pollBallot(c *election.Contest, choice string) (auditmath.Ballot, error) {
	switch choice {
	case NotFound:
		return auditmath.Ballot{Missing: true}, nil
	case "blank":
		return auditmath.Ballot{}, nil
	case "null":
		return auditmath.Ballot{Null: true}, nil
	case "":
		return auditmath.Ballot{}, fmt.Errorf("contest %s: no choice read", c.ID)
	}
	var b auditmath.Ballot
	for _, id := range strings.Split(choice, "+") {
		i := c.CandidateIndex(id)
		if i < 0 {
			return b, fmt.Errorf("contest %s: %q is not a candidate", c.ID, id)
		}
		b.Marks = append(b.Marks, i)
	}
	return b, nil
}
