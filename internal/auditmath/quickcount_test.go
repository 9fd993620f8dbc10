package auditmath_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/auditmath"
	"github.com/triplicate-vote/triplicate/internal/simulate"
)

// TestQuickCountCoverage draws 400 samples of 150 of the Distrito Capital's
// 1,534 real tables and checks that the 95% intervals of González's share
// and of his margin over Maduro contain the true values about 95% of the
// time (binomial noise allows 92–98%), and that the race is called for him
// (his real margin is 32 points).
func TestQuickCountCoverage(t *testing.T) {
	e, err := simulate.VE2024(0, nil)
	if err != nil {
		t.Fatal(err)
	}
	var all []auditmath.StationVotes
	var eg, nm, valid int64
	for _, tb := range e.Tables {
		s := auditmath.StationVotes{}
		for c, v := range tb.Votes {
			s[c] = int64(v)
			valid += int64(v)
		}
		eg += s["EG"]
		nm += s["NM"]
		all = append(all, s)
	}
	share, margin := float64(eg)/float64(valid), float64(eg-nm)/float64(valid)
	rnd := rand.New(rand.NewPCG(1, 2))
	const trials, n = 400, 150
	var inShare, inMargin, called int
	for range trials {
		perm := rnd.Perm(len(all))[:n]
		var sample []auditmath.StationVotes
		for _, i := range perm {
			sample = append(sample, all[i])
		}
		qc, err := auditmath.EstimateContest(len(all), sample, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		if qc.Shares["EG"].Contains(share) {
			inShare++
		}
		if qc.Margin.Contains(margin) {
			inMargin++
		}
		if qc.Called && qc.Leader == "EG" && qc.RunnerUp == "NM" {
			called++
		}
	}
	for name, in := range map[string]int{"share": inShare, "margin": inMargin} {
		if cov := float64(in) / trials; cov < 0.92 || cov > 0.98 {
			t.Errorf("%s: the 95%% interval covers the truth in %.1f%% of %d samples", name, 100*cov, trials)
		}
	}
	if called != trials {
		t.Errorf("called for EG over NM in %d of %d samples", called, trials)
	}
}

// TestQuickCountExact: a sample of every station has no sampling error.
func TestQuickCountExact(t *testing.T) {
	sample := []auditmath.StationVotes{{"A": 60, "B": 40}, {"A": 30, "B": 70}, {"A": 50, "B": 50}}
	qc, err := auditmath.EstimateContest(3, sample, 0.99)
	if err != nil {
		t.Fatal(err)
	}
	a := qc.Shares["A"]
	if math.Abs(a.Value-140.0/300) > 1e-12 || a.Low != a.Value || a.High != a.Value {
		t.Errorf("A: %+v, want exactly 140/300", a)
	}
	if qc.Leader != "B" || qc.RunnerUp != "A" || !qc.Called {
		t.Errorf("leader %s, runner-up %s, called %v; want B, A, called", qc.Leader, qc.RunnerUp, qc.Called)
	}
	for _, bad := range [][]auditmath.StationVotes{nil, sample[:1], {{"A": 0}, {"A": 0}}} {
		if _, err := auditmath.EstimateContest(3, bad, 0.99); err == nil {
			t.Errorf("sample %v: no error", bad)
		}
	}
	if _, err := auditmath.EstimateContest(2, sample, 0.99); err == nil {
		t.Error("more sampled than stations: no error")
	}
}
