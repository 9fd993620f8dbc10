package contest

// Totals are the figures of a contest, or of one station of it. Votes
// holds the votes per candidate, list, or (referendum) yes then no.
// Ballots counts every ballot cast (votes, blank, null and any other);
// Registered counts the voters entitled to vote.
type Totals struct {
	Votes      []int64
	Blank      int64
	Null       int64
	Ballots    int64
	Registered int64
}

// Sum adds the figures of stations into one Totals of n candidates.
func Sum(n int, stations []Totals) Totals {
	t := Totals{Votes: make([]int64, n)}
	for i := range stations {
		s := &stations[i]
		for j, v := range s.Votes {
			t.Votes[j] += v
		}
		t.Blank += s.Blank
		t.Null += s.Null
		t.Ballots += s.Ballots
		t.Registered += s.Registered
	}
	return t
}

// Assertion is a linear inequality over the figures:
//
//	Σ Votes[i]·v_i + Blank·blank + Null·null + Ballots·ballots + Registered·registered + Const > 0
//
// (≥ 0 when Strict is false). An [Outcome] rests on its assertions:
// while they hold, the outcome is the same.
type Assertion struct {
	Votes                            []int64
	Blank, Null, Ballots, Registered int64
	Strict                           bool
	// Says is what the assertion means, e.g. "c0 beats c2".
	Says string
}

// Value returns the left-hand side of the assertion on t.
func (a *Assertion) Value(t *Totals) int64 {
	var s int64
	for i, c := range a.Votes {
		if c != 0 {
			s += c * t.Votes[i]
		}
	}
	return s + a.Blank*t.Blank + a.Null*t.Null + a.Ballots*t.Ballots + a.Registered*t.Registered
}

// Holds reports whether the assertion holds on t.
func (a *Assertion) Holds(t *Totals) bool {
	v := a.Value(t)
	return v > 0 || (!a.Strict && v == 0)
}

// need is by how much the value must fall for the assertion to break.
func (a *Assertion) need(t *Totals) int64 {
	v := a.Value(t)
	if a.Strict {
		return v
	}
	return v + 1
}

// effective returns the coefficient of one ballot in each category
// (candidates, then blank, then null): its own coefficient plus that of
// ballots, which it also counts in.
func (a *Assertion) effective(n int) []int64 {
	e := make([]int64, n+2)
	for i := 0; i < n; i++ {
		if i < len(a.Votes) {
			e[i] = a.Votes[i]
		}
		e[i] += a.Ballots
	}
	e[n] = a.Blank + a.Ballots
	e[n+1] = a.Null + a.Ballots
	return e
}

// builder makes assertions over n candidates.
type builder struct{ n int }

func (b builder) new(says string, strict bool) Assertion {
	return Assertion{Votes: make([]int64, b.n), Strict: strict, Says: says}
}

// addBase adds k times the base of shares to a.
func (b builder) addBase(a *Assertion, base Base, k int64) {
	for i := range a.Votes {
		a.Votes[i] += k
	}
	if base == ValidBlank {
		a.Blank += k
	}
}
