package verify

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// WriteText writes the terminal summary: the sources, stations agreeing and
// differing, findings by check, the first findings, what could not be checked,
// and the weighing of each contest.
func (r *Report) WriteText(w io.Writer, maxFindings int) error {
	var b strings.Builder
	fmt.Fprintf(&b, "election %s: %d stations\n", r.Election, r.Stations)
	if r.Simulated {
		b.WriteString("SIMULATED FIGURES: a simulation on the election's real tables and names, not its results\n")
	}
	for _, s := range r.Sources {
		signed := "signed"
		if !s.Signed() && !s.CenterSigned() {
			signed = "unsigned"
		}
		fmt.Fprintf(&b, "  source %-9s %-8s %7d counts %7d stations  %s", s.Kind, signed, s.Counts, s.Stations, s.Name)
		if about := s.About(); about != "" {
			fmt.Fprintf(&b, " (%s)", about)
		}
		b.WriteString("\n")
	}
	if len(r.Pairs) > 0 {
		b.WriteString("compared:\n")
		for _, p := range r.Pairs {
			fmt.Fprintf(&b, "  %s\n", p)
		}
	}
	if len(r.Precedence) > 1 && len(r.Sources) > 1 {
		fmt.Fprintf(&b, "precedence (a station's figures are the first of these that gives them): %s\n", strings.Join(r.Precedence, " > "))
	}
	if l := r.Log; l != nil {
		state := "every entry read and proven in the checkpoint"
		if !l.Complete {
			state = "NOT every entry proven in the checkpoint"
		}
		witnessed := "cosigned as the election's witness policy requires"
		if !l.Witnessed {
			witnessed = "NOT cosigned as the election's witness policy requires"
		}
		fmt.Fprintf(&b, "  log %s: checkpoint of %d entries, %s; %s\n", l.Origin, l.Size, witnessed, state)
	}
	unread := r.Unread()
	if len(unread) > 0 {
		fmt.Fprintf(&b, "COULD NOT READ: %d sources; nothing is claimed from them, and no contest is weighed\n", len(unread))
		for _, p := range unread {
			fmt.Fprintf(&b, "  %s\n", p)
		}
	}
	fmt.Fprintf(&b, "stations: %d agree, %d differ, %d without any count", r.Agreeing, r.Differing, r.Uncounted)
	if len(unread) > 0 {
		b.WriteString(" in the sources read")
	}
	b.WriteString("\n")
	switch {
	case len(r.Findings) == 0 && len(unread) > 0:
		b.WriteString("findings: none in the sources read\n")
	case len(r.Findings) == 0:
		b.WriteString("findings: none\n")
	default:
		fmt.Fprintf(&b, "findings: %d\n", len(r.Findings))
		for _, c := range Checks {
			if n := r.ByCheck[c]; n > 0 {
				fmt.Fprintf(&b, "  %-18s %d\n", c, n)
			}
		}
		for i, f := range r.Findings {
			if i == maxFindings {
				fmt.Fprintf(&b, "  ... and %d more (see the JSON or HTML report)\n", len(r.Findings)-i)
				break
			}
			proven := "proven"
			if !f.Proven {
				proven = "unsigned"
			}
			fmt.Fprintf(&b, "  [%s, %s] %s\n", f.Check, proven, f.Summary)
		}
	}
	if n := len(r.Problems) - len(unread); n > 0 {
		fmt.Fprintf(&b, "could not check: %d\n", n)
		i := 0
		for _, p := range r.Problems {
			if p.Unread {
				continue
			}
			if i == maxFindings {
				fmt.Fprintf(&b, "  ... and %d more\n", n-i)
				break
			}
			if p.Accepted {
				fmt.Fprintf(&b, "  %s (accepted: the source may stand alone)\n", p)
			} else {
				fmt.Fprintf(&b, "  %s\n", p)
			}
			i++
		}
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintf(&b, "warnings: %d\n", len(r.Warnings))
		for i, p := range r.Warnings {
			if i == maxFindings {
				fmt.Fprintf(&b, "  ... and %d more\n", len(r.Warnings)-i)
				break
			}
			fmt.Fprintf(&b, "  %s\n", p)
		}
	}
	for _, a := range r.Audits {
		fmt.Fprintf(&b, "audit %s (%s, risk limit %g%%, seed %s): %d rounds, %d draws, %d discrepancies: %s\n",
			a.Source, a.Method, 100*a.RiskLimit, a.Seed, a.Rounds, a.Draws, a.Discrepancies, a.Decision)
		for _, c := range a.Contests {
			fmt.Fprintf(&b, "  contest %s: measured risk %.4f, confirmed %v\n", c.Contest, c.Risk, c.Confirmed)
		}
	}
	for _, o := range r.Outcomes {
		o.writeText(&b)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (o Outcome) writeText(b *strings.Builder) {
	fmt.Fprintf(b, "contest %s (%s):\n", o.Contest, o.Name)
	share := ""
	if len(o.SharesPct) > 0 {
		share = fmt.Sprintf(" %8s", "share")
	}
	if o.AnnouncedFrom != "" {
		fmt.Fprintf(b, "  %-10s %12s %12s%s\n", "", "announced", "corrected", share)
	} else {
		fmt.Fprintf(b, "  %-10s %12s%s\n", "", "counted", share)
	}
	for i, c := range o.Candidates {
		share := ""
		if i < len(o.SharesPct) {
			share = fmt.Sprintf(" %7.2f%%", o.SharesPct[i])
		}
		if o.AnnouncedFrom != "" {
			fmt.Fprintf(b, "  %-10s %12d %12d%s\n", c.Candidate, c.Announced, c.Corrected, share)
		} else {
			fmt.Fprintf(b, "  %-10s %12d%s\n", c.Candidate, c.Corrected, share)
		}
	}
	if len(o.From) > 0 {
		var from []string
		for name, n := range o.From {
			from = append(from, fmt.Sprintf("%s %d", name, n))
		}
		slices.Sort(from)
		fmt.Fprintf(b, "  stations' figures from: %s\n", strings.Join(from, ", "))
	}
	if o.UnderRule() {
		o.writeRuleText(b)
	} else {
		o.writeWinnerText(b)
	}
	if o.Missing > 0 || o.Undecided > 0 || o.Incomplete > 0 {
		var what []string
		if o.Missing > 0 {
			what = append(what, fmt.Sprintf("%d stations missing", o.Missing))
		}
		if o.Incomplete > 0 {
			what = append(what, fmt.Sprintf("%d with no count that gives every candidate's votes", o.Incomplete))
		}
		if o.Undecided > 0 {
			what = append(what, fmt.Sprintf("%d undecided (their machine's key signed two counts)", o.Undecided))
		}
		decided := "they cannot change the winner"
		switch {
		case o.UnderRule() && o.Decided:
			decided = "they cannot change the outcome"
		case o.UnderRule() && o.CorrectedOutcome.Kind == "tie":
			decided = "they could break the tie"
		case o.UnderRule():
			decided = "they could change the outcome"
		case o.Tie:
			decided = "they could break the tie"
		case !o.Decided:
			decided = "they could change the winner"
		}
		fmt.Fprintf(b, "  %s, %d registered voters: %s\n", strings.Join(what, " and "), o.MissingRegistered, decided)
	}
	if len(o.Decisive) > 0 {
		list := o.Decisive
		more := ""
		if len(list) > 12 {
			list, more = list[:12], fmt.Sprintf(" and %d more", len(o.Decisive)-12)
		}
		fmt.Fprintf(b, "  decisive: %d stations (%s%s): %s\n", len(o.Decisive), strings.Join(list, " "), more, o.Why)
	} else {
		fmt.Fprintf(b, "  decisive: %s\n", o.Why)
	}
}

// UnderRule says whether the outcome is under a rule other than
// plurality with one seat, whose outcome the verifier words as a winner.
func (o Outcome) UnderRule() bool {
	return o.CorrectedOutcome != nil && o.Rule != "plurality seats=1"
}

// writeRuleText writes the outcome under the contest's rule.
func (o Outcome) writeRuleText(b *strings.Builder) {
	fmt.Fprintf(b, "  rule: %s\n", o.Rule)
	if o.AnnouncedOutcome != nil {
		fmt.Fprintf(b, "  announced: %s; corrected: %s", o.AnnouncedOutcome.Says, o.CorrectedOutcome.Says)
	} else {
		fmt.Fprintf(b, "  %s", o.CorrectedOutcome.Says)
	}
	if o.Flips {
		b.WriteString(": THE OUTCOME CHANGES")
	}
	b.WriteString("\n")
	switch {
	case o.RuleMargin < 0:
		b.WriteString("  margin: no change within the registered voters alters it\n")
	case o.MarginOn != "":
		changes := "ballot changes (%.2f%% of the base) break"
		if o.RuleMargin == 1 {
			changes = "ballot change (%.2f%% of the base) breaks"
		}
		fmt.Fprintf(b, "  margin: %d "+changes+" %q\n", o.RuleMargin, o.RuleMarginPct, o.MarginOn)
	}
}

// writeWinnerText writes the outcome of plurality with one seat: the
// winner, by how much, over whom.
func (o Outcome) writeWinnerText(b *strings.Builder) {
	corrected := fmt.Sprintf("winner %s by %d over %s", o.CorrectedWinner, o.CorrectedMargin, o.RunnerUp)
	if o.Tie {
		corrected = "a tie of " + strings.Join(o.Tied, ", ") + ", no winner"
	}
	if o.AnnouncedFrom != "" {
		announced := fmt.Sprintf("announced winner %s by %d", o.AnnouncedWinner, o.AnnouncedMargin)
		if o.AnnouncedTied != nil {
			announced = "announced a tie of " + strings.Join(o.AnnouncedTied, ", ")
		}
		if !o.Tie {
			corrected = "corrected " + corrected
		} else {
			corrected = "corrected: " + corrected
		}
		fmt.Fprintf(b, "  %s; %s", announced, corrected)
	} else {
		fmt.Fprintf(b, "  %s", corrected)
	}
	switch {
	case o.Flips && (o.Tie || o.AnnouncedTied != nil):
		b.WriteString(": THE OUTCOME CHANGES")
	case o.Flips:
		b.WriteString(": THE OUTCOME FLIPS")
	}
	b.WriteString("\n")
}
