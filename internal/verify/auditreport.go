package verify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/triplicate-vote/triplicate/internal/strictjson"
)

// AuditSummary is an audit's report (triplicate audit status) as the
// verifier shows it: how the paper was sampled and what it showed.
type AuditSummary struct {
	Source        string                `json:"source"`
	Method        string                `json:"method"`
	Seed          string                `json:"seed"`
	RiskLimit     float64               `json:"risk_limit"`
	Rounds        int                   `json:"rounds"`
	Draws         int                   `json:"draws"`
	Complete      int                   `json:"complete_rounds"`
	Discrepancies int                   `json:"discrepancies"`
	Contests      []AuditContestSummary `json:"contests"`
	Decision      string                `json:"decision"`
}

// AuditContestSummary is one contest's measured risk.
type AuditContestSummary struct {
	Contest   string  `json:"contest"`
	Risk      float64 `json:"risk"`
	Confirmed bool    `json:"confirmed"`
}

// auditReport is the part of the audit's report.json the verifier reads.
type auditReport struct {
	Election  string  `json:"election"`
	Method    string  `json:"method"`
	Seed      string  `json:"seed"`
	RiskLimit float64 `json:"risk_limit"`
	Rounds    []struct {
		Draws []jsontext.Value `json:"draws"`
	} `json:"rounds"`
	Complete      int              `json:"complete_rounds"`
	Discrepancies []jsontext.Value `json:"discrepancies"`
	Contests      []struct {
		Contest   string  `json:"contest"`
		Risk      float64 `json:"risk"`
		Confirmed bool    `json:"confirmed"`
	} `json:"contests"`
	Decision        string `json:"decision"`
	AnnouncedSHA256 string `json:"announced_sha256"`
}

// AddAudit reads an audit's report. The hand counts it rests on are signed
// actas: give them as copies too, and each one that differs from its
// machine's acta is a hand-count finding. An audit whose evidence calls for
// a full hand count is a finding of its own.
func (v *Verifier) AddAudit(name string, data []byte) {
	var a auditReport
	if err := strictjson.UnmarshalPart(data, &a); err != nil {
		v.problem(name, "", "not an audit report: %v", err)
		return
	}
	if a.Election != v.def.ID {
		v.problem(name, "", "an audit of election %q, not %q", a.Election, v.def.ID)
		return
	}
	if len(v.announcedSums) > 0 && !slices.Contains(v.announcedSums, a.AnnouncedSHA256) {
		v.problem(name, "", "the audit is of an announcement with SHA-256 %s, not the one read here (%s)", a.AnnouncedSHA256, strings.Join(v.announcedSums, ", "))
		return
	}
	if a.Decision == "confirmed" {
		for _, c := range a.Contests {
			if !c.Confirmed || c.Risk > a.RiskLimit {
				v.problem(name, "", "says confirmed, but contest %s has a measured risk of %g at a risk limit of %g", c.Contest, c.Risk, a.RiskLimit)
				return
			}
		}
	}
	s := &AuditSummary{Source: name, Method: a.Method, Seed: a.Seed, RiskLimit: a.RiskLimit, Rounds: len(a.Rounds),
		Complete: a.Complete, Discrepancies: len(a.Discrepancies), Decision: a.Decision}
	for _, r := range a.Rounds {
		s.Draws += len(r.Draws)
	}
	for _, c := range a.Contests {
		s.Contests = append(s.Contests, AuditContestSummary{Contest: c.Contest, Risk: c.Risk, Confirmed: c.Confirmed})
	}
	v.audits = append(v.audits, s)
	if a.Decision == "full hand count" {
		v.findings = append(v.findings, Finding{Check: CheckAudit, Summary: fmt.Sprintf(
			"the %s audit (%s) cannot confirm the reported outcome at a risk limit of %g%%: its evidence calls for a full hand count (%d hand counts differ from the reported figures)",
			a.Method, name, 100*a.RiskLimit, len(a.Discrepancies))})
	}
}
