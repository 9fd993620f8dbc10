package contest

import (
	"cmp"
	"math"
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
	// d holds max(D_s, 0) per station, MaxUint32 where it is that or
	// more: such a D_s is computed again where it is needed.
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

// fewest finds the fewest stations whose decreases reach need, and the
// smallest decrease among them. A sample of the stations estimates
// where the largest decreases reach need; one pass counts and sums the
// decreases above a bracket around that estimate and keeps those in it,
// which are sorted. Where the bracket misses the cut (the sample was
// unlike the rest, or decreases too large for d), fewestByBuckets
// finds it without the estimate.
func (w *decisiveWork) fewest(x *decreases, need int64) selection {
	if need <= 0 {
		return selection{ok: true, tau: math.MaxInt64, a: x.a, x: x}
	}
	lo, hi := x.bracket(need)
	var above, sum, saturated int64
	var vals []int64
	ds, width := x.d, hi-lo
	for _, d := range ds {
		saturated += int64((uint64(d) + 1) >> 32)
		m := int64((hi - uint64(d)) >> 63) // 1 if d > hi
		above += m
		sum += int64(d) & -m
		if uint64(d)-lo <= width {
			vals = append(vals, int64(d))
		}
	}
	if saturated > 0 || sum >= need {
		return w.fewestByBuckets(x, need)
	}
	need -= sum
	var in int64
	for _, v := range vals {
		in += v
	}
	if in < need {
		if lo > 1 {
			return w.fewestByBuckets(x, need+sum)
		}
		return selection{a: x.a} // every positive decrease together falls short
	}
	return x.cut(int(above), vals, need)
}

// bracket returns decreases lo ≤ hi, lo ≥ 1, such that the cut where
// the largest decreases reach need likely lies between them: from the
// sample, the cut's rank in it and a margin of a few standard
// deviations either side. hi is 1<<32 (above every d) and lo 1 where
// the margin runs past the sample's ends.
func (x *decreases) bracket(need int64) (lo, hi uint64) {
	sample := make([]int64, 0, len(x.d)/sampleStride+1)
	for s := sampleStride / 2; s < len(x.d); s += sampleStride {
		sample = append(sample, int64(x.d[s]))
	}
	slices.SortFunc(sample, func(p, q int64) int { return cmp.Compare(q, p) })
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
	slices.SortFunc(vals, func(p, q int64) int { return cmp.Compare(q, p) })
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
