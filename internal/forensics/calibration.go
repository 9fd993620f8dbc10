package forensics

// Calibration is how one indicator fared on simulated elections: how often
// it fired (P under the level) on honest ones, and how often on each kind
// of fraud. The simulations are [fraud.Election] (internal/simulate/fraud)
// figures; BenchmarkCalibration measures this table, and the test
// TestCalibration checks a smaller run of it.
type Calibration struct {
	Indicator   string  `json:"indicator"`
	Level       float64 `json:"level"`
	Simulations int     `json:"simulations"` // of each kind
	Stations    int     `json:"stations"`    // in each simulated election
	Rates               // on all stations
	// Signed and Unsigned are the rates of the indicator computed on the
	// signed stations alone and on the rest alone (nil for the
	// differences between them). The simulated fraud is all among the
	// unsigned stations: on the signed ones, the power is the false-alarm
	// rate; on the unsigned ones, it is what the split gains where fraud is
	// denser (5% of all stations is 7% of the unsigned).
	Signed   *Rates `json:"signed,omitempty"`
	Unsigned *Rates `json:"unsigned,omitempty"`
}

// Rates are how often an indicator fired (P under the level) on simulated
// honest elections, and its power against 5% of stations stuffed,
// incrementally or to the extreme (Klimek et al. 2012), and against 5% of
// stations whose turnout was rounded up to a whole percent.
type Rates struct {
	FalsePositive float64 `json:"false_positive"`
	Incremental   float64 `json:"power_incremental"`
	Extreme       float64 `json:"power_extreme"`
	Rounding      float64 `json:"power_rounding"`
}

// namedRates are the rates of one row of a calibration table.
type namedRates struct {
	name string
	Rates
}

// byGroup returns the rows of the calibration of one indicator: on all
// stations, then, if it has them, on the signed and on the unsigned alone.
func (c *Calibration) byGroup() []namedRates {
	rows := []namedRates{{c.Indicator, c.Rates}}
	if c.Signed != nil && c.Unsigned != nil {
		rows = append(rows, namedRates{"  signed only", *c.Signed}, namedRates{"  unsigned only", *c.Unsigned})
	}
	return rows
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
// doc/forensics.md): 1,000 simulated elections of each kind (seeds 1 to
// 1,000), of 10,000 stations each, 1,000 resamples, at the 5% level. Each
// rate is within about 1.4 points (two standard errors) of its truth at 5%,
// less near 0 or 1. Measured after a whole percent became one count
// (the share's peaks fired on 6.7% before) and the outliers' units and
// sign test were made to hold their level (3.4% before).
var Calibrations = []Calibration{
	{Indicator: "turnout_peaks", Level: 0.05, Simulations: 1000, Stations: 10000, Rates: Rates{FalsePositive: 0.058, Incremental: 0.051, Extreme: 0.023, Rounding: 1.000},
		Signed:   &Rates{FalsePositive: 0.047, Incremental: 0.044, Extreme: 0.043, Rounding: 0.041},
		Unsigned: &Rates{FalsePositive: 0.055, Incremental: 0.049, Extreme: 0.019, Rounding: 1.000}},
	{Indicator: "share_peaks", Level: 0.05, Simulations: 1000, Stations: 10000, Rates: Rates{FalsePositive: 0.056, Incremental: 0.055, Extreme: 0.025, Rounding: 0.056},
		Signed:   &Rates{FalsePositive: 0.039, Incremental: 0.048, Extreme: 0.049, Rounding: 0.050},
		Unsigned: &Rates{FalsePositive: 0.044, Incremental: 0.063, Extreme: 0.017, Rounding: 0.062}},
	{Indicator: "last_digit", Level: 0.05, Simulations: 1000, Stations: 10000, Rates: Rates{FalsePositive: 0.055, Incremental: 0.052, Extreme: 0.067, Rounding: 0.056},
		Signed:   &Rates{FalsePositive: 0.049, Incremental: 0.037, Extreme: 0.043, Rounding: 0.042},
		Unsigned: &Rates{FalsePositive: 0.045, Incremental: 0.051, Extreme: 0.077, Rounding: 0.054}},
	{Indicator: "second_digit", Level: 0.05, Simulations: 1000, Stations: 10000, Rates: Rates{FalsePositive: 0.051, Incremental: 0.050, Extreme: 0.048, Rounding: 0.050},
		Signed:   &Rates{FalsePositive: 0.045, Incremental: 0.047, Extreme: 0.050, Rounding: 0.050},
		Unsigned: &Rates{FalsePositive: 0.042, Incremental: 0.053, Extreme: 0.067, Rounding: 0.051}},
	{Indicator: "outliers", Level: 0.05, Simulations: 1000, Stations: 10000, Rates: Rates{FalsePositive: 0.049, Incremental: 1.000, Extreme: 1.000, Rounding: 0.042},
		Signed:   &Rates{FalsePositive: 0.044, Incremental: 0.000, Extreme: 0.000, Rounding: 0.025},
		Unsigned: &Rates{FalsePositive: 0.048, Incremental: 1.000, Extreme: 1.000, Rounding: 0.051}},
	{Indicator: "signed_vs_unsigned_turnout", Level: 0.05, Simulations: 1000, Stations: 10000, Rates: Rates{FalsePositive: 0.051, Incremental: 0.950, Extreme: 1.000, Rounding: 0.061}},
	{Indicator: "signed_vs_unsigned_share", Level: 0.05, Simulations: 1000, Stations: 10000, Rates: Rates{FalsePositive: 0.051, Incremental: 0.959, Extreme: 1.000, Rounding: 0.050}},
}
