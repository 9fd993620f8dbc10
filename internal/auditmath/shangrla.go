package auditmath

// SHANGRLA ballot-polling audits of any rule of internal/contest, tested
// by ALPHA (alpha.go) with the ballots drawn without replacement.
//
// The reported outcome rests on assertions (contest.Decide's Rests, in
// disjunctive normal form: the outcome stands while every assertion of
// at least one conjunction holds). The audit tests one conjunction,
// chosen from the reported figures alone before any ballot is drawn (so
// the choice cannot depend on the sample): the one whose estimated sample
// size (SampleSize) is smallest. For each of its assertions the null
// hypothesis is that its assorter's mean is at most 1/2 (the assertion is
// false); ALPHA's p-value over the ballots drawn is the assertion's
// measured risk. If the reported outcome is wrong, some assertion of the
// chosen conjunction is false, and its p-value is at most α with
// probability at most α; so the audit's risk, the largest p-value over
// the conjunction, limits the risk at α. Testing several conjunctions and
// keeping the best would not. An assertion that holds whatever the
// ballots say, given their number, adds no risk; one that no sample can
// confirm (Assorter.Unconfirmable) keeps the risk at 1: a full count. A
// sample of every ballot is a full count: each assertion's risk is then 0
// if the count bears it out, 1 if not.
//
// ALPHA's alternative η for each assorter is its mean on the reported
// figures (Stark 2023, section 2.5.2), with SHANGRLA's shrink–truncate
// defaults; the sample is the same for every assertion (a ballot-polling
// sample of the contest's ballots, in the order drawn).
//
// Assertions is not safe for concurrent use: SampleSize keeps its last
// estimate.
//
// Sample size (Assertions.SampleSize), as SHANGRLA's polling estimate
// without simulation (Assertion.find_sample_size with reps=None): a
// population with the assorter values the reported figures imply, laid
// out by interleave_values, is run through the test and the first draw
// at which the p-value reaches the risk limit is the size; the contest's
// is the largest over its assertions. It assumes the reported figures
// are right and is advice only, not part of the risk limit.

import (
	"errors"
	"fmt"
	"math"

	"github.com/triplicate-vote/triplicate/internal/contest"
)

// ErrTie: a reported tie is settled by a full count and the law's
// tie-break, not by sampling.
var ErrTie = errors.New("the reported outcome is a tie: a full count settles it")

// Assertions are the assertions a contest's reported outcome rests on,
// as a SHANGRLA audit tests them.
type Assertions struct {
	// Outcome is the reported outcome (contest.Decide on the totals).
	Outcome contest.Outcome
	// Ballots is the number of ballots in the contest: the population
	// drawn from.
	Ballots int64
	// Assorters are the assertions of the conjunction the audit tests.
	Assorters []Assorter

	totals contest.Totals
	// The sample size of Assorters at riskLimit, once estimated (-1 before).
	size      int64
	riskLimit float64
}

// NewAssertions builds the assertions of contest rule r on reported
// totals t, for an audit at riskLimit (which picks the conjunction
// tested). Plurality ballots may mark up to Seats candidates; every other
// rule's ballots mark one. Errors: ErrTie, an invalid risk limit, no
// ballots, more votes than marks the ballots can hold.
func NewAssertions(r contest.Rule, t contest.Totals, riskLimit float64) (*Assertions, error) {
	if err := checkRiskLimit(riskLimit); err != nil {
		return nil, err
	}
	if t.Ballots <= 0 {
		return nil, fmt.Errorf("contest with %d ballots: nothing to audit", t.Ballots)
	}
	allowed := 1
	if r.Method == contest.Plurality {
		allowed = max(1, r.Seats)
	}
	var marks int64
	for i, v := range t.Votes {
		if v < 0 {
			return nil, fmt.Errorf("candidate %d: %d votes", i, v)
		}
		marks += v
	}
	if t.Blank < 0 || t.Null < 0 || marks+t.Blank+t.Null > int64(allowed)*t.Ballots {
		return nil, fmt.Errorf("%d votes, %d blank and %d null ballots do not fit in %d ballots", marks, t.Blank, t.Null, t.Ballots)
	}
	o := contest.Decide(r, t)
	if o.Kind == contest.Tie {
		return nil, ErrTie
	}
	s := &Assertions{Outcome: o, Ballots: t.Ballots, totals: t, size: -1, riskLimit: riskLimit}
	best := int64(-1)
	for _, conj := range o.Rests {
		as := make([]Assorter, 0, len(conj))
		for _, a := range conj {
			x, err := newAssorter(a, t, allowed)
			if err != nil {
				return nil, err
			}
			as = append(as, x)
		}
		if len(o.Rests) == 1 {
			s.Assorters = as // no choice to make: SampleSize estimates when asked
			break
		}
		size, err := sampleSize(as, t, riskLimit)
		if err != nil {
			return nil, err
		}
		if best < 0 || size < best {
			best, s.Assorters, s.size = size, as, size
		}
	}
	return s, nil
}

// test returns the ALPHA test of assorter a over the contest's ballots.
func (s *Assertions) test(a *Assorter) Alpha {
	eta := a.Mean
	if !(eta > 0.5) {
		eta = 0.5 + (a.Upper-0.5)/2 // SHANGRLA's default; the assertion needs a full count anyway
	}
	return Alpha{N: s.Ballots, T: 0.5, U: a.Upper, Eta: math.Min(eta, a.Upper)}
}

// Risk measures each assertion's risk (ALPHA's p-value) on the ballots
// drawn, in the order drawn (without replacement), and returns the
// audit's risk: the largest, 1 if an assertion cannot be confirmed by
// sampling, 0 if there is none. A sample of every ballot is a full count:
// the risk is 0 if the count confirms the outcome, 1 if not.
func (s *Assertions) Risk(sample []Ballot) (risk float64, each []float64, err error) {
	if int64(len(sample)) > s.Ballots {
		return 1, nil, fmt.Errorf("%d ballots drawn from a contest of %d", len(sample), s.Ballots)
	}
	each = make([]float64, len(s.Assorters))
	x := make([]float64, len(sample))
	for k := range s.Assorters {
		a := &s.Assorters[k]
		switch {
		case a.Certain:
			continue
		case a.Unconfirmable:
			each[k], risk = 1, 1
			continue
		}
		for i, b := range sample {
			if x[i], err = a.Value(b); err != nil {
				return 1, nil, fmt.Errorf("ballot %d of the sample: %w", i+1, err)
			}
		}
		if int64(len(sample)) == s.Ballots {
			// Every ballot: the mean is known.
			var sum float64
			for _, v := range x {
				sum += v
			}
			if sum > 0.5*float64(s.Ballots) || (!a.strict && sum == 0.5*float64(s.Ballots)) {
				each[k] = 0
			} else {
				each[k] = 1
			}
		} else if each[k], _, err = s.test(a).PValues(x); err != nil {
			return 1, nil, fmt.Errorf("assertion %q: %w", a.Says, err)
		}
		risk = math.Max(risk, each[k])
	}
	return risk, each, nil
}

// SampleSize estimates the ballots to draw for the audit to confirm the
// reported outcome at riskLimit if the reported figures are right:
// SHANGRLA's estimate for each assertion (the file comment), the largest
// of them; Ballots (a full count) if an assertion cannot be confirmed by
// sampling.
func (s *Assertions) SampleSize(riskLimit float64) (int64, error) {
	if err := checkRiskLimit(riskLimit); err != nil {
		return 0, err
	}
	if s.size < 0 || riskLimit != s.riskLimit {
		n, err := sampleSize(s.Assorters, s.totals, riskLimit)
		if err != nil {
			return 0, err
		}
		s.size, s.riskLimit = n, riskLimit
	}
	return s.size, nil
}

func sampleSize(as []Assorter, t contest.Totals, riskLimit float64) (int64, error) {
	s := &Assertions{Ballots: t.Ballots}
	var size int64
	for k := range as {
		a := &as[k]
		switch {
		case a.Certain:
			continue
		case a.Unconfirmable || !(a.Mean > 0.5):
			return t.Ballots, nil
		}
		n, err := s.test(a).alphaSampleSize(interleaved(a.levels(t)), riskLimit)
		if err != nil {
			return 0, fmt.Errorf("assertion %q: %w", a.Says, err)
		}
		size = max(size, n)
	}
	return size, nil
}
