package forensics_test

import (
	"fmt"

	"github.com/triplicate-vote/triplicate/internal/forensics"
	"github.com/triplicate-vote/triplicate/internal/simulate/fraud"
)

// A simulated election of 20,000 stations, 30% of them signed, where 5% of
// the stations had their turnout rounded up to a whole percent, all
// among the unsigned: the turnout's integer-percent test fires, on all
// stations and on the unsigned ones, not on the signed.
func Example() {
	s := fraud.Election(fraud.Config{Stations: 20000, Seed: 7, Fraud: fraud.Rounding, Share: 0.05, Signed: 0.3})
	r := forensics.Analyze(s, forensics.Options{Resamples: 200, Seed: 1})
	for _, g := range []forensics.Group{forensics.All, forensics.Signed, forensics.Unsigned} {
		p := r.Groups[g].TurnoutPeaks
		fmt.Printf("%-8s %5d stations, %4d at whole percents (%.0f expected), fires: %v\n", g, p.Stations, p.Observed, p.Expected, p.P < r.Level)
	}
	// Output:
	// all      20000 stations, 5294 at whole percents (4462 expected), fires: true
	// signed    6027 stations, 1351 at whole percents (1345 expected), fires: false
	// unsigned 13973 stations, 3943 at whole percents (3117 expected), fires: true
}
