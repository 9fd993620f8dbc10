package forensics

import "math"

// FingerprintBins is the number of bins of the fingerprint along each
// axis: one a percentage point.
const FingerprintBins = 100

// cornerFrom is where the fingerprint's top corner starts, in both turnout
// and the leader's share: the stations Klimek et al.'s extreme fraud
// leaves there.
const cornerFrom = 0.95

// Fingerprint is the two-dimensional histogram of turnout against the
// leader's share (Klimek et al. 2012): honest elections give one or a few
// round blobs; ballot stuffing smears a blob towards the top corner, where
// both are near 100%, and extreme stuffing piles stations into it. It is a
// picture to look at, not a test: its figures have no p-value.
type Fingerprint struct {
	// Bins[t][v] counts the stations whose turnout is in the t-th
	// percentage point and whose leader's share is in the v-th (100% in
	// the last).
	Bins [][]int32 `json:"bins"`
	// Corner counts the stations with turnout and share both at least 95%.
	Corner      int     `json:"corner"`
	CornerShare float64 `json:"corner_share"` // of the group's stations
	// Correlation is Pearson's, across stations, of turnout and the
	// leader's share (0 if undefined). Stuffing makes it positive; so do
	// honest places where the leader's voters turn out more.
	Correlation float64 `json:"correlation"`
}

// rates returns a station's turnout and leader's share.
func (st *Station) rates(leader int) (turnout, share float64) {
	return float64(st.Ballots) / float64(st.Registered), float64(st.Votes[leader]) / float64(st.valid())
}

// bin returns the fingerprint bin of a rate in [0, 1].
func bin(x float64) int {
	return min(max(int(x*FingerprintBins), 0), FingerprintBins-1)
}

func fingerprint(s *Stations, g Group) Fingerprint {
	f := Fingerprint{Bins: make([][]int32, FingerprintBins)}
	for i := range f.Bins {
		f.Bins[i] = make([]int32, FingerprintBins)
	}
	var n, sx, sy, sxx, syy, sxy float64
	for i := range s.List {
		st := &s.List[i]
		if !g.in(st.Signed) {
			continue
		}
		t, v := st.rates(s.Leader)
		f.Bins[bin(t)][bin(v)]++
		if t >= cornerFrom && v >= cornerFrom {
			f.Corner++
		}
		n++
		sx += t
		sy += v
		sxx += t * t
		syy += v * v
		sxy += t * v
	}
	if n == 0 {
		return f
	}
	f.CornerShare = float64(f.Corner) / n
	cov := sxy/n - sx/n*sy/n
	vx, vy := sxx/n-sx/n*sx/n, syy/n-sy/n*sy/n
	if vx > 0 && vy > 0 {
		f.Correlation = max(-1, min(1, cov/math.Sqrt(vx*vy)))
	}
	return f
}
