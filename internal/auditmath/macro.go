package auditmath

// MACRO: batch-comparison risk-limiting audit (Philip B. Stark, "Efficient
// post-election audits of multiple contests: 2009 California tests", 2009,
// SSRN 1443314), with Arlo's conventions for the risk and the round sizes
// (votingworks/arlo, server/audit_math/macro.py).
//
// Notation. The contests c audited together each have reported winners W_c
// and losers L_c (Contest.Winners and Contest.Losers: the NumWinners most
// voted candidates and the rest, ties broken by candidate id). For a winner
// w and a loser l of c, V_wl = V_w − V_l is the reported margin in votes
// from the contest totals (Contest.Votes). The ballots are in batches p
// (polling stations). For batch p, v_p(k) is the reported number of votes
// for candidate k of contest c (BatchResult.Votes[c][k], 0 if absent), a_p(k)
// the number the hand count finds, and b_cp the number of ballots in the
// batch that contain contest c (BatchResult.ContestBallots[c] if given, else
// BatchResult.Ballots if the batch reports contest c, else 0). A batch
// "reports" contest c if its Votes or ContestBallots has the key c.
//
// Error bound (MacroErrorBound, Arlo's compute_max_error, the paper's u_p):
//
//	u_p = max over c reported by p, w ∈ W_c, l ∈ L_c of (v_p(w) − v_p(l) + b_cp) / V_wl
//
// or 0 if the batch reports none of the contests, or +Inf if one of those
// contests has a pair with V_wl ≤ 0 (a tie: only a full hand count can
// settle it). A hand count finds at least 0 votes for w and at most b_cp for
// l, so batch p can overstate the margin of (w, l) by at most
// v_p(w) − v_p(l) + b_cp votes. U = Σ_p u_p.
//
// Sampling (PPEB, probability proportional to error bound, as in Arlo's
// draw_ppeb_sample): each draw is independent, with replacement, and picks
// batch p with probability u_p/U. A batch may be drawn more than once; each
// draw counts. Batches with u_p = 0 are never drawn.
//
// Ballots in no batch. N_c = max(0, Contest.Ballots − Σ_p b_cp) ballots of
// contest c are in no batch (Arlo's "pending" and "unauditable" ballots): they
// cannot be audited and each may hold a vote for any loser. The batches must
// then overstate the margin of (w, l) by at least
//
//	V'_wl = min(V_wl, Σ_p (v_p(w) − v_p(l))) − N_c
//
// votes for the outcome to be wrong (V'_wl = V_wl when the batches account
// for every ballot and vote of the contest totals, the usual case). If some
// V'_wl ≤ 0 the outcome cannot be confirmed by sampling (risk 1, full hand
// count). With u'_p the bound u_p computed with V' in place of V, and
// r = max_p u'_p/u_p over the batches with u_p > 0 (r = 1 when V' = V), let
//
//	M = r·U
//
// (Arlo's U, which Arlo computes with V'; r makes the test valid for draws
// weighted by u_p, the bound computed from the contest totals, whatever the
// relation between V and V'. When all margins shrink in the same
// proportion, as in every Arlo test, u'_p/u_p is the same for all batches
// and the test is exactly Arlo's.)
//
// Discrepancy: the maximum across-contest relative overstatement of batch p is
//
//	e_p = max over c reported or hand-counted in p, w ∈ W_c, l ∈ L_c of
//	      ((v_p(w) − v_p(l)) − (a_p(w) − a_p(l))) / V'_wl
//
// and the taint of a draw of batch p is τ = e_p/(r·u_p) ≤ u'_p/(r·u_p) ≤ 1
// (e_p ≤ u'_p as long as the hand count finds at most b_cp votes for a
// candidate; if it finds more, τ may reach 1 and the risk is 1). e_p and τ
// are negative when the hand count shows every margin of the batch's
// contests larger than reported (an understatement).
//
// Why it limits the risk. If some reported winner w of some contest did not
// truly beat some reported loser l (counting the N_c unaccounted ballots as
// votes for l), the batches overstate the margin of (w, l) by at least V'_wl
// votes, so Σ_p e_p ≥ 1. Under PPEB a draw's Y = e_p/(u_p/U) then has mean
// Σ_p e_p ≥ 1 and Y ≤ M, so X = 1 − Y/M = 1 − τ is nonnegative with mean at
// most 1 − 1/M. The product of X_j/(1 − 1/M) over independent draws is a
// nonnegative supermartingale with mean at most 1; by Markov's (Ville's)
// inequality it reaches 1/α with probability at most α, whatever the
// stopping rule. This is the Kaplan–Markov bound of the paper.
//
// Risk (MacroRisk, Arlo's compute_risk): over the n draws,
//
//	P = Π_{j=1..n} (1 − 1/M) / (1 − τ_j)
//
// the measured risk is min(P, 1), and the outcomes are confirmed iff P ≤ α.
// P is taken over all the draws given (as Arlo does now; the running
// minimum would also be valid), so a later draw with a large taint can undo
// a confirmation. A draw with τ ≥ 1 makes P infinite: no number of further
// draws can confirm. A draw of a batch with u_p = 0 (which PPEB never
// makes) is skipped, as Arlo skips a sampled batch without the contest,
// unless the hand count shows a positive overstatement there (risk 1).
//
// Full hand count. When every reported batch has been hand counted (every
// key of reported is in audited), the risk is 0 if the hand count confirms
// the reported winners (for every pair, Σ_p (a_p(w) − a_p(l)) − N_c > 0, or
// = 0 for a pair reported as tied), and 1 otherwise: the hand count is then
// the result. (Arlo returns 0 and "confirmed" whatever the count shows.)
//
// Sample size (MacroSampleSize, Arlo's get_sample_sizes; advice, not part
// of the risk limit). Assuming no discrepancies in further draws (τ = 0),
// the audit confirms after the smallest n ≥ 0 with P·(1 − 1/M)^n ≤ α,
//
//	n* = ⌈(ln α − ln P) / ln(1 − 1/M)⌉
//
// (the paper's ⌈ln α / ln(1 − 1/U)⌉ before any draw, P = 1). MacroSampleSize
// returns 0 if the draws so far confirm (P ≤ α), and otherwise
// min(n* + 1, N) with N the number of batches: Arlo adds one draw "to allow
// for small discrepancies" (after Mark Lindeman), and N means a full hand
// count (Arlo's sampler then takes every batch). It also returns N when the
// outcome cannot be confirmed by sampling (a tie, V' ≤ 0, or P infinite).
//
// Arithmetic. u_p, U, r, M, e_p, τ and P are exact rationals (math/big.Rat;
// Arlo uses Python's Decimal at 28 digits); the risk is P rounded to the
// nearest float64; α is the decimal the caller wrote (0.05 is 1/20 exactly,
// as Arlo's Decimal(risk_limit)/100); n* is found with float64 logarithms
// and then checked exactly against P·(1 − 1/M)^n ≤ α.
//
// Where this departs from Arlo (none of it changes a value that Arlo's tests
// assert):
//   - several contests are audited together by the maximum across contests,
//     as in the paper; Arlo computes each contest on its own. With one
//     contest the two agree;
//   - understatements count (τ < 0 lowers the risk), as in the paper; Arlo
//     counts a negative e_p as 0;
//   - a taint above 1 gives risk 1; in Arlo it makes P negative, and so
//     "confirmed";
//   - Arlo's pending and unauditable ballots are the ballots in no batch,
//     from Contest.Ballots; V' also never exceeds the batches' own sum;
//   - the sample size starts from the exact P, not from min(P, 1) as a
//     float64, and is N when P is infinite (Arlo starts again from 1);
//   - a drawn batch that reports a contest must have that contest's hand
//     count (Arlo skips the contest for that draw: it audits each contest
//     apart and a batch may be drawn for another contest);
//   - a full hand count that contradicts the reported winners gives risk 1,
//     not confirmed;
//   - combined batches (Arlo's combined_batches) are not supported.
//
// Input. Every contest must pass Contest.Validate; a batch's votes for each
// candidate of a contest it reports must be between 0 and b_cp, and hand
// counts must not be negative; every drawn batch must be among the reported
// ones and hand counted. MacroSampleSize reports invalid input as an error
// and MacroRisk answers it with risk 1, not confirmed. Counts are int64 and
// must stay far below 2^62.
//
// Assumptions: the paper ballots are complete and trustworthy (so a full
// hand count shows the true outcome), the ballot counts b_cp and
// Contest.Ballots are right (a compliance audit checks them), the draws are
// made by PPEB with weights proportional to MacroErrorBound, and a full hand
// count takes over when the audit does not confirm.

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"sort"
	"strconv"
)

// BatchResult is one batch's (one station's) figures for MACRO: votes per
// candidate per contest, and the ballots in it.
type BatchResult struct {
	// Ballots is the number of ballots in the batch: b_cp for every
	// contest the batch reports, unless ContestBallots says otherwise.
	Ballots int64
	// ContestBallots optionally gives, by contest id, the number of the
	// batch's ballots that contain the contest (Arlo's per-contest
	// "ballots"), when not every ballot of the batch has every contest.
	ContestBallots map[string]int64
	// Votes is contest id → candidate id → votes.
	Votes map[string]map[string]int64
}

// reports tells whether the batch has figures for contest c.
func (b BatchResult) reports(c string) bool {
	if _, ok := b.Votes[c]; ok {
		return true
	}
	_, ok := b.ContestBallots[c]
	return ok
}

// ballots returns b_cp, the batch's ballots that contain contest c.
func (b BatchResult) ballots(c string) int64 {
	if n, ok := b.ContestBallots[c]; ok {
		return n
	}
	if _, ok := b.Votes[c]; ok {
		return b.Ballots
	}
	return 0
}

// macroPair is a winner–loser pair of a contest, with its margins.
type macroPair struct {
	contest string
	w, l    string
	v       int64 // V_wl, from the contest totals
	vAdj    int64 // V'_wl
}

// macroAudit holds what the risk and the sample size need from the contests
// and the reported batches.
type macroAudit struct {
	contests []Contest
	pairs    []macroPair
	reported map[string]BatchResult
	// unaccounted is N_c by contest id.
	unaccounted map[string]int64
	// tied: some pair has V ≤ 0 or V' ≤ 0; sampling cannot confirm.
	tied bool
	// u holds u_p (from the contest totals) for every batch; nil when tied.
	u map[string]macroFrac
	// r is max u'_p/u_p, m is M = r·U; nil when tied.
	r, m *big.Rat
}

// errMacroInput marks inputs that MacroRisk answers with risk 1.
var errMacroInput = errors.New("auditmath: MACRO")

func macroErrorf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errMacroInput}, args...)...)
}

// MacroErrorBound returns a batch's maximum relative overstatement bound u_p
// over the contests (Arlo's compute_max_error), used to weight the PPEB
// sample: 0 if the batch reports none of the contests, +Inf if one of the
// contests it reports is tied. The margins are the contest totals'.
func MacroErrorBound(contests []Contest, reported BatchResult) float64 {
	u, ok := macroBound(macroPairs(contests), reported, false)
	if !ok {
		return math.Inf(1)
	}
	return u.float()
}

// macroPairs returns the winner–loser pairs of the contests, in order, with
// their margins V from the contest totals.
func macroPairs(contests []Contest) []macroPair {
	var pairs []macroPair
	for _, c := range contests {
		ls := c.Losers()
		for _, w := range c.Winners() {
			for _, l := range ls {
				pairs = append(pairs, macroPair{contest: c.ID, w: w, l: l, v: c.Votes[w] - c.Votes[l]})
			}
		}
	}
	return pairs
}

// macroFrac is the fraction n/d, d > 0.
type macroFrac struct{ n, d int64 }

// cmp compares x and y exactly (by 128-bit cross products).
func (x macroFrac) cmp(y macroFrac) int {
	sx, sy := macroSign(x.n), macroSign(y.n)
	if sx != sy || sx == 0 {
		return macroSign(int64(sx - sy))
	}
	xh, xl := bits.Mul64(macroAbs(x.n), uint64(y.d))
	yh, yl := bits.Mul64(macroAbs(y.n), uint64(x.d))
	c := 0
	switch {
	case xh != yh:
		c = macroSign(int64(macroCmpUint(xh, yh)))
	case xl != yl:
		c = macroSign(int64(macroCmpUint(xl, yl)))
	}
	return c * sx
}

func macroCmpUint(a, b uint64) int {
	if a < b {
		return -1
	}
	return 1
}

func macroSign(x int64) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

func macroAbs(x int64) uint64 {
	if x < 0 {
		return uint64(-x)
	}
	return uint64(x)
}

func (x macroFrac) rat() *big.Rat { return big.NewRat(x.n, x.d) }

func (x macroFrac) float() float64 {
	const exact = 1 << 53
	if x.n > -exact && x.n < exact && x.d < exact {
		return float64(x.n) / float64(x.d) // correctly rounded
	}
	f, _ := x.rat().Float64()
	return f
}

// macroBound returns u_p for batch b, or with adj u'_p (the margins V'
// in place of V). ok is false when a contest that b reports has a pair
// with margin ≤ 0.
func macroBound(pairs []macroPair, b BatchResult, adj bool) (u macroFrac, ok bool) {
	best := macroFrac{0, 1}
	for _, p := range pairs {
		if !b.reports(p.contest) {
			continue
		}
		v := p.v
		if adj {
			v = p.vAdj
		}
		if v <= 0 {
			return macroFrac{}, false
		}
		x := macroFrac{b.Votes[p.contest][p.w] - b.Votes[p.contest][p.l] + b.ballots(p.contest), v}
		if x.cmp(best) > 0 {
			best = x
		}
	}
	return best, true
}

// newMacroAudit checks the contests and the reported batches and computes
// the pairs, margins and bounds.
func newMacroAudit(contests []Contest, reported map[string]BatchResult) (*macroAudit, error) {
	if len(contests) == 0 {
		return nil, macroErrorf("no contests")
	}
	if len(reported) == 0 {
		return nil, macroErrorf("no batches")
	}
	a := &macroAudit{contests: contests, reported: reported, unaccounted: map[string]int64{}}
	seen := map[string]bool{}
	for _, c := range contests {
		if seen[c.ID] {
			return nil, macroErrorf("contest %q listed twice", c.ID)
		}
		seen[c.ID] = true
		if err := c.Validate(); err != nil {
			return nil, macroErrorf("%v", err)
		}
	}
	keys := macroKeys(reported)
	for _, k := range keys {
		b := reported[k]
		if b.Ballots < 0 {
			return nil, macroErrorf("batch %q: %d ballots", k, b.Ballots)
		}
		for _, c := range contests {
			if !b.reports(c.ID) {
				continue
			}
			bc := b.ballots(c.ID)
			if bc < 0 {
				return nil, macroErrorf("batch %q, contest %q: %d ballots", k, c.ID, bc)
			}
			for cand, v := range b.Votes[c.ID] {
				if v < 0 || v > bc {
					return nil, macroErrorf("batch %q, contest %q: candidate %q has %d votes for %d ballots", k, c.ID, cand, v, bc)
				}
			}
		}
	}
	for _, c := range contests {
		var ballots int64
		for _, k := range keys {
			ballots += reported[k].ballots(c.ID)
		}
		a.unaccounted[c.ID] = max(0, c.Ballots-ballots)
	}
	a.pairs = macroPairs(contests)
	for i := range a.pairs {
		p := &a.pairs[i]
		var sum int64
		for _, k := range keys {
			v := reported[k].Votes[p.contest]
			sum += v[p.w] - v[p.l]
		}
		p.vAdj = min(p.v, sum) - a.unaccounted[p.contest]
		if p.v <= 0 || p.vAdj <= 0 {
			a.tied = true
		}
	}
	if a.tied || len(a.pairs) == 0 {
		return a, nil
	}
	adjusted := false
	for _, p := range a.pairs {
		adjusted = adjusted || p.vAdj != p.v
	}
	a.u = make(map[string]macroFrac, len(keys))
	sums := map[int64]*big.Int{} // Σ of u_p's numerators by denominator
	r := big.NewRat(1, 1)
	for _, k := range keys {
		u, _ := macroBound(a.pairs, reported[k], false)
		a.u[k] = u
		if sums[u.d] == nil {
			sums[u.d] = new(big.Int)
		}
		sums[u.d].Add(sums[u.d], big.NewInt(u.n))
		if adjusted && u.n > 0 {
			ua, _ := macroBound(a.pairs, reported[k], true)
			if q := new(big.Rat).Quo(ua.rat(), u.rat()); q.Cmp(r) > 0 {
				r = q
			}
		}
	}
	total := new(big.Rat)
	for d, n := range sums {
		total.Add(total, new(big.Rat).SetFrac(n, big.NewInt(d)))
	}
	a.r = r
	a.m = new(big.Rat).Mul(r, total)
	if a.m.Cmp(big.NewRat(1, 1)) <= 0 {
		// Cannot happen with votes ≤ ballots (then M > 1); kept so that
		// 1 − 1/M is never ≤ 0.
		a.tied = true
	}
	return a, nil
}

// macroKeys returns the batch ids in order, so that nothing depends on map
// order.
func macroKeys(m map[string]BatchResult) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// macroResult is a measured risk: P = num/den, or infinite.
type macroResult struct {
	full     bool // every batch hand counted
	infinite bool
	p        *big.Rat
}

// measure computes P for the draws, or the full-count verdict.
func (a *macroAudit) measure(audited map[string]BatchResult, draws []string) (macroResult, error) {
	for k, b := range audited {
		for _, c := range a.contests {
			for cand, v := range b.Votes[c.ID] {
				if v < 0 {
					return macroResult{}, macroErrorf("hand count of batch %q, contest %q: candidate %q has %d votes", k, c.ID, cand, v)
				}
			}
		}
	}
	full := true
	for k := range a.reported {
		if _, ok := audited[k]; !ok {
			full = false
			break
		}
	}
	if full {
		for k, b := range a.reported {
			for _, c := range a.contests {
				if b.reports(c.ID) && !audited[k].reports(c.ID) {
					return macroResult{}, macroErrorf("batch %q has no hand count for contest %q", k, c.ID)
				}
			}
		}
		return macroResult{full: true, p: a.fullCount(audited)}, nil
	}
	if len(a.pairs) == 0 {
		// No contest has a loser: no outcome can be wrong.
		return macroResult{p: new(big.Rat)}, nil
	}
	if a.tied {
		return macroResult{infinite: true}, nil
	}
	// P = q^n / Π(1 − τ_j), q = (M − 1)/M = qn/qd, with Π(1 − τ_j) = tn/td.
	mm := a.m
	qn := new(big.Int).Sub(mm.Num(), mm.Denom())
	qd := new(big.Int).Set(mm.Num())
	tn, td := big.NewInt(1), big.NewInt(1)
	var n int64
	type drawn struct {
		skip, inf bool
		tau       *big.Rat
	}
	cache := map[string]drawn{}
	one := big.NewRat(1, 1)
	for _, k := range draws {
		d, ok := cache[k]
		if !ok {
			rep, ok := a.reported[k]
			if !ok {
				return macroResult{}, macroErrorf("drawn batch %q is not among the reported batches", k)
			}
			aud, ok := audited[k]
			if !ok {
				return macroResult{}, macroErrorf("drawn batch %q has no hand count", k)
			}
			var e macroFrac
			have := false
			for _, p := range a.pairs {
				inRep, inAud := rep.reports(p.contest), aud.reports(p.contest)
				if inRep && !inAud {
					return macroResult{}, macroErrorf("drawn batch %q has no hand count for contest %q", k, p.contest)
				}
				if !inRep && !inAud {
					continue
				}
				rv, av := rep.Votes[p.contest], aud.Votes[p.contest]
				x := macroFrac{(rv[p.w] - rv[p.l]) - (av[p.w] - av[p.l]), p.vAdj}
				if !have || x.cmp(e) > 0 {
					e, have = x, true
				}
			}
			u := a.u[k]
			switch {
			case u.n == 0:
				// PPEB never draws this batch; a positive overstatement
				// here means the error bound was wrong.
				d = drawn{skip: !have || e.n <= 0, inf: have && e.n > 0}
			case e.n == 0:
				d = drawn{tau: new(big.Rat)}
			default:
				tau := new(big.Rat).Quo(e.rat(), new(big.Rat).Mul(a.r, u.rat()))
				d = drawn{tau: tau, inf: tau.Cmp(one) >= 0}
			}
			cache[k] = d
		}
		if d.inf {
			return macroResult{infinite: true}, nil
		}
		if d.skip {
			continue
		}
		n++
		if d.tau.Sign() != 0 {
			x := new(big.Rat).Sub(one, d.tau)
			tn.Mul(tn, x.Num())
			td.Mul(td, x.Denom())
		}
	}
	e := big.NewInt(n)
	num := new(big.Int).Exp(qn, e, nil)
	num.Mul(num, td)
	den := new(big.Int).Exp(qd, e, nil)
	den.Mul(den, tn)
	return macroResult{p: new(big.Rat).SetFrac(num, den)}, nil
}

// fullCount returns 0 if the hand count of every batch confirms the reported
// winners, and 1 otherwise.
func (a *macroAudit) fullCount(audited map[string]BatchResult) *big.Rat {
	for _, c := range a.contests {
		for _, w := range c.Winners() {
			for _, l := range c.Losers() {
				var h int64
				for k := range a.reported {
					av := audited[k].Votes[c.ID]
					h += av[w] - av[l]
				}
				h -= a.unaccounted[c.ID]
				if h < 0 || (h == 0 && c.Votes[w] != c.Votes[l]) {
					return big.NewRat(1, 1)
				}
			}
		}
	}
	return new(big.Rat)
}

// macroAlpha returns the risk limit as the decimal fraction the caller wrote.
func macroAlpha(riskLimit float64) (*big.Rat, error) {
	if err := checkRiskLimit(riskLimit); err != nil {
		return nil, err
	}
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(riskLimit, 'g', -1, 64))
	if !ok {
		return nil, fmt.Errorf("auditmath: risk limit %v", riskLimit)
	}
	return r, nil
}

// MacroRisk measures the risk after comparing the sampled batches' reported
// figures with their hand counts: draws lists each draw (a batch may be
// drawn more than once), reported and audited the figures by batch id
// (audited holds at least the drawn batches). It returns the measured risk
// min(P, 1) and whether P ≤ riskLimit. Input it cannot use (an invalid risk
// limit or contest, votes above a batch's ballots, a draw of an unknown
// batch or of one without a hand count for a contest it reports) gives risk
// 1, not confirmed; MacroSampleSize reports the reason.
func MacroRisk(riskLimit float64, contests []Contest, reported map[string]BatchResult, audited map[string]BatchResult, draws []string) (risk float64, confirmed bool) {
	alpha, err := macroAlpha(riskLimit)
	if err != nil {
		return 1, false
	}
	a, err := newMacroAudit(contests, reported)
	if err != nil {
		return 1, false
	}
	res, err := a.measure(audited, draws)
	if err != nil || res.infinite {
		return 1, false
	}
	if res.p.Cmp(big.NewRat(1, 1)) >= 0 {
		return 1, false
	}
	f, _ := res.p.Float64()
	return f, res.p.Cmp(alpha) <= 0
}

// MacroSampleSize returns how many batch draws to make next (Arlo's
// get_sample_sizes for MACRO): 0 if the draws so far confirm, the number of
// batches for a full hand count, else the draws that would confirm if they
// show no discrepancy, plus one. The arguments are MacroRisk's. It fails
// with ErrAllAudited when every batch has been hand counted, and with
// ErrNoLosers when no contest has a loser.
func MacroSampleSize(riskLimit float64, contests []Contest, reported map[string]BatchResult, audited map[string]BatchResult, draws []string) (int64, error) {
	alpha, err := macroAlpha(riskLimit)
	if err != nil {
		return 0, err
	}
	if len(reported) > 0 {
		all := true
		for k := range reported {
			if _, ok := audited[k]; !ok {
				all = false
				break
			}
		}
		if all {
			return 0, fmt.Errorf("%w: every batch has been hand counted", ErrAllAudited)
		}
	}
	a, err := newMacroAudit(contests, reported)
	if err != nil {
		return 0, err
	}
	if len(a.pairs) == 0 {
		return 0, ErrNoLosers
	}
	n := int64(len(reported))
	res, err := a.measure(audited, draws)
	if err != nil {
		return 0, err
	}
	if res.infinite {
		return n, nil
	}
	if res.p.Cmp(alpha) <= 0 {
		return 0, nil
	}
	q := new(big.Rat).Quo(new(big.Rat).Sub(a.m, big.NewRat(1, 1)), a.m)
	need := macroDrawsNeeded(res.p, q, alpha, n)
	return min(need+1, n), nil
}

// macroDrawsNeeded returns the smallest k ≥ 0 with p·q^k ≤ alpha (0 < q < 1),
// or limit+1 if that k exceeds limit.
func macroDrawsNeeded(p, q, alpha *big.Rat, limit int64) int64 {
	// ln q = log1p(−(1 − q)), accurate for q near 1.
	m, _ := new(big.Rat).Sub(big.NewRat(1, 1), q).Float64()
	x := (macroLn(alpha) - macroLn(p)) / math.Log1p(-m)
	if x > float64(limit)+2 {
		return limit + 1
	}
	k := max(int64(math.Ceil(x)), 0)
	ok := func(k int64) bool {
		e := big.NewInt(k)
		lhs := new(big.Int).Exp(q.Num(), e, nil)
		lhs.Mul(lhs, p.Num())
		lhs.Mul(lhs, alpha.Denom())
		rhs := new(big.Int).Exp(q.Denom(), e, nil)
		rhs.Mul(rhs, p.Denom())
		rhs.Mul(rhs, alpha.Num())
		return lhs.Cmp(rhs) <= 0
	}
	for k > 0 && ok(k-1) {
		k--
	}
	for k <= limit && !ok(k) {
		k++
	}
	return min(k, limit+1)
}

// macroLn returns the natural logarithm of a positive rational, for
// values beyond float64's range too.
func macroLn(r *big.Rat) float64 {
	f := new(big.Float).SetPrec(64).SetRat(r)
	mant := new(big.Float)
	exp := f.MantExp(mant)
	m, _ := mant.Float64()
	return math.Log(m) + float64(exp)*math.Ln2
}
