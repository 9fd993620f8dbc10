package contest

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
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
// that count is exact for the assertion. Decisive computes it for the
// weakest assertion (fewest ballot changes) and then for the others a
// bound does not rule out, in at most maxPasses passes over the
// stations; an assertion left unexamined counts by its bound,
// Σ of the largest (span of its coefficients)·max(ballots, registered)
// over stations, in floor. So for an outcome resting on one
// conjunction, set is a set that does break it and floor ≤ the fewest
// ≤ len(set), with floor = len(set) when every assertion was examined
// or ruled out. For a disjunction every conjunction must break: floor
// is the largest of the conjunctions' floors and set the largest of
// their sets, a witness for the bound but not by itself a set that
// alters the outcome.
func (o *Outcome) Decisive(stations []Totals) (set []int, floor int) {
	w := &decisiveWork{o: o, stations: stations, cache: map[string]selection{}}
	for s := range stations {
		st := &stations[s]
		m := max(st.Registered, st.Ballots, 0)
		if m >= int64(len(w.sizes)) {
			w.sizes = append(w.sizes, make([]int64, int(m)+1-len(w.sizes))...)
		}
		w.sizes[m]++
	}
	w.maxSize = int64(len(w.sizes)) - 1
	bestK := -1
	for _, c := range o.Rests {
		// A conjunction with an assertion already known to break with
		// no more stations than the best cannot raise the maximum.
		skip := false
		for i := range c {
			if sel, ok := w.cache[signature(&c[i])]; ok && bestK >= 0 && sel.ok && sel.k <= bestK {
				skip = true
				break
			}
		}
		if skip {
			continue
		}
		sel, f := w.conj(c)
		if !sel.ok && f == math.MaxInt {
			return nil, 0 // this conjunction cannot break, so neither can the outcome
		}
		floor = max(floor, f)
		if sel.ok && sel.k > bestK {
			bestK, set = sel.k, w.collect(sel)
		}
		if sel.d != nil {
			w.bufs = append(w.bufs, sel.d)
		}
	}
	return set, floor
}

// selection is the fewest stations that break one assertion: the k
// stations of largest decrease, those above tau and takeEq of those
// equal to it; a is the assertion.
type selection struct {
	ok          bool
	k           int
	tau, takeEq int64
	a           *Assertion
	d           []int64 // the decreases, while this is a best selection
}

type decisiveWork struct {
	o        *Outcome
	stations []Totals
	cache    map[string]selection
	// sizes[m] counts the stations whose larger of ballots and
	// registered voters is m: no station can lower an assertion by more
	// than that times the assertion's span, which bounds from below the
	// stations any assertion needs.
	sizes   []int64
	maxSize int64
	bufs    [][]int64
}

func signature(a *Assertion) string {
	return fmt.Sprint(a.Votes, a.Blank, a.Null, a.Ballots, a.Registered, a.Strict)
}

// batch is how many assertions one pass over the stations serves.
const batch = 4

func (w *decisiveWork) conj(c []Assertion) (selection, int) {
	t := &w.o.totals
	idx := make([]int, len(c))
	costs := make([]int64, len(c))
	for i := range c {
		idx[i], costs[i] = i, cost(&c[i], t)
	}
	sort.Slice(idx, func(i, j int) bool { return costs[idx[i]] < costs[idx[j]] })
	var best selection
	keep := func(sel selection) {
		if sel.ok && (!best.ok || sel.k < best.k) {
			if best.d != nil {
				w.bufs = append(w.bufs, best.d)
			}
			best = sel
		} else if sel.d != nil {
			w.bufs = append(w.bufs, sel.d)
		}
	}
	passes := 0
	floor := math.MaxInt
	for len(idx) > 0 {
		var todo []*Assertion
		size := batch
		if !best.ok {
			size = 1 // the weakest first: its count prunes the others
		}
		for len(idx) > 0 && len(todo) < size {
			a := &c[idx[0]]
			idx = idx[1:]
			if sel, ok := w.cache[signature(a)]; ok {
				sel.d = nil
				keep(sel)
				continue
			}
			lb := w.lowerBound(a)
			if best.ok && lb >= best.k {
				continue
			}
			if passes >= maxPasses {
				floor = min(floor, lb) // not examined: only its bound is known
				continue
			}
			todo = append(todo, a)
		}
		if len(todo) > 0 {
			passes++
		}
		for _, sel := range w.pass(todo) {
			c := sel
			c.d = nil
			w.cache[signature(sel.a)] = c
			keep(sel)
		}
	}
	if best.ok {
		floor = min(floor, best.k)
	}
	return best, floor
}

// maxPasses bounds the passes over the stations for one conjunction:
// the first serves the weakest assertion, each other a batch of those
// whose bound does not rule them out. Assertions left unexamined count
// by their bound in the floor Decisive reports.
const maxPasses = 2

// lowerBound returns a count of stations that assertion a surely needs.
func (w *decisiveWork) lowerBound(a *Assertion) int {
	t := &w.o.totals
	lo, hi := span(a, len(t.Votes))
	sp := hi - lo
	need := a.need(t)
	if sp == 0 {
		return math.MaxInt
	}
	k := 0
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

func better(a, b selection) selection {
	if !a.ok || (b.ok && b.k < a.k) {
		return b
	}
	return a
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

const buckets = 2048

// decreases is one assertion's work in a pass: the decrease per
// station, bucketed as it is computed.
type decreases struct {
	a                *Assertion
	idx              []int
	coef             []int64
	blank, null, bal int64
	lo               int64
	shift            uint
	d                []int64
	count, sum       [buckets]int64
}

// pass computes, in one pass over the stations, how far each station
// could lower each assertion, and selects for each the fewest stations.
func (w *decisiveWork) pass(as []*Assertion) []selection {
	n := len(w.o.totals.Votes)
	ws := make([]*decreases, len(as))
	for j, a := range as {
		x := &decreases{a: a, blank: a.Blank, null: a.Null, bal: a.Ballots}
		for i, c := range a.Votes {
			if c != 0 {
				x.idx = append(x.idx, i)
				x.coef = append(x.coef, c)
			}
		}
		var hi int64
		x.lo, hi = span(a, n)
		// D_s ≤ (hi − lo)·max(ballots, registered): the buckets cover it.
		for top := (hi - x.lo) * max(w.maxSize, 1); top>>x.shift >= buckets; {
			x.shift++
		}
		x.d = w.buf()
		ws[j] = x
	}
	for s := range w.stations {
		st := &w.stations[s]
		for _, x := range ws {
			v := x.blank*st.Blank + x.null*st.Null + x.bal*st.Ballots - x.lo*st.Registered
			for k, i := range x.idx {
				v += x.coef[k] * st.Votes[i]
			}
			x.d[s] = v
			if v > 0 {
				b := min(v>>x.shift, buckets-1)
				x.count[b]++
				x.sum[b] += v
			}
		}
	}
	out := make([]selection, len(ws))
	for j, x := range ws {
		out[j] = x.fewest(x.a.need(&w.o.totals))
		out[j].d = x.d
	}
	return out
}

func (w *decisiveWork) buf() []int64 {
	if k := len(w.bufs); k > 0 {
		b := w.bufs[k-1]
		w.bufs = w.bufs[:k-1]
		return b
	}
	return make([]int64, len(w.stations))
}

// fewest finds the fewest stations whose decreases reach need: the
// bucket where the running sum from the top reaches need, then that
// bucket's values sorted.
func (x *decreases) fewest(need int64) selection {
	if need <= 0 {
		return selection{ok: true, tau: math.MaxInt64, a: x.a}
	}
	k := 0
	b := buckets - 1
	for ; b >= 0; b-- {
		if x.sum[b] >= need {
			break
		}
		need -= x.sum[b]
		k += int(x.count[b])
	}
	if b < 0 {
		return selection{a: x.a}
	}
	var vals []int64
	for _, v := range x.d {
		if v > 0 && min(v>>x.shift, buckets-1) == int64(b) {
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
	return selection{ok: true, k: k + i, tau: tau, takeEq: int64(i) - above, a: x.a}
}

// collect returns the stations of a selection, computing the
// assertion's decreases once more.
func (w *decisiveWork) collect(sel selection) []int {
	out := make([]int, 0, sel.k)
	if sel.k == 0 {
		return out
	}
	a := sel.a
	lo, _ := span(a, len(w.o.totals.Votes))
	takeEq := sel.takeEq
	for s := range w.stations {
		var v int64
		if sel.d != nil {
			v = sel.d[s]
		} else {
			st := &w.stations[s]
			v = a.Value(st) - a.Registered*st.Registered - lo*st.Registered
		}
		if v > sel.tau {
			out = append(out, s)
		} else if v == sel.tau && takeEq > 0 {
			out = append(out, s)
			takeEq--
		}
	}
	return out
}

// CouldChange reports whether stations not yet reported, with
// registered voters in all, could alter the outcome whatever the
// reported figures. The outcome's totals must count those voters in
// Registered and nothing of them otherwise. False is a proof that they
// could not; true, for an outcome resting on a disjunction, means each
// of its conjunctions could break on its own.
func (o *Outcome) CouldChange(registered int64) bool {
	t := &o.totals
	for _, c := range o.Rests {
		broken := false
		for i := range c {
			a := &c[i]
			lo := min(int64(0), a.Ballots)
			for _, x := range a.effective(len(t.Votes)) {
				lo = min(lo, x)
			}
			if -lo*registered >= a.need(t) {
				broken = true
				break
			}
		}
		if !broken {
			return false
		}
	}
	return true
}
