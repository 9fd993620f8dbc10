package report

import (
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/verify"
)

// ruleReport is the test report with its contest under a threshold rule,
// announced elected in the first round, a runoff by the evidence.
func ruleReport() *verify.Report {
	r := htmlTestReport()
	o := &r.Outcomes[0]
	o.Rule = "threshold win=50 or=40 lead=10 base=valid"
	o.AnnouncedOutcome = &verify.RuleOutcome{Kind: "elected", Elected: []string{"NM"}, Says: "elected: NM"}
	o.CorrectedOutcome = &verify.RuleOutcome{Kind: "runoff", Runoff: []string{"EG", "NM"}, Says: "runoff between EG and NM"}
	o.Flips, o.RuleMargin, o.RuleMarginPct, o.MarginOn = true, 120, 0.57, "EG not over 50%"
	return r
}

// TestRuleOutcomePages: the served pages and the one-file report say an
// outcome under its rule in words, in both languages.
func TestRuleOutcomePages(t *testing.T) {
	h, err := NewPages(ruleReport())
	if err != nil {
		t.Fatal(err)
	}
	for lang, wants := range map[string][]string{
		"en": {"Rule: threshold win=50 or=40 lead=10 base=valid.", "Announced: elected: NM.", "By the evidence: runoff between EG and NM.",
			"Margin: 120 ballot changes (0.57% of the base) break: EG not over 50%.", "The outcome changes in President: announced elected: NM, by the evidence runoff between EG and NM."},
		"es": {"Regla: threshold", "Anunciado: electos: NM.", "Según la evidencia: segunda vuelta entre EG y NM.", "Margen: 120 cambios de boleta"},
	} {
		_, body := get(t, h, "/", lang)
		for _, want := range wants {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the page lacks %q", lang, want)
			}
		}
	}
	page := renderHTML(t, ruleReport(), "rule.html")
	for _, want := range []string{"Rule: <code>threshold win=50 or=40 lead=10 base=valid</code>", "<strong>elected: NM</strong>",
		"<strong>runoff between EG and NM</strong>", "the center announced elected: NM, but the evidence gives runoff between EG and NM",
		"Margin: 120 ballot changes (0.57% of the base) break &#34;EG not over 50%&#34;"} {
		if !strings.Contains(page, want) {
			t.Errorf("the one-file report lacks %q", want)
		}
	}
}

// TestRuleOutcomeVoidSeats: a void referendum and list seats, in Spanish.
func TestRuleOutcomeVoidSeats(t *testing.T) {
	for _, x := range []struct {
		o    verify.RuleOutcome
		want string
	}{
		{verify.RuleOutcome{Kind: "void", Quorum: "turnout", QuorumPct: 31.2, QuorumNeeded: 50}, "nulo: participación de 31.2%, por debajo del quórum de 50%"},
		{verify.RuleOutcome{Kind: "seats", Seats: []verify.ListSeats{{List: "PP", Seats: 71}, {List: "PSOE", Seats: 66}}}, "escaños: PP 71, PSOE 66"},
		{verify.RuleOutcome{Kind: "tie", Tied: []string{"A", "B"}}, "empate de A, B"},
	} {
		r := ruleReport()
		r.Outcomes[0].CorrectedOutcome = &x.o
		h, err := NewPages(r)
		if err != nil {
			t.Fatal(err)
		}
		if _, body := get(t, h, "/", "es"); !strings.Contains(body, x.want) {
			t.Errorf("the page lacks %q", x.want)
		}
	}
}
