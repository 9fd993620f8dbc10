package auditmath

// Assorters: SHANGRLA's reduction of an outcome to means (Stark,
// "Sets of Half-Average Nulls Generate Risk-Limiting Audits: SHANGRLA",
// Financial Cryptography 2020, arXiv 1911.10035).
//
// internal/contest writes every outcome as linear assertions over the
// figures (contest.Assertion): with n_c the ballots of category c (a
// vote for candidate or list i, blank, null; ballots with several marks
// count once in each candidate they mark),
//
//	Σ_b e(b) + K > 0   (≥ 0 when not strict),
//
// where e(b) = Σ_{i marked on b} Votes[i] + Ballots + Blank·[b blank] +
// Null·[b null] is what one ballot adds and K = Registered·registered is
// fixed by the roll. Over the N ballots of the contest this is
// ē' > 0 for e'(b) = e(b) + K/N. With lo < 0 the least and hi the most any
// ballot can add,
//
//	a(b) = (e'(b) − lo) / (−2·lo)   in [0, u],  u = (hi − lo)/(−2·lo),
//
// is an assorter: its mean over the ballots is above 1/2 exactly when
// ē' > 0, so the assertion holds (a non-strict one too: its null ē' < 0 is
// inside the tested null mean ≤ 1/2). The construction gives SHANGRLA's
// own assorters where SHANGRLA has one: for "w beats l" (e = +1 for w, −1
// for l, 0 otherwise) a = 1 for w, 0 for l, 1/2 for any other ballot
// (SHANGRLA's make_plurality_assertions); for "c has more than a share f
// of the valid votes" (e = 1−f for c, −f for another valid vote, 0 for
// blank or null, all times 10000) a = 1/(2f) for c, 0 for another valid
// vote, 1/2 for the rest (make_supermajority_assertion). It gives the
// others the same way: no candidate over f (a runoff), a lead of more
// than L points, a list's quotient over another's, a referendum's yes
// over no and its approval quorum.
//
// A ballot that cannot be found counts as lo (a = 0), the least favourable
// value. An assertion whose lo ≥ 0 (> 0 for a strict one) holds whatever
// the ballots say, given their number (a turnout quorum: N against the
// roll): it needs no sample. One with lo = 0 that is strict, or with no
// ballot able to make it hold, cannot be confirmed by sampling.

import (
	"fmt"
	"math"
	"slices"

	"github.com/triplicate-vote/triplicate/internal/contest"
)

// Ballot is what the hand count reads, for one contest, on one ballot
// drawn: the candidates or lists it marks (indexes of the contest's
// Totals.Votes), none for a blank ballot; or a null (spoilt) ballot; or
// a ballot missing from its box.
type Ballot struct {
	Marks   []int
	Null    bool
	Missing bool
}

// String writes the ballot as the tests and errors name it.
func (b Ballot) String() string {
	switch {
	case b.Missing:
		return "missing"
	case b.Null:
		return "null"
	case len(b.Marks) == 0:
		return "blank"
	}
	return fmt.Sprint(b.Marks)
}

// Assorter is one assertion of a contest's outcome as SHANGRLA audits it:
// a value for each ballot, in [0, Upper], whose mean over the contest's
// ballots is above 1/2 exactly when the assertion holds.
type Assorter struct {
	// Says is the assertion in words, from internal/contest.
	Says string
	// Upper is the largest value a ballot can take.
	Upper float64
	// Mean is the mean over the ballots the reported figures imply.
	Mean float64
	// Certain says that the assertion holds whatever the ballots say,
	// given their number: it needs no sample.
	Certain bool
	// Unconfirmable says that no sample can confirm it (only a full
	// count can).
	Unconfirmable bool

	coef         []float64 // e of a mark for each candidate
	blank, null  float64   // e of a blank and of a null ballot
	base         float64   // Ballots + K/N: what every ballot adds
	lo           float64
	strict       bool
	votesAllowed int
}

// newAssorter builds the assorter of assertion a over the N = t.Ballots
// ballots of totals t, whose ballots mark at most votesAllowed candidates.
func newAssorter(a contest.Assertion, t contest.Totals, votesAllowed int) (Assorter, error) {
	n := len(t.Votes)
	if t.Ballots <= 0 {
		return Assorter{}, fmt.Errorf("assertion %q: %d ballots", a.Says, t.Ballots)
	}
	N := float64(t.Ballots)
	s := Assorter{Says: a.Says, coef: make([]float64, n), strict: a.Strict, votesAllowed: votesAllowed}
	for i := range n {
		if i < len(a.Votes) {
			s.coef[i] = float64(a.Votes[i])
		}
	}
	s.base = float64(a.Ballots) + float64(a.Registered)*float64(t.Registered)/N
	s.blank = float64(a.Blank) + s.base
	s.null = float64(a.Null) + s.base
	// The least and the most one ballot can add: blank, null, or one to
	// votesAllowed marks (the first, then more while they help).
	sorted := slices.Clone(s.coef)
	slices.Sort(sorted)
	lo, hi := math.Min(s.blank, s.null), math.Max(s.blank, s.null)
	if n > 0 {
		mlo, mhi := s.base+sorted[0], s.base+sorted[n-1]
		for k := 1; k < min(votesAllowed, n); k++ {
			if c := sorted[k]; c < 0 {
				mlo += c
			}
			if c := sorted[n-1-k]; c > 0 {
				mhi += c
			}
		}
		lo, hi = math.Min(lo, mlo), math.Max(hi, mhi)
	}
	s.lo = lo
	value := float64(a.Value(&t)) / N // ē' on the reported figures
	switch {
	case lo > 0 || (lo == 0 && !a.Strict):
		s.Certain, s.Upper, s.Mean = true, 1, 1
		return s, nil
	case lo == 0 || hi < 0 || (hi == 0 && a.Strict):
		s.Unconfirmable, s.Upper, s.Mean = true, 1, 0.5
		return s, nil
	}
	s.Upper = (hi - lo) / (-2 * lo)
	s.Mean = (value - lo) / (-2 * lo)
	return s, nil
}

// Value returns the assorter's value for one ballot. A ballot with marks
// out of range or more marks than the contest allows is an error.
func (s *Assorter) Value(b Ballot) (float64, error) {
	if s.Certain {
		return 1, nil
	}
	if s.Unconfirmable {
		return 0.5, nil
	}
	var e float64
	switch {
	case b.Missing:
		return 0, nil
	case b.Null:
		e = s.null
	case len(b.Marks) == 0:
		e = s.blank
	default:
		if len(b.Marks) > s.votesAllowed {
			return 0, fmt.Errorf("ballot %v: %d marks, the contest allows %d", b, len(b.Marks), s.votesAllowed)
		}
		e = s.base
		for k, i := range b.Marks {
			if i < 0 || i >= len(s.coef) {
				return 0, fmt.Errorf("ballot %v: no candidate %d", b, i)
			}
			if slices.Contains(b.Marks[:k], i) {
				return 0, fmt.Errorf("ballot %v: candidate %d marked twice", b, i)
			}
			e += s.coef[i]
		}
	}
	return (e - s.lo) / (-2 * s.lo), nil
}

// levels returns the assorter's values on the reported figures and how
// many ballots take each, for the sample-size estimate: a mark for
// candidate i as a ballot with that mark alone, blank and null ballots,
// and ballots in none of these as null. Where ballots mark several
// candidates the counts add up to more than the ballots; the excess is
// taken from the values nearest 1/2 (for a plurality pair: SHANGRLA's
// n_½ = N − n_w − n_l).
func (s *Assorter) levels(t contest.Totals) (vals []float64, counts []int64) {
	byVal := map[float64]int64{}
	var total int64
	add := func(e float64, c int64) {
		if c > 0 {
			byVal[(e-s.lo)/(-2*s.lo)] += c
			total += c
		}
	}
	var votes int64
	for i, v := range t.Votes {
		add(s.base+s.coef[i], v)
		votes += v
	}
	add(s.blank, t.Blank)
	add(s.null, t.Null+max(0, t.Ballots-votes-t.Blank-t.Null))
	for v := range byVal {
		vals = append(vals, v)
	}
	slices.Sort(vals)
	// Nearest 1/2 first, to take the excess from.
	near := slices.Clone(vals)
	slices.SortStableFunc(near, func(x, y float64) int {
		dx, dy := math.Abs(x-0.5), math.Abs(y-0.5)
		switch {
		case dx < dy:
			return -1
		case dx > dy:
			return 1
		}
		return 0
	})
	for excess := total - t.Ballots; excess > 0 && len(near) > 0; near = near[1:] {
		take := min(excess, byVal[near[0]])
		byVal[near[0]] -= take
		excess -= take
	}
	counts = make([]int64, len(vals))
	for i, v := range vals {
		counts[i] = byVal[v]
	}
	return vals, counts
}

// interleaved returns the values of levels in the order SHANGRLA's
// Assertion.interleave_values lays out a population of small, medium and
// big values, generalised to any number of levels: the smallest value
// first (if any ballot takes it, else the next), then at each step the
// level with the largest share of its ballots still to come, ties going
// to the biggest value, then the smallest, then the others from the
// smallest up.
func interleaved(vals []float64, counts []int64) func() float64 {
	k := len(vals)
	used := make([]int64, k)
	r := make([]float64, k) // share still to come; 0 for an empty level
	for i := range k {
		if counts[i] > 0 {
			r[i] = 1
		}
	}
	// Priority order on ties: biggest, smallest, then the middle ones.
	prio := make([]int, 0, k)
	if k > 0 {
		prio = append(prio, k-1)
	}
	for i := 0; i < k-1; i++ {
		prio = append(prio, i)
	}
	first := true
	return func() float64 {
		pick := -1
		if first {
			first = false
			for i := range k {
				if counts[i] > 0 {
					pick = i
					break
				}
			}
		} else {
			for _, i := range prio {
				if pick < 0 || r[i] > r[pick] {
					pick = i
				}
			}
		}
		if pick < 0 {
			return 0.5
		}
		used[pick]++
		r[pick] = float64(counts[pick]-used[pick]) / float64(counts[pick])
		return vals[pick]
	}
}
