package report

import (
	"strconv"
	"strings"

	"github.com/triplicate-vote/triplicate/internal/verify"
	"github.com/triplicate-vote/triplicate/internal/web/page"
)

// sayOutcome words an outcome under a contest's rule, for translation:
// "runoff between MAS and CC", "elected: A, B, C", "seats: PP 71, …",
// "void: turnout 31.2% below the 50% quorum", "tie of A and B".
func sayOutcome(o *verify.RuleOutcome) *page.Message {
	seats := func() string {
		var parts []string
		for _, s := range o.Seats {
			parts = append(parts, s.List+" "+strconv.Itoa(s.Seats))
		}
		return strings.Join(parts, ", ")
	}
	pct := func(f float64, digits int) string { return strconv.FormatFloat(f, 'f', digits, 64) + "%" }
	switch o.Kind {
	case "elected":
		return page.NewMessage("elected: %s", strings.Join(o.Elected, ", "))
	case "runoff":
		if len(o.Runoff) == 2 {
			return page.NewMessage("runoff between %s and %s", o.Runoff[0], o.Runoff[1])
		}
	case "seats":
		return page.NewMessage("seats: %s", seats())
	case "passed":
		return page.NewMessage("passed")
	case "rejected":
		return page.NewMessage("rejected")
	case "void":
		if o.Quorum == "approval" {
			return page.NewMessage("void: approval %s below the %s quorum", pct(o.QuorumPct, 1), pct(o.QuorumNeeded, -1))
		}
		return page.NewMessage("void: turnout %s below the %s quorum", pct(o.QuorumPct, 1), pct(o.QuorumNeeded, -1))
	case "tie":
		if len(o.Seats) > 0 {
			return page.NewMessage("tie of %s (seats before the tie: %s)", strings.Join(o.Tied, ", "), seats())
		}
		return page.NewMessage("tie of %s", strings.Join(o.Tied, ", "))
	}
	return page.NewMessage("%s", o.Says)
}

// sayMargin words the margin of an outcome under its rule, or nil.
func sayMargin(o *verify.Outcome) *page.Message {
	switch {
	case o.RuleMargin < 0:
		return page.NewMessage("no change of figures within the registered voters alters it")
	case o.MarginOn != "":
		return page.NewMessage("%s ballot changes (%s of the base) break: %s", strconv.FormatInt(o.RuleMargin, 10), strconv.FormatFloat(o.RuleMarginPct, 'f', 2, 64)+"%", o.MarginOn)
	}
	return nil
}
