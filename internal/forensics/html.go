package forensics

import (
	"fmt"
	"io"
	"strings"
)

// WriteHTML writes the report as a section of an HTML page (for the
// verifier's report to embed): the caveat, the exclusions, the side-by-side
// table, the calibration, the fingerprints of the groups with stations as
// inline SVG, and the farthest outliers of all stations (up to list).
// Everything from the input is escaped.
func (r *Report) WriteHTML(w io.Writer, list int) error {
	var b strings.Builder
	e := xmlEscape
	b.WriteString(`<section class="forensics">` + "\n")
	fmt.Fprintf(&b, "<h2>Statistical screens of contest %s</h2>\n", e(r.Contest))
	fmt.Fprintf(&b, "<p>%s</p>\n", e(Caveat))
	fmt.Fprintf(&b, "<p>Share of %s. %s stations screened, %s of them backed by signed evidence; %s excluded.</p>\n",
		e(r.following()), thousands(r.Groups[All].Stations), thousands(r.Groups[Signed].Stations), thousands(r.excluded()))
	if len(r.Excluded) > 0 {
		b.WriteString("<ul class=\"excluded\">\n")
		for _, x := range r.Excluded {
			fmt.Fprintf(&b, "<li>%s excluded: %s (%s)</li>\n", thousands(x.Count), e(x.Reason), e(strings.Join(x.Examples, ", ")))
		}
		b.WriteString("</ul>\n")
	}
	b.WriteString("<table>\n<tr><th>indicator</th><th>all</th><th>signed</th><th>unsigned</th><th>false alarms / power (incremental, extreme, rounding)</th></tr>\n")
	for _, rw := range r.rows() {
		fmt.Fprintf(&b, "<tr><th>%s</th>", e(rw.name))
		for _, g := range groups {
			gr := &r.Groups[g]
			if gr.Stations == 0 && !rw.always {
				b.WriteString("<td>—</td>")
				continue
			}
			fmt.Fprintf(&b, "<td>%s</td>", e(rw.cell(gr)))
		}
		fmt.Fprintf(&b, "<td>%s</td></tr>\n", e(r.calibrated(rw.ind)))
	}
	b.WriteString("</table>\n")
	for _, d := range r.Differences {
		fmt.Fprintf(&b, "<p>%s</p>\n", e(d.text()))
	}
	fmt.Fprintf(&b, "<p>Integer-percent p-values from %s binomial resamples (seed %d); an indicator fires at p &lt; %g.</p>\n", thousands(r.Resamples), r.Seed, r.Level)
	if len(r.Calibration) > 0 {
		c := r.Calibration[0]
		fmt.Fprintf(&b, "<table class=\"calibration\">\n<caption>Calibration: %s simulated elections of each kind, %s stations each, fraud at 5%% of stations</caption>\n",
			thousands(c.Simulations), thousands(c.Stations))
		b.WriteString("<tr><th>indicator</th><th>fires on honest</th><th>catches incremental stuffing</th><th>extreme stuffing</th><th>turnout rounding</th></tr>\n")
		for _, c := range r.Calibration {
			for _, x := range c.byGroup() {
				fmt.Fprintf(&b, "<tr><th>%s</th><td>%.1f%%</td><td>%.1f%%</td><td>%.1f%%</td><td>%.1f%%</td></tr>\n",
					e(x.name), 100*x.FalsePositive, 100*x.Incremental, 100*x.Extreme, 100*x.Rounding)
			}
		}
		b.WriteString("</table>\n")
	}
	for _, g := range groups {
		if r.Groups[g].Stations == 0 {
			continue
		}
		fmt.Fprintf(&b, "<figure>\n")
		if err := r.WriteSVG(&b, g); err != nil {
			return err
		}
		fmt.Fprintf(&b, "<figcaption>Fingerprint of the %s stations.</figcaption>\n</figure>\n", g)
	}
	if o := r.Groups[All].Outliers.List; len(o) > 0 && list > 0 {
		fmt.Fprintf(&b, "<table class=\"outliers\">\n<caption>The farthest stations by robust distance from their area's median</caption>\n<tr><th>station</th><th>area</th><th>line</th><th>signed</th><th>registered</th><th>ballots</th><th>%s</th><th>valid</th><th>turnout</th><th>share</th><th>z turnout</th><th>z share</th></tr>\n", e(r.Leader))
		for _, x := range o[:min(list, len(o))] {
			fmt.Fprintf(&b, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%v</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%.1f%%</td><td>%.1f%%</td><td>%+.1f</td><td>%+.1f</td></tr>\n",
				e(x.Station), e(areaName(x.Area)), x.Line, x.Signed, x.Registered, x.Ballots, x.Leader, x.Valid, 100*x.Turnout, 100*x.Share, x.ZTurnout, x.ZShare)
		}
		b.WriteString("</table>\n")
	}
	b.WriteString("</section>\n")
	_, err := io.WriteString(w, b.String())
	return err
}
