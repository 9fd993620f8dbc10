package contest

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
// conjunction; the second up to maxExamined others that a bound does
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
func (o *Outcome) Decisive(stations []Totals) (set []int, floor int) {
	w := &decisiveWork{o: o, stations: stations, cache: map[string]*selection{}}
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
				if sel := w.cache[signature(a)]; sel.ok {
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
		best := w.cache[signature(as[0])]
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
		sig := signature(c.a)
		if _, done := w.cache[sig]; done || claimed[sig] {
			continue
		}
		if len(second) >= maxExamined {
			unexamined[c.ci] = min(unexamined[c.ci], c.lb)
			continue
		}
		claimed[sig] = true
		second = append(second, c.a)
	}
	w.evaluate(second)
	// Each conjunction breaks with its fewest; all must break.
	var chosen *selection
	for ci, as := range order {
		if len(as) == 0 {
			return nil, 0 // an empty conjunction always holds
		}
		var best *selection
		for _, a := range as {
			if sel := w.cache[signature(a)]; sel != nil && sel.ok && (best == nil || sel.k < best.k) {
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

// maxExamined bounds the assertions examined in the second pass; the
// others a bound does not rule out count by their bound in the floor.
const maxExamined = 6

// selection is the fewest stations that break one assertion: the k
// stations of largest decrease, those above tau and takeEq of those
// equal to it; a is the assertion.
type selection struct {
	ok          bool
	k           int
	tau, takeEq int64
	a           *Assertion
	d           []int64 // the decreases per station
}

type decisiveWork struct {
	o        *Outcome
	stations []Totals
	cache    map[string]*selection
	// sizes[m] counts the stations whose larger of ballots and
	// registered voters is m: no station can lower an assertion by more
	// than that times the assertion's span, which bounds from below the
	// stations any assertion needs.
	sizes []int64
	// bigSizes are the sizes of sizeCap or more, largest first: a station
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

func signature(a *Assertion) string {
	return fmt.Sprint(a.Votes, a.Blank, a.Null, a.Ballots, a.Registered, a.Strict)
}

// pool keeps decrease buffers between calls: at 470,000 stations each
// is 3.7 MB, and fresh memory costs more than the pass that fills it.
var pool sync.Pool

func (w *decisiveWork) buf() []int64 {
	if b, ok := pool.Get().(*[]int64); ok && len(*b) == len(w.stations) {
		w.bufs = append(w.bufs, *b)
		return *b
	}
	b := make([]int64, len(w.stations))
	w.bufs = append(w.bufs, b)
	return b
}

func (w *decisiveWork) release() {
	for _, b := range w.bufs {
		pool.Put(&b)
	}
}

const buckets = 2048

// histCap bounds the figures the category histograms count; a station
// with a figure beyond it leaves only the bound by sizes.
const histCap = 4096

// sizeCap bounds the dense histogram of the stations' sizes; larger sizes
// are listed one by one.
const sizeCap = 1 << 16

// decreases is one assertion's work in a pass: the decrease per
// station, bucketed as it is computed.
type decreases struct {
	a                *Assertion
	idx              []int
	coef             []int64
	blank, null, bal int64
	lo, top          int64
	shift            uint
	d                []int64
	count, sum       [buckets]int64
}

// evaluate computes, in one pass over the stations, how far each
// station could lower each assertion, selects for each the fewest
// stations, and caches the selections. The first pass also counts the
// stations by size.
func (w *decisiveWork) evaluate(as []*Assertion) {
	var todo []*decreases
	seen := map[string]bool{}
	n := len(w.o.totals.Votes)
	for _, a := range as {
		sig := signature(a)
		if seen[sig] || w.cache[sig] != nil {
			continue
		}
		seen[sig] = true
		x := &decreases{a: a, blank: a.Blank, null: a.Null, bal: a.Ballots}
		for i, c := range a.Votes {
			if c != 0 {
				x.idx = append(x.idx, i)
				x.coef = append(x.coef, c)
			}
		}
		x.lo, _ = span(a, n)
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
		hist = make([]int64, (n+4)*histCap)
	}
	for s := range w.stations {
		st := &w.stations[s]
		if sizing {
			switch m := max(st.Registered, st.Ballots, 0); {
			case m >= sizeCap:
				w.bigSizes = append(w.bigSizes, m)
			default:
				if m >= int64(len(w.sizes)) {
					w.sizes = append(w.sizes, make([]int64, int(m)+1-len(w.sizes))...)
				}
				w.sizes[m]++
			}
			other := st.Ballots - st.Blank - st.Null
			ok := uint64(st.Blank) < histCap && uint64(st.Null) < histCap && uint64(st.Registered) < histCap
			for i, v := range st.Votes {
				other -= v
				if uint64(v) < histCap {
					hist[i*histCap+int(v)]++
				} else {
					ok = false
				}
			}
			if ok && uint64(other) < histCap {
				hist[n*histCap+int(st.Blank)]++
				hist[(n+1)*histCap+int(st.Null)]++
				hist[(n+2)*histCap+int(other)]++
				hist[(n+3)*histCap+int(st.Registered)]++
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
			h := hist[c*histCap : (c+1)*histCap]
			for len(h) > 0 && h[len(h)-1] == 0 {
				h = h[:len(h)-1] // the bound walks down from the largest figure
			}
			w.hist[c] = h
		}
	}
	for _, x := range todo {
		for x.top>>x.shift >= buckets {
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
		w.cache[signature(x.a)] = &sel
	}
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
	return selection{ok: true, k: k + i, tau: tau, takeEq: int64(i) - above, a: x.a}
}

// collect returns the stations of a selection.
func (w *decisiveWork) collect(sel selection) []int {
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
