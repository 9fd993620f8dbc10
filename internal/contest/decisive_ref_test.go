package contest

// This file keeps the decisive-set algorithm as it was before the pass
// over the stations was made cheaper (commit 389e01a), as a reference:
// TestDecisiveSameAsReference checks that the new one returns the same
// set and floor on random elections.

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"
)

// Decisive returns a smallest-known set of stations whose figures, were
// they wholly false, could alter the outcome, and floor, a count of
// stations that any such set needs at least. It returns nil, 0 if no
// set of stations could alter the outcome. The outcome's totals must be
// the sum of stations.
//
// A station's figures wholly false means its true figures are any
// figures of at most its registered voters. Station s can so lower an
// assertion's value by
//
//	D_s = (its reported contribution) − R_s·min(0, least coefficient of a ballot)
//
// and the fewest stations that break one assertion are those of largest
// D_s, taken until their sum reaches what the assertion needs to fall:
// that count is exact for the assertion, found by bucketing the D_s in
// the pass that computes them and sorting the one bucket at the cut.
//
// Decisive makes at most two passes over the stations' figures. The
// first
// computes the weakest assertion (fewest ballot changes) of every
// conjunction; the second up to refMaxExamined others that a bound does
// not rule out, lowest bound first. The bound: k stations lower an
// assertion by at most Σ over categories of the category's positive
// coefficient times the k largest figures of that category, plus
// −(least coefficient) times the k largest registered counts (from
// histograms built in the first pass); and no station lowers it by more
// than (largest − least coefficient)·max(ballots, registered). An
// assertion left unexamined counts by its bound in floor.
//
// For an outcome resting on one conjunction, set does break it and
// floor ≤ the fewest ≤ len(set), equal when every assertion was
// examined or ruled out. For a disjunction every conjunction must
// break: floor is the largest of the conjunctions' floors, and set the
// largest of their sets, a witness for the count but not by itself a
// set that alters the outcome. A conjunction whose weakest assertion
// breaks with no more stations than another conjunction surely needs
// is not refined.
func refDecisive(o *Outcome, stations []Totals) (set []int, floor int) {
	w := &refWork{o: o, stations: stations, cache: map[string]*refSelection{}}
	defer w.release()
	t := &o.totals
	// Each conjunction's assertions, weakest (fewest ballot changes) first.
	order := make([][]*Assertion, len(o.Rests))
	for ci, c := range o.Rests {
		costs := make(map[*Assertion]int64, len(c))
		for i := range c {
			order[ci] = append(order[ci], &c[i])
			costs[&c[i]] = cost(&c[i], t)
		}
		sort.SliceStable(order[ci], func(i, j int) bool { return costs[order[ci][i]] < costs[order[ci][j]] })
	}
	// First pass: the weakest assertion of every conjunction.
	var first []*Assertion
	for _, as := range order {
		if len(as) > 0 {
			first = append(first, as[0])
		}
	}
	w.evaluate(first)
	// Second pass: the assertions a bound does not rule out. Every
	// conjunction must break, so one whose weakest already breaks with
	// no more stations than another conjunction surely needs cannot
	// raise the count: it is left as it is.
	var second []*Assertion
	unexamined := make([]int, len(order)) // least bound of those left out
	lbs := make([][]int, len(order))
	var surely int
	for ci, as := range order {
		f := math.MaxInt
		for i, a := range as {
			lb := w.lowerBound(a)
			if i == 0 {
				if sel := w.cache[refSignature(a)]; sel.ok {
					lb = sel.k
				}
			}
			lbs[ci] = append(lbs[ci], lb)
			f = min(f, lb)
		}
		surely = max(surely, f)
	}
	type candidate struct {
		ci int
		a  *Assertion
		lb int
	}
	var cands []candidate
	for ci, as := range order {
		unexamined[ci] = math.MaxInt
		if len(as) == 0 {
			continue
		}
		best := w.cache[refSignature(as[0])]
		if len(order) > 1 && best.ok && best.k <= surely {
			continue
		}
		for i, a := range as[1:] {
			if lb := lbs[ci][i+1]; !best.ok || lb < best.k {
				cands = append(cands, candidate{ci, a, lb})
			}
		}
	}
	// Those most likely to need fewer stations first: lowest bound.
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].lb < cands[j].lb })
	claimed := map[string]bool{}
	for _, c := range cands {
		sig := refSignature(c.a)
		if _, done := w.cache[sig]; done || claimed[sig] {
			continue
		}
		if len(second) >= refMaxExamined {
			unexamined[c.ci] = min(unexamined[c.ci], c.lb)
			continue
		}
		claimed[sig] = true
		second = append(second, c.a)
	}
	w.evaluate(second)
	// Each conjunction breaks with its fewest; all must break.
	var chosen *refSelection
	for ci, as := range order {
		if len(as) == 0 {
			return nil, 0 // an empty conjunction always holds
		}
		var best *refSelection
		for _, a := range as {
			if sel := w.cache[refSignature(a)]; sel != nil && sel.ok && (best == nil || sel.k < best.k) {
				best = sel
			}
		}
		f := unexamined[ci]
		if best != nil {
			f = min(f, best.k)
		}
		if f == math.MaxInt {
			return nil, 0 // this conjunction cannot break, so neither can the outcome
		}
		floor = max(floor, f)
		if best != nil && (chosen == nil || best.k > chosen.k) {
			chosen = best
		}
	}
	if chosen != nil {
		set = w.collect(*chosen)
	}
	return set, floor
}

// refMaxExamined bounds the assertions examined in the second pass; the
// others a bound does not rule out count by their bound in the floor.
const refMaxExamined = 6

// refSelection is the fewest stations that break one assertion: the k
// stations of largest decrease, those above tau and takeEq of those
// equal to it; a is the assertion.
type refSelection struct {
	ok          bool
	k           int
	tau, takeEq int64
	a           *Assertion
	d           []int64 // the refDecreases per station
}

type refWork struct {
	o        *Outcome
	stations []Totals
	cache    map[string]*refSelection
	// sizes[m] counts the stations whose larger of ballots and
	// registered voters is m: no station can lower an assertion by more
	// than that times the assertion's span, which bounds from below the
	// stations any assertion needs.
	sizes []int64
	// bigSizes are the sizes of refSizeCap or more, largest first: a station
	// whose registered voters are unknown counts as the largest count, and
	// a dense histogram to it would take gigabytes.
	bigSizes []int64
	maxSize  int64
	bufs     [][]int64
	// hist[c][v] counts the stations with v ballots in category c
	// (candidates, blank, null, other ballots, then registered voters),
	// built in the first pass when every figure lies in 0..maxSize: the
	// k stations of largest D_s lower an assertion by no more than the
	// sum over categories of its positive coefficient times the k
	// largest figures of that category, a tighter bound.
	hist   [][]int64
	histOK bool
}

func refSignature(a *Assertion) string {
	return fmt.Sprint(a.Votes, a.Blank, a.Null, a.Ballots, a.Registered, a.Strict)
}

// refPool keeps decrease buffers between calls: at 470,000 stations each
// is 3.7 MB, and fresh memory costs more than the pass that fills it.
var refPool sync.Pool

func (w *refWork) buf() []int64 {
	if b, ok := refPool.Get().(*[]int64); ok && len(*b) == len(w.stations) {
		w.bufs = append(w.bufs, *b)
		return *b
	}
	b := make([]int64, len(w.stations))
	w.bufs = append(w.bufs, b)
	return b
}

func (w *refWork) release() {
	for _, b := range w.bufs {
		refPool.Put(&b)
	}
}

const refBuckets = 2048

// refHistCap bounds the figures the category histograms count; a station
// with a figure beyond it leaves only the bound by sizes.
const refHistCap = 4096

// refSizeCap bounds the dense histogram of the stations' sizes; larger sizes
// are listed one by one.
const refSizeCap = 1 << 16

// refDecreases is one assertion's work in a pass: the decrease per
// station, bucketed as it is computed.
type refDecreases struct {
	a                *Assertion
	idx              []int
	coef             []int64
	blank, null, bal int64
	lo, top          int64
	shift            uint
	d                []int64
	count, sum       [refBuckets]int64
}

// evaluate computes, in one pass over the stations, how far each
// station could lower each assertion, selects for each the fewest
// stations, and caches the selections. The first pass also counts the
// stations by size.
func (w *refWork) evaluate(as []*Assertion) {
	var todo []*refDecreases
	seen := map[string]bool{}
	n := len(w.o.totals.Votes)
	for _, a := range as {
		sig := refSignature(a)
		if seen[sig] || w.cache[sig] != nil {
			continue
		}
		seen[sig] = true
		x := &refDecreases{a: a, blank: a.Blank, null: a.Null, bal: a.Ballots}
		for i, c := range a.Votes {
			if c != 0 {
				x.idx = append(x.idx, i)
				x.coef = append(x.coef, c)
			}
		}
		x.lo, _ = refSpan(a, n)
		x.d = w.buf()
		todo = append(todo, x)
	}
	if len(todo) == 0 {
		return
	}
	sizing := w.sizes == nil
	var hist []int64
	if sizing {
		w.histOK = true
		hist = make([]int64, (n+4)*refHistCap)
	}
	for s := range w.stations {
		st := &w.stations[s]
		if sizing {
			switch m := max(st.Registered, st.Ballots, 0); {
			case m >= refSizeCap:
				w.bigSizes = append(w.bigSizes, m)
			default:
				if m >= int64(len(w.sizes)) {
					w.sizes = append(w.sizes, make([]int64, int(m)+1-len(w.sizes))...)
				}
				w.sizes[m]++
			}
			other := st.Ballots - st.Blank - st.Null
			ok := uint64(st.Blank) < refHistCap && uint64(st.Null) < refHistCap && uint64(st.Registered) < refHistCap
			for i, v := range st.Votes {
				other -= v
				if uint64(v) < refHistCap {
					hist[i*refHistCap+int(v)]++
				} else {
					ok = false
				}
			}
			if ok && uint64(other) < refHistCap {
				hist[n*refHistCap+int(st.Blank)]++
				hist[(n+1)*refHistCap+int(st.Null)]++
				hist[(n+2)*refHistCap+int(other)]++
				hist[(n+3)*refHistCap+int(st.Registered)]++
			} else {
				w.histOK = false
			}
		}
		for _, x := range todo {
			v := x.blank*st.Blank + x.null*st.Null + x.bal*st.Ballots - x.lo*st.Registered
			for k, i := range x.idx {
				v += x.coef[k] * st.Votes[i]
			}
			x.d[s] = v
			x.top = max(x.top, v)
		}
	}
	if sizing {
		w.maxSize = int64(len(w.sizes)) - 1
		slices.SortFunc(w.bigSizes, func(a, b int64) int { return cmp.Compare(b, a) })
		if len(w.bigSizes) > 0 {
			w.maxSize = w.bigSizes[0]
		}
		w.hist = make([][]int64, n+4)
		for c := range w.hist {
			h := hist[c*refHistCap : (c+1)*refHistCap]
			for len(h) > 0 && h[len(h)-1] == 0 {
				h = h[:len(h)-1] // the bound walks down from the largest figure
			}
			w.hist[c] = h
		}
	}
	for _, x := range todo {
		for x.top>>x.shift >= refBuckets {
			x.shift++
		}
		for _, v := range x.d {
			if v > 0 {
				b := v >> x.shift
				x.count[b]++
				x.sum[b] += v
			}
		}
		sel := x.fewest(x.a.need(&w.o.totals))
		sel.d = x.d
		w.cache[refSignature(x.a)] = &sel
	}
}

// fewest finds the fewest stations whose refDecreases reach need: the
// bucket where the running sum from the top reaches need, then that
// bucket's values sorted.
func (x *refDecreases) fewest(need int64) refSelection {
	if need <= 0 {
		return refSelection{ok: true, tau: math.MaxInt64, a: x.a}
	}
	k := 0
	b := refBuckets - 1
	for ; b >= 0; b-- {
		if x.sum[b] >= need {
			break
		}
		need -= x.sum[b]
		k += int(x.count[b])
	}
	if b < 0 {
		return refSelection{a: x.a}
	}
	var vals []int64
	for _, v := range x.d {
		if v > 0 && v>>x.shift == int64(b) {
			vals = append(vals, v)
		}
	}
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
	return refSelection{ok: true, k: k + i, tau: tau, takeEq: int64(i) - above, a: x.a}
}

// collect returns the stations of a refSelection.
func (w *refWork) collect(sel refSelection) []int {
	out := make([]int, 0, sel.k)
	takeEq := sel.takeEq
	for i, v := range sel.d {
		if len(out) == sel.k {
			break
		}
		if v > sel.tau {
			out = append(out, i)
		} else if v == sel.tau && takeEq > 0 {
			out = append(out, i)
			takeEq--
		}
	}
	return out
}

// The bounds below say how few stations an assertion surely needs, so
// that Decisive computes the exact count only where it could matter.

// lowerBound returns a count of stations that assertion a surely needs.
func (w *refWork) lowerBound(a *Assertion) int {
	return max(w.sizeBound(a), w.histBound(a))
}

// histBound is the least k whose bound from the category histograms
// reaches what a needs.
func (w *refWork) histBound(a *Assertion) int {
	if !w.histOK {
		return 0
	}
	t := &w.o.totals
	n := len(t.Votes)
	e := append(a.effective(n), a.Ballots)
	lo, _ := refSpan(a, n)
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
	ub := func(k int64) int64 {
		u := -lo * top(w.hist[n+3], k)
		for c, x := range e {
			if x > 0 {
				u += x * top(w.hist[c], k)
			}
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
func (w *refWork) sizeBound(a *Assertion) int {
	t := &w.o.totals
	lo, hi := refSpan(a, len(t.Votes))
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

// refSpan returns the least and largest coefficient of one ballot, with
// zero (no ballot) and ballots not in any category.
func refSpan(a *Assertion, n int) (lo, hi int64) {
	lo, hi = min(int64(0), a.Ballots), max(int64(0), a.Ballots)
	for _, x := range a.effective(n) {
		lo, hi = min(lo, x), max(hi, x)
	}
	return lo, hi
}
