package contest

import (
	"math/rand/v2"
	"sort"
)

// Decisive returns the fewest stations whose figures, were they wholly
// false, could alter the outcome, or nil if no set of stations could.
// The outcome's totals must be the sum of stations.
//
// A station's figures wholly false means its true figures are any
// figures of at most its registered voters. Station s can so lower an
// assertion's value by
//
//	D_s = (its reported contribution) − R_s·min(0, least coefficient of a ballot)
//
// and the fewest stations that break one assertion are those of
// largest D_s, taken until their sum reaches what the assertion needs
// to fall. For an outcome resting on one conjunction the set returned
// is the smallest over its assertions (exact under this model: an
// assertion is pruned only when a bound on its D_s proves it needs no
// fewer stations). For a disjunction it is the largest of the
// conjunctions' sets, whose size is a lower bound.
func (o *Outcome) Decisive(stations []Totals) []int {
	var bound int64 // the largest ballots or registered of a station
	for i := range stations {
		bound = max(bound, stations[i].Registered, stations[i].Ballots)
	}
	var best []int
	for _, c := range o.Rests {
		set := o.decisiveConj(c, stations, bound)
		if set == nil {
			return nil // this conjunction cannot break, so neither can the outcome
		}
		if len(set) > len(best) {
			best = set
		}
	}
	return best
}

func (o *Outcome) decisiveConj(c []Assertion, stations []Totals, bound int64) []int {
	t := &o.totals
	// Weakest assertions first: most are pruned by the bound.
	idx := make([]int, len(c))
	costs := make([]int64, len(c))
	for i := range c {
		idx[i], costs[i] = i, cost(&c[i], t)
	}
	sort.Slice(idx, func(i, j int) bool { return costs[idx[i]] < costs[idx[j]] })
	var best []int
	d := make([]int64, len(stations))
	for _, i := range idx {
		a := &c[i]
		need := a.need(t)
		e := a.effective(len(t.Votes))
		lo, hi := min(int64(0), a.Ballots), max(int64(0), a.Ballots)
		for _, x := range e {
			lo, hi = min(lo, x), max(hi, x)
		}
		if span := (hi - lo) * bound; best != nil && (span == 0 || (need+span-1)/span >= int64(len(best))) {
			continue
		}
		for s := range stations {
			st := &stations[s]
			d[s] = a.Value(st) - a.Registered*st.Registered - st.Registered*lo
		}
		set := fewest(d, need)
		if set != nil && (best == nil || len(set) < len(best)) {
			best = set
		}
	}
	return best
}

// fewest returns the indexes of the fewest values of d whose sum
// reaches need, or nil if all of them do not. It selects in expected
// linear time, without sorting.
func fewest(d []int64, need int64) []int {
	if need <= 0 {
		return []int{}
	}
	w := make([]int64, 0, len(d))
	for _, x := range d {
		if x > 0 {
			w = append(w, x)
		}
	}
	var k int64 // values taken so far, all above the current window
	var tau int64 = -1
	var takeEq int64
	for {
		if len(w) == 0 {
			return nil
		}
		p := w[rand.IntN(len(w))]
		// three-way partition: greater, equal, less
		gt, lt := 0, len(w)
		var sumGT int64
		for i := 0; i < lt; {
			switch x := w[i]; {
			case x > p:
				w[i], w[gt] = w[gt], x
				sumGT += x
				gt++
				i++
			case x < p:
				lt--
				w[i], w[lt] = w[lt], x
			default:
				i++
			}
		}
		if sumGT >= need {
			w = w[:gt]
			continue
		}
		need -= sumGT
		k += int64(gt)
		eq := int64(lt - gt)
		if eq*p >= need {
			takeEq = (need + p - 1) / p
			tau = p
			break
		}
		need -= eq * p
		k += eq
		w = w[lt:]
	}
	out := make([]int, 0, k+takeEq)
	for i, x := range d {
		if x > tau {
			out = append(out, i)
		} else if x == tau && takeEq > 0 {
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
