package forensics

import (
	"fmt"
	"io"
	"strings"
)

// WriteSummary writes the report in a few lines, for the end of another
// report (triplicate verify's): what was screened, which indicators fired
// on which group, each with how often it fires on honest simulations, and
// the comparison of the signed stations with the rest.
func (r *Report) WriteSummary(w io.Writer) error {
	var b strings.Builder
	all := &r.Groups[All]
	fmt.Fprintf(&b, "forensics, contest %s (%s): %s stations screened (%s signed), %s excluded; screens, not proof\n",
		r.Contest, r.following(), thousands(all.Stations), thousands(r.Groups[Signed].Stations), thousands(r.excluded()))
	var fired []string
	for _, ind := range Indicators {
		var on []string
		for _, g := range groups {
			if gr := &r.Groups[g]; gr.Stations > 0 && gr.P(ind) < r.Level {
				on = append(on, g.String())
			}
		}
		if strings.HasPrefix(ind, "signed_vs_unsigned") && r.P(ind) < r.Level {
			on = append(on, fmt.Sprintf("p=%s", pval(r.P(ind))))
		}
		if len(on) == 0 {
			continue
		}
		s := fmt.Sprintf("%s (%s)", ind, strings.Join(on, ", "))
		for _, c := range r.Calibration {
			if c.Indicator == ind {
				s += fmt.Sprintf(" [fires on %.1f%% of honest simulations]", 100*c.FalsePositive)
			}
		}
		fired = append(fired, s)
	}
	if len(fired) == 0 {
		fmt.Fprintf(&b, "  no indicator fires at p < %g\n", r.Level)
	} else {
		fmt.Fprintf(&b, "  fire at p < %g: %s\n", r.Level, strings.Join(fired, "; "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
