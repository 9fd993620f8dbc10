package contest

import (
	"testing"
)

var bruteRules = []string{
	"plurality seats=1",
	"plurality seats=2",
	"majority base=valid",
	"majority base=valid+blank",
	"threshold win=45 or=40 lead=10 base=valid",
	"threshold win=40 base=valid+blank",
	"dhondt seats=3 base=valid",
	"dhondt seats=4 threshold=20 base=valid+blank",
	"sainte-lague seats=3 base=valid",
	"sainte-lague seats=4 first=1.4 threshold=10 base=valid",
	"hare seats=3 base=valid",
	"hare seats=4 threshold=20 base=valid+blank",
	"referendum turnout=50",
	"referendum approval=25",
	"referendum turnout=50 approval=25",
}

// grid calls f with every small Totals: candidate votes 0..hi each
// (two for a referendum, three otherwise), blank and null 0..2, and a
// few registered counts from the ballots up.
func grid(r Rule, hi int64, f func(Totals)) {
	n := 3
	if r.Method == Referendum {
		n = 2
	}
	v := make([]int64, n)
	var rec func(i int)
	rec = func(i int) {
		if i < n {
			for x := int64(0); x <= hi; x++ {
				v[i] = x
				rec(i + 1)
			}
			return
		}
		for blank := int64(0); blank <= 2; blank++ {
			for null := int64(0); null <= 1; null++ {
				ballots := blank + null
				for _, x := range v {
					ballots += x
				}
				for _, extra := range []int64{0, 3, ballots + 1} {
					f(Totals{Votes: append([]int64(nil), v...), Blank: blank, Null: null, Ballots: ballots, Registered: ballots + extra})
				}
			}
		}
	}
	rec(0)
}

// TestDecideAgreesWithNaive compares Decide with the naive rule on
// every small vote vector, and checks that each outcome's assertions
// hold on the totals they came from.
func TestDecideAgreesWithNaive(t *testing.T) {
	for _, text := range bruteRules {
		r, err := Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(text, func(t *testing.T) {
			grid(r, 6, func(tt Totals) {
				o := Decide(r, tt)
				if got, want := keyOf(o), naive(r, tt); got != want {
					t.Fatalf("%+v: Decide %s, naive %s", tt, got, want)
				}
				for _, c := range o.Rests {
					if !holdsAll(c, &tt) {
						t.Fatalf("%+v: %s: an assertion of the outcome fails", tt, keyOf(o))
					}
				}
			})
		})
	}
}

// TestMarginExact searches breadth first over ballot changes (move one
// ballot between categories, add one up to the registered voters,
// remove one): no outcome within fewer changes than the margin may
// differ, and, for an outcome resting on one conjunction, some outcome
// at exactly the margin must.
func TestMarginExact(t *testing.T) {
	hi, depth := int64(4), int64(4)
	if testing.Short() {
		hi, depth = 3, 3
	}
	for _, text := range bruteRules {
		r, _ := Parse(text)
		t.Run(text, func(t *testing.T) {
			grid(r, hi, func(tt Totals) {
				o := Decide(r, tt)
				m := o.Margin()
				found := bfs(r, tt, min(m, depth))
				switch {
				case found < m && found <= depth:
					t.Fatalf("%+v: %s: margin %d, but %d changes alter it", tt, keyOf(o), m, found)
				case len(o.Rests) == 1 && m <= depth && found != m:
					t.Fatalf("%+v: %s: margin %d, but no change of %d alters it", tt, keyOf(o), m, m)
				}
			})
		})
	}
}

// bfs returns the fewest changes (up to limit) that alter the naive
// outcome, or limit+1.
func bfs(r Rule, t Totals, limit int64) int64 {
	want := naive(r, t)
	n := len(t.Votes)
	type state [6]int64 // votes (≤4), blank, null
	var s0 state
	copy(s0[:], t.Votes)
	s0[4], s0[5] = t.Blank, t.Null
	toTotals := func(s state) Totals {
		x := Totals{Votes: append([]int64(nil), s[:n]...), Blank: s[4], Null: s[5], Registered: t.Registered}
		x.Ballots = t.Ballots - t.Blank - t.Null + s[4] + s[5]
		for i := 0; i < n; i++ {
			x.Ballots += s[i] - t.Votes[i]
		}
		return x
	}
	cats := append([]int{}, 4, 5)
	for i := 0; i < n; i++ {
		cats = append(cats, i)
	}
	seen := map[state]bool{s0: true}
	frontier := []state{s0}
	for d := int64(1); d <= limit; d++ {
		var next []state
		visit := func(s state) bool {
			if seen[s] {
				return false
			}
			seen[s] = true
			next = append(next, s)
			return naive(r, toTotals(s)) != want
		}
		for _, s := range frontier {
			ballots := toTotals(s).Ballots
			for _, i := range cats {
				if s[i] > 0 {
					x := s
					x[i]--
					if visit(x) {
						return d
					}
					for _, j := range cats {
						if j != i {
							y := x
							y[j]++
							if visit(y) {
								return d
							}
						}
					}
				}
				if ballots < t.Registered {
					x := s
					x[i]++
					if visit(x) {
						return d
					}
				}
			}
		}
		frontier = next
	}
	return limit + 1
}
