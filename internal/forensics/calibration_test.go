package forensics_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/forensics"
	"github.com/triplicate-vote/triplicate/internal/simulate/fraud"
)

// calibrationShare is the share of stations the simulated frauds touch,
// and calibrationSigned the share backed by signed evidence.
const (
	calibrationShare  = 0.05
	calibrationSigned = 0.3
)

// frauds are the kinds of simulated election calibrated, honest first.
var frauds = []fraud.Fraud{fraud.Honest, fraud.Incremental, fraud.Extreme, fraud.Rounding}

// calibrate runs sims simulated elections of a kind, of n stations each,
// seeds seed0, seed0+1, ..., and returns how often each indicator fired
// (P under the level) on all the stations.
func calibrate(sims, n, resamples int, kind fraud.Fraud, seed0 uint64) map[string]float64 {
	fired := map[string]float64{}
	for i := range sims {
		s := fraud.Election(fraud.Config{Stations: n, Seed: seed0 + uint64(i), Fraud: kind,
			Share: calibrationShare, Signed: calibrationSigned})
		r := forensics.Analyze(s, forensics.Options{Resamples: resamples, Seed: seed0 + uint64(i)})
		for _, ind := range forensics.Indicators {
			if r.P(ind) < r.Level {
				fired[ind]++
			}
		}
	}
	for _, ind := range forensics.Indicators {
		fired[ind] /= float64(sims)
	}
	return fired
}

// calibrationTable runs calibrate for every kind and returns the table.
func calibrationTable(sims, n, resamples int, seed0 uint64) []forensics.Calibration {
	by := map[fraud.Fraud]map[string]float64{}
	for _, f := range frauds {
		by[f] = calibrate(sims, n, resamples, f, seed0)
	}
	var t []forensics.Calibration
	for _, ind := range forensics.Indicators {
		t = append(t, forensics.Calibration{Indicator: ind, Level: forensics.DefaultLevel, Simulations: sims, Stations: n,
			FalsePositive: by[fraud.Honest][ind], Incremental: by[fraud.Incremental][ind],
			Extreme: by[fraud.Extreme][ind], Rounding: by[fraud.Rounding][ind]})
	}
	return t
}

// TestCalibration runs 100 simulated elections of each kind, of 5,000
// stations, with fixed seeds, and holds each indicator to what it is for:
// the integer-percent tests keep near their level on honest elections and
// catch turnout rounding; the outlier test catches extreme stuffing; the
// second-digit test fires on most honest elections (which is why its
// calibration is printed beside it).
func TestCalibration(t *testing.T) {
	if testing.Short() {
		t.Skip("400 simulated elections")
	}
	table := calibrationTable(100, 5000, 200, 1000)
	got := map[string]forensics.Calibration{}
	for _, c := range table {
		got[c.Indicator] = c
		t.Logf("%-14s honest %5.1f%%  incremental %5.1f%%  extreme %5.1f%%  rounding %5.1f%%", c.Indicator,
			100*c.FalsePositive, 100*c.Incremental, 100*c.Extreme, 100*c.Rounding)
	}
	for _, ind := range []string{"turnout_peaks", "share_peaks", "last_digit"} {
		if fp := got[ind].FalsePositive; fp > 0.15 {
			t.Errorf("%s fired on %.0f%% of honest elections; want about 5%%", ind, 100*fp)
		}
	}
	if p := got["turnout_peaks"].Rounding; p < 0.9 {
		t.Errorf("turnout peaks caught %.0f%% of turnout roundings at 5%% of stations; want nearly all", 100*p)
	}
	if p := got["outliers"].Extreme; p < 0.9 {
		t.Errorf("outliers caught %.0f%% of extreme stuffing at 5%% of stations; want nearly all", 100*p)
	}
	for _, ind := range []string{"signed_vs_unsigned_turnout", "signed_vs_unsigned_share"} {
		if fp, p := got[ind].FalsePositive, got[ind].Extreme; fp > 0.15 || p < 0.9 {
			t.Errorf("%s fired on %.0f%% of honest elections, caught %.0f%% of extreme stuffing; want about 5%%, nearly all", ind, 100*fp, 100*p)
		}
	}
	if fp := got["second_digit"].FalsePositive; fp < 0.1 {
		t.Errorf("second digit fired on %.0f%% of honest elections; the simulations give it more than 10%%", 100*fp)
	}
}

// BenchmarkCalibration measures the table of forensics.Calibrations:
// 1,000 simulated elections of each kind, of 10,000 stations each, with
// the default 1,000 resamples. Run it once (-benchtime 1x): it takes
// minutes, and prints the table as Go.
func BenchmarkCalibration(b *testing.B) {
	for range b.N {
		table := calibrationTable(1000, 10000, forensics.DefaultResamples, 1)
		var s strings.Builder
		for _, c := range table {
			fmt.Fprintf(&s, "\t{Indicator: %q, Level: %g, Simulations: %d, Stations: %d, FalsePositive: %.3f, Incremental: %.3f, Extreme: %.3f, Rounding: %.3f},\n",
				c.Indicator, c.Level, c.Simulations, c.Stations, c.FalsePositive, c.Incremental, c.Extreme, c.Rounding)
			b.ReportMetric(100*c.FalsePositive, c.Indicator+"-fp-%")
		}
		b.Logf("\n%s", s.String())
	}
}
