package contest

import (
	"math"
	"math/bits"
	"slices"
)

// selection is the fewest stations that break one assertion: the k
// stations of largest decrease, those above tau and takeEq of those
// equal to it; a is the assertion and x the pass that found them.
type selection struct {
	ok          bool
	k           int
	tau, takeEq int64
	a           *Assertion
	x           *decreases
}

// decreases is one assertion's part of a pass: how far each station
// could lower it, D_s. D_s is base times the station's votes, plus coef
// times the votes of the candidates idx, plus the blank, null, ballots
// and registered terms: the candidates' coefficients less the one most
// of them share, so that most assertions cost a term or two a station.
type decreases struct {
	a                     *Assertion
	base                  int64
	idx                   []int
	coef                  []int64
	blank, null, bal, reg int64
	// need is by how much the assertion must fall.
	need int64
	// The bracket [lo, hi] where the cut likely lies (bracket), and what
	// the pass keeps of it (classify): upper are the stations above it
	// and sum their decreases; in are those in it, vals their decreases,
	// each in station order. missed says the bracket missed the cut:
	// the decreases above it reach need already, or one is too large
	// for 32 bits.
	lo, hi uint64
	kept
	// d holds max(D_s, 0) per station, MaxUint32 where it is that or
	// more (such a D_s is computed again where it is needed), where a
	// missed bracket makes the selection look at every decrease; nil
	// otherwise.
	d []uint32
}

func newDecreases(a *Assertion, n int) *decreases {
	x := &decreases{a: a, blank: a.Blank, null: a.Null, bal: a.Ballots}
	lo, _ := span(a, n)
	x.reg = -lo
	var most int
	for _, c := range a.Votes {
		k := 0
		for _, d := range a.Votes {
			if d == c {
				k++
			}
		}
		if k > most {
			most, x.base = k, c
		}
	}
	for i, c := range a.Votes {
		if c != x.base {
			x.idx = append(x.idx, i)
			x.coef = append(x.coef, c-x.base)
		}
	}
	return x
}

// value returns D_s for one station.
func (x *decreases) value(st *Totals) int64 {
	var valid int64
	for _, v := range st.Votes {
		valid += v
	}
	v := x.base*valid + x.blank*st.Blank + x.null*st.Null + x.bal*st.Ballots + x.reg*st.Registered
	for k, i := range x.idx {
		v += x.coef[k] * st.Votes[i]
	}
	return v
}

// clamped is D_s as d holds it: at least 0, at most MaxUint32.
func clamped(v int64) uint32 { return uint32(min(max(v, 0), math.MaxUint32)) }

// at returns max(D_s, 0) for station s.
func (w *decisiveWork) at(x *decreases, s int) int64 {
	if d := x.d[s]; d < math.MaxUint32 {
		return int64(d)
	}
	return x.value(&w.stations[s])
}

// sampleStride is one station in how many that the estimate of the cut
// looks at.
const sampleStride = 64

// prepare readies x for a pass that selects the fewest stations whose
// decreases reach need: it brackets the cut from a sample of the
// stations. Where need is 0 or less no station is needed, and where
// the stations are too many to number in 32 bits every decrease is
// kept; then the pass only computes them.
func (w *decisiveWork) prepare(x *decreases, need int64) {
	x.need = need
	if need <= 0 {
		x.missed = true // nothing to select
		return
	}
	if len(w.stations) > math.MaxInt32 {
		x.missed = true
		return
	}
	sample := make([]int64, 0, len(w.stations)/sampleStride+1)
	for s := sampleStride / 2; s < len(w.stations); s += sampleStride {
		sample = append(sample, int64(clamped(x.value(&w.stations[s]))))
	}
	x.lo, x.hi = bracket(sample, need)
}

// kept is what a pass keeps of one assertion's decreases, over all
// stations or one range of them: upper are the stations above the
// bracket and sum their decreases; in are those in it, vals their
// decreases, each in station order. missed says the bracket missed
// the cut: the decreases above it reach need already, or one is too
// large for 32 bits.
type kept struct {
	upper, in []int32
	vals      []int64
	sum       int64
	missed    bool
}

// classify keeps what the selection of x needs of the decreases d of
// the stations from s0 on: those above the bracket by number, with
// their sum, and those in it with their decreases. It stops keeping
// once those above reach need, or at a decrease too large for 32 bits:
// the bracket missed.
func (k *kept) classify(x *decreases, s0 int, d []uint32) {
	// Written without branches: each station is stored at the end of
	// both lists, and each list's length grows by one where it belongs
	// there (a branch here mispredicts at every station kept).
	k.upper = slices.Grow(k.upper, len(d))
	k.in = slices.Grow(k.in, len(d))
	k.vals = slices.Grow(k.vals, len(d))
	nu, ni := len(k.upper), len(k.in)
	upper, in, vals := k.upper[:cap(k.upper)], k.in[:cap(k.in)], k.vals[:cap(k.vals)]
	lo, hi := x.lo, x.hi
	width := hi - lo
	var saturated uint64
	sum := k.sum
	for j, v := range d {
		u := uint64(v)
		saturated |= (u + 1) >> 32
		_, over := bits.Sub64(hi, u, 0)      // 1 if u > hi
		_, out := bits.Sub64(width, u-lo, 0) // 1 unless lo ≤ u ≤ hi
		above, inside := int(over), int(1-out)
		s := int32(s0 + j)
		upper[nu] = s
		nu += above
		sum += int64(u) & -int64(above)
		in[ni], vals[ni] = s, int64(u)
		ni += inside
	}
	k.upper, k.in, k.vals, k.sum = upper[:nu], in[:ni], vals[:ni], sum
	if saturated != 0 || k.sum >= x.need {
		*k = kept{missed: true}
	}
}

// join adds what a later range of stations kept.
func (k *kept) join(later *kept) {
	if k.missed || later.missed {
		*k = kept{missed: true}
		return
	}
	k.upper = append(k.upper, later.upper...)
	k.in = append(k.in, later.in...)
	k.vals = append(k.vals, later.vals...)
	k.sum += later.sum
}

// selectAll selects, for each of todo (prepared), the fewest stations
// whose decreases reach what it needs: one pass keeps the stations
// around each cut, and one more, for those whose bracket missed, keeps
// every decrease of theirs, from which the cut is found by buckets.
func (w *decisiveWork) selectAll(todo []*decreases) []selection {
	w.pass(todo)
	sels := make([]selection, len(todo))
	var again []*decreases
	for i, x := range todo {
		if sel, ok := x.fromKept(); ok {
			sels[i] = sel
		} else {
			x.d = w.buf()
			again = append(again, x)
		}
	}
	if len(again) > 0 {
		w.pass(again)
	}
	for i, x := range todo {
		if x.d != nil {
			sels[i] = w.fewestByBuckets(x, x.need)
		}
	}
	return sels
}

// fromKept selects from what the pass kept of x; false where the
// bracket missed the cut.
func (x *decreases) fromKept() (selection, bool) {
	if x.need <= 0 {
		return selection{ok: true, tau: math.MaxInt64, a: x.a, x: x}, true
	}
	if x.missed {
		return selection{}, false
	}
	need := x.need - x.sum
	var total int64
	for _, v := range x.vals {
		total += v
	}
	switch {
	case total >= need:
		return x.cut(len(x.upper), slices.Clone(x.vals), need), true
	case x.lo <= 1:
		return selection{a: x.a}, true // every positive decrease together falls short
	default:
		return selection{}, false // the cut lies below the bracket
	}
}

// bracket returns decreases lo ≤ hi, lo ≥ 1, such that the cut where
// the largest decreases reach need likely lies between them: from the
// sample (one station in sampleStride), the cut's rank in it and a
// margin of a few standard deviations either side. hi is 1<<32 (above
// every d) and lo 1 where the margin runs past the sample's ends.
func bracket(sample []int64, need int64) (lo, hi uint64) {
	slices.Sort(sample)
	slices.Reverse(sample) // largest first
	j := len(sample)
	var acc int64
	for i, v := range sample {
		if acc += v * sampleStride; acc >= need {
			j = i
			break
		}
	}
	margin := 2*int(math.Sqrt(float64(j))) + 8
	lo, hi = 1, 1<<32
	if i := j - margin; i >= 0 {
		hi = uint64(sample[i])
	}
	if i := j + margin; i < len(sample) {
		lo = max(lo, uint64(sample[i]))
	}
	return lo, max(lo, hi)
}

// fewestByBuckets is fewest in three passes over the exact decreases:
// the largest, their counts and sums by bucket of the leading bits, and
// the values in the bucket where the running sum from the top reaches
// need.
func (w *decisiveWork) fewestByBuckets(x *decreases, need int64) selection {
	const buckets = 2048
	var top int64
	for s := range x.d {
		top = max(top, w.at(x, s))
	}
	var shift uint
	for top>>shift >= buckets {
		shift++
	}
	var count, sum [buckets]int64
	for s := range x.d {
		if v := w.at(x, s); v > 0 {
			count[v>>shift]++
			sum[v>>shift] += v
		}
	}
	k := 0
	b := buckets - 1
	for ; b >= 0; b-- {
		if sum[b] >= need {
			break
		}
		need -= sum[b]
		k += int(count[b])
	}
	if b < 0 {
		return selection{a: x.a}
	}
	var vals []int64
	for s := range x.d {
		if v := w.at(x, s); v > 0 && v>>shift == int64(b) {
			vals = append(vals, v)
		}
	}
	return x.cut(k, vals, need)
}

// cut completes a selection: k stations are taken already, and the
// largest of vals, whose sum reaches need, are taken to it.
func (x *decreases) cut(k int, vals []int64, need int64) selection {
	slices.Sort(vals)
	slices.Reverse(vals) // largest first
	var i int
	for i = 0; need > 0; i++ {
		need -= vals[i]
	}
	tau := vals[i-1]
	var above int64
	for _, v := range vals[:i] {
		if v > tau {
			above++
		}
	}
	return selection{ok: true, k: k + i, tau: tau, takeEq: int64(i) - above, a: x.a, x: x}
}

// collect returns the stations of a selection, in station order: those
// whose decrease is above tau and the first takeEq equal to it.
func (w *decisiveWork) collect(sel selection) []int {
	out := make([]int, 0, sel.k)
	takeEq := sel.takeEq
	if x := sel.x; x.d == nil {
		// Every station above the bracket, and those in it taken, merged
		// in station order.
		i := 0
		for j, s := range x.in {
			v := x.vals[j]
			if v < sel.tau || (v == sel.tau && takeEq == 0) {
				continue
			}
			if v == sel.tau {
				takeEq--
			}
			for ; i < len(x.upper) && x.upper[i] < s; i++ {
				out = append(out, int(x.upper[i]))
			}
			out = append(out, int(s))
		}
		for _, s := range x.upper[i:] {
			out = append(out, int(s))
		}
		return out
	}
	if sel.tau < math.MaxUint32 {
		// Every decrease that d does not hold exactly is above tau.
		tau, k := uint32(sel.tau), sel.k
		for s, d := range sel.x.d {
			if len(out) == k {
				break
			}
			if d > tau {
				out = append(out, s)
			} else if d == tau && takeEq > 0 {
				out = append(out, s)
				takeEq--
			}
		}
		return out
	}
	for s := range sel.x.d {
		if len(out) == sel.k {
			break
		}
		if v := w.at(sel.x, s); v > sel.tau {
			out = append(out, s)
		} else if v == sel.tau && takeEq > 0 {
			out = append(out, s)
			takeEq--
		}
	}
	return out
}
