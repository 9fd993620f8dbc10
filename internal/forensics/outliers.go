package forensics

import (
	"cmp"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
)

// Outlier thresholds, in robust standard deviations: a station is in a
// corner when both its turnout and its share are beyond quadrantZ on the
// same side, and is listed when its robust distance exceeds listZ.
const (
	quadrantZ = 2
	listZ     = 3
)

// Outliers are the stations far from the others in turnout and the
// leader's share, by a robust measure: each rate's distance from its median
// in units of 1.4826 times its median absolute deviation (the standard
// deviation, for normal data, that a few wild stations cannot inflate).
//
// Honest variation scatters stations to every side of the middle; stuffing
// for the leader moves them up in both. High counts the stations more than
// 2 robust units above in both, Low those more than 2 below in both. P is
// the one-sided sign test of High against Low (half and half under point
// symmetry). It is small when high-high outliers outnumber low-low ones,
// which honest places with a keen electorate for the leader can also do:
// it points at stations to look at, it does not accuse them.
type Outliers struct {
	MedianTurnout float64   `json:"median_turnout"`
	MedianShare   float64   `json:"median_share"`
	ScaleTurnout  float64   `json:"scale_turnout"` // 1.4826 MAD, 0 if the rates do not vary
	ScaleShare    float64   `json:"scale_share"`
	High          int       `json:"high"`
	Low           int       `json:"low"`
	P             float64   `json:"p"`
	Far           int       `json:"far"`  // stations at a robust distance over 3
	List          []Outlier `json:"list"` // the farthest, farthest first
}

// Outlier is one station far from the others, with its figures.
type Outlier struct {
	Station    string  `json:"station"`
	Line       int     `json:"line,omitempty"`
	Signed     bool    `json:"signed"`
	Registered int32   `json:"registered"`
	Ballots    int32   `json:"ballots"`
	Leader     int32   `json:"leader_votes"`
	Valid      int32   `json:"valid"`
	Turnout    float64 `json:"turnout"`
	Share      float64 `json:"leader_share"`
	ZTurnout   float64 `json:"z_turnout"`
	ZShare     float64 `json:"z_share"`
	Distance   float64 `json:"distance"`
}

// robust returns the median of xs and 1.4826 times their median absolute
// deviation (or, if that is 0, their interquartile range over 1.349). It
// sorts xs.
func robust(xs []float64) (median, scale float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	slices.Sort(xs)
	median = quantile(xs, 0.5)
	iqr := quantile(xs, 0.75) - quantile(xs, 0.25)
	for i, x := range xs {
		xs[i] = math.Abs(x - median)
	}
	slices.Sort(xs)
	if scale = 1.4826 * quantile(xs, 0.5); scale == 0 {
		scale = iqr / 1.349
	}
	return median, scale
}

// quantile returns the q-quantile of sorted xs, interpolated.
func quantile(xs []float64, q float64) float64 {
	pos := q * float64(len(xs)-1)
	i := int(pos)
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (pos-float64(i))*(xs[i+1]-xs[i])
}

// z returns x's distance from the median in robust units, 0 if the scale is.
func z(x, median, scale float64) float64 {
	if scale == 0 {
		return 0
	}
	return (x - median) / scale
}

func outliers(s *Stations, g Group, list int) Outliers {
	var ts, vs []float64
	for i := range s.List {
		st := &s.List[i]
		if g.in(st.Signed) {
			t, v := st.rates(s.Leader)
			ts, vs = append(ts, t), append(vs, v)
		}
	}
	var o Outliers
	o.MedianTurnout, o.ScaleTurnout = robust(ts)
	o.MedianShare, o.ScaleShare = robust(vs)
	o.List = []Outlier{}
	for i := range s.List {
		st := &s.List[i]
		if !g.in(st.Signed) {
			continue
		}
		t, v := st.rates(s.Leader)
		zt, zv := z(t, o.MedianTurnout, o.ScaleTurnout), z(v, o.MedianShare, o.ScaleShare)
		switch {
		case zt > quadrantZ && zv > quadrantZ:
			o.High++
		case zt < -quadrantZ && zv < -quadrantZ:
			o.Low++
		}
		d := math.Hypot(zt, zv)
		if d <= listZ {
			continue
		}
		o.Far++
		o.List = append(o.List, Outlier{Station: st.ID, Line: st.Line, Signed: st.Signed, Registered: st.Registered,
			Ballots: st.Ballots, Leader: st.Votes[s.Leader], Valid: st.valid(), Turnout: t, Share: v, ZTurnout: zt, ZShare: zv, Distance: d})
	}
	slices.SortFunc(o.List, func(a, b Outlier) int {
		return cmp.Or(cmp.Compare(b.Distance, a.Distance), cmp.Compare(a.Station, b.Station))
	})
	o.List = slices.Clip(o.List[:min(len(o.List), list)])
	o.P = signTest(o.High, o.Low)
	return o
}

// signTest returns P(X ≥ high) for X binomial with high+low trials of one
// half: the chance of at least as many high outliers if each were as
// likely to be low.
func signTest(high, low int) float64 {
	if high == 0 {
		return 1
	}
	return mathext.RegIncBeta(float64(high), float64(low+1), 0.5)
}
