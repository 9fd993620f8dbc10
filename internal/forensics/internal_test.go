package forensics

import (
	"math"
	"reflect"
	"testing"
)

func TestAtWholePercent(t *testing.T) {
	for _, c := range []struct {
		k, n int32
		want bool
	}{
		{0, 200, true}, {200, 200, true}, {100, 200, true}, {101, 200, false}, {102, 200, true},
		{1, 300, false}, {3, 300, true}, {10, 1000, true}, {11, 1000, false}, {15, 1000, false},
		{330, 999, true},  // 33.03%: the count nearest 33% of 999 (329.67)
		{331, 999, false}, // 33.13%
		{1, 150, true},    // 0.67%: 1% of 150 is 1.5, and 1 is as near as 2
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

func TestSignTest(t *testing.T) {
	for _, c := range []struct {
		high, low int
		want      float64
	}{{0, 5, 1}, {10, 0, 1.0 / 1024}, {1, 1, 0.75}, {2, 2, 11.0 / 16}} {
		if got := signTest(c.high, c.low); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("signTest(%d, %d) = %v, want %v", c.high, c.low, got, c.want)
		}
	}
}

func TestBenford2(t *testing.T) {
	sum := 0.0
	for _, p := range benford2 {
		sum += p
	}
	// The published values: 0.1197 for 0 down to 0.0850 for 9.
	if math.Abs(sum-1) > 1e-12 || math.Abs(benford2[0]-0.11968) > 1e-5 || math.Abs(benford2[9]-0.08500) > 1e-5 {
		t.Errorf("benford2 = %v (sum %v)", benford2, sum)
	}
	for _, c := range [][2]int32{{10, 0}, {19, 9}, {123, 2}, {9876, 8}} {
		if got := secondDigit(c[0]); got != int(c[1]) {
			t.Errorf("secondDigit(%d) = %d, want %d", c[0], got, c[1])
		}
	}
}
