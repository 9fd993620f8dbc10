package contest

import (
	"math"
	"sort"
)

// Unbreakable is the margin of an outcome no change of figures within
// the registered voters could alter.
const Unbreakable = math.MaxInt64

// Margin returns the fewest ballot changes that could alter the
// outcome. One change is moving one ballot from one category
// (a candidate or list, blank, null) to another, adding one ballot (up
// to the registered voters) or removing one; the registered voters stay.
//
// For an outcome resting on one conjunction the margin is exact: the
// smallest, over its assertions, of the changes that break that
// assertion, found greedily (each change lowers the assertion by a
// fixed amount, so taking the largest first is optimal). For a
// disjunction it is the largest of the conjunctions' margins, a lower
// bound: every conjunction must break for the outcome to change.
func (o *Outcome) Margin() int64 {
	var m int64
	for _, c := range o.Rests {
		m = max(m, conjCost(c, &o.totals))
	}
	return m
}

// Weakest returns the assertion the margin is about: of the conjunction
// that costs most to break, the assertion the fewest ballot changes
// break. It returns nil if the outcome rests on no assertion.
func (o *Outcome) Weakest() *Assertion {
	var w *Assertion
	most := int64(-1)
	for _, c := range o.Rests {
		var cw *Assertion
		least := int64(-1)
		for i := range c {
			if k := cost(&c[i], &o.totals); cw == nil || k < least {
				cw, least = &c[i], k
			}
		}
		if cw != nil && least > most {
			w, most = cw, least
		}
	}
	return w
}

func conjCost(c []Assertion, t *Totals) int64 {
	m := int64(Unbreakable)
	for i := range c {
		m = min(m, cost(&c[i], t))
	}
	return m
}

// cost returns the fewest ballot changes that break assertion a.
func cost(a *Assertion, t *Totals) int64 {
	need := a.need(t)
	if need <= 0 {
		return 0
	}
	n := len(t.Votes)
	e := a.effective(n)
	// Cheapest place for a ballot: the category with the least
	// coefficient, or out of the box (coefficient 0).
	var floor int64
	for _, x := range e {
		floor = min(floor, x)
	}
	type source struct{ gain, count int64 }
	src := make([]source, 0, n+3)
	for i, x := range e {
		var c int64
		switch {
		case i < n:
			c = t.Votes[i]
		case i == n:
			c = t.Blank
		default:
			c = t.Null
		}
		if g := x - floor; g > 0 && c > 0 {
			src = append(src, source{g, c})
		}
	}
	if room := t.Registered - t.Ballots; room > 0 && -floor > 0 {
		src = append(src, source{-floor, room}) // a ballot added
	}
	sort.Slice(src, func(i, j int) bool { return src[i].gain > src[j].gain })
	var changes int64
	for _, s := range src {
		if s.gain*s.count >= need {
			return changes + (need+s.gain-1)/s.gain
		}
		need -= s.gain * s.count
		changes += s.count
	}
	return Unbreakable
}
