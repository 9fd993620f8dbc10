package contest

import "math"

// The bounds below say how few stations an assertion surely needs, so
// that Decisive computes the exact count only where it could matter.

// lowerBound returns a count of stations that assertion a surely needs.
func (w *decisiveWork) lowerBound(a *Assertion) int {
	return max(w.sizeBound(a), w.histBound(a))
}

// histBound is the least k whose bound from the category histograms
// reaches what a needs.
func (w *decisiveWork) histBound(a *Assertion) int {
	if !w.histOK {
		return 0
	}
	t := &w.o.totals
	terms := histTerms(a, len(t.Votes))
	need := a.need(t)
	top := func(h []int64, k int64) int64 {
		var sum int64
		for v := len(h) - 1; v > 0 && k > 0; v-- {
			c := min(h[v], k)
			sum += c * int64(v)
			k -= c
		}
		return sum
	}
	for _, x := range terms {
		if !w.counted[x.col] {
			return 0 // not counted: no bound
		}
	}
	ub := func(k int64) int64 {
		var u int64
		for _, x := range terms {
			u += x.coef * top(w.hist[x.col], k)
		}
		return u
	}
	hi := int64(len(w.stations))
	if ub(hi) < need {
		return math.MaxInt
	}
	lo2 := int64(0) // ub(lo2) < need ≤ ub(hi)
	if need <= 0 {
		return 0
	}
	for hi-lo2 > 1 {
		mid := (lo2 + hi) / 2
		if ub(mid) >= need {
			hi = mid
		} else {
			lo2 = mid
		}
	}
	return int(hi)
}

// sizeBound is the least k whose bound from the stations' sizes
// reaches what a needs.
func (w *decisiveWork) sizeBound(a *Assertion) int {
	t := &w.o.totals
	lo, hi := span(a, len(t.Votes))
	sp := hi - lo
	need := a.need(t)
	if sp == 0 {
		return math.MaxInt
	}
	k := 0
	for _, m := range w.bigSizes {
		if need <= 0 {
			break
		}
		per := sp * m
		if per >= need {
			return k + 1
		}
		need -= per
		k++
	}
	for m := len(w.sizes) - 1; m > 0 && need > 0; m-- {
		c := w.sizes[m]
		if c == 0 {
			continue
		}
		per := sp * int64(m)
		if per*c >= need {
			return k + int((need+per-1)/per)
		}
		need -= per * c
		k += int(c)
	}
	if need > 0 {
		return math.MaxInt
	}
	return k
}

// span returns the least and largest coefficient of one ballot, with
// zero (no ballot) and ballots not in any category.
func span(a *Assertion, n int) (lo, hi int64) {
	lo, hi = min(int64(0), a.Ballots), max(int64(0), a.Ballots)
	for _, x := range a.effective(n) {
		lo, hi = min(lo, x), max(hi, x)
	}
	return lo, hi
}
