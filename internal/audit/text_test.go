package audit_test

import (
	"strings"
	"testing"

	"github.com/triplicate-vote/triplicate/internal/audit"
)

// TestRoundWriteText says how many draws a round has and how to record
// their paper: hand counts for a batch comparison, vouchers read for ballot
// polling.
func TestRoundWriteText(t *testing.T) {
	r := &audit.Round{Number: 2, Draws: make([]audit.Draw, 3)}
	a := &audit.RLA{Election: "e1", Method: audit.MACRO, Seed: "123", RiskLimit: 0.05}
	var b strings.Builder
	r.WriteText(&b, a, "rla", "rla/round-2.csv")
	want := "round 2 of the macro audit of election e1 (risk limit 5%, seed 123): 3 station draws: hand-count each station's box and record it with 'triplicate audit record -sample rla/round-2.csv -out rla/hand'\n  the sample: rla/round-2.csv\n"
	if b.String() != want {
		t.Errorf("macro:\n%q\nwant\n%q", b.String(), want)
	}
	b.Reset()
	a.Method = audit.BRAVO
	r.WriteText(&b, a, "rla", "rla/round-2.csv")
	if !strings.Contains(b.String(), "3 vouchers: read each and record them with 'triplicate audit poll -dir rla'") {
		t.Errorf("bravo: %q", b.String())
	}
}
