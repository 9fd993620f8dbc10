package forensics

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Difference compares the stations backed by signed evidence with the rest
// in turnout or in the leader's share: the Mann-Whitney rank-sum test
// (normal approximation, with ties), two-sided. Z is positive when the
// unsigned stations are higher.
//
// Caveat: witnesses are not placed at random — parties watch where they
// are strong, or where they can — so the groups can differ in an honest
// election. The calibration's simulations sign stations at random, which
// is the best case for this test: a difference is a reason to look at the
// unsigned stations, not a verdict on them.
type Difference struct {
	Of             string  `json:"of"` // "turnout" or "leader_share"
	Signed         int     `json:"signed"`
	Unsigned       int     `json:"unsigned"`
	MedianSigned   float64 `json:"median_signed"`
	MedianUnsigned float64 `json:"median_unsigned"`
	Z              float64 `json:"z"`
	P              float64 `json:"p"`
}

// minGroup is the fewest stations of each group the rank-sum test
// compares: below it, its normal approximation is no good.
const minGroup = 10

// ranked is one station's rate and group, for ranking.
type ranked struct {
	x      float64
	signed bool
}

func differences(s *Stations) [2]Difference {
	var out [2]Difference
	for k, of := range []string{"turnout", "leader_share"} {
		xs := make([]ranked, len(s.List))
		for i := range s.List {
			t, v := s.List[i].rates(s.Leader)
			xs[i] = ranked{t, s.List[i].Signed}
			if k == 1 {
				xs[i].x = v
			}
		}
		out[k] = rankSum(xs)
		out[k].Of = of
	}
	return out
}

// rankSum runs the test on the stations' rates; it sorts xs.
func rankSum(xs []ranked) Difference {
	d := Difference{P: 1}
	var sig, uns []float64
	for _, r := range xs {
		if r.signed {
			sig = append(sig, r.x)
		} else {
			uns = append(uns, r.x)
		}
	}
	d.Signed, d.Unsigned = len(sig), len(uns)
	if d.Signed < minGroup || d.Unsigned < minGroup {
		return d
	}
	d.MedianSigned, _ = robust(sig)
	d.MedianUnsigned, _ = robust(uns)
	slices.SortFunc(xs, func(a, b ranked) int {
		switch {
		case a.x < b.x:
			return -1
		case a.x > b.x:
			return 1
		}
		return 0
	})
	n := float64(len(xs))
	rankUnsigned, ties := 0.0, 0.0
	for i := 0; i < len(xs); {
		j := i
		for j < len(xs) && xs[j].x == xs[i].x {
			j++
		}
		rank := float64(i+j+1) / 2 // ranks i+1..j, averaged
		for _, r := range xs[i:j] {
			if !r.signed {
				rankUnsigned += rank
			}
		}
		t := float64(j - i)
		ties += t*t*t - t
		i = j
	}
	nu, ns := float64(d.Unsigned), float64(d.Signed)
	u := rankUnsigned - nu*(nu+1)/2
	variance := nu * ns / 12 * ((n + 1) - ties/(n*(n-1)))
	if variance <= 0 {
		return d
	}
	d.Z = (u - nu*ns/2) / math.Sqrt(variance)
	d.P = min(1, 2*distuv.UnitNormal.Survival(math.Abs(d.Z)))
	return d
}
