package forensics

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

func TestAtWholePercent(t *testing.T) {
	for _, c := range []struct {
		k, n int32
		want bool
	}{
		{0, 200, true}, {200, 200, true}, {100, 200, true}, {101, 200, false}, {102, 200, true},
		{1, 300, false}, {3, 300, true}, {10, 1000, true}, {11, 1000, false}, {15, 1000, false},
		{330, 999, true},                // 33.03%: the count nearest 33% of 999 (329.67)
		{331, 999, false},               // 33.13%
		{1, 150, false}, {2, 150, true}, // 1% of 150 is 1.5: the half rounds up
		{150, 301, false}, {151, 301, true}, // 50% of 301 is 150.5: one count, not two
		{100, 100, true}, {37, 100, true},
	} {
		if got := atWholePercent(c.k, c.n); got != c.want {
			t.Errorf("atWholePercent(%d, %d) = %v, want %v", c.k, c.n, got, c.want)
		}
	}
}

// TestWholePercentChance holds the chance, summed outward from the mode,
// to the binomial probabilities summed term by term.
func TestWholePercentChance(t *testing.T) {
	for _, c := range [][2]int32{{1, 100}, {37, 100}, {120, 200}, {5, 997}, {500, 1000}, {999, 1000}, {250, 150 + 201}, {77, 4000}} {
		k, n := c[0], c[1]
		p := float64(k) / float64(n)
		want := 0.0
		for j := int32(0); j <= n; j++ {
			if !atWholePercent(j, n) {
				continue
			}
			a, _ := math.Lgamma(float64(n) + 1)
			b, _ := math.Lgamma(float64(j) + 1)
			d, _ := math.Lgamma(float64(n-j) + 1)
			want += math.Exp(a - b - d + float64(j)*math.Log(p) + float64(n-j)*math.Log1p(-p))
		}
		if got := wholePercentChance(k, n); math.Abs(got-want) > 1e-9 {
			t.Errorf("wholePercentChance(%d, %d) = %.12f, want %.12f", k, n, got, want)
		}
	}
	if got := wholePercentChance(0, 500); got != 1 {
		t.Errorf("wholePercentChance(0, 500) = %v, want 1 (0%% cannot move)", got)
	}
}

// TestWholePercentNullUnbiased holds the resampling null to the chance it
// stands for: over stations whose counts are binomial at a rate, as many
// at whole percents as the resamples about their observed rates expect.
// Each base 100 to 400 enters once; at 50%, counting both counts of an odd
// base's half as at 50% made the counts 1.4% more often at whole percents
// than the resamples (which are wider than the counts' own binomial) said,
// and the share's test fired on 6.7% of honest elections at the 5% level.
func TestWholePercentNullUnbiased(t *testing.T) {
	for _, rate := range []float64{0.5, 0.25, 0.62, 0.1} {
		var truth, null float64
		for n := int32(100); n <= 400; n++ {
			lgn, _ := math.Lgamma(float64(n) + 1)
			for k := int32(0); k <= n; k++ {
				a, _ := math.Lgamma(float64(k) + 1)
				b, _ := math.Lgamma(float64(n-k) + 1)
				pk := math.Exp(lgn - a - b + float64(k)*math.Log(rate) + float64(n-k)*math.Log1p(-rate))
				if atWholePercent(k, n) {
					truth += pk
				}
				null += pk * wholePercentChance(k, n)
			}
		}
		if rel := (truth - null) / truth; math.Abs(rel) > 0.001 {
			t.Errorf("rate %.2f: %.2f stations of 301 expected at whole percents, the resampling null says %.2f (%+.2f%%)",
				rate, truth, null, 100*rel)
		}
	}
}

// TestResamplesIgnoreWorkers: the same seed gives the same p-values
// whatever the number of goroutines.
func TestResamplesIgnoreWorkers(t *testing.T) {
	s := &Stations{Candidates: []string{"A", "B"}}
	for i := range 3000 {
		n := int32(100 + i%700)
		s.List = append(s.List, Station{Registered: n, Ballots: n * 6 / 10, Votes: []int32{n / 3, n*6/10 - n/3}, Signed: i%3 == 0})
	}
	t1, s1 := integerPeaks(s, 101, 7, 1)
	t2, s2 := integerPeaks(s, 101, 7, 4)
	if !reflect.DeepEqual(t1, t2) || !reflect.DeepEqual(s1, s2) {
		t.Errorf("1 worker: %+v %+v\n4 workers: %+v %+v", t1, s1, t2, s2)
	}
	t3, _ := integerPeaks(s, 101, 8, 1)
	if reflect.DeepEqual(t1, t3) {
		t.Errorf("seeds 7 and 8 gave the same resamples: %+v", t1)
	}
	if t1[All].Stations != 3000 || t1[Signed].Stations != 1000 || t1[Unsigned].Stations != 2000 {
		t.Errorf("stations %d/%d/%d, want 3000/1000/2000", t1[All].Stations, t1[Signed].Stations, t1[Unsigned].Stations)
	}
}

// TestFunnelUnitsSymmetric: in an area of honest stations, each rate
// drawn about the area's and its count binomial, as many stations are
// beyond 1 unit above the area as below it, also where the area's rate is
// far from one half and the counting noise large (88%, the turnout of a
// country where voting is compulsory, of 100 to 300 voters). With the
// counting noise at the area's median rather than the station's own rate,
// 5,902 were above and 6,667 below of 40,000; the sign test of the
// corners then fires short of its level.
func TestFunnelUnitsSymmetric(t *testing.T) {
	for _, c := range []struct{ rate, spread float64 }{{0.88, 0.03}, {0.30, 0.03}} {
		rnd := rand.New(rand.NewPCG(1, 2))
		const stations = 40000
		xs, ns := make([]float64, stations), make([]float64, stations)
		for i := range stations {
			n := 100 + rnd.IntN(201)
			p := min(max(c.rate+c.spread*rnd.NormFloat64(), 0.01), 0.99)
			k := distuv.Binomial{N: float64(n), P: p, Src: rnd}.Rand()
			xs[i], ns[i] = k/float64(n), float64(n)
		}
		funnel(xs, ns, nil)
		var above, below int
		for _, z := range xs {
			switch {
			case z > 1:
				above++
			case z < -1:
				below++
			}
		}
		// Counting noise alone spreads above-below by the square root of
		// their sum; the area's median, estimated, by about as much.
		if d := math.Abs(float64(above - below)); d > 3*math.Sqrt(float64(above+below)) {
			t.Errorf("rate %.2f: %d stations beyond 1 unit above the area, %d below; want about as many", c.rate, above, below)
		}
	}
}

// TestSignTest holds the mid-p-value to P(X > high) + P(X = high)/2
// worked by hand: of 4 stations in the corners, 3 high has P(X > 3) =
// 1/16 and P(X = 3) = 4/16.
func TestSignTest(t *testing.T) {
	for _, c := range []struct {
		high, low int
		want      float64
	}{{0, 0, 1}, {0, 5, 63.0 / 64}, {10, 0, 1.0 / 2048}, {1, 1, 0.5}, {2, 2, 0.5}, {3, 1, 3.0 / 16}, {4, 0, 1.0 / 32}} {
		if got := signTest(c.high, c.low); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("signTest(%d, %d) = %v, want %v", c.high, c.low, got, c.want)
		}
	}
}

// TestDigitChances holds the digit probabilities, summed outward from
// the mode or by runs of counts, to the probabilities summed count by
// count.
func TestDigitChances(t *testing.T) {
	for _, c := range [][2]int32{{12, 20}, {37, 100}, {120, 200}, {5, 997}, {500, 1000}, {999, 1000}, {250, 351}, {0, 50}, {50, 50}, {9, 400}} {
		k, n := c[0], c[1]
		p := float64(k) / float64(n)
		var want [10]float64
		for j := int32(0); j <= n; j++ {
			a, _ := math.Lgamma(float64(n) + 1)
			b, _ := math.Lgamma(float64(j) + 1)
			d, _ := math.Lgamma(float64(n-j) + 1)
			q := math.Exp(a - b - d + float64(j)*math.Log(p) + float64(n-j)*math.Log1p(-p))
			if p == 0 || p == 1 {
				q = 0
				if j == k {
					q = 1
				}
			}
			want[j%10] += q
		}
		var got [10]float64
		lastDigitChances(k, n, &got)
		for d := range 10 {
			if math.Abs(got[d]-want[d]) > 1e-9 {
				t.Errorf("lastDigitChances(%d, %d) = %.6f, want %.6f", k, n, got, want)
				break
			}
		}
	}
	for _, c := range [][3]float64{{340, 20, 1000}, {55, 6, 300}, {95, 10, 200}, {1500, 80, 3000}, {12, 3, 50}, {480, 30, 500}} {
		mu, sigma, n := c[0], c[1], int32(c[2])
		var want [10]float64
		sum := 0.0
		for j := int32(10); j <= n; j++ {
			q := 0.5*math.Erfc(-(float64(j)+0.5-mu)/(sigma*math.Sqrt2)) - 0.5*math.Erfc(-(float64(j)-0.5-mu)/(sigma*math.Sqrt2))
			want[secondDigit(j)] += q
			sum += q
		}
		var got [10]float64
		if !secondDigitChances(mu, sigma, n, &got) {
			t.Errorf("secondDigitChances(%v, %v, %d): impossible", mu, sigma, n)
		}
		for d := range 10 {
			// Simpson's rule where the normal is wide against the runs
			// (secondDigitChances): within 1e-6.
			if math.Abs(got[d]-want[d]/sum) > 1e-6 {
				t.Errorf("secondDigitChances(%v, %v, %d) = %.6f, want %.6f", mu, sigma, n, got, want)
				break
			}
		}
	}
	var p [10]float64
	if secondDigitChances(-50, 1, 100, &p) {
		t.Errorf("a count of mean -50, sd 1, of 10 or more: not reported impossible")
	}
	for _, c := range [][2]int32{{10, 0}, {19, 9}, {123, 2}, {9876, 8}} {
		if got := secondDigit(c[0]); got != int(c[1]) {
			t.Errorf("secondDigit(%d) = %d, want %d", c[0], got, c[1])
		}
	}
}

func TestMedian(t *testing.T) {
	x := uint64(3)
	for n := 1; n < 60; n++ {
		xs := make([]float64, n)
		for i := range xs {
			x = splitmix(x)
			xs[i] = float64(x % 17)
		}
		sorted := slices.Sorted(slices.Values(xs))
		if got, want := median(xs), quantile(sorted, 0.5); got != want {
			t.Errorf("median of %v = %v, want %v", sorted, got, want)
		}
	}
}

// TestDigitsInvented: counts whose last digit is always 0 or 5, as a
// person writing round figures gives, fail the last-digit test; the same
// stations' binomial counts do not.
func TestDigitsInvented(t *testing.T) {
	s := &Stations{Candidates: []string{"A", "B"}}
	x := uint64(1)
	for i := range 2000 {
		x = splitmix(x)
		n := int32(300 + x%700)
		a := int32(float64(n) * (0.4 + 0.2*float64(x>>40&0xffff)/65536))
		s.List = append(s.List, Station{Registered: n + 100, Ballots: n, Votes: []int32{a, n - a}, Signed: i%2 == 0})
	}
	last, _ := digitTests(s, 3)
	if p := last[All].P; p < 0.01 {
		t.Errorf("uninvented counts: last digit p=%v", p)
	}
	for i := range s.List {
		st := &s.List[i]
		a := st.Votes[0] / 5 * 5
		st.Votes[1] += st.Votes[0] - a
		st.Votes[0] = a
	}
	last, second := digitTests(s, 1)
	if p := last[All].P; p > 1e-6 || last[All].Counts != 4000 {
		t.Errorf("counts ending in 0 or 5: last digit p=%v on %d counts; want tiny on 4,000", p, last[All].Counts)
	}
	if last[Signed].Counts != 2000 || second[Unsigned].Counts != 2000 {
		t.Errorf("signed %d, unsigned %d counts; want 2,000 each", last[Signed].Counts, second[Unsigned].Counts)
	}
}
