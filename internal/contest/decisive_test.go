package contest

import (
	"math/rand/v2"
	"runtime"
	"testing"
)

// replacements returns every figure a station of r registered voters
// could truly have: n candidates and blank, at most r ballots.
func replacements(n int, r int64) []Totals {
	var out []Totals
	v := make([]int64, n+1)
	var rec func(i int, left int64)
	rec = func(i int, left int64) {
		if i == len(v) {
			t := Totals{Votes: append([]int64(nil), v[:n]...), Blank: v[n], Registered: r}
			for _, x := range v {
				t.Ballots += x
			}
			out = append(out, t)
			return
		}
		for x := int64(0); x <= left; x++ {
			v[i] = x
			rec(i+1, left-x)
		}
	}
	rec(0, r)
	return out
}

// TestDecisiveExact draws small elections of four stations and checks
// Decisive against brute force: no set of fewer stations, whatever
// their true figures, alters the naive outcome; and for an outcome on
// one conjunction the set returned, with some true figures, does.
func TestDecisiveExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, text := range bruteRules {
		r, _ := Parse(text)
		n := 3
		if r.Method == Referendum {
			n = 2
		}
		t.Run(text, func(t *testing.T) {
			for trial := 0; trial < 40; trial++ {
				st := make([]Totals, 4)
				for i := range st {
					reg := 1 + rng.Int64N(3)
					reps := replacements(n, reg)
					st[i] = reps[rng.IntN(len(reps))]
				}
				total := Sum(n, st)
				o := Decide(r, total)
				want := naive(r, total)
				set, floor := o.Decisive(st)
				if set != nil && floor > len(set) {
					t.Fatalf("floor %d above the set %v", floor, set)
				}
				alters := func(idx []int) bool {
					var try func(k int, cur []Totals) bool
					try = func(k int, cur []Totals) bool {
						if k == len(idx) {
							return naive(r, Sum(n, cur)) != want
						}
						for _, y := range replacements(n, st[idx[k]].Registered) {
							c := append([]Totals(nil), cur...)
							c[idx[k]] = y
							if try(k+1, c) {
								return true
							}
						}
						return false
					}
					return try(0, st)
				}
				d := floor
				if set == nil && floor == 0 {
					d = 5 // nothing can alter it
				}
				// every subset smaller than d, up to size 2
				for i := 0; i < 4 && d > 1; i++ {
					if alters([]int{i}) {
						t.Fatalf("%v: decisive %v, but station %d alone alters %s", st, set, i, want)
					}
					for j := i + 1; j < 4 && d > 2; j++ {
						if alters([]int{i, j}) {
							t.Fatalf("%v: decisive %v, but stations %d, %d alter %s", st, set, i, j, want)
						}
					}
				}
				if set != nil && len(o.Rests) == 1 && len(set) <= 2 && !alters(set) {
					t.Fatalf("%v: decisive %v does not alter %s", st, set, want)
				}
			}
		})
	}
}

// TestCouldChange checks the missing-stations test by brute force on
// small cases: with m registered voters missing, true figures of those
// voters alter the outcome iff CouldChange says so (for one
// conjunction; a disjunction may only say yes where brute force does).
func TestCouldChange(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, text := range bruteRules {
		r, _ := Parse(text)
		n := 3
		if r.Method == Referendum {
			n = 2
		}
		t.Run(text, func(t *testing.T) {
			for trial := 0; trial < 200; trial++ {
				reg := 2 + rng.Int64N(8)
				reps := replacements(n, reg)
				rep := reps[rng.IntN(len(reps))]
				missing := rng.Int64N(4)
				rep.Registered += missing
				o := Decide(r, rep)
				want := naive(r, rep)
				brute := false
				for _, y := range replacements(n, missing) {
					x := Sum(n, []Totals{rep, y})
					x.Registered = rep.Registered
					if naive(r, x) != want {
						brute = true
						break
					}
				}
				got := o.CouldChange(missing)
				if brute && !got {
					t.Fatalf("%+v, %d missing: brute force alters %s, CouldChange false", rep, missing, want)
				}
				if !brute && got && len(o.Rests) == 1 {
					t.Fatalf("%+v, %d missing: CouldChange true, brute force cannot alter %s", rep, missing, want)
				}
			}
		})
	}
}

// TestDecisiveLargeStations exercises stations too large for the
// category histograms: the bound by sizes alone still gives a floor no
// larger than the set, and the set breaks the weakest assertion.
func TestDecisiveLargeStations(t *testing.T) {
	r, _ := Parse("plurality seats=1")
	st := []Totals{
		{Votes: []int64{6000, 3000}, Ballots: 9000, Registered: 10000},
		{Votes: []int64{5000, 4500}, Ballots: 9500, Registered: 10000},
		{Votes: []int64{100, 50}, Ballots: 150, Registered: 200},
	}
	o := Decide(r, Sum(2, st))
	set, floor := o.Decisive(st)
	if set == nil || floor < 1 || floor > len(set) {
		t.Fatalf("set %v, floor %d", set, floor)
	}
	// Station 0 wholly false (all 10000 for the loser) breaks it alone.
	if len(set) != 1 || set[0] != 0 {
		t.Fatalf("set %v, want [0]", set)
	}
}

// TestDecisiveUnknownSize: a station whose registered voters are unknown
// counts as the largest count (an observer's definition): the decisive set
// is found without a histogram as large as that count (it took gigabytes
// and seconds for three stations).
func TestDecisiveUnknownSize(t *testing.T) {
	r, _ := Parse("plurality seats=1")
	st := []Totals{
		{Votes: []int64{50, 60}, Ballots: 115, Registered: 200},
		{Votes: []int64{40, 70}, Ballots: 111, Registered: 999_999_999},
		{Votes: []int64{30, 220}, Ballots: 250, Registered: 300},
	}
	o := Decide(r, Sum(2, st))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	set, floor := o.Decisive(st)
	runtime.ReadMemStats(&after)
	if len(set) != 1 || set[0] != 1 || floor != 1 {
		t.Errorf("set %v, floor %d; want the station of unknown size alone", set, floor)
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 64<<20 {
		t.Errorf("the decisive set took %d MB", d>>20)
	}
}
