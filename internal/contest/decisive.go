package contest

import (
	"encoding/binary"
	"math"
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
// that count is exact for the assertion. A sample of the D_s (one
// station in 64, read before the pass) estimates where the largest
// reach what is needed; the pass keeps, of every D_s it computes, only
// the stations above a bracket around the estimate and those in it,
// which are sorted (fewest.go). Where the bracket misses, one more pass
// keeps every D_s of those it missed and finds the cut by buckets. A
// pass splits the stations into ranges, one a core, joined in station
// order: the result does not depend on the cores.
//
// Decisive makes two passes over the stations' figures at most, and
// one more, for all of them, where brackets missed. The
// first computes the weakest assertion (fewest ballot changes) of every
// conjunction; the second up to maxExamined others that a bound does
// not rule out, lowest bound first. The bound: k stations lower an
// assertion by at most Σ over categories of the category's positive
// coefficient times the k largest figures of that category, plus
// −(least coefficient) times the k largest registered counts, or the
// same with the ballots for the categories that share their coefficient
// (histTerms; from histograms built in the first pass, of the
// categories the bounds of the second pass's candidates read); and no
// station lowers it by more
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
	// First pass: the weakest assertion of every conjunction, and the
	// histograms the bounds of the others read.
	var first, others []*Assertion
	for _, as := range order {
		if len(as) > 0 {
			first = append(first, as[0])
			others = append(others, as[1:]...)
		}
	}
	w.count(others)
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
			var lb int
			switch sel := w.cache[signature(a)]; {
			case i > 0:
				lb = w.lowerBound(a)
			case sel.ok:
				lb = sel.k // examined: exact
			default:
				lb = math.MaxInt // examined: every station together falls short
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
	bufs     [][]uint32
	// hist[c][v] counts the stations with v ballots in category c
	// (candidates, blank, null, other ballots, registered voters, then
	// ballots: histTerms),
	// built in the first pass when every figure lies in 0..histCap-1:
	// the k stations of largest D_s lower an assertion by no more than
	// the sum over categories of its positive coefficient times the k
	// largest figures of that category, a tighter bound. Only the
	// categories the bounds read are counted.
	hist   [][]int64
	histOK bool
	// counted says which categories' histograms a bound reads: those
	// of the assertions whose bounds are asked, all but the first
	// examined (histTerms).
	counted []bool
}

// signature identifies an assertion by what its decreases depend on
// and whether it is strict: assertions alike are examined once.
func signature(a *Assertion) string {
	b := make([]byte, 0, 8*(len(a.Votes)+4)+1)
	for _, c := range a.Votes {
		b = binary.LittleEndian.AppendUint64(b, uint64(c))
	}
	for _, c := range []int64{a.Blank, a.Null, a.Ballots, a.Registered} {
		b = binary.LittleEndian.AppendUint64(b, uint64(c))
	}
	if a.Strict {
		b = append(b, 1)
	}
	return string(b)
}

// pool keeps the decrease buffers between calls: fresh memory costs
// more than the pass that fills it.
var pool sync.Pool

func (w *decisiveWork) buf() []uint32 {
	if b, ok := pool.Get().(*[]uint32); ok && len(*b) == len(w.stations) {
		w.bufs = append(w.bufs, *b)
		return *b
	}
	b := make([]uint32, len(w.stations))
	w.bufs = append(w.bufs, b)
	return b
}

func (w *decisiveWork) release() {
	for _, b := range w.bufs {
		pool.Put(&b)
	}
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
