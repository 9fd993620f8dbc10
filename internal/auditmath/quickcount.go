package auditmath

import (
	"errors"
	"math"
	"sort"
)

// The quick count (parallel vote tabulation) estimates each candidate's
// share of the valid votes from a simple random sample of stations (drawn
// without replacement, e.g. with Sample from a public seed), before the
// center publishes, as election observers run it.
//
// Each station i has y_i votes for the candidate and x_i valid votes. The
// share R = Σy/Σx over all N stations is estimated by the ratio estimator
// over the n sampled stations, R̂ = Σ_s y / Σ_s x, with the usual
// linearised variance for cluster sampling without replacement:
//
//	V̂(R̂) = (1 − n/N) / (n · x̄²) · Σ_s (y_i − R̂ x_i)² / (n − 1)
//
// where x̄ is the mean of x over the sample, and a normal interval
// R̂ ± z·√V̂ at the chosen confidence. The margin between two candidates
// is estimated the same way with y_i the difference of their votes. The
// approximation wants tens of stations at least (observers draw hundreds
// to thousands); with fewer than 2 the variance is undefined.

// StationVotes is one sampled station's votes by candidate.
type StationVotes map[string]int64

// Estimate is the quick count's estimate of one quantity (a share, or a
// margin as a share of the valid votes): the point estimate and its interval.
type Estimate struct {
	Value, Low, High float64
}

// Contains reports whether x lies in the interval.
func (e Estimate) Contains(x float64) bool { return e.Low <= x && x <= e.High }

// QuickCount is the estimate of a contest from a sample of its stations.
type QuickCount struct {
	Stations   int                 // N: the contest's stations
	Sampled    int                 // n: stations in the sample
	Confidence float64             // of the intervals, e.g. 0.99
	Shares     map[string]Estimate // by candidate: share of the valid votes
	Leader     string              // the estimated winner
	RunnerUp   string
	Margin     Estimate // leader's share minus the runner-up's
	// Called: the margin's interval excludes 0, so the leader is the
	// winner at this confidence.
	Called bool
}

// ErrTooFewStations: an estimate needs at least two sampled stations with
// valid votes.
var ErrTooFewStations = errors.New("the quick count needs at least 2 sampled stations with valid votes")

// EstimateContest estimates a contest of N stations from the votes of a
// simple random sample of them, at the given confidence (0 < confidence < 1).
func EstimateContest(N int, sample []StationVotes, confidence float64) (*QuickCount, error) {
	n := len(sample)
	if confidence <= 0 || confidence >= 1 {
		return nil, errors.New("confidence must be between 0 and 1")
	}
	if n > N {
		return nil, errors.New("more sampled stations than stations")
	}
	x := make([]float64, n)
	cands := map[string]bool{}
	for i, s := range sample {
		for c, v := range s {
			x[i] += float64(v)
			cands[c] = true
		}
	}
	sumX, withVotes := 0.0, 0
	for _, v := range x {
		sumX += v
		if v > 0 {
			withVotes++
		}
	}
	if n < 2 || withVotes < 2 {
		return nil, ErrTooFewStations
	}
	z := normalQuantile(1 - (1-confidence)/2)
	qc := &QuickCount{Stations: N, Sampled: n, Confidence: confidence, Shares: map[string]Estimate{}}
	estimate := func(y func(i int) float64) Estimate {
		sumY := 0.0
		for i := range n {
			sumY += y(i)
		}
		r := sumY / sumX
		ss := 0.0
		for i := range n {
			d := y(i) - r*x[i]
			ss += d * d
		}
		xbar := sumX / float64(n)
		v := (1 - float64(n)/float64(N)) / (float64(n) * xbar * xbar) * ss / float64(n-1)
		h := z * math.Sqrt(math.Max(v, 0))
		return Estimate{Value: r, Low: r - h, High: r + h}
	}
	var names []string
	for c := range cands {
		names = append(names, c)
	}
	sort.Strings(names)
	for _, c := range names {
		qc.Shares[c] = estimate(func(i int) float64 { return float64(sample[i][c]) })
	}
	sort.SliceStable(names, func(i, j int) bool { return qc.Shares[names[i]].Value > qc.Shares[names[j]].Value })
	qc.Leader = names[0]
	qc.RunnerUp = names[0]
	if len(names) > 1 {
		qc.RunnerUp = names[1]
	}
	a, b := qc.Leader, qc.RunnerUp
	qc.Margin = estimate(func(i int) float64 { return float64(sample[i][a] - sample[i][b]) })
	qc.Called = a != b && qc.Margin.Low > 0
	return qc, nil
}

// normalQuantile returns the p-quantile of the standard normal distribution
// (0 < p < 1), by bisection on the error function: exact to 1e-12.
func normalQuantile(p float64) float64 {
	lo, hi := -40.0, 40.0
	for range 200 {
		mid := (lo + hi) / 2
		if 0.5*math.Erfc(-mid/math.Sqrt2) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}
