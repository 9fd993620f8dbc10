package audit

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/election"
)

// WriteText writes the report for a terminal: each contest's risk and the
// decision, with what to do next. dir is the audit's directory.
func (r *Report) WriteText(w io.Writer, dir string) {
	fmt.Fprintf(w, "%s audit of election %s, risk limit %g%%, seed %s: %d rounds, %d complete\n",
		r.Method, r.Election, 100*r.RiskLimit, r.Seed, len(r.Rounds), r.Complete)
	for _, co := range r.Contests {
		state := "not confirmed"
		if co.Confirmed {
			state = "CONFIRMED"
		}
		fmt.Fprintf(w, "  contest %s: reported margin %.2f%%, measured risk %.4f: %s\n", co.Contest, 100*co.Margin, co.Risk, state)
		for _, a := range co.Assertions {
			fmt.Fprintf(w, "    assertion %s: margin %.2f%%, risk %.4f\n", a.Says, 100*a.Margin, a.Risk)
		}
	}
	if len(r.Discrepancies) > 0 {
		fmt.Fprintf(w, "  %d stations whose hand count differs from the reported figures\n", len(r.Discrepancies))
	}
	switch r.Decision {
	case "confirmed":
		fmt.Fprintf(w, "decision: confirmed — the reported outcome stands, with a risk of at most %g%%\n", 100*r.RiskLimit)
	case "waiting":
		fmt.Fprintf(w, "decision: waiting — %d draws of round %d have no paper recorded yet\n", len(r.Missing), len(r.Rounds))
	case "next round":
		fmt.Fprintf(w, "decision: another round — draw %d more with 'triplicate audit sample -dir %s'\n", r.NextRound, dir)
	case "full hand count":
		fmt.Fprintf(w, "decision: FULL HAND COUNT — the sample cannot confirm the reported outcome at this risk limit\n")
	}
}

// WriteText writes a round just drawn for a terminal: how many draws, of
// what, and how to record the paper they name. a is the audit, dir its
// directory and path the round's file.
func (r *Round) WriteText(w io.Writer, a *RLA, dir, path string) {
	what := "station draws: hand-count each station's box and record it with 'triplicate audit record -sample " + path + " -out " + filepath.Join(dir, HandDir) + "'"
	if a.Method != MACRO {
		what = "vouchers: read each and record them with 'triplicate audit poll -dir " + dir + "'"
	}
	fmt.Fprintf(w, "round %d of the %s audit of election %s (risk limit %g%%, seed %s): %d %s\n  the sample: %s\n",
		r.Number, a.Method, a.Election, 100*a.RiskLimit, a.Seed, len(r.Draws), what, path)
}

// WriteQuickCount writes a quick count for a terminal: each contest's
// estimate and interval by candidate, the announced share beside it, and a
// FLAG line where the announcement lies outside. It returns whether any
// contest was flagged and how many could not be estimated.
func WriteQuickCount(w io.Writer, def *election.Definition, seed string, res []ContestCount) (flagged bool, unestimated int) {
	for _, cc := range res {
		e := cc.Estimate
		fmt.Fprintf(w, "contest %s: %d of %d stations sampled from seed %s, %d collected", cc.Contest, cc.Sampled, cc.Stations, seed, cc.Collected)
		if e == nil {
			fmt.Fprintf(w, ": too few to estimate (at least 2 are needed)\n")
			unestimated++
			continue
		}
		if len(cc.Missing) > 0 {
			fmt.Fprintf(w, " (%d not collected, left out: the estimate assumes they are like the rest)", len(cc.Missing))
		}
		fmt.Fprintf(w, "\n  %-10s %9s  %-21s", "", "estimate", fmt.Sprintf("%g%% interval", 100*e.Confidence))
		if cc.Announced != nil {
			fmt.Fprintf(w, " %9s", "announced")
		}
		fmt.Fprintln(w)
		for _, x := range def.Contest(cc.Contest).Candidates {
			s := e.Shares[x.ID]
			fmt.Fprintf(w, "  %-10s %8.2f%%  %8.2f%% – %8.2f%%", x.ID, 100*s.Value, 100*s.Low, 100*s.High)
			if cc.Announced != nil {
				mark := ""
				if !s.Contains(cc.Announced[x.ID]) {
					mark = "  OUTSIDE"
				}
				fmt.Fprintf(w, " %8.2f%%%s", 100*cc.Announced[x.ID], mark)
			}
			fmt.Fprintln(w)
		}
		call := "too close to call at this confidence"
		if e.Called {
			call = "called for " + e.Leader
		}
		fmt.Fprintf(w, "  %s leads %s by %.2f points (%.2f – %.2f): %s\n", e.Leader, e.RunnerUp, 100*e.Margin.Value, 100*e.Margin.Low, 100*e.Margin.High, call)
		if len(cc.Outside) > 0 || cc.WinnerDiffers {
			flagged = true
			fmt.Fprintf(w, "  FLAG: the announced result lies outside the quick count's intervals for %s", strings.Join(cc.Outside, ", "))
			if cc.WinnerDiffers {
				fmt.Fprintf(w, "; the announced winner is not the one the quick count calls")
			}
			fmt.Fprintln(w)
		}
	}
	return flagged, unestimated
}
