package auditmath

import (
	"math/rand/v2"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/contest"
)

// benchStations sums n synthetic stations of about 350 registered voters
// each, with figures for the candidates drawn around the given shares
// (internal/contest's benchmark makes its stations the same way).
func benchStations(n int, shares []float64, seed uint64) contest.Totals {
	rng := rand.New(rand.NewPCG(seed, 7))
	t := contest.Totals{Votes: make([]int64, len(shares))}
	for range n {
		reg := 250 + rng.Int64N(200)
		ballots := reg * (60 + rng.Int64N(25)) / 100
		left := ballots
		for j, p := range shares {
			v := min(int64(float64(ballots)*p*(0.85+0.3*rng.Float64())), left)
			t.Votes[j] += v
			left -= v
		}
		t.Blank += left / 2
		t.Null += left - left/2
		t.Ballots += ballots
		t.Registered += reg
	}
	return t
}

// BenchmarkShangrla470k times, for each rule on the totals of 470,000
// synthetic stations (about 140 million ballots), building the SHANGRLA
// assertion set (which estimates the sample size of each conjunction to
// pick one) and the sample-size estimate at a 5% risk limit; it reports
// the ballots to poll and the assertions tested.
//
//	go test -run '^$' -bench Shangrla470k -benchtime 1x ./internal/auditmath
func BenchmarkShangrla470k(b *testing.B) {
	six := benchStations(470000, []float64{0.34, 0.31, 0.2, 0.08, 0.04, 0.02}, 1)
	two := benchStations(470000, []float64{0.52, 0.44}, 2)
	for _, text := range shangrlaRules {
		r, err := contest.Parse(text)
		if err != nil {
			b.Fatal(err)
		}
		t := six
		if r.Method == contest.Referendum {
			t = two
		}
		b.Run(text, func(b *testing.B) {
			var s *Assertions
			var n int64
			for b.Loop() {
				s, err = NewAssertions(r, t, 0.05)
				if err != nil {
					b.Fatal(err)
				}
				if n, err = s.SampleSize(0.05); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "ballots-to-poll")
			b.ReportMetric(float64(len(s.Assorters)), "assertions")
			b.ReportMetric(float64(t.Ballots), "ballots")
		})
	}
	// The worst case: a margin of 0.01% of the ballots, where the estimate
	// runs ALPHA over millions of ballots before it crosses the limit.
	close := contest.Totals{Votes: []int64{58_000_000, 57_988_000}, Blank: 2_012_000, Ballots: 118_000_000}
	plur, _ := contest.Parse("plurality seats=1")
	b.Run("plurality seats=1 margin=0.01%", func(b *testing.B) {
		var n int64
		for b.Loop() {
			s, err := NewAssertions(plur, close, 0.05)
			if err != nil {
				b.Fatal(err)
			}
			if n, err = s.SampleSize(0.05); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n), "ballots-to-poll")
		b.ReportMetric(float64(close.Ballots), "ballots")
	})
}
