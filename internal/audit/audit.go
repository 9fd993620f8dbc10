// Package audit runs triplicate's audits of the paper vouchers, the third
// count: the hot audit at close (a share of stations, drawn from a seed
// announced at close, count their boxes on the spot), the risk-limiting
// audit after publication (batch comparison of stations' actas against
// their hand counts, MACRO; or ballot polling of single vouchers, BRAVO and
// Minerva), in rounds until the risk limit is met or the evidence calls for
// a full hand count, and the observers' quick count. The mathematics is in
// package auditmath; this package reads and writes the audit's records:
// samples anyone can redraw from the public seed (CSV: [WriteSample],
// [ReadSample]), hand counts as signed actas of kind hand, and the audit's
// report, which the verifier reads. doc/spec/audit.md describes both.
//
// A risk-limiting audit lives in a directory of its own ([Audit]: see
// dir.go for its layout): [Start] keeps copies of the definition and of the
// announced figures it checks, [Audit.Sample] draws each round into
// round-N.csv, [Audit.Poll] records the vouchers read (hand counts go to
// DIR/hand with [Record]), and [Audit.Status] measures the risk and writes
// report.json. The quick count reads what observers collected
// ([ReadCollected]), estimates ([QuickCount]) and prints
// ([WriteQuickCount]).
package audit

import (
	"fmt"
	"strings"
)

// MinSeedDigits is the fewest decimal digits a public seed may have: 20
// rolls of a ten-sided die give about 66 bits.
const MinSeedDigits = 20

// ParseSeed checks a public seed: decimal digits (dice rolls), at least
// MinSeedDigits of them, at most 200; spaces between groups are dropped.
func ParseSeed(s string) (string, error) {
	seed := strings.Join(strings.Fields(s), "")
	for i, r := range seed {
		if r < '0' || r > '9' {
			return "", fmt.Errorf("seed %q: character %d (%q) is not a decimal digit: a seed is the digits of dice rolls", clip(s), i+1, r)
		}
	}
	switch {
	case len(seed) < MinSeedDigits:
		return "", fmt.Errorf("seed %q: %d digits, want at least %d (rolls of ten-sided dice, announced in public)", clip(s), len(seed), MinSeedDigits)
	case len(seed) > 200:
		return "", fmt.Errorf("seed: %d digits, more than 200", len(seed))
	}
	return seed, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
