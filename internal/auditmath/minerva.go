package auditmath

// Minerva: round-by-round ballot-polling risk-limiting audit (Zagórski,
// McClearn, Morin, McBurnett and Vora, "Minerva — an Efficient Risk-Limiting
// Ballot Polling Audit", USENIX Security 2021; arXiv 2008.02315), as Arlo
// runs it (votingworks/arlo, server/audit_math/minerva.py, which calls the
// athena package, filipzz/athena): risk and first-round sizes per
// winner–loser pair, later rounds on a fixed geometric schedule.
//
// Setting. Ballots are drawn uniformly at random with replacement, in rounds.
// Each winner–loser pair (w, l) is audited as a two-candidate contest on the
// ballots with a vote for w or for l ("relevant" ballots): with V_w > V_l
// reported, p = V_w/(V_w+V_l) is w's reported share of them. Let n_j be the
// cumulative number of relevant ballots after round j and k_j the cumulative
// number of them for w. Given n_j, k_j is binomial: under the alternative H_a
// (the reported shares) with parameter p, under the null H_0 (a tie, the
// least favourable wrong outcome) with parameter 1/2.
//
// Stopping rule. Let A_j(k) and Z_j(k) be the probabilities, under H_a and
// H_0, that the audit did not stop in rounds 1..j−1 and k_j = k; both are
// computed exactly by convolving the previous round's distribution, cut at
// its stopping threshold, with Binomial(n_j − n_{j−1}, ·). The round's
// threshold k_min(j) is the smallest k ≥ ⌊n_j/2⌋ with
//
//	α · Σ_{i≥k} A_j(i) ≥ Σ_{i≥k} Z_j(i)
//
// (none if no k ≤ n_j qualifies), and the audit stops, confirming the pair,
// in round j if k_j ≥ k_min(j). The pair's measured risk (p-value) in round j
// is the ratio of tails at the observed count,
//
//	σ_j = Σ_{i≥k_j} Z_j(i) / Σ_{i≥k_j} A_j(i),   capped at 1,
//
// which is at most α exactly when k_j ≥ k_min(j) if the ratio of tails
// decreases in k, as it does in round 1 (the binomial's monotone likelihood
// ratio) and in every case tested; the decision follows k_min, the rule the
// risk bound is about, and σ_j is reported. Summed over the rounds, the chance
// of stopping under H_0 is at most α times the chance under H_a, hence at
// most α: the rule is risk-limiting for a round schedule (n_1, n_2, …) fixed
// independently of the sample's votes (Minerva's theorem; the schedule of
// relevant ballots is random only through the drawing, which is allowed).
// A contest is confirmed when every winner–loser pair is; a pair confirmed
// in a round is not tested again (its σ stays the one that confirmed it).
// The contest's risk is the largest σ over the pairs: for the pairs still
// being tested, σ of the last round examined. (Arlo reports the largest over
// the pairs still tested only; the two differ only once the contest is
// confirmed, and both are then at most α.) Rounds after the one that
// confirms the contest are ignored, as in Arlo.
//
// Round sizes. First round: for each pair, the size of the first round (in
// relevant ballots) whose chance of stopping under H_a is the target (0.7,
// 0.8, 0.9) is found by Athena's bisection: an upper end of 10,000 doubled
// until the chance reaches the target, then bisection on [1, upper] keeping
// the upper end of the last bracket (the chance is not monotone in the size,
// because of the discreteness of k_min, so this is not always the smallest
// such size; it is the size Arlo reports). For pair margins (V_w−V_l)/(V_w+V_l)
// below 1.5% Athena, and Arlo, use instead the normal approximation
//
//	n = ⌈((z_a·√(p(1−p)) − z_b/2) / (p − 1/2))²⌉,  z_a = Φ⁻¹(1−target), z_b = Φ⁻¹(1−α·target)
//
// (MinervaFirstRoundSize computes the exact search at any margin). The pair's
// size is scaled to ballots by ⌈n · Ballots/(V_w+V_l)⌉ and the contest's size
// is the largest over the pairs. Later rounds: Arlo does not search; the
// round after r completed rounds has ⌊n_1 · 1.5^{r+1}⌋ ballots, n_1 the first
// round's ballots (Arlo's config MINERVA_MULTIPLE and the formula of
// minerva.py at votingworks/arlo@99528a66). That schedule is fixed once the
// first round is, as the risk limit requires; a round size chosen from the
// votes sampled so far would break Minerva's guarantee (Arlo's minerva.py
// says as much).
//
// Arithmetic: float64 throughout, as Athena; binomial mass functions by
// Loader's method (binomial.go), only over the window where they do not
// underflow, and direct (not FFT) convolution, so that small tails keep their
// relative accuracy. Arlo's values are matched to about 1e-9 relative.
//
// Departures from Arlo, all in cases Arlo gets wrong or cannot compute: a
// loser with no reported votes is handled exactly (p = 1) where Arlo adds a
// vote to every such loser before calling Athena (which cannot take a margin
// of 1); a contest with no loser is an error (Arlo returns size −1).

import (
	"errors"
	"fmt"
	"math"
)

// MinervaRoundMultiple is the growth of Minerva's round schedule after the
// first round (Arlo's MINERVA_MULTIPLE, 1.5 by default).
const MinervaRoundMultiple = 1.5

// MinervaQuantiles are the chances of stopping in the first round for which
// MinervaSampleSizes gives sizes, as Arlo offers them.
var MinervaQuantiles = []float64{0.7, 0.8, 0.9}

// minervaApproxMargin is Athena's approximation threshold: below this pair
// margin the first round size is the normal approximation.
const minervaApproxMargin = 0.015

// mnvDist is a distribution over the integers lo..lo+len(p)−1 (zero
// elsewhere), not necessarily summing to 1.
type mnvDist struct {
	lo int64
	p  []float64
}

// conv returns the convolution of d with the distribution q on lo2.. .
func (d mnvDist) conv(lo2 int64, q []float64) mnvDist {
	if len(d.p) == 0 {
		return d
	}
	out := make([]float64, len(d.p)+len(q)-1)
	for i, a := range d.p {
		if a == 0 {
			continue
		}
		o := out[i : i+len(q)]
		for j, b := range q {
			o[j] += a * b
		}
	}
	return mnvDist{d.lo + lo2, out}.trim()
}

// trim drops zero entries at both ends.
func (d mnvDist) trim() mnvDist {
	i, j := 0, len(d.p)
	for i < j && d.p[i] == 0 {
		i++
	}
	for j > i && d.p[j-1] == 0 {
		j--
	}
	return mnvDist{d.lo + int64(i), d.p[i:j]}
}

// cut drops the mass at k and above.
func (d mnvDist) cut(k int64) mnvDist {
	if k-d.lo < int64(len(d.p)) {
		d.p = d.p[:max(0, k-d.lo)]
	}
	return d.trim()
}

// tails returns a function giving Σ_{i≥k} d(i), from suffix sums taken
// smallest terms first.
func (d mnvDist) tails() func(k int64) float64 {
	s := make([]float64, len(d.p)+1)
	for i := len(d.p) - 1; i >= 0; i-- {
		s[i] = s[i+1] + d.p[i]
	}
	return func(k int64) float64 {
		i := k - d.lo
		switch {
		case i <= 0:
			return s[0]
		case i >= int64(len(d.p)):
			return 0
		}
		return s[i]
	}
}

// minervaPair is the Minerva test of one winner–loser pair over rounds.
type minervaPair struct {
	alpha  float64
	p      float64 // the winner's reported share of the pair's votes
	n      int64   // relevant ballots so far
	fa, f0 mnvDist // not-yet-stopped distributions of the winner count under H_a and H_0
}

func newMinervaPair(vw, vl int64, alpha float64) *minervaPair {
	return &minervaPair{
		alpha: alpha,
		p:     float64(vw) / float64(vw+vl),
		fa:    mnvDist{0, []float64{1}},
		f0:    mnvDist{0, []float64{1}},
	}
}

// minervaRound is the state of a pair's test at the end of a round.
type minervaRound struct {
	n      int64 // cumulative relevant ballots
	kmin   int64 // the stopping threshold, if found
	found  bool
	ta, t0 func(k int64) float64 // tails of the not-yet-stopped distributions
}

// reachable reports whether the threshold can be reached: the winner count
// at or above it has positive probability under H_a.
func (r minervaRound) reachable() bool { return r.found && r.ta(r.kmin) > 0 }

// pValue returns the pair's risk σ for an observed cumulative winner count k,
// with Athena's conventions where the tails underflow.
func (r minervaRound) pValue(k int64) float64 {
	if !r.found {
		return 1
	}
	a := r.ta(k)
	if a > 0 {
		return math.Min(1, r.t0(k)/a)
	}
	if r.kmin < k {
		return 0 // both tails underflow, far above the threshold
	}
	return 1
}

// advance extends the pair's test by a round ending at n relevant ballots
// (cumulative, at least the previous n), returning the round's state. The
// distributions are then cut at the threshold, for the next round.
func (m *minervaPair) advance(n int64) minervaRound {
	d := n - m.n
	loA, pmfA := binomWindow(d, m.p)
	lo0, pmf0 := binomWindow(d, 0.5)
	m.fa = m.fa.conv(loA, pmfA)
	m.f0 = m.f0.conv(lo0, pmf0)
	m.n = n
	r := minervaRound{n: n, ta: m.fa.tails(), t0: m.f0.tails()}
	r.kmin, r.found = m.threshold(n, r.ta, r.t0)
	if r.found {
		m.fa = m.fa.cut(r.kmin)
		m.f0 = m.f0.cut(r.kmin)
	}
	return r
}

// threshold returns the smallest k in ⌊n/2⌋..n with α·ta(k) ≥ t0(k).
func (m *minervaPair) threshold(n int64, ta, t0 func(int64) float64) (int64, bool) {
	ok := func(k int64) bool { return m.alpha*ta(k) >= t0(k) }
	k0 := n / 2
	if ok(k0) {
		return k0, true
	}
	// Below both supports the tails are constant (the totals): skip there.
	start := max(k0, min(m.fa.lo, m.f0.lo))
	end := max(m.fa.lo+int64(len(m.fa.p)), m.f0.lo+int64(len(m.f0.p))) // both tails 0 from here
	for k := start; k <= n; k++ {
		if k >= end {
			return k, ok(k) // 0 ≥ 0: Athena's threshold beyond the support
		}
		if ok(k) {
			return k, true
		}
	}
	return 0, false
}

// minervaPairs returns the contest's winner–loser pairs with their reported votes.
func minervaPairs(c Contest) [][2]string {
	var pairs [][2]string
	for _, w := range c.Winners() {
		for _, l := range c.Losers() {
			pairs = append(pairs, [2]string{w, l})
		}
	}
	return pairs
}

// CheckMinervaRounds reports whether roundSizes and sample describe a valid
// audit: as many rounds of each, no negative count, and in each round no
// more votes than ballots drawn. MinervaRisk gives risk 1 on input it rejects.
func CheckMinervaRounds(roundSizes []int64, sample []map[string]int64) error {
	if len(roundSizes) == 0 {
		return errors.New("no round")
	}
	if len(roundSizes) != len(sample) {
		return fmt.Errorf("%d round sizes but %d rounds of sample", len(roundSizes), len(sample))
	}
	for r, size := range roundSizes {
		var votes int64
		for cand, v := range sample[r] {
			if v < 0 {
				return fmt.Errorf("round %d: %d votes for %q", r+1, v, cand)
			}
			votes += v
		}
		if votes > size {
			return fmt.Errorf("round %d: %d votes in %d ballots drawn (incorrect number of valid ballots entered)", r+1, votes, size)
		}
	}
	return nil
}

// MinervaRisk measures the risk after rounds of a Minerva audit: roundSizes
// are the ballots drawn in each round and sample the votes per candidate in
// each round's ballots (both per round, not cumulative, in the order drawn).
// It returns the measured risk (the largest p-value σ over the winner–loser
// pairs, capped at 1: for a pair confirmed in an earlier round, the σ that
// confirmed it) and whether the outcome is confirmed (every pair's σ at most
// riskLimit in some round: its winner count reached the round's threshold
// k_min).
//
// The round sizes only bound the votes: Minerva's schedule is, for each
// pair, the cumulative number of ballots with a vote for either. Rounds
// after the one that confirms are ignored, as in Arlo. Invalid input (see
// CheckMinervaRounds), a risk limit outside (0, 1), a contest that fails
// Contest.Validate or one with no loser give risk 1, not confirmed.
func MinervaRisk(c Contest, riskLimit float64, roundSizes []int64, sample []map[string]int64) (risk float64, confirmed bool) {
	if checkRiskLimit(riskLimit) != nil || c.Validate() != nil || CheckMinervaRounds(roundSizes, sample) != nil {
		return 1, false
	}
	pairs := minervaPairs(c)
	if len(pairs) == 0 {
		return 1, false
	}
	tests := make([]*minervaPair, len(pairs))
	for i, pr := range pairs {
		tests[i] = newMinervaPair(c.Votes[pr[0]], c.Votes[pr[1]], riskLimit)
	}
	done := make([]bool, len(pairs))
	cum := map[string]int64{}
	frozen := 0.0 // the largest p-value of the pairs confirmed in earlier rounds
	for r := range roundSizes {
		for cand, v := range sample[r] {
			cum[cand] += v
		}
		risk = frozen
		all := true
		for i, pr := range pairs {
			if done[i] {
				continue
			}
			sigma, stop := 1.0, false // a tie is never confirmed
			if c.Votes[pr[0]] > c.Votes[pr[1]] {
				kw, kl := cum[pr[0]], cum[pr[1]]
				st := tests[i].advance(kw + kl)
				sigma, stop = st.pValue(kw), st.found && kw >= st.kmin
			}
			risk = math.Max(risk, sigma)
			if stop {
				done[i] = true
				frozen = math.Max(frozen, sigma)
			} else {
				all = false
			}
		}
		if all {
			return risk, true
		}
	}
	return risk, false
}

// MinervaSampleSizes returns Arlo's sample-size options for the next round
// of a Minerva audit, in ballots to draw in that round.
//
// Before the first round (no roundSizes) they are the first-round sizes
// giving a 70%, 80% and 90% chance of confirming in that round if the
// reported shares are right ("0.7", "0.8", "0.9"), found as the file comment
// says. After r ≥ 1 rounds there is a single option, "0.9", the next round
// of Arlo's fixed schedule ⌊n_1 · 1.5^{r+1}⌋ with n_1 = roundSizes[0]; sample
// is then only checked (see CheckMinervaRounds). A tie between a winner and a
// loser gives Ballots for each option (a full hand count). Errors:
// ErrNoLosers, an invalid risk limit, contest (Contest.Validate) or rounds.
func MinervaSampleSizes(c Contest, riskLimit float64, roundSizes []int64, sample []map[string]int64) (map[string]int64, error) {
	if err := checkRiskLimit(riskLimit); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if len(roundSizes) > 0 {
		if err := CheckMinervaRounds(roundSizes, sample); err != nil {
			return nil, err
		}
		next := float64(roundSizes[0]) * math.Pow(MinervaRoundMultiple, float64(len(roundSizes)+1))
		return map[string]int64{"0.9": int64(next)}, nil
	}
	return minervaFirstRound(c, riskLimit, MinervaQuantiles, true)
}

// MinervaFirstRoundSize returns the size, in ballots, of a first round with
// chance pstop of confirming the contest if the reported shares are right:
// the largest over the winner–loser pairs of Athena's bisection (see the file
// comment), without the normal approximation that Arlo uses for pair margins
// below 1.5%. A tie gives Ballots.
func MinervaFirstRoundSize(c Contest, riskLimit, pstop float64) (int64, error) {
	if err := checkRiskLimit(riskLimit); err != nil {
		return 0, err
	}
	if !(pstop > 0 && pstop < 1) {
		return 0, fmt.Errorf("stopping probability %v: want a fraction between 0 and 1", pstop)
	}
	if err := c.Validate(); err != nil {
		return 0, err
	}
	m, err := minervaFirstRound(c, riskLimit, []float64{pstop}, false)
	if err != nil {
		return 0, err
	}
	return m[fmt.Sprint(pstop)], nil
}

// minervaFirstRound computes the first-round sizes for the quantiles, with
// Athena's normal approximation below 1.5% pair margin if approx.
func minervaFirstRound(c Contest, alpha float64, quants []float64, approx bool) (map[string]int64, error) {
	pairs := minervaPairs(c)
	if len(pairs) == 0 {
		return nil, ErrNoLosers
	}
	out := map[string]int64{}
	for _, pr := range pairs {
		vw, vl := c.Votes[pr[0]], c.Votes[pr[1]]
		if vw == vl {
			for _, q := range quants {
				out[fmt.Sprint(q)] = c.Ballots
			}
			return out, nil
		}
	}
	for _, q := range quants {
		var size int64
		for _, pr := range pairs {
			vw, vl := c.Votes[pr[0]], c.Votes[pr[1]]
			bc := vw + vl
			margin := float64(vw-vl) / float64(bc)
			var n int64
			if approx && margin < minervaApproxMargin {
				n = minervaApproxSize(margin, alpha, q)
			} else {
				n = minervaBisect(vw, vl, alpha, q)
			}
			scaled := int64(math.Ceil(float64(n) * (float64(c.Ballots) / float64(bc))))
			size = max(size, scaled)
		}
		out[fmt.Sprint(q)] = size
	}
	return out, nil
}

// minervaApproxSize is Athena's round_size_approx: the first round size (in
// relevant ballots) by the normal approximation, for a pair margin m.
func minervaApproxSize(m, alpha, q float64) int64 {
	za := invNormalCDF(1 - q)
	zb := invNormalCDF(1 - alpha*q)
	p := (1 + m) / 2
	x := (za*math.Sqrt(p*(1-p)) - 0.5*zb) / (p - 0.5)
	return int64(math.Ceil(x * x))
}

// MinervaStopProb returns, for one pair with vw and vl reported votes
// (vw > vl) and a first round of n relevant ballots, the stopping threshold
// k_min (−1 if there is none) and the chance of stopping in that round if the
// reported shares are right, Σ_{i≥k_min} Binomial(n, p)(i).
func MinervaStopProb(vw, vl, n int64, riskLimit float64) (kmin int64, pstop float64) {
	if vw <= vl || vl < 0 || n < 0 {
		return -1, 0 // a tie or a wrong order cannot be confirmed
	}
	m := newMinervaPair(vw, vl, riskLimit)
	r := m.advance(n)
	if !r.reachable() {
		return -1, 0
	}
	return r.kmin, r.ta(r.kmin)
}

// MinervaKmins returns, for one pair with vw and vl reported votes (vw > vl)
// and a schedule of cumulative relevant ballots, each round's stopping
// threshold k_min (−1 where the round cannot stop) and the chance, if the
// reported shares are right, of stopping in that round (not before). The
// schedule must not decrease; a round that does, or a pair with vw ≤ vl,
// gets −1.
func MinervaKmins(vw, vl int64, riskLimit float64, schedule []int64) (kmins []int64, pstop []float64) {
	m := newMinervaPair(vw, vl, riskLimit)
	for i, n := range schedule {
		if vw <= vl || vl < 0 || n < m.n || (i > 0 && n == 0) {
			kmins, pstop = append(kmins, -1), append(pstop, 0)
			continue
		}
		r := m.advance(n)
		if r.reachable() {
			kmins = append(kmins, r.kmin)
			pstop = append(pstop, r.ta(r.kmin))
		} else {
			kmins = append(kmins, -1)
			pstop = append(pstop, 0)
		}
	}
	return kmins, pstop
}

// minervaBisect is Athena's search for a first round size (in relevant
// ballots) with chance at least q of stopping, for the pair vw > vl.
func minervaBisect(vw, vl int64, alpha, q float64) int64 {
	stop := func(n int64) float64 {
		_, p := MinervaStopProb(vw, vl, n, alpha)
		return p
	}
	hi := int64(10000)
	for stop(hi) < q && hi < 1<<34 {
		hi *= 2
	}
	lo := int64(1)
	for hi-lo > 1 {
		mid := (hi + lo) / 2
		if stop(mid) <= q {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}
