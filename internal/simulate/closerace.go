package simulate

import (
	"math"
	"math/rand/v2"
)

// CloseRace turns the tables into a close race between the two most voted
// candidates: it keeps each table's registered voters, thins its ballots to
// the share keep (0.77 turns the Distrito Capital's 720,000 ballots into
// about 550,000) and shifts votes between the two, table by table in
// proportion to their votes there (so places keep their leanings), until the
// first leads the second by exactly margin votes.
func (e *Election) CloseRace(margin int, keep float64, rnd *rand.Rand) {
	first, second := e.leaders()
	for i := range e.Tables {
		t := &e.Tables[i]
		for c, n := range t.Votes {
			t.Votes[c] = thin(n, keep, rnd)
		}
		t.Null = thin(t.Null, keep, rnd)
	}
	// Shift a share s of the leader's votes to the second everywhere, with
	// s found by bisection, then settle the last votes one table at a time.
	diff := func(s float64) int {
		d := 0
		for _, t := range e.Tables {
			m := int(math.Round(s * float64(t.Votes[first])))
			d += t.Votes[first] - m - (t.Votes[second] + m)
		}
		return d
	}
	lo, hi := 0.0, 0.5
	for range 60 {
		mid := (lo + hi) / 2
		if diff(mid) > margin {
			lo = mid
		} else {
			hi = mid
		}
	}
	total := 0
	for i := range e.Tables {
		t := &e.Tables[i]
		m := int(math.Round(lo * float64(t.Votes[first])))
		t.Votes[first] -= m
		t.Votes[second] += m
		total += t.Votes[first] - t.Votes[second]
	}
	for i := 0; total != margin; i = (i + 1) % len(e.Tables) {
		t := &e.Tables[i]
		switch {
		case total > margin && t.Votes[first] > 0:
			t.Votes[first]--
			t.Votes[second]++
			total -= 2
			if total < margin { // odd distance: one vote to null
				t.Votes[second]--
				t.Null++
				total++
			}
		case total < margin && t.Votes[second] > 0:
			t.Votes[second]--
			t.Votes[first]++
			total += 2
			if total > margin {
				t.Votes[first]--
				t.Null++
				total--
			}
		}
	}
}

// leaders returns the two most voted candidates of the tables.
func (e *Election) leaders() (first, second string) {
	sum := map[string]int{}
	for _, t := range e.Tables {
		for c, n := range t.Votes {
			sum[c] += n
		}
	}
	for _, c := range e.Def.Contests[0].Candidates {
		switch {
		case first == "" || sum[c.ID] > sum[first]:
			first, second = c.ID, first
		case second == "" || sum[c.ID] > sum[second]:
			second = c.ID
		}
	}
	return first, second
}

// thin keeps each of n votes with probability keep.
func thin(n int, keep float64, rnd *rand.Rand) int {
	k := 0
	for range n {
		if rnd.Float64() < keep {
			k++
		}
	}
	return k
}
