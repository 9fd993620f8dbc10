package forensics

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Caveat is the sentence every report opens with.
const Caveat = "These are statistical screens, not proof: an indicator that fires says where to look " +
	"(honest elections fire some of them, fraud can pass all of them); each is given with how often " +
	"it fired on simulated honest elections and how often it caught simulated fraud."

// row is one line of the side-by-side table: an indicator's text for each
// group ("—" for a group without stations).
type row struct {
	name   string
	cell   func(g *GroupReport) string
	always bool   // shown for an empty group too
	ind    string // the indicator's name in Indicators, if it is a test
}

func (r *Report) rows() []row {
	pct := func(x float64) string { return fmt.Sprintf("%.2f%%", 100*x) }
	peaks := func(p Peaks) string {
		return fmt.Sprintf("%s at whole %% (expected %.1f), p=%s", thousands(p.Observed), p.Expected, pval(p.P))
	}
	digit := func(d DigitTest) string {
		if d.TooFew {
			return fmt.Sprintf("too few counts (%d) to test", d.Counts)
		}
		return fmt.Sprintf("chi2(9)=%.1f on %s counts, p=%s", d.ChiSquare, thousands(d.Counts), pval(d.P))
	}
	return []row{
		{"stations", func(g *GroupReport) string { return thousands(g.Stations) }, true, ""},
		{"turnout", func(g *GroupReport) string { return pct(g.Turnout) }, false, ""},
		{r.Leader + "'s share of valid votes", func(g *GroupReport) string { return pct(g.Share) }, false, ""},
		{"fingerprint corner (both >= 95%)", func(g *GroupReport) string {
			return fmt.Sprintf("%s stations (%s)", thousands(g.Fingerprint.Corner), pct(g.Fingerprint.CornerShare))
		}, false, ""},
		{"correlation turnout x share", func(g *GroupReport) string { return fmt.Sprintf("%+.3f", g.Fingerprint.Correlation) }, false, ""},
		{"turnout integer-percent peaks", func(g *GroupReport) string { return peaks(g.TurnoutPeaks) }, false, "turnout_peaks"},
		{"share integer-percent peaks", func(g *GroupReport) string { return peaks(g.SharePeaks) }, false, "share_peaks"},
		{"last digit (vs binomial)", func(g *GroupReport) string { return digit(g.LastDigit) }, false, "last_digit"},
		{"second digit (vs binomial)", func(g *GroupReport) string { return digit(g.SecondDigit) }, false, "second_digit"},
		{"robust outliers high/low", func(g *GroupReport) string {
			return fmt.Sprintf("%d high-high, %d low-low, p=%s; %d far", g.Outliers.High, g.Outliers.Low, pval(g.Outliers.P), g.Outliers.Far)
		}, false, "outliers"},
	}
}

// calibrated returns an indicator's calibration in a few words: how often
// it fired on honest simulations, and caught incremental and extreme
// stuffing and turnout rounding; "" if it has none.
func (r *Report) calibrated(ind string) string {
	for _, c := range r.Calibration {
		if c.Indicator == ind {
			return fmt.Sprintf("%.1f%% / %.0f, %.0f, %.0f%%", 100*c.FalsePositive, 100*c.Incremental, 100*c.Extreme, 100*c.Rounding)
		}
	}
	return ""
}

// pval writes a p-value to the precision a Monte Carlo or chi-square
// p-value deserves.
func pval(p float64) string {
	switch {
	case p < 1e-4:
		return "<0.0001"
	case p < 0.01:
		return fmt.Sprintf("%.4f", p)
	}
	return fmt.Sprintf("%.3f", p)
}

// WriteText writes the report for a terminal: what was excluded, every
// indicator for all, signed and unsigned stations side by side, the
// calibration, and the farthest outliers of all stations (up to list).
func (r *Report) WriteText(w io.Writer, list int) error {
	var b strings.Builder
	all := &r.Groups[All]
	fmt.Fprintf(&b, "forensics: contest %s, %s; %s stations screened (%s signed), %s excluded\n",
		r.Contest, r.following(), thousands(all.Stations), thousands(r.Groups[Signed].Stations), thousands(r.excluded()))
	fmt.Fprintf(&b, "%s\n", Caveat)
	for _, e := range r.Excluded {
		fmt.Fprintf(&b, "  excluded %s: %s (%s", thousands(e.Count), e.Reason, strings.Join(e.Examples, ", "))
		if e.Count > len(e.Examples) {
			b.WriteString(", ...")
		}
		b.WriteString(")\n")
	}
	if r.SignedUnseen > 0 {
		fmt.Fprintf(&b, "  %s stations given as signed have no figures here\n", thousands(r.SignedUnseen))
	}
	b.WriteString("\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "indicator\tall\tsigned\tunsigned\tfalse alarms / power (incremental, extreme, rounding)\n")
	for _, rw := range r.rows() {
		fmt.Fprintf(tw, "%s", rw.name)
		for _, g := range groups {
			gr := &r.Groups[g]
			if gr.Stations == 0 && !rw.always {
				fmt.Fprintf(tw, "\t-")
				continue
			}
			fmt.Fprintf(tw, "\t%s", rw.cell(gr))
		}
		fmt.Fprintf(tw, "\t%s\n", r.calibrated(rw.ind))
	}
	tw.Flush()
	for _, d := range r.Differences {
		fmt.Fprintf(&b, "%s", d.text())
		if c := r.calibrated("signed_vs_unsigned_" + map[string]string{"turnout": "turnout", "leader_share": "share"}[d.Of]); c != "" {
			fmt.Fprintf(&b, " [false alarms / power: %s]", c)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\np-values from %s binomial resamples (seed %d) for the peaks; an indicator fires at p < %g.\n", thousands(r.Resamples), r.Seed, r.Level)
	if len(r.Calibration) > 0 {
		c := r.Calibration[0]
		fmt.Fprintf(&b, "\ncalibration (%s simulated elections of each kind, %s stations, fraud at 5%% of stations):\n",
			thousands(c.Simulations), thousands(c.Stations))
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "indicator\tfires on honest\tcatches incremental\textreme\trounding\n")
		for _, c := range r.Calibration {
			for _, x := range c.byGroup() {
				fmt.Fprintf(tw, "%s\t%.1f%%\t%.1f%%\t%.1f%%\t%.1f%%\n", x.name, 100*x.FalsePositive, 100*x.Incremental, 100*x.Extreme, 100*x.Rounding)
			}
		}
		tw.Flush()
	}
	if o := all.Outliers.List; len(o) > 0 && list > 0 {
		fmt.Fprintf(&b, "\nthe %d farthest of %s stations at a robust distance over 3 from their area's median (%s areas):\n",
			min(list, len(o)), thousands(all.Outliers.Far), thousands(all.Outliers.Areas))
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "station\tarea\tline\tsigned\tregistered\tballots\t%s\tvalid\tturnout\tshare\tz turnout\tz share\t\n", r.Leader)
		for _, x := range o[:min(list, len(o))] {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%v\t%d\t%d\t%d\t%d\t%.1f%%\t%.1f%%\t%+.1f\t%+.1f\t\n", x.Station, areaName(x.Area), x.Line, x.Signed,
				x.Registered, x.Ballots, x.Leader, x.Valid, 100*x.Turnout, 100*x.Share, x.ZTurnout, x.ZShare)
		}
		tw.Flush()
	}
	// The table's last column is empty on some rows: no trailing spaces.
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n"))
	return err
}

// text says what a Difference found.
func (d *Difference) text() string {
	name := map[string]string{"turnout": "turnout", "leader_share": "leader's share"}[d.Of]
	if d.Signed < minGroup || d.Unsigned < minGroup {
		return fmt.Sprintf("signed against unsigned, %s: too few stations to compare (%s signed, %s unsigned)", name, thousands(d.Signed), thousands(d.Unsigned))
	}
	return fmt.Sprintf("signed against unsigned, %s: median %.2f%% signed, %.2f%% unsigned; rank-sum z=%+.2f, p=%s",
		name, 100*d.MedianSigned, 100*d.MedianUnsigned, d.Z, pval(d.P))
}

// following says whose share the report follows.
func (r *Report) following() string {
	if r.Leader != r.MostVotes {
		return "following " + r.Leader + " (the most votes: " + r.MostVotes + ")"
	}
	return "leader " + r.Leader
}

// excluded returns how many stations were excluded.
func (r *Report) excluded() int {
	n := 0
	for _, e := range r.Excluded {
		n += e.Count
	}
	return n
}

// areaName is how a report names a reference area: "all" for the whole
// election.
func areaName(path string) string {
	if path == "" {
		return "all"
	}
	return path
}
