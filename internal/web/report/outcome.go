package report

import (
	"regexp"
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

// sayMargin words the margin of an outcome under its rule, or nil: how
// many ballot changes break which condition ("120 ballot changes (0.57%
// of the base) break: EG not over 50%"), the condition in the page's
// language too.
func sayMargin(o *verify.Outcome) *page.Message {
	switch {
	case o.RuleMargin < 0:
		return page.NewMessage("no change of figures within the registered voters alters it")
	case o.MarginOn != "":
		n, pct := strconv.FormatInt(o.RuleMargin, 10), strconv.FormatFloat(o.RuleMarginPct, 'f', 2, 64)+"%"
		if o.RuleMargin == 1 {
			return page.NewMessage("%s ballot change (%s of the base) breaks: %s", n, pct, sayCondition(o.MarginOn))
		}
		return page.NewMessage("%s ballot changes (%s of the base) break: %s", n, pct, sayCondition(o.MarginOn))
	}
	return nil
}

type condition struct {
	format, one string
	re          *regexp.Regexp
}

// conditions are the forms of the condition a margin is about, as the
// verifier writes them (contest's assertions with the candidates'
// ids): each an English message whose %s are the parts that vary, most
// specific first. A form with a count has its singular after it.
var conditions = []condition{
	{format: "not turnout at least %s%%"},
	{format: "not yes at least %s%% of registered"},
	{format: "turnout at least %s%%"},
	{format: "yes at least %s%% of registered"},
	{format: "%s quotient %s beats %s quotient %s"},
	{format: "%s and %s keep their seats %s, %s"},
	{format: "%s holds under %s quotas", one: "%s holds under %s quota"},
	{format: "%s holds %s quotas", one: "%s holds %s quota"},
	{format: "%s leads %s by no more than %s%%"},
	{format: "%s leads %s by more than %s%%"},
	{format: "%s not over %s%%"},
	{format: "%s over %s%%"},
	{format: "%s at least %s%%"},
	{format: "%s under %s%%"},
	{format: "%s has no votes"},
	{format: "%s beats %s"},
	{format: "%s ties %s"},
	{format: "no majority"},
}

func init() {
	for i := range conditions {
		c := &conditions[i]
		parts := strings.Split(strings.ReplaceAll(c.format, "%%", "%"), "%s")
		for j, p := range parts {
			parts[j] = regexp.QuoteMeta(p)
		}
		c.re = regexp.MustCompile("^" + strings.Join(parts, "(.+?)") + "$")
	}
}

// sayCondition words a margin's condition for translation; one of no
// known form stays as it is.
func sayCondition(on string) *page.Message {
	for _, c := range conditions {
		m := c.re.FindStringSubmatch(on)
		if m == nil {
			continue
		}
		args := make([]any, len(m)-1)
		for i, a := range m[1:] {
			args[i] = a
		}
		format := c.format
		if c.one != "" && m[len(m)-1] == "1" {
			format = c.one
		}
		return page.NewMessage(format, args...)
	}
	return page.NewMessage("%s", on)
}
