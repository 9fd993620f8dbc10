package report

import (
	"fmt"
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/contest"
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

// marginRules are rules of every method, with and without their
// optional conditions: TestMarginConditionsInSpanish words every
// condition each can rest on.
var marginRules = []string{
	"plurality seats=1",
	"plurality seats=2",
	"majority base=valid",
	"majority base=valid+blank",
	"threshold win=45 base=valid",
	"threshold win=45 or=40 lead=10 base=valid",
	"dhondt seats=3 base=valid",
	"dhondt seats=4 threshold=20 base=valid+blank",
	"sainte-lague seats=4 first=1.4 threshold=10 base=valid",
	"hare seats=3 base=valid",
	"hare seats=4 threshold=20 base=valid+blank",
	"referendum turnout=50",
	"referendum approval=25",
	"referendum turnout=50 approval=25",
}

// TestMarginConditionsInSpanish decides every rule on many small
// figures and words every condition its outcomes rest on, as the
// verifier names them: each must be of a known form with its Spanish
// (else the Spanish page would show it in English), and the page says
// it in Spanish, the count's plural right.
func TestMarginConditionsInSpanish(t *testing.T) {
	ids := []string{"EG", "NM", "JQ"}
	ref := regexp.MustCompile(`\bc([0-9]+)\b`)
	name := func(says string) string {
		return ref.ReplaceAllStringFunc(says, func(m string) string {
			i, _ := strconv.Atoi(m[1:])
			return ids[i]
		})
	}
	for _, text := range marginRules {
		r, err := contest.Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		n := 3
		if r.Method == contest.Referendum {
			n = 2
		}
		seen := map[string]bool{}
		var first string
		v := make([]int64, n)
		var rec func(i int)
		rec = func(i int) {
			if i < n {
				for x := int64(0); x <= 12; x += 3 {
					v[i] = x
					rec(i + 1)
				}
				return
			}
			for blank := int64(0); blank <= 4; blank += 4 {
				tot := contest.Totals{Votes: slices.Clone(v), Blank: blank, Ballots: blank}
				for _, x := range v {
					tot.Ballots += x
				}
				tot.Registered = 2*tot.Ballots + 1
				o := contest.Decide(r, tot)
				for _, c := range o.Rests {
					for _, a := range c {
						if on := name(a.Says); !seen[on] {
							seen[on] = true
							if first == "" {
								first = on
							}
						}
					}
				}
			}
		}
		rec(0)
		if len(seen) == 0 {
			t.Fatalf("%s: no condition", text)
		}
		for on := range seen {
			i := slices.IndexFunc(conditions, func(c condition) bool { return c.re.MatchString(on) })
			if i < 0 {
				t.Errorf("%s: the condition %q is of no known form: it would show in English", text, on)
				continue
			}
			for _, f := range []string{conditions[i].format, conditions[i].one} {
				if _, ok := spanish[f]; f != "" && !ok {
					t.Errorf("%s: %q (for %q) has no Spanish", text, f, on)
				}
			}
		}
		// The page in Spanish: the condition and the count, singular and
		// plural. Plurality with one seat is worded as a winner by votes.
		for _, k := range []int64{1, 37} {
			if text == "plurality seats=1" {
				break
			}
			rep := ruleReport()
			rep.Outcomes[0].Rule, rep.Outcomes[0].RuleMargin, rep.Outcomes[0].MarginOn = text, k, first
			h, err := NewPages(rep)
			if err != nil {
				t.Fatal(err)
			}
			_, body := get(t, h, "/", "es")
			m := slices.IndexFunc(conditions, func(c condition) bool { return c.re.MatchString(first) })
			if m < 0 {
				break // said above
			}
			args := conditions[m].re.FindStringSubmatch(first)[1:]
			format := conditions[m].format
			if conditions[m].one != "" && args[len(args)-1] == "1" {
				format = conditions[m].one
			}
			anys := make([]any, len(args))
			for i, a := range args {
				anys[i] = a
			}
			want := fmt.Sprintf("%d cambios de boleta (0.57%% de la base) rompen: %s.", k, fmt.Sprintf(spanish[format], anys...))
			if k == 1 {
				want = strings.Replace(strings.Replace(want, "cambios", "cambio", 1), "rompen", "rompe", 1)
			}
			if !strings.Contains(body, html.EscapeString(want)) {
				t.Errorf("%s: the Spanish page lacks %q", text, want)
			}
		}
	}
}

// FuzzSayCondition: whatever the condition's text, wording it neither
// panics nor leaves a format verb without its argument, in English or in
// Spanish; text of no known form stays as it is.
func FuzzSayCondition(f *testing.F) {
	for _, s := range []string{"EG not over 50%", "A quotient 2 beats B quotient 3", "A holds 1 quotas", "not turnout at least 50%", "no majority", "x", "%s over %d%%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, on string) {
		i := slices.IndexFunc(conditions, func(c condition) bool { return c.re.MatchString(on) })
		if i < 0 {
			return
		}
		args := conditions[i].re.FindStringSubmatch(on)[1:]
		anys := make([]any, len(args))
		for k, a := range args {
			anys[k] = a
		}
		for _, f := range []string{conditions[i].format, conditions[i].one} {
			if f == "" {
				continue
			}
			if en := fmt.Sprintf(f, anys...); en != on && f == conditions[i].format && !strings.Contains(on, "%!") {
				t.Errorf("%q read back as %q", on, en)
			}
			if es := fmt.Sprintf(spanish[f], anys...); strings.Contains(es, "%!") && !strings.Contains(on, "%!") {
				t.Errorf("%q in Spanish: %q", on, es)
			}
		}
	})
}
