package auditmath

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
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

// alphaSimulate runs trials ALPHA audits of the plurality assertion of a
// two-candidate contest whose true counts are the reported ones (vw
// ballots for the winner of n), drawing ballots without replacement, and
// returns the mean and standard deviation of the ballots drawn to reach
// riskLimit (n when it never does).
func alphaSimulate(a *Assertions, vw, n int64, riskLimit float64, trials int, rng *rand.Rand) (mean, sd float64) {
	test := a.test(&a.Assorters[0])
	var sum, sum2 float64
	for range trials {
		r, err := test.start()
		if err != nil {
			panic(err)
		}
		w, left := vw, n
		drawn := n
		for j := int64(1); j <= n; j++ {
			x := 0.0
			if rng.Int64N(left) < w {
				x, w = 1, w-1
			}
			left--
			if math.Min(1, 1/r.feed(x, j == n)) <= riskLimit {
				drawn = j
				break
			}
		}
		sum += float64(drawn)
		sum2 += float64(drawn) * float64(drawn)
	}
	mean = sum / float64(trials)
	return mean, math.Sqrt(max(0, sum2/float64(trials)-mean*mean))
}

// BenchmarkAlphaFigures prints ALPHA beside BRAVO for the figures'
// two-candidate contests of 550,000 ballots at risk limit 5%
// (bravoFigureMargins): BRAVO's ASN (with replacement), SHANGRLA's
// sample-size estimate for ALPHA (without replacement, η the reported
// share, shrink–truncate) and the mean of simulated ALPHA audits. Run it
// once:
//
//	go test -run '^$' -bench AlphaFigures -benchtime 1x ./internal/auditmath
func BenchmarkAlphaFigures(b *testing.B) {
	trials := map[string]int{"20%": 2000, "10%": 1000, "5%": 400, "1%": 100, "0.13%": 20}
	plur, _ := contest.Parse("plurality seats=1")
	for range b.N {
		rng := rand.New(rand.NewPCG(2023, 1))
		var out strings.Builder
		fmt.Fprintf(&out, "risk limit 5%%, two candidates, %d ballots, all valid\n", bravoFigureBallots)
		fmt.Fprintf(&out, "| margin | BRAVO ASN (with replacement) | ALPHA, SHANGRLA's estimate | ALPHA simulated mean ± s.e. (trials) |\n|---|---|---|---|\n")
		for _, m := range bravoFigureMargins {
			loser := bravoFigureBallots - m.winner
			c := Contest{Votes: map[string]int64{"w": m.winner, "l": loser}, Ballots: bravoFigureBallots, NumWinners: 1}
			s, err := NewAssertions(plur, contest.Totals{Votes: []int64{m.winner, loser}, Ballots: bravoFigureBallots}, 0.05)
			if err != nil {
				b.Fatal(err)
			}
			est, err := s.SampleSize(0.05)
			if err != nil {
				b.Fatal(err)
			}
			mean, sd := alphaSimulate(s, m.winner, bravoFigureBallots, 0.05, trials[m.name], rng)
			fmt.Fprintf(&out, "| %s | %.0f | %d | %.0f ± %.0f (%d) |\n", m.name, BravoASN(c, 0.05), est, mean, sd/math.Sqrt(float64(trials[m.name])), trials[m.name])
		}
		b.Log("\n" + out.String())
	}
}
