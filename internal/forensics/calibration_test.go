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
// (P under the level) on all the stations, and each group indicator on the
// signed and on the unsigned stations alone.
func calibrate(sims, n, resamples int, kind fraud.Fraud, seed0 uint64) (all, signed, unsigned map[string]float64) {
	all, signed, unsigned = map[string]float64{}, map[string]float64{}, map[string]float64{}
	for i := range sims {
		s := fraud.Election(fraud.Config{Stations: n, Seed: seed0 + uint64(i), Fraud: kind,
			Share: calibrationShare, Signed: calibrationSigned})
		r := forensics.Analyze(s, forensics.Options{Resamples: resamples, Seed: seed0 + uint64(i)})
		for _, ind := range forensics.Indicators {
			if r.P(ind) < r.Level {
				all[ind]++
			}
			if r.Groups[forensics.Signed].P(ind) < r.Level {
				signed[ind]++
			}
			if r.Groups[forensics.Unsigned].P(ind) < r.Level {
				unsigned[ind]++
			}
		}
	}
	for _, m := range []map[string]float64{all, signed, unsigned} {
		for _, ind := range forensics.Indicators {
			m[ind] /= float64(sims)
		}
	}
	return all, signed, unsigned
}

// groupIndicator says whether an indicator is computed for each group
// (the others compare the groups).
func groupIndicator(ind string) bool { return !strings.HasPrefix(ind, "signed_vs_unsigned") }

// calibrationTable runs calibrate for every kind and returns the table.
func calibrationTable(sims, n, resamples int, seed0 uint64) []forensics.Calibration {
	var by [3]map[fraud.Fraud]map[string]float64 // all, signed, unsigned
	for k := range by {
		by[k] = map[fraud.Fraud]map[string]float64{}
	}
	for _, f := range frauds {
		by[0][f], by[1][f], by[2][f] = calibrate(sims, n, resamples, f, seed0)
	}
	rates := func(m map[fraud.Fraud]map[string]float64, ind string) forensics.Rates {
		return forensics.Rates{FalsePositive: m[fraud.Honest][ind], Incremental: m[fraud.Incremental][ind],
			Extreme: m[fraud.Extreme][ind], Rounding: m[fraud.Rounding][ind]}
	}
	var t []forensics.Calibration
	for _, ind := range forensics.Indicators {
		c := forensics.Calibration{Indicator: ind, Level: forensics.DefaultLevel, Simulations: sims, Stations: n, Rates: rates(by[0], ind)}
		if groupIndicator(ind) {
			sg, ug := rates(by[1], ind), rates(by[2], ind)
			c.Signed, c.Unsigned = &sg, &ug
		}
		t = append(t, c)
	}
	return t
}

// TestCalibration runs 100 simulated elections of each kind, of 5,000
// stations, with fixed seeds, and holds each indicator to what it is for:
// every test keeps near its level on honest elections, on all stations
// and on each group; the fraud, all among the unsigned stations, raises no
// more alarms on the signed ones; the integer-percent test of turnout catches turnout
// rounding; the outlier test catches extreme stuffing, all stations or the
// unsigned ones.
func TestCalibration(t *testing.T) {
	if testing.Short() {
		t.Skip("400 simulated elections")
	}
	table := calibrationTable(100, 5000, 200, 1000)
	got := map[string]forensics.Calibration{}
	line := func(name string, r forensics.Rates) {
		t.Logf("%-30s honest %5.1f%%  incremental %5.1f%%  extreme %5.1f%%  rounding %5.1f%%", name,
			100*r.FalsePositive, 100*r.Incremental, 100*r.Extreme, 100*r.Rounding)
	}
	for _, c := range table {
		got[c.Indicator] = c
		line(c.Indicator, c.Rates)
		if c.Signed != nil {
			line("  signed", *c.Signed)
			line("  unsigned", *c.Unsigned)
		}
	}
	// At 5%, 100 simulations put a rate between 1% and 11% 99.5% of
	// the time.
	level := func(what string, fp float64) {
		if fp < 0.01 || fp > 0.11 {
			t.Errorf("%s fired on %.0f%% of honest elections; want about 5%%", what, 100*fp)
		}
	}
	for _, c := range table {
		level(c.Indicator, c.FalsePositive)
		if c.Signed == nil {
			continue
		}
		level(c.Indicator+" on the signed stations", c.Signed.FalsePositive)
		level(c.Indicator+" on the unsigned stations", c.Unsigned.FalsePositive)
		// The fraud among the unsigned stations leaves the signed ones
		// alone: no more alarms there than honest elections give (fewer
		// for the outliers, whose areas' medians the stuffed stations
		// raise). 13% bounds 100 simulations at 5% but for 1 in 1,000.
		for _, p := range []float64{c.Signed.Incremental, c.Signed.Extreme, c.Signed.Rounding} {
			if p > 0.13 {
				t.Errorf("%s on the signed stations, the fraud among the unsigned, fired on %.0f%% of elections; want about 5%% at most", c.Indicator, 100*p)
			}
		}
	}
	if p := got["turnout_peaks"].Rounding; p < 0.9 {
		t.Errorf("turnout peaks caught %.0f%% of turnout roundings at 5%% of stations; want nearly all", 100*p)
	}
	if p, u := got["outliers"].Extreme, got["outliers"].Unsigned.Extreme; p < 0.9 || u < 0.9 {
		t.Errorf("outliers caught %.0f%% (unsigned: %.0f%%) of extreme stuffing at 5%% of stations; want nearly all", 100*p, 100*u)
	}
	for _, ind := range []string{"signed_vs_unsigned_turnout", "signed_vs_unsigned_share"} {
		if p := got[ind].Extreme; p < 0.9 {
			t.Errorf("%s caught %.0f%% of extreme stuffing; want nearly all", ind, 100*p)
		}
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
		rates := func(r forensics.Rates) string {
			return fmt.Sprintf("FalsePositive: %.3f, Incremental: %.3f, Extreme: %.3f, Rounding: %.3f", r.FalsePositive, r.Incremental, r.Extreme, r.Rounding)
		}
		for _, c := range table {
			fmt.Fprintf(&s, "\t{Indicator: %q, Level: %g, Simulations: %d, Stations: %d, Rates: Rates{%s}", c.Indicator, c.Level, c.Simulations, c.Stations, rates(c.Rates))
			if c.Signed != nil {
				fmt.Fprintf(&s, ",\n\t\tSigned: &Rates{%s},\n\t\tUnsigned: &Rates{%s}", rates(*c.Signed), rates(*c.Unsigned))
			}
			s.WriteString("},\n")
			b.ReportMetric(100*c.FalsePositive, c.Indicator+"-fp-%")
		}
		b.Logf("\n%s", s.String())
	}
}
