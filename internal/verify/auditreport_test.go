package verify_test

import (
	"context"
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/verify"
)

const auditJSON = `{"election":"test","method":"macro","seed":"12345678901234567890","risk_limit":0.05,
"rounds":[{"number":1,"draws":[{"ticket":"0.1","station":"100.1"}]}],"complete_rounds":1,
"discrepancies":[],"contests":[{"contest":"president","risk":0.01,"confirmed":true}],"decision":"confirmed"}`

func TestAddAudit(t *testing.T) {
	f := electiontest.New(electiontest.Options{Seed: "audit"})
	for _, tc := range []struct {
		name, data, problem, finding string
	}{
		{"confirmed", auditJSON, "", ""},
		{"full count", strings.Replace(auditJSON, `"decision":"confirmed"`, `"decision":"full hand count"`, 1), "", "calls for a full hand count"},
		{"other election", strings.Replace(auditJSON, `"election":"test"`, `"election":"x"`, 1), `an audit of election "x"`, ""},
		{"malformed", "{\n\"election\": 3}", "not an audit report: line 2", ""},
		{"inconsistent", strings.Replace(auditJSON, `"risk":0.01`, `"risk":0.2`, 1), "says confirmed, but contest president has a measured risk of 0.2", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := verify.New(f.Def)
			v.AddAudit("report.json", []byte(tc.data))
			r := v.Report(context.Background())
			var audits []verify.Finding // the stations, with no count here, are missing
			for _, f := range r.Findings {
				if f.Check == verify.CheckAudit {
					audits = append(audits, f)
				}
			}
			switch {
			case tc.problem != "":
				if len(r.Problems) != 1 || !strings.Contains(r.Problems[0].String(), tc.problem) {
					t.Fatalf("problems %v, want %q", r.Problems, tc.problem)
				}
			case tc.finding != "":
				if len(audits) != 1 || !strings.Contains(audits[0].Summary, tc.finding) {
					t.Fatalf("findings %v", r.Findings)
				}
			default:
				if len(r.Audits) != 1 || r.Audits[0].Draws != 1 || r.Audits[0].Decision != "confirmed" || len(audits) != 0 {
					t.Fatalf("audits %+v, findings %v", r.Audits, r.Findings)
				}
			}
		})
	}
}

// FuzzAddAudit: any bytes as an audit report never panic, and every
// problem names it.
func FuzzAddAudit(f *testing.F) {
	fx := electiontest.New(electiontest.Options{Seed: "audit"})
	f.Add([]byte(auditJSON))
	f.Fuzz(func(t *testing.T, data []byte) {
		v := verify.New(fx.Def)
		v.AddAudit("report.json", data)
		for _, p := range v.Report(context.Background()).Problems {
			if p.Source != "report.json" {
				t.Fatalf("problem %v", p)
			}
		}
	})
}
