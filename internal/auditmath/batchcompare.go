package auditmath

// Batch-level comparison with ALPHA: whole stations hand counted and
// compared with their reported figures (SHANGRLA, Stark 2020, section
// 3.4; ALPHA, Stark 2023, section 2.2), on the pools and ONE CVRs of
// oneaudit.go.
//
// A station p drawn is counted whole. Its value is the mean over its N_p
// reported ballots of the overstatement assorter B of oneaudit.go,
//
//	x_p = (1 − (c_p − ā_p)/u) / (2 − v/u),
//
// with ā_p the mean of the assorter over the ballots the hand count finds
// (a reported ballot not found counts 0). Stations are drawn with
// probability proportional to N_p, with replacement, so that each draw's
// expected value is the mean of B over all N ballots: above 1/2 exactly
// when the assertion holds. ALPHA tests it with N infinite (sampling with
// replacement), U = 2/(2 − v/u), and the fixed alternative SHANGRLA's
// estimator for comparison audits gives (NonnegMean.optimal_comparison,
// its default rate of two-vote overstatements p2 = 10⁻⁵):
//
//	η = (1 − U(1 − p2))/(2 − 2U) + U(1 − p2) − 1/2.
//
// (Shrink–truncate from η = U(1 − ε) shrinks its bets towards the values'
// mean, 1/(2 − v/u) when the figures are right, and needed eight times
// MACRO's draws on a 2% race.) A
// station whose hand count finds more ballots than it reported is not a
// batch of the population sampled: it is refused, and only a full count
// settles the contest.
//
// Sample size (advice): with the reported figures right every x_p is
// 1/(2 − v/u); the draws ALPHA needs on that constant sequence.

import (
	"fmt"
	"math"

	"github.com/triplicate-vote/triplicate/internal/contest"
)

// ErrMoreBallots: a hand count found more ballots than its station
// reported.
var ErrMoreBallots = fmt.Errorf("the hand count finds more ballots than the station reported")

// batchTest returns the ALPHA test of assertion k's batch-level values.
func (o *OneAudit) batchTest(k int) (Alpha, bool) {
	t, ok := o.test(k)
	if !ok {
		return Alpha{}, false
	}
	// SHANGRLA's optimal_comparison: η for a two-vote overstatement rate
	// p2, its default 10⁻⁵.
	const p2 = 1e-5
	u := t.U
	eta := (1-u*(1-p2))/(2-2*u) + u*(1-p2) - 0.5
	return Alpha{T: 0.5, U: u, Eta: math.Min(eta, u), Fixed: true}, true
}

// BatchWeights returns each pool's ballots, in the order given to
// NewOneAudit: the weights of sampling proportional to size.
func (o *OneAudit) BatchWeights() map[string]int64 {
	out := make(map[string]int64, len(o.ballots))
	for id, n := range o.ballots {
		out[id] = n
	}
	return out
}

// BatchValue returns assertion k's value x_p for station id, whose hand
// count found hand.
func (o *OneAudit) BatchValue(k int, id string, hand contest.Totals) (float64, error) {
	p, ok := o.poolOf[id]
	if !ok {
		return 0, fmt.Errorf("no station %q in the contest", id)
	}
	n := o.ballots[id]
	if hand.Ballots > n {
		return 0, fmt.Errorf("station %s: %w (%d, reported %d)", id, ErrMoreBallots, hand.Ballots, n)
	}
	if len(hand.Votes) != len(o.pools[p].Votes) {
		return 0, fmt.Errorf("station %s: hand count of %d candidates, want %d", id, len(hand.Votes), len(o.pools[p].Votes))
	}
	a := &o.Assertions.Assorters[k]
	return o.overstatement(k, p, a.poolMeanOver(hand, n)), nil
}

// BatchRisk measures each assertion's risk on the stations drawn (in the
// order drawn, with repetitions), each with its hand count, and returns
// the audit's: the largest; 1 if an assertion cannot be confirmed by
// sampling.
func (o *OneAudit) BatchRisk(draws []string, hand map[string]contest.Totals) (risk float64, each []float64, err error) {
	each = make([]float64, len(o.Assertions.Assorters))
	x := make([]float64, len(draws))
	for k := range o.Assertions.Assorters {
		a := &o.Assertions.Assorters[k]
		switch {
		case a.Certain:
			continue
		case a.Unconfirmable:
			each[k], risk = 1, 1
			continue
		}
		test, ok := o.batchTest(k)
		if !ok {
			each[k], risk = 1, 1
			continue
		}
		for i, id := range draws {
			h, found := hand[id]
			if !found {
				return 1, nil, fmt.Errorf("draw %d: station %s has no hand count", i+1, id)
			}
			if x[i], err = o.BatchValue(k, id, h); err != nil {
				return 1, nil, fmt.Errorf("draw %d: %w", i+1, err)
			}
		}
		if each[k], _, err = test.PValues(x); err != nil {
			return 1, nil, fmt.Errorf("assertion %q: %w", a.Says, err)
		}
		risk = math.Max(risk, each[k])
	}
	return risk, each, nil
}

// BatchSampleSize is the number of station draws after which the audit
// confirms if every hand count bears out its station's figures; -1 if an
// assertion cannot be confirmed by sampling (a full count).
func (o *OneAudit) BatchSampleSize(riskLimit float64) (int64, error) {
	if err := checkRiskLimit(riskLimit); err != nil {
		return 0, err
	}
	var size int64
	for k := range o.Assertions.Assorters {
		a := &o.Assertions.Assorters[k]
		if a.Certain {
			continue
		}
		test, ok := o.batchTest(k)
		if a.Unconfirmable || !ok {
			return -1, nil
		}
		r, err := test.start()
		if err != nil {
			return 0, err
		}
		x := 1 / (2 - o.margin[k]/a.Upper)
		n := int64(0)
		for p := 1.0; p > riskLimit; {
			if n++; n > 10_000_000 {
				return -1, nil
			}
			p = math.Min(1, 1/r.feed(x, false))
		}
		size = max(size, n)
	}
	return size, nil
}
