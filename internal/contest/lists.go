package contest

import "fmt"

// eligible reports which lists reach the legal threshold, and returns
// the threshold assertions: at least Cutoff for those that do, less for
// those that do not. With no threshold every list is eligible and there
// are no assertions.
func (o *Outcome) eligible(b builder) ([]bool, []Assertion) {
	t, r := &o.totals, o.rule
	ok := make([]bool, len(t.Votes))
	as := make([]Assertion, len(t.Votes))
	for i := range ok {
		ok[i] = true
		if r.Cutoff == 0 {
			continue
		}
		a := b.share(i, int64(r.Cutoff), r.Base, false, fmt.Sprintf("c%d at least %s%%", i, hundredths(r.Cutoff)))
		if !a.Holds(t) {
			ok[i] = false
			a = negate(a, fmt.Sprintf("c%d under %s%%", i, hundredths(r.Cutoff)))
		}
		as[i] = a
	}
	return ok, as
}

// divisorOf returns the k-th divisor (k ≥ 1) in hundredths.
func (r Rule) divisorOf(k int) int64 {
	if r.Method == DHondt {
		return 100 * int64(k)
	}
	if k == 1 {
		return int64(r.First)
	}
	return 200*int64(k) - 100
}

// quotientBeats is d(kj)·v_i − d(ki)·v_j > 0: list i's ki-th quotient
// beats list j's kj-th.
func (o *Outcome) quotientBeats(b builder, i, ki, j, kj int) Assertion {
	a := b.new(fmt.Sprintf("c%d quotient %d beats c%d quotient %d", i, ki, j, kj), true)
	a.Votes[i] += o.rule.divisorOf(kj)
	a.Votes[j] -= o.rule.divisorOf(ki)
	return a
}

// divisor decides D'Hondt and Sainte-Laguë, seat by seat: each seat to
// the largest next quotient v/d(seats+1); a group of equal largest
// quotients with more members than seats left is a Tie.
func (o *Outcome) divisor(b builder) {
	t, r := &o.totals, o.rule
	v := t.Votes
	ok, thr := o.eligible(b)
	s := make([]int, len(v))
	left := r.Seats
	var group []int
	for left > 0 {
		group = group[:0]
		for i := range v {
			if !ok[i] || v[i] == 0 {
				continue // a list without votes takes no seat
			}
			if len(group) == 0 {
				group = append(group, i)
				continue
			}
			g := group[0]
			// compare v_i/d(s_i+1) with v_g/d(s_g+1)
			x, y := v[i]*r.divisorOf(s[g]+1), v[g]*r.divisorOf(s[i]+1)
			switch {
			case x > y:
				group = append(group[:0], i)
			case x == y:
				group = append(group, i)
			}
		}
		if len(group) == 0 {
			break // no eligible list
		}
		if len(group) > left {
			break
		}
		for _, i := range group {
			s[i]++
		}
		left -= len(group)
	}
	o.Seats = s
	var c []Assertion
	for i := range v {
		if ok[i] && (s[i] > 0 || left > 0) && r.Cutoff > 0 {
			c = append(c, thr[i])
		}
	}
	if left > 0 {
		o.Kind = Tie
		o.Tied = append([]int(nil), group...)
		if len(group) == 0 { // no votes for an eligible list
			o.Tied = nil
			o.noVotes(b, ok, thr)
			return
		}
		g := group[0]
		for i := range v {
			switch {
			case !ok[i]:
				if r.Cutoff > 0 {
					c = append(c, thr[i])
				}
			case contains(group, i):
				if i != g {
					c = append(c, o.quotientBeats(b, i, s[i]+1, g, s[g]+1))
					c[len(c)-1].Strict = false
					c = append(c, o.quotientBeats(b, g, s[g]+1, i, s[i]+1))
					c[len(c)-1].Strict = false
				}
			default:
				c = append(c, o.quotientBeats(b, g, s[g]+1, i, s[i]+1))
			}
			if s[i] > 0 && i != g {
				c = append(c, o.quotientBeats(b, i, s[i], g, s[g]+1))
			}
		}
		o.Rests = [][]Assertion{c}
		return
	}
	o.Kind = Seats
	for i := range v {
		if s[i] == 0 {
			continue
		}
		for j := range v {
			if j != i && ok[j] {
				c = append(c, o.quotientBeats(b, i, s[i], j, s[j]+1))
			}
		}
	}
	// A list under the threshold keeps the outcome either by staying
	// under it or by having a first quotient below every last one; take
	// whichever holds and costs more votes to break.
	for j := range v {
		if ok[j] {
			continue
		}
		var alt []Assertion
		for i := range v {
			if s[i] > 0 {
				alt = append(alt, o.quotientBeats(b, i, s[i], j, 1))
			}
		}
		if holdsAll(alt, t) && conjCost(alt, t) > cost(&thr[j], t) {
			c = append(c, alt...)
		} else {
			c = append(c, thr[j])
		}
	}
	o.Rests = [][]Assertion{c}
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// hare decides the largest remainder method with the Hare quota: the
// quota is the eligible lists' votes over the seats; each list takes
// the whole quotas it holds, the seats left go to the largest
// remainders. The outcome rests, for each pair of eligible lists, on
//
//	S·v_i − S·v_j + (1 − s_i + s_j)·V > 0
//
// where V is the eligible lists' votes: s is the largest-remainder
// outcome exactly when (s_i − q_i) − (s_j − q_j) < 1 for all i, j,
// with q_i = S·v_i/V the list's exact quota share.
func (o *Outcome) hare(b builder) {
	t, r := &o.totals, o.rule
	v := t.Votes
	ok, thr := o.eligible(b)
	S := int64(r.Seats)
	var V int64
	var el []int
	for i := range v {
		if ok[i] {
			V += v[i]
			el = append(el, i)
		}
	}
	s := make([]int, len(v))
	o.Seats = s
	var c []Assertion
	if r.Cutoff > 0 {
		c = append(c, thr...)
	}
	if V == 0 {
		o.noVotes(b, ok, thr)
		return
	}
	rem := make([]int64, len(v))
	left := S
	for _, i := range el {
		s[i] = int(v[i] * S / V)
		rem[i] = v[i]*S - int64(s[i])*V
		left -= int64(s[i])
	}
	ord := order(rem)
	var byRem []int
	for _, i := range ord {
		if ok[i] {
			byRem = append(byRem, i)
		}
	}
	pair := func(i, j int, si, sj int) Assertion {
		a := b.new(fmt.Sprintf("c%d and c%d keep their seats %d, %d", i, j, si, sj), true)
		for _, k := range el {
			a.Votes[k] += 1 - int64(si) + int64(sj)
		}
		a.Votes[i] += S
		a.Votes[j] -= S
		return a
	}
	if left > 0 && rem[byRem[left-1]] == rem[byRem[left]] {
		// A tie for the last seats: the lists with the cut remainder.
		cut := rem[byRem[left-1]]
		for _, i := range byRem {
			if rem[i] > cut {
				s[i]++
			} else if rem[i] == cut {
				o.Tied = append(o.Tied, i)
			}
		}
		// The whole quotas stay, so the seats left stay.
		for _, i := range el {
			a := int64(s[i])
			if rem[i] > cut {
				a--
			}
			lo := b.new(fmt.Sprintf("c%d holds %d quotas", i, a), false)
			hi := b.new(fmt.Sprintf("c%d holds under %d quotas", i, a+1), true)
			for _, k := range el {
				lo.Votes[k] -= a
				hi.Votes[k] += a + 1
			}
			lo.Votes[i] += S
			hi.Votes[i] -= S
			c = append(c, lo, hi)
		}
		// Seats as if the tied lists took none: the pairs hold for
		// every pair but those of tied lists, which must stay equal.
		g := o.Tied[0]
		for _, i := range el {
			for _, j := range el {
				if i == j {
					continue
				}
				si, sj := s[i], s[j]
				ti, tj := contains(o.Tied, i), contains(o.Tied, j)
				switch {
				case ti && tj:
					if i == g || j == g {
						a := pair(i, j, si+1, sj)
						a.Strict = false
						c = append(c, a)
					}
					continue
				case ti:
					si++ // a tied list compares as if it took the seat
				}
				c = append(c, pair(i, j, si, sj))
			}
		}
		o.Kind, o.Rests = Tie, [][]Assertion{c}
		return
	}
	for k := int64(0); k < left; k++ {
		s[byRem[k]]++
	}
	for _, i := range el {
		for _, j := range el {
			if i != j {
				c = append(c, pair(i, j, s[i], s[j]))
			}
		}
	}
	o.Kind, o.Rests = Seats, [][]Assertion{c}
}

// noVotes is the Tie of list methods when no eligible list has a vote:
// every eligible list is tied, and the outcome rests on their staying
// without votes.
func (o *Outcome) noVotes(b builder, ok []bool, thr []Assertion) {
	var c []Assertion
	o.Tied = nil
	for i := range ok {
		if o.rule.Cutoff > 0 {
			c = append(c, thr[i])
		}
		if ok[i] {
			o.Tied = append(o.Tied, i)
			a := b.new(fmt.Sprintf("c%d has no votes", i), false)
			a.Votes[i] = -1
			c = append(c, a)
		}
	}
	o.Kind, o.Rests = Tie, [][]Assertion{c}
}
