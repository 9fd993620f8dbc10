package auditmath

// BRAVO: ballot-polling risk-limiting audit (Lindeman, Stark and Yates,
// "BRAVO: Ballot-polling Risk-limiting Audits to Verify Outcomes",
// EVT/WOTE 2012), with Arlo's conventions for the risk and the round sizes
// (votingworks/arlo, server/audit_math/bravo.py).
//
// Setting. Ballots are drawn uniformly at random with replacement from the
// Ballots ballots cast in the contest. For a reported winner w and a reported
// loser l with reported votes V_w > V_l, let s = V_w/(V_w+V_l), w's share of
// the votes for either. A drawn ballot with a vote for w multiplies the test
// statistic T_wl by 2s, one for l by 2(1−s), any other ballot by 1:
//
//	T_wl = (2s)^{n_w} · (2(1−s))^{n_l}
//
// where n_w and n_l count the ballots for w and l among all ballots drawn so
// far, in all rounds. T_wl is Wald's likelihood ratio of "w's share among the
// votes for w or l is s" against "it is 1/2": under the null hypothesis that
// l has at least as many votes as w it is a nonnegative supermartingale with
// mean at most 1, so by Ville's inequality P(sup T_wl ≥ 1/α) ≤ α whatever
// the stopping rule, and in particular when the test is applied at the end
// of each round of any size. The pair's p-value (its measured risk) is
// min(1, 1/T_wl). A plurality contest with several winners and losers is
// confirmed when every winner–loser pair is: its risk is the largest of the
// pairs' p-values. The risk limit holds if the paper ballots are complete and
// trustworthy, the sample is drawn as said, and (as in Arlo) a full hand
// count takes over when the audit does not confirm.
//
// Arithmetic. T_wl is computed exactly from the reported counts: s is a
// rational number, and each power is taken by repeated squaring in
// math/big.Float at 256 bits (Arlo uses Python's Decimal at 28 digits from a
// float64 s); the p-value is then rounded to float64.
//
// Full count. As in Arlo, once the ballots drawn number at least Ballots the
// audit is over (risk 0): Arlo treats that as a full hand count. With
// sampling with replacement that many draws need not have seen every ballot;
// the caller should run a real full count instead.
//
// Sample sizes (Arlo's get_sample_size, not part of the risk limit: only
// advice on how many ballots to draw next). For each winner–loser pair, with
// p_w and p_l their shares of the ballots, s = p_w/(p_w+p_l) and T_wl the
// pair's statistic of the sample so far, the expected number of further
// draws (the paper's ASN, Wald's approximation with a half-step for the
// overshoot) is
//
//	ASN_wl = (ln(1/(α·T_wl)) + ln(2s)/2) / (p_w ln(2s) + p_l ln(2−2s))
//
// rounded up; the sizes with a 70%, 80% or 90% chance of confirming the pair
// in the next round, if the reported shares are right, are Mark Lindeman's
// analytic approximation (two-candidate shares p_w/(p_w+p_l)): the normal
// approximation to the binomial count of winner votes is set equal to the
// count needed to reach 1/α, the quadratic in n solved, the root raised
// until the binomial quantile of the winner count reaches the threshold
// (at most to the contest's ballots), and scaled by 1/(p_w+p_l) for the
// ballots with neither vote. Each option is the largest over the pairs
// whose loser has reported votes: before any sample that is the closest
// pair, but a round can confirm the closest pair and leave another open
// (Arlo since votingworks/arlo#1619, commit 3fcb561f).

import (
	"errors"
	"fmt"
	"math"
	"math/big"
)

// bravoPrec is the precision of the exact test statistic, in bits.
const bravoPrec = 256

// bravoPairRisk returns the p-value min(1, 1/T) of one winner–loser pair,
// with T = (2s)^nw (2(1−s))^nl and s = vw/(vw+vl), computed in big.Float.
func bravoPairRisk(vw, vl, nw, nl int64) float64 {
	t := bravoPairStat(vw, vl, nw, nl)
	if t.Sign() == 0 {
		return 1
	}
	inv := new(big.Float).SetPrec(bravoPrec).Quo(big.NewFloat(1).SetPrec(bravoPrec), t)
	f, _ := inv.Float64()
	return math.Min(f, 1)
}

// bravoPairStat returns T = (2vw/(vw+vl))^nw · (2vl/(vw+vl))^nl.
func bravoPairStat(vw, vl, nw, nl int64) *big.Float {
	t := new(big.Float).SetPrec(bravoPrec).SetInt64(1)
	tot := vw + vl
	if tot == 0 {
		return t // no votes for either: the statistic carries no information
	}
	if nw > 0 {
		t.Mul(t, bigPow(big.NewRat(2*vw, tot), nw))
	}
	if nl > 0 {
		t.Mul(t, bigPow(big.NewRat(2*vl, tot), nl))
	}
	return t
}

// bigPow returns r^e for e ≥ 0 by repeated squaring, at bravoPrec bits.
func bigPow(r *big.Rat, e int64) *big.Float {
	base := new(big.Float).SetPrec(bravoPrec).SetRat(r)
	res := new(big.Float).SetPrec(bravoPrec).SetInt64(1)
	for e > 0 {
		if e&1 == 1 {
			res.Mul(res, base)
		}
		e >>= 1
		if e > 0 {
			base.Mul(base, base)
		}
	}
	return res
}

// sampleDrawn returns the number of ballots in a sample: the sum of all its
// counts, including keys that are not candidates (ballots with no vote for
// any candidate of the contest).
func sampleDrawn(sample map[string]int64) int64 {
	var n int64
	for _, v := range sample {
		n += v
	}
	return n
}

// BravoRisk measures the risk after a sample: sample is the votes per candidate in the
// ballots drawn (all rounds, cumulative, drawn with replacement as Arlo does). It returns the
// measured risk (the p-value: the inverse of the test statistic, capped at 1) and whether it
// is at most riskLimit (the outcome is confirmed).
//
// The sample may also count, under keys that are not candidates of the
// contest, the ballots drawn with no vote for any candidate: they do not
// move the statistic but count as drawn. When the ballots drawn number at
// least c.Ballots the risk is 0 (Arlo's full hand count; see the file
// comment). A contest with no loser has risk 1 and is never confirmed here,
// as in Arlo; so has a contest that fails Contest.Validate. The risk is the
// largest p-value over the winner–loser pairs.
func BravoRisk(c Contest, riskLimit float64, sample map[string]int64) (risk float64, confirmed bool) {
	if c.Validate() != nil {
		return 1, false
	}
	okLimit := checkRiskLimit(riskLimit) == nil
	if c.Ballots > 0 && sampleDrawn(sample) >= c.Ballots {
		return 0, okLimit
	}
	winners, losers := c.Winners(), c.Losers()
	if len(losers) == 0 {
		return 1, false
	}
	risk = 0
	for _, w := range winners {
		for _, l := range losers {
			r := bravoPairRisk(c.Votes[w], c.Votes[l], sample[w], sample[l])
			risk = math.Max(risk, r)
		}
	}
	return risk, okLimit && risk <= riskLimit
}

// bigLog returns ln x for x ≥ 0 (−Inf for 0), for any exponent of x.
func bigLog(x *big.Float) float64 {
	if x.Sign() == 0 {
		return math.Inf(-1)
	}
	mant := new(big.Float)
	exp := x.MantExp(mant) // x = mant · 2^exp, 0.5 ≤ mant < 1
	m, _ := mant.Float64()
	return math.Log(m) + float64(exp)*math.Ln2
}

// bravoShare returns a candidate's reported share of the ballots, in
// float64 as Arlo's p_w and p_l are.
func bravoShare(c Contest, id string) float64 {
	return float64(c.Votes[id]) / float64(c.Ballots)
}

// bravoTied reports whether the smallest winner and the largest loser have
// the same reported votes (Arlo's is_tie): only a full count can settle it.
func bravoTied(c Contest) bool {
	ws, ls := c.Winners(), c.Losers()
	return len(ls) > 0 && c.Votes[ws[len(ws)-1]] == c.Votes[ls[0]]
}

// bravoLandslide reports whether every loser has no reported votes (Arlo's
// is_landslide).
func bravoLandslide(c Contest) bool {
	ls := c.Losers()
	return len(ls) > 0 && c.Votes[ls[0]] == 0
}

// errTied: Arlo's get_expected_sample_size refuses a tied contest (its
// get_sample_size asks for a full count before it gets there).
var errTied = errors.New("cannot compute ASN for a tied contest")

// bravoExpectedSize is Arlo's get_expected_sample_size: for each
// winner–loser pair (w, l) whose loser has reported votes, the ASN of the
// pair given its statistic T_wl so far,
//
//	⌈(ln(1/(α·T_wl)) + ln(2s)/2) / (p_w ln(2s) + p_l ln(2−2s))⌉,  s = p_w/(p_w+p_l),
//
// and the largest of them, with the pair it comes from. The largest, not
// the closest pair's: a round can confirm the closest pair and leave
// another open (Arlo since votingworks/arlo#1619). Errors: ErrNoLosers,
// errTied, ErrAuditOver when no pair needs a positive number of ballots.
//
// A pair whose statistic is 0 (a vote drawn for a loser with no reported
// votes) can never be confirmed by BRAVO: the size is then Ballots, a full
// count (Arlo divides by that 0 and fails).
func bravoExpectedSize(c Contest, alpha float64, sample map[string]int64) (size int64, w, l string, err error) {
	if len(c.Losers()) == 0 {
		return 0, "", "", ErrNoLosers
	}
	if bravoTied(c) {
		return 0, "", "", errTied
	}
	for _, wi := range c.Winners() {
		for _, li := range c.Losers() {
			logT := bigLog(bravoPairStat(c.Votes[wi], c.Votes[li], sample[wi], sample[li]))
			if math.IsInf(logT, -1) {
				return c.Ballots, wi, li, nil
			}
			if c.Votes[li] == 0 {
				continue // s = 1: the formula has ln 0; the pair needs only votes for w
			}
			pw, pl := bravoShare(c, wi), bravoShare(c, li)
			s := pw / (pw + pl)
			zw, zl := math.Log(2*s), math.Log(2-2*s)
			n := int64(math.Ceil((math.Log(1/alpha) - logT + zw/2) / (pw*zw + pl*zl)))
			if n > size {
				size, w, l = n, wi, li
			}
		}
	}
	if size == 0 {
		return 0, "", "", ErrAuditOver
	}
	return size, w, l, nil
}

// bravoPair is what BRAVO's normal approximations of a pair start from: the
// pair's share of the ballots, the winner's and the loser's share within
// it, the log-likelihood steps of a ballot for each, and how far the
// votes sw and sr already drawn leave the test statistic from ln(1/alpha)
// (≤ 0: the sample already confirms the pair).
func bravoPair(alpha, pw, pr float64, sw, sr int64) (pwr, pw2, pr2, plus, minus, threshold float64) {
	pwr = pw + pr
	pw2 = pw / pwr
	pr2 = 1 - pw2
	plus = math.Log(pw2 / 0.5)
	minus = math.Log(pr2 / 0.5)
	threshold = math.Log(1/alpha) - (float64(sw)*plus + float64(sr)*minus)
	return
}

// bravoRoundSize is Mark Lindeman's analytic round size, as in Arlo's
// bravo_sample_sizes: the number of ballots that gives chance pCompletion
// of confirming the pair with ballot shares pw and pr in one more round,
// given sw and sr votes for them already drawn; 0 if the sample already
// confirms the pair. As Arlo's, the search stops at the contest's ballots
// (in the pair's ballots, before scaling): where the binomial quantile
// would never reach the threshold it would not end.
func bravoRoundSize(alpha, pw, pr float64, sw, sr int64, pCompletion float64, ballots int64) int64 {
	_, pw2, pr2, plus, minus, threshold := bravoPair(alpha, pw, pr, sw, sr)
	if threshold <= 0 {
		return 0
	}
	z := -invNormalCDF(pCompletion)
	// Expected winner count at the (1−pCompletion) quantile, n·pw2 + z·√(n·pw2·pr2),
	// equals the count needed, (threshold − minus·n)/(plus − minus): a quadratic in n.
	d := pw2 * pr2
	f := threshold / (plus - minus)
	g := minus/(plus-minus) + pw2
	qa := g * g
	qb := -(z*z*d + 2*f*g)
	qc := f * f
	rad := math.Sqrt(math.Max(0, qb*qb-4*qa*qc))
	var size int64
	if pCompletion > 0.5 {
		size = int64(math.Floor((-qb + rad) / (2 * qa)))
	} else {
		size = int64(math.Floor((-qb - rad) / (2 * qa)))
	}
	size = max(size, 0)
	// Raise until the binomial quantile of the winner count reaches the threshold.
	for size < ballots {
		xc := float64(BinomQuantile(1-pCompletion, size, pw2))
		if xc*plus+(float64(size)-xc)*minus >= threshold {
			break
		}
		size++
	}
	// size/(pw+pr) rounded up, exactly from the float64 shares: as Arlo's
	// Decimal does, so that a quotient that is an integer in float64 but not
	// exactly (1683/(0.36+0.32)) rounds as Arlo's does.
	q := new(big.Rat).SetInt64(size)
	q.Quo(q, new(big.Rat).Add(new(big.Rat).SetFloat64(pw), new(big.Rat).SetFloat64(pr)))
	return ratCeil(q)
}

// ratCeil returns ⌈q⌉ for q ≥ 0.
func ratCeil(q *big.Rat) int64 {
	n, r := new(big.Int).QuoRem(q.Num(), q.Denom(), new(big.Int))
	if r.Sign() > 0 {
		n.Add(n, big.NewInt(1))
	}
	return n.Int64()
}

// bravoExpectedProb is Arlo's expected_prob: the normal approximation of
// the chance that a round of asn more ballots confirms the pair, unrounded.
func bravoExpectedProb(alpha, pw, pr float64, sw, sr, asn int64) float64 {
	pwr, pw2, pr2, plus, minus, threshold := bravoPair(alpha, pw, pr, sw, sr)
	if threshold <= 0 {
		return 0
	}
	n := float64(asn) * pwr
	rx := (threshold - minus*n) / (plus - minus)
	z := (rx - n*pw2) / math.Sqrt(n*pw2*pr2)
	return normalCDF(-z)
}

// BravoQuantiles are the chances of confirming in one round for which
// BravoSampleSizes gives sizes, as Arlo offers them.
var BravoQuantiles = []float64{0.7, 0.8, 0.9}

// BravoSampleSizes returns Arlo's sample-size options for the next round: the ASN
// ("asn") and the sizes giving a 70%, 80%, 90% chance of finishing in that round ("0.7",
// "0.8", "0.9"), given what was sampled so far, as Arlo's get_sample_size does.
//
// Each option is the largest over the winner–loser pairs whose loser has
// reported votes (see bravoExpectedSize): after a round the pair that needs
// the most ballots need not be the closest in the reported results. A pair
// the sample already confirms needs 0; an option that no pair needs is
// left out. The sizes are ballots to draw in the next round (not
// cumulative). As in Arlo: a tie between the smallest winner and the
// largest loser, or a contest of more than 100,000 ballots whose 90% size
// is at least a quarter of them, gives only "all-ballots" (a full hand
// count, of Ballots); losers with no reported votes give only "asn" = 1; a
// contest with several winners gives only "asn". The sample counts as in
// BravoRisk (keys that are not candidates count as ballots drawn). Errors:
// ErrAllAudited if the sample has at least Ballots ballots, ErrNoLosers,
// ErrAuditOver if no pair needs more ballots (the sample already
// confirms), an invalid risk limit or contest (Contest.Validate).
func BravoSampleSizes(c Contest, riskLimit float64, sample map[string]int64) (map[string]int64, error) {
	if err := checkRiskLimit(riskLimit); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if sampleDrawn(sample) >= c.Ballots {
		return nil, ErrAllAudited
	}
	if len(c.Losers()) == 0 {
		return nil, ErrNoLosers
	}
	if bravoTied(c) {
		return map[string]int64{"all-ballots": c.Ballots}, nil
	}
	if bravoLandslide(c) {
		return map[string]int64{"asn": 1}, nil
	}
	asn, _, _, err := bravoExpectedSize(c, riskLimit, sample)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{"asn": asn}
	if c.NumWinners != 1 {
		return out, nil
	}
	for _, q := range BravoQuantiles {
		var size int64
		for _, w := range c.Winners() {
			for _, l := range c.Losers() {
				if c.Votes[l] == 0 {
					continue
				}
				n := bravoRoundSize(riskLimit, bravoShare(c, w), bravoShare(c, l), sample[w], sample[l], q, c.Ballots)
				size = max(size, n)
			}
		}
		if size != 0 {
			out[fmt.Sprint(q)] = size
		}
	}
	if _, ok := out["0.9"]; ok && c.Ballots > 100000 && float64(out["0.9"]) >= 0.25*float64(c.Ballots) {
		return map[string]int64{"all-ballots": c.Ballots}, nil
	}
	return out, nil
}

// BravoRoundProb returns the chance, by the normal approximation Arlo
// reports next to its "asn" option (bravo.py's expected_prob, unrounded),
// that drawing size more ballots confirms the winner–loser pair that sets
// the ASN (the pair needing the most ballots), if the reported shares are
// right. It is 0 if the sample already confirms every pair or the contest
// is tied, and 1 when the losers have no reported votes.
func BravoRoundProb(c Contest, riskLimit float64, sample map[string]int64, size int64) float64 {
	if c.Validate() != nil || len(c.Losers()) == 0 || size <= 0 || checkRiskLimit(riskLimit) != nil {
		return 0
	}
	if bravoLandslide(c) {
		return 1
	}
	_, w, l, err := bravoExpectedSize(c, riskLimit, sample)
	if err != nil || c.Votes[l] == 0 {
		return 0
	}
	return bravoExpectedProb(riskLimit, bravoShare(c, w), bravoShare(c, l), sample[w], sample[l], size)
}

// BravoASN is the expected number of ballots BRAVO draws to confirm a correct outcome (the
// paper's formula), for the figures.
//
// It is ASN = (ln(1/α) + ln(2s)/2) / (p_w ln(2s) + p_l ln(2−2s)) for the
// closest winner–loser pair (the largest over the pairs), with p_w and p_l
// the shares of Ballots and s = p_w/(p_w+p_l), not rounded: +Inf on a tie, 0
// when there is no loser, NaN for a contest that fails Contest.Validate.
func BravoASN(c Contest, riskLimit float64) float64 {
	if c.Validate() != nil {
		return math.NaN()
	}
	if len(c.Losers()) == 0 {
		return 0
	}
	ws, ls := c.Winners(), c.Losers()
	pw, pl := bravoShare(c, ws[len(ws)-1]), bravoShare(c, ls[0])
	if pw <= pl {
		return math.Inf(1)
	}
	sw := pw / (pw + pl)
	zw := math.Log(2 * sw)
	den := pw * zw
	if pl > 0 {
		den += pl * math.Log(2-2*sw)
	}
	return (math.Log(1/riskLimit) + zw/2) / den
}
