package verify

import (
	"context"

	"github.com/triplicate-vote/triplicate/internal/election"
	"github.com/triplicate-vote/triplicate/internal/forensics"
)

// Forensics screens the figures the verifier settled on for each station
// (the report's corrected figures: Verifier.KeepCorrected must have been
// set) with the indicators of internal/forensics, one report a contest.
// The stations backed by signed evidence are those for which the signed
// sources of s hold a valid final acta signed by the station's own machine
// ([MachineSigned], which reads them again). The screens are not findings:
// they change nothing of r, and the problems of reading the signed sources
// again are already r's.
func Forensics(ctx context.Context, def *election.Definition, s Sources, r *Report, o forensics.Options) []*forensics.Report {
	signed, _ := MachineSigned(ctx, def, s)
	var out []*forensics.Report
	for _, c := range def.Contests {
		st, err := forensics.Read(def, c.ID, r.Corrected(), signed)
		if err != nil {
			continue // not reached: the contest is the definition's
		}
		out = append(out, forensics.Analyze(st, o))
	}
	return out
}
