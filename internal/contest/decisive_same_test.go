package contest

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
)

// sameRules are the rules the new decisive set is compared on with the
// reference: every method, with and without thresholds and quorums.
var sameRules = append(slices.Clone(bruteRules),
	"plurality seats=3",
	"threshold win=45 or=40 lead=10 base=valid+blank",
	"threshold win=50 or=40 lead=10 base=valid",
	"dhondt seats=7 threshold=3 base=valid+blank",
	"sainte-lague seats=12 first=1.2 threshold=4 base=valid",
	"hare seats=10 threshold=5 base=valid",
)

// randomElection draws stations for n candidates in one of several
// shapes: a close race, a landslide, stations of equal figures (ties of
// decreases), a few stations too large for the histograms, one whose
// registered voters are unknown (the largest count), figures that do
// not add up, and tiny stations.
func randomElection(rng *rand.Rand, n int) []Totals {
	shape := rng.IntN(7)
	m := 1 + rng.IntN(300)
	switch rng.IntN(12) {
	case 0, 1, 2:
		m = 1 + rng.IntN(4)
	case 3:
		m = 1000 + rng.IntN(5000) // enough for the sample to estimate the cut
	}
	shares := make([]float64, n)
	for i := range shares {
		shares[i] = rng.Float64()
		if shape == 0 && i < 2 {
			shares[i] = 1 // a close race between the first two
		}
	}
	var sum float64
	for _, s := range shares {
		sum += s
	}
	st := make([]Totals, m)
	for s := range st {
		reg := int64(1 + rng.IntN(500))
		switch {
		case shape == 1:
			reg = 300 // every station alike
		case shape == 2 && rng.IntN(20) == 0:
			reg = 5000 + rng.Int64N(80000) // beyond the histograms and the dense sizes
		case shape == 3 && s == 0:
			reg = 999_999_999 // registered voters unknown
		case shape == 4:
			reg = 1 + rng.Int64N(4)
		}
		t := Totals{Votes: make([]int64, n), Registered: reg}
		left := reg * int64(40+rng.IntN(61)) / 100
		if shape == 1 {
			left = 200
		}
		for i := range t.Votes {
			v := int64(float64(left) * shares[i] / sum * (0.7 + 0.6*rng.Float64()))
			if shape == 1 {
				v = int64(float64(200) * shares[i] / sum)
			}
			v = min(v, left)
			t.Votes[i] = v
			left -= v
		}
		t.Blank = left / 2
		t.Null = left - t.Blank
		t.Ballots = t.Blank + t.Null
		for _, v := range t.Votes {
			t.Ballots += v
		}
		if shape == 5 && rng.IntN(10) == 0 {
			t.Ballots -= 1 + rng.Int64N(3) // figures that do not add up
		}
		if shape == 6 && rng.IntN(5) == 0 {
			t.Votes[rng.IntN(n)] += 4096 // one figure past the histograms
			t.Ballots += 4096
			t.Registered += 4096
		}
		st[s] = t
	}
	return st
}

// TestDecisiveSameAsReference compares Decisive with the algorithm it
// replaced (decisive_ref_test.go) on random elections under every rule:
// the same set, station for station, and the same floor.
func TestDecisiveSameAsReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 470))
	trials := 300
	if testing.Short() {
		trials = 60
	}
	for _, text := range sameRules {
		r, err := Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(text, func(t *testing.T) {
			for trial := range trials {
				n := 2 + rng.IntN(6)
				if r.Method == Referendum {
					n = 2
				}
				st := randomElection(rng, n)
				o := Decide(r, Sum(n, st))
				set, floor := o.Decisive(st)
				wantSet, wantFloor := refDecisive(&o, st)
				if floor != wantFloor || !slices.Equal(set, wantSet) {
					t.Fatalf("trial %d, %d stations, %s: set %v floor %d; the reference gives %v floor %d",
						trial, len(st), o.Kind, set, floor, wantSet, wantFloor)
				}
			}
		})
	}
}

// TestDecisiveRangesAgree checks the pass split across cores against
// the reference: elections large enough for several ranges, one with
// stations all alike (ties across the ranges' edges) and one whose last
// range holds a station of unknown registered voters (its decreases
// past 32 bits: that range misses its bracket, the others do not).
func TestDecisiveRangesAgree(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	n := 3*minPart + 1234
	six := []float64{0.34, 0.31, 0.2, 0.08, 0.04, 0.02}
	alike := synthStations(n, six, 3)
	for i := range alike {
		alike[i] = Totals{Votes: []int64{100, 90, 50, 20, 10, 5}, Ballots: 280, Registered: 400}
	}
	huge := synthStations(n, six, 4)
	huge[n-10].Registered = 999_999_999
	for name, st := range map[string][]Totals{"synthetic": synthStations(n, six, 2), "alike": alike, "unknown registered": huge} {
		for _, text := range []string{"plurality seats=1", "plurality seats=3", "threshold win=45 or=40 lead=10 base=valid", "dhondt seats=7 threshold=3 base=valid+blank"} {
			r, err := Parse(text)
			if err != nil {
				t.Fatal(err)
			}
			o := Decide(r, Sum(6, st))
			set, floor := o.Decisive(st)
			wantSet, wantFloor := refDecisive(&o, st)
			if floor != wantFloor || !slices.Equal(set, wantSet) {
				t.Errorf("%s, %s: %d stations, floor %d; the reference gives %d, floor %d", name, text, len(set), floor, len(wantSet), wantFloor)
			}
		}
	}
}
