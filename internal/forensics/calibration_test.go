package forensics_test

import (
	"fmt"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/forensics"
	"github.com/triplicate-vote/triplicate/internal/simulate"
)

// calibrationShare is the share of stations the simulated frauds touch,
// and calibrationSigned the share backed by signed evidence.
const (
	calibrationShare  = 0.05
	calibrationSigned = 0.3
)

// calibrate runs sims simulated elections of a kind, of n stations each,
// seeds seed0, seed0+1, ..., and returns how often each indicator fired
// (P under the level) on all the stations.
func calibrate(sims, n, resamples int, fraud simulate.Fraud, seed0 uint64) map[string]float64 {
	fired := map[string]float64{}
	for i := range sims {
		s := simulate.FraudElection(simulate.FraudConfig{Stations: n, Seed: seed0 + uint64(i), Fraud: fraud,
			Share: calibrationShare, Signed: calibrationSigned})
		r := forensics.Analyze(s, forensics.Options{Resamples: resamples, Seed: seed0 + uint64(i)})
		for _, ind := range forensics.Indicators {
			if r.Groups[forensics.All].P(ind) < r.Level {
				fired[ind]++
			}
		}
	}
	for k := range fired {
		fired[k] /= float64(sims)
	}
	return fired
}

func TestCalibrationExplore(t *testing.T) {
	for _, f := range []simulate.Fraud{simulate.Honest} {
		got := calibrate(200, 10000, 200, f, 1)
		t.Logf("%-12s %v", f, fmt.Sprint(got))
	}
}
