package forensics

// Calibration is how one indicator fared on simulated elections: how often
// it fired (P under the level) on honest ones, and how often on each kind
// of fraud. The simulations are internal/simulate's [FraudElection]
// figures; BenchmarkCalibration measures this table, and the test
// TestCalibration checks a smaller run of it.
type Calibration struct {
	Indicator     string  `json:"indicator"`
	Level         float64 `json:"level"`
	Simulations   int     `json:"simulations"` // of each kind
	Stations      int     `json:"stations"`    // in each simulated election
	FalsePositive float64 `json:"false_positive"`
	// Power against 5% of stations stuffed, incrementally or to the
	// extreme (Klimek et al. 2012), and against 5% of stations whose
	// turnout was rounded up to a whole percent.
	Incremental float64 `json:"power_incremental"`
	Extreme     float64 `json:"power_extreme"`
	Rounding    float64 `json:"power_rounding"`
}

// Indicators are the names of the indicators with a p-value, as
// Calibration.Indicator has them: those of a group, then the differences
// between the signed stations and the rest.
var Indicators = []string{"turnout_peaks", "share_peaks", "last_digit", "second_digit", "outliers", "signed_vs_unsigned_turnout", "signed_vs_unsigned_share"}

// P returns the p-value of an indicator, by its name in Indicators, on all
// stations, or 1 if there is none of that name.
func (r *Report) P(indicator string) float64 {
	switch indicator {
	case "signed_vs_unsigned_turnout":
		return r.Differences[0].P
	case "signed_vs_unsigned_share":
		return r.Differences[1].P
	}
	return r.Groups[All].P(indicator)
}

// P returns the p-value of a group's indicator, by its name in
// Indicators, or 1 if there is none of that name or it is not a group's.
func (g *GroupReport) P(indicator string) float64 {
	switch indicator {
	case "turnout_peaks":
		return g.TurnoutPeaks.P
	case "share_peaks":
		return g.SharePeaks.P
	case "last_digit":
		return g.LastDigit.P
	case "second_digit":
		return g.SecondDigit.P
	case "outliers":
		return g.Outliers.P
	}
	return 1
}

// Calibrations is the table BenchmarkCalibration measured (see
// doc/forensics.md): 1,000 simulated elections of each kind, of 10,000
// stations each, at the 5% level.
var Calibrations = []Calibration{}
