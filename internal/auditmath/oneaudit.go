package auditmath

// ONEAudit: card-level comparison against batch totals, and a stratified
// audit in one test. Philip B. Stark, "Overstatement-Net-Equivalent
// Risk-Limiting Audit: ONEAudit", Voting'23 (Financial Cryptography
// workshops), LNCS 13953, 2023 (arXiv 2303.03335); as SHANGRLA implements
// it (pbstark/SHANGRLA, shangrla/core/Audit.py: Assorter.overstatement
// with tally_pool_means, Assertion.overstatement_assorter,
// Assertion.set_margin_from_cvrs for Audit.AUDIT_TYPE.ONEAUDIT).
//
// Setting. The contest's N ballots are in pools p (stations) of N_p
// ballots. Each pool has reported figures. For an assorter A with upper
// bound u (assorter.go), pool p's ONE CVR is the mean of A over the
// ballots its reported figures describe:
//
//	c_p = (Σ_{b in p} e'(b)/N_p − lo)/(−2·lo)
//
// the value SHANGRLA's set_tally_pool_means gives every CVR of the pool.
// Every ballot of the pool is compared with c_p, whatever it shows: no
// ballot-level record is needed, only the station's totals (its acta).
// The overstatement of a ballot b of pool p is o(b) = c_p − A(b) (A(b) = 0
// for a ballot not found), and with v = 2·Ā_c − 1 the margin of the ONE
// CVRs (Ā_c = Σ_p N_p·c_p / N),
//
//	B(b) = (1 − o(b)/u) / (2 − v/u)   in [0, 2/(2 − v/u)],
//
// SHANGRLA's overstatement assorter. Its mean over the ballots is
// (u − Ā_c + Ā)/(2u − v) with Ā the true mean of A, so it is above 1/2
// exactly when Ā > 1/2: the assertion holds. That holds whatever the
// ONE CVRs are, so long as they are fixed before the sample is drawn
// (ONE: every set of CVRs with the same totals overstates the margin by
// the same amount). ALPHA (alpha.go) tests the mean of B, with the
// ballots drawn uniformly without replacement from all N.
//
// Strata. A station whose acta is valid and signed is a pool of its own:
// its ballots are compared with its acta. The stations without one
// (missing, unsigned, disputed) are one pool together, whose ONE CVR is
// the mean of A over their reported figures summed: for those ballots the
// comparison is algebraically ballot polling (ONEAudit, section 4: BPA is
// CLCA with ONE CVRs from the overall results). One sample, one test,
// one risk: no combining function is needed, and the risk limit holds
// over both strata at once.
//
// ALPHA's bet. ALPHA bets λ = (η/t − 1)/(U − t) on each draw (alpha.go),
// the Kelly bet for values at 0 and U. B's values are not: with ONE CVRs
// they spread around 1/2 much less than [0, U] allows, and η set to
// B's reported mean, 1/(2 − v/u), bets several times too little (on a 2%
// race over 2,000 stations it needed twice the ballots of ballot polling).
// The audit therefore fixes, before any draw, the η whose bet is Kelly's
// for the B values the reported figures imply, λ* = (μ − t)/σ² with μ and
// σ² their mean and variance: η = t·(1 + λ*·(U − t)), at most U(1 − ε),
// and uses ALPHA's fixed-alternative estimator (η_j = (N·η − S_j)/(N − j
// + 1)). Any η > t keeps the test valid; this one only sizes the bets.
// The ALPHA p-value of each assertion, the largest over the conjunction
// tested, is the risk, as in shangrla.go.
//
// Sample size (advice, not part of the risk limit): the median, over 11
// simulated audits, of the ballots drawn until the risk limit is met when
// the reported figures are right (ballots drawn with replacement from the
// pools' reported figures), as SHANGRLA's find_sample_size with reps.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/triplicate-vote/triplicate/internal/contest"
)

// Pool is a station of a ONEAudit: its reported figures and whether they
// are a valid signed acta that its ballots are compared with.
type Pool struct {
	ID      string
	Totals  contest.Totals
	Trusted bool
}

// OneAudit is a ONEAudit of one contest's reported outcome.
type OneAudit struct {
	// Assertions are the contest's reported outcome and the assertions
	// of the conjunction tested (shangrla.go), on the sum of every
	// pool's reported figures. Its Risk and SampleSize are ballot
	// polling's; OneAudit's own are the comparison's.
	Assertions *Assertions
	// Untrusted is how many pools were polled together.
	Untrusted int

	pools   []contest.Totals // trusted ones, then the untrusted ones summed (if any)
	poolOf  map[string]int
	ballots map[string]int64 // each station's reported ballots
	cvr     [][]float64      // per assorter, per pool: the ONE CVR
	margin  []float64        // per assorter: v
	eta     []float64        // per assorter: ALPHA's fixed alternative
}

// NewOneAudit builds the ONEAudit of contest rule r over pools, for an
// audit at riskLimit. Pool ids must be distinct and every pool have
// ballots.
func NewOneAudit(r contest.Rule, pools []Pool, riskLimit float64) (*OneAudit, error) {
	if len(pools) == 0 {
		return nil, fmt.Errorf("oneaudit: no pools")
	}
	n := len(pools[0].Totals.Votes)
	o := &OneAudit{poolOf: map[string]int{}, ballots: map[string]int64{}}
	all := make([]contest.Totals, 0, len(pools))
	var untrusted []contest.Totals
	for _, p := range pools {
		if len(p.Totals.Votes) != n {
			return nil, fmt.Errorf("oneaudit: pool %s has %d candidates, want %d", p.ID, len(p.Totals.Votes), n)
		}
		if p.Totals.Ballots <= 0 {
			return nil, fmt.Errorf("oneaudit: pool %s has %d ballots", p.ID, p.Totals.Ballots)
		}
		if _, dup := o.poolOf[p.ID]; dup {
			return nil, fmt.Errorf("oneaudit: pool %s listed twice", p.ID)
		}
		o.poolOf[p.ID] = -1
		o.ballots[p.ID] = p.Totals.Ballots
		all = append(all, p.Totals)
		if p.Trusted {
			o.poolOf[p.ID] = len(o.pools)
			o.pools = append(o.pools, p.Totals)
		} else {
			untrusted = append(untrusted, p.Totals)
		}
	}
	if len(untrusted) > 0 {
		o.Untrusted = len(untrusted)
		u := len(o.pools)
		for _, p := range pools {
			if !p.Trusted {
				o.poolOf[p.ID] = u
			}
		}
		o.pools = append(o.pools, contest.Sum(n, untrusted))
	}
	as, err := NewAssertions(r, contest.Sum(n, all), riskLimit)
	if err != nil {
		return nil, err
	}
	o.Assertions = as
	N := float64(as.Ballots)
	for k := range as.Assorters {
		a := &as.Assorters[k]
		cvr := make([]float64, len(o.pools))
		var sum float64
		for i := range o.pools {
			cvr[i] = a.poolMean(o.pools[i])
			sum += float64(o.pools[i].Ballots) * cvr[i]
		}
		o.cvr = append(o.cvr, cvr)
		o.margin = append(o.margin, 2*sum/N-1)
		o.eta = append(o.eta, o.kellyEta(k))
	}
	return o, nil
}

// kellyEta is the alternative whose ALPHA bet is Kelly's for the B values
// of assertion k that the reported figures imply (the file comment); 0
// when the assertion needs no test or cannot be tested.
func (o *OneAudit) kellyEta(k int) float64 {
	a := &o.Assertions.Assorters[k]
	v := o.margin[k]
	if a.Certain || a.Unconfirmable || !(v > 0) {
		return 0
	}
	var n, s1, s2 float64
	for p, t := range o.pools {
		vals, counts := a.levels(t)
		for i, x := range vals {
			b, c := o.overstatement(k, p, x), float64(counts[i])
			n, s1, s2 = n+c, s1+c*b, s2+c*b*b
		}
	}
	u := 2 / (2 - v/a.Upper)
	mu := s1 / n
	variance := s2/n - mu*mu
	if !(mu > 0.5) {
		return 1 / (2 - v/a.Upper) // the reported figures' own mean, as shangrla.go
	}
	eta := u * (1 - eps)
	if variance > 0 {
		eta = math.Min(eta, 0.5*(1+(mu-0.5)/variance*(u-0.5)))
	}
	return eta
}

// poolMean is the mean of the assorter over the ballots that figures t
// describe: a ballot in no category (votes, blank, null) adds the base
// alone. It is clamped to [0, Upper] for figures that cannot hold.
func (s *Assorter) poolMean(t contest.Totals) float64 {
	return s.poolMeanOver(t, t.Ballots)
}

// poolMeanOver is poolMean over n ballots, t.Ballots of them described by
// t and the rest not found (value 0).
func (s *Assorter) poolMeanOver(t contest.Totals, n int64) float64 {
	if s.Certain {
		return 1
	}
	if s.Unconfirmable {
		return 0.5
	}
	sum := s.base * float64(t.Ballots)
	for i, v := range t.Votes {
		sum += s.coef[i] * float64(v)
	}
	sum += (s.blank-s.base)*float64(t.Blank) + (s.null-s.base)*float64(t.Null)
	// Σ a(b) over the ballots found = (Σ e'(b) − lo·found)/(−2·lo).
	m := (sum - s.lo*float64(t.Ballots)) / (-2 * s.lo) / float64(n)
	return math.Min(math.Max(m, 0), s.Upper)
}

// OneDraw is a ballot drawn in a ONEAudit: the pool (station) it was
// drawn from and what the hand count read on it.
type OneDraw struct {
	Pool   string
	Ballot Ballot
}

// Value returns the overstatement assorter B of assertion k for a draw.
func (o *OneAudit) Value(k int, d OneDraw) (float64, error) {
	p, ok := o.poolOf[d.Pool]
	if !ok {
		return 0, fmt.Errorf("no pool %q in the contest", d.Pool)
	}
	a := &o.Assertions.Assorters[k]
	x, err := a.Value(d.Ballot)
	if err != nil {
		return 0, err
	}
	return o.overstatement(k, p, x), nil
}

func (o *OneAudit) overstatement(k, p int, x float64) float64 {
	u := o.Assertions.Assorters[k].Upper
	return (1 - (o.cvr[k][p]-x)/u) / (2 - o.margin[k]/u)
}

// test returns the ALPHA test of assertion k's overstatement assorter.
func (o *OneAudit) test(k int) (Alpha, bool) {
	a := &o.Assertions.Assorters[k]
	v := o.margin[k]
	if !(v > 0) {
		return Alpha{}, false
	}
	ub := 2 / (2 - v/a.Upper)
	return Alpha{N: o.Assertions.Ballots, T: 0.5, U: ub, Eta: o.eta[k], Fixed: true}, true
}

// Margin is assertion k's margin over the ONE CVRs (v).
func (o *OneAudit) Margin(k int) float64 { return o.margin[k] }

// Risk measures each assertion's risk on the draws, in the order drawn
// (without replacement), and returns the audit's: the largest; 1 if an
// assertion cannot be confirmed by sampling. A sample of every ballot is
// a full count: risk 0 if it bears the outcome out, 1 if not.
func (o *OneAudit) Risk(sample []OneDraw) (risk float64, each []float64, err error) {
	if int64(len(sample)) > o.Assertions.Ballots {
		return 1, nil, fmt.Errorf("%d ballots drawn from a contest of %d", len(sample), o.Assertions.Ballots)
	}
	each = make([]float64, len(o.Assertions.Assorters))
	x := make([]float64, len(sample))
	pools := make([]int, len(sample))
	for i, d := range sample {
		p, ok := o.poolOf[d.Pool]
		if !ok {
			return 1, nil, fmt.Errorf("ballot %d of the sample: no pool %q in the contest", i+1, d.Pool)
		}
		pools[i] = p
	}
	for k := range o.Assertions.Assorters {
		a := &o.Assertions.Assorters[k]
		switch {
		case a.Certain:
			continue
		case a.Unconfirmable:
			each[k], risk = 1, 1
			continue
		}
		var sumA float64
		for i, d := range sample {
			v, err := a.Value(d.Ballot)
			if err != nil {
				return 1, nil, fmt.Errorf("ballot %d of the sample: %w", i+1, err)
			}
			sumA += v
			x[i] = o.overstatement(k, pools[i], v)
		}
		test, ok := o.test(k)
		switch {
		case int64(len(sample)) == o.Assertions.Ballots:
			if sumA > 0.5*float64(o.Assertions.Ballots) || (!a.strict && sumA == 0.5*float64(o.Assertions.Ballots)) {
				each[k] = 0
			} else {
				each[k] = 1
			}
		case !ok:
			each[k] = 1
		default:
			if each[k], _, err = test.PValues(x); err != nil {
				return 1, nil, fmt.Errorf("assertion %q: %w", a.Says, err)
			}
		}
		risk = math.Max(risk, each[k])
	}
	return risk, each, nil
}

// SampleSize estimates the ballots to draw for the audit to confirm the
// outcome at riskLimit if the reported figures are right (the file
// comment); Ballots if an assertion cannot be confirmed by sampling.
func (o *OneAudit) SampleSize(riskLimit float64) (int64, error) {
	if err := checkRiskLimit(riskLimit); err != nil {
		return 0, err
	}
	var size int64
	for k := range o.Assertions.Assorters {
		a := &o.Assertions.Assorters[k]
		if a.Certain {
			continue
		}
		test, ok := o.test(k)
		if a.Unconfirmable || !ok {
			return o.Assertions.Ballots, nil
		}
		// The ballots' B values by level, over every pool.
		var vals []float64
		var cum []int64
		var total int64
		for p, t := range o.pools {
			av, counts := a.levels(t)
			for i, x := range av {
				if counts[i] > 0 {
					total += counts[i]
					vals = append(vals, o.overstatement(k, p, x))
					cum = append(cum, total)
				}
			}
		}
		const reps = 11
		sizes := make([]int64, reps)
		for r := range reps {
			rng := rand.New(rand.NewPCG(1234567890, uint64(k*reps+r)))
			next := func() float64 {
				j := rng.Int64N(total)
				return vals[sort.Search(len(cum), func(i int) bool { return cum[i] > j })]
			}
			n, err := test.alphaSampleSize(next, riskLimit)
			if err != nil {
				return 0, fmt.Errorf("assertion %q: %w", a.Says, err)
			}
			sizes[r] = n
		}
		slices.Sort(sizes)
		size = max(size, sizes[reps/2])
	}
	return size, nil
}
