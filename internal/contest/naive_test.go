package contest

import (
	"fmt"
	"math/big"
	"slices"
	"sort"
)

// naive decides r on t the slow, obvious way, with exact rationals,
// independently of Decide; its result is compared through key.
func naive(r Rule, t Totals) string {
	v := t.Votes
	base := func() int64 {
		var s int64
		for _, x := range v {
			s += x
		}
		if r.Base == ValidBlank {
			s += t.Blank
		}
		return s
	}
	share := func(x int64) *big.Rat {
		b := base()
		if b == 0 {
			return new(big.Rat)
		}
		return big.NewRat(x, b)
	}
	pct := func(bp int) *big.Rat { return big.NewRat(int64(bp), 10000) }
	switch r.Method {
	case Plurality:
		var el, tied []int
		for c := range v {
			ge, gt := 0, 0
			for k := range v {
				if v[k] >= v[c] {
					ge++
				}
				if v[k] > v[c] {
					gt++
				}
			}
			if ge <= r.Seats {
				el = append(el, c)
			} else if gt < r.Seats {
				tied = append(tied, c)
			}
		}
		if tied != nil {
			return key(Tie, el, nil, nil, tied)
		}
		return key(Elected, el, nil, nil, nil)
	case Majority, Threshold:
		win, or, lead := 5000, 0, 0
		if r.Method == Threshold {
			win, or, lead = r.Win, r.Or, r.Lead
		}
		ord := make([]int, len(v))
		for i := range ord {
			ord[i] = i
		}
		sort.SliceStable(ord, func(i, j int) bool { return v[ord[i]] > v[ord[j]] })
		a, b := ord[0], ord[1]
		sa, sb := share(v[a]), share(v[b])
		d := new(big.Rat).Sub(sa, sb)
		if v[a] == v[b] && sa.Cmp(pct(win)) > 0 {
			var tied []int
			for c := range v {
				if v[c] == v[a] {
					tied = append(tied, c)
				}
			}
			return key(Tie, nil, nil, nil, tied)
		}
		if v[a] > v[b] && (sa.Cmp(pct(win)) > 0 || (or > 0 && sa.Cmp(pct(or)) >= 0 && d.Cmp(pct(lead)) > 0)) {
			return key(Elected, []int{a}, nil, nil, nil)
		}
		if len(v) > 2 && v[b] == v[ord[2]] {
			var tied, run []int
			for c := range v {
				if v[c] == v[b] {
					tied = append(tied, c)
				}
			}
			if v[a] > v[b] {
				run = []int{a}
			}
			return key(Tie, nil, run, nil, tied)
		}
		return key(Runoff, nil, []int{a, b}, nil, nil)
	case DHondt, SainteLague, Hare:
		ok := make([]bool, len(v))
		for i := range v {
			ok[i] = r.Cutoff == 0 || base() == 0 || share(v[i]).Cmp(pct(r.Cutoff)) >= 0
		}
		if r.Method == Hare {
			return naiveHare(r, v, ok)
		}
		type q struct {
			list int
			val  *big.Rat
		}
		var qs []q
		for i := range v {
			if !ok[i] || v[i] == 0 {
				continue
			}
			for k := 1; k <= r.Seats+1; k++ {
				d := int64(100 * k)
				if r.Method == SainteLague {
					d = int64(200*k - 100)
					if k == 1 {
						d = int64(r.First)
					}
				}
				qs = append(qs, q{i, big.NewRat(v[i]*100, d)})
			}
		}
		seats := make([]int, len(v))
		if len(qs) == 0 {
			var tied []int
			for i := range v {
				if ok[i] {
					tied = append(tied, i)
				}
			}
			return key(Tie, nil, nil, seats, tied)
		}
		sort.SliceStable(qs, func(i, j int) bool { return qs[i].val.Cmp(qs[j].val) > 0 })
		cut := qs[r.Seats-1].val
		if qs[r.Seats].val.Cmp(cut) == 0 {
			var tied []int
			for _, x := range qs {
				if x.val.Cmp(cut) > 0 {
					seats[x.list]++
				} else if x.val.Cmp(cut) == 0 {
					tied = append(tied, x.list)
				}
			}
			slices.Sort(tied)
			return key(Tie, nil, nil, seats, tied)
		}
		for _, x := range qs[:r.Seats] {
			seats[x.list]++
		}
		return key(Seats, nil, nil, seats, nil)
	case Referendum:
		yes, no := v[0], v[1]
		if r.Turnout > 0 && t.Registered > 0 && big.NewRat(t.Ballots, t.Registered).Cmp(pct(r.Turnout)) < 0 {
			return key(Void, nil, nil, nil, nil)
		}
		if r.Approval > 0 && t.Registered > 0 && big.NewRat(yes, t.Registered).Cmp(pct(r.Approval)) < 0 {
			return key(Void, nil, nil, nil, nil)
		}
		switch {
		case yes > no:
			return key(Passed, nil, nil, nil, nil)
		case no > yes:
			return key(Rejected, nil, nil, nil, nil)
		}
		return key(Tie, nil, nil, nil, []int{0, 1})
	}
	panic("naive: unknown method")
}

func naiveHare(r Rule, v []int64, ok []bool) string {
	var V int64
	var el []int
	for i := range v {
		if ok[i] {
			V += v[i]
			el = append(el, i)
		}
	}
	seats := make([]int, len(v))
	if V == 0 {
		return key(Tie, nil, nil, seats, el)
	}
	rems := map[int]*big.Rat{}
	left := r.Seats
	for _, i := range el {
		q := big.NewRat(v[i]*int64(r.Seats), V)
		f := new(big.Int).Quo(q.Num(), q.Denom())
		seats[i] = int(f.Int64())
		left -= seats[i]
		rems[i] = new(big.Rat).Sub(q, new(big.Rat).SetInt(f))
	}
	sort.SliceStable(el, func(a, b int) bool { return rems[el[a]].Cmp(rems[el[b]]) > 0 })
	if left > 0 && rems[el[left-1]].Cmp(rems[el[left]]) == 0 {
		cut := rems[el[left-1]]
		var tied []int
		for _, i := range el {
			if rems[i].Cmp(cut) > 0 {
				seats[i]++
			} else if rems[i].Cmp(cut) == 0 {
				tied = append(tied, i)
			}
		}
		slices.Sort(tied)
		return key(Tie, nil, nil, seats, tied)
	}
	for _, i := range el[:left] {
		seats[i]++
	}
	return key(Seats, nil, nil, seats, nil)
}

func key(k Kind, elected, runoff, seats, tied []int) string {
	e := slices.Clone(elected)
	slices.Sort(e)
	t := slices.Clone(tied)
	slices.Sort(t)
	run := slices.Clone(runoff)
	slices.Sort(run) // a runoff is between two, whoever leads
	return fmt.Sprint(k, e, run, seats, t)
}

// keyOf is the comparable form of an outcome.
func keyOf(o Outcome) string {
	run := o.Runoff
	return key(o.Kind, o.Elected, run, o.Seats, o.Tied)
}
