package contest

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
)

// synthStations makes n stations of about 350 registered voters with
// figures for k candidates drawn around the given shares.
func synthStations(n int, shares []float64, seed uint64) []Totals {
	rng := rand.New(rand.NewPCG(seed, 7))
	st := make([]Totals, n)
	for i := range st {
		reg := 250 + rng.Int64N(200)
		ballots := reg * (60 + rng.Int64N(25)) / 100
		s := Totals{Votes: make([]int64, len(shares)), Registered: reg}
		left := ballots
		for j, p := range shares {
			v := int64(float64(ballots) * p * (0.85 + 0.3*rng.Float64()))
			v = min(v, left)
			s.Votes[j] = v
			left -= v
		}
		s.Blank = left / 2
		s.Null = left - s.Blank
		s.Ballots = ballots
		st[i] = s
	}
	return st
}

// BenchmarkDecisive470k times, for each rule on 470,000 synthetic
// stations, Decide on the totals, the margin and the decisive set, and
// reports that time over the time of one pass summing the stations'
// figures in the same run (x-sum; the goal is within 3), with the size
// of the decisive set and its floor. x-sum-before is the same for the
// algorithm the decisive set had before (decisive_ref_test.go). Each
// figure is the least time over the iterations, the sum's too: on a
// machine shared with other work the least is the one others disturbed
// least. The decisive set's pass uses a core per 65,536 stations, up to
// GOMAXPROCS; the sum one: run it with -cpu 1,2 for both.
func BenchmarkDecisive470k(b *testing.B) {
	const n = 470000
	six := synthStations(n, []float64{0.34, 0.31, 0.2, 0.08, 0.04, 0.02}, 1)
	two := synthStations(n, []float64{0.52, 0.44}, 2)
	for _, text := range []string{
		"plurality seats=1",
		"plurality seats=3",
		"majority base=valid",
		"threshold win=45 or=40 lead=10 base=valid",
		"dhondt seats=7 threshold=3 base=valid+blank",
		"sainte-lague seats=349 first=1.2 threshold=4 base=valid",
		"hare seats=10 threshold=5 base=valid",
		"referendum turnout=50 approval=25",
	} {
		r, err := Parse(text)
		if err != nil {
			b.Fatal(err)
		}
		st, k := six, 6
		if r.Method == Referendum {
			st, k = two, 2
		}
		b.Run(text, func(b *testing.B) {
			sum, work, before := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
			var set []int
			var floor int
			for b.Loop() {
				// The garbage of the iteration before (the reference's
				// most) collected first, out of every timing: with one
				// core its collection would otherwise fall in whichever
				// is timed next.
				runtime.GC()
				t0 := time.Now()
				t := Sum(k, st)
				t1 := time.Now()
				o := Decide(r, t)
				_ = o.Margin()
				set, floor = o.Decisive(st)
				t2 := time.Now()
				o = Decide(r, t)
				_ = o.Margin()
				refDecisive(&o, st)
				t3 := time.Now()
				sum, work, before = min(sum, t1.Sub(t0)), min(work, t2.Sub(t1)), min(before, t3.Sub(t2))
			}
			b.ReportMetric(float64(work)/float64(sum), "x-sum")
			b.ReportMetric(float64(work)/1e6, "ms")
			b.ReportMetric(float64(sum)/1e6, "sum-ms")
			b.ReportMetric(float64(before)/float64(sum), "x-sum-before")
			b.ReportMetric(float64(len(set)), "stations")
			b.ReportMetric(float64(floor), "floor")
		})
	}
}
